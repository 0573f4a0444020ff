//! Go's `filepath.Match` on a Unix system, as `helm template --show-only`
//! uses it.

/// Why a pattern could not be used (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// Reports whether all of `name` matches the shell pattern `pattern`:
///
/// - `*` matches any run of bytes other than `/`;
/// - `?` matches one character other than `/`;
/// - `[...]` is a non-empty class of characters and `lo-hi` ranges, negated
///   by a leading `^`;
/// - `\c` matches `c` literally (also inside classes);
/// - anything else matches itself.
///
/// A malformed pattern gives `Err(BadPattern)` whenever Go's does; Helm
/// ignores the error, so for `--show-only` it simply does not match.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pat = pattern.as_bytes();
    let mut name = name.as_bytes();
    'chunks: while !pat.is_empty() {
        let (star, chunk, rest) = next_chunk(pat);
        pat = rest;
        if star && chunk.is_empty() {
            // A trailing star takes the rest of the name if it has no '/'.
            return Ok(!name.contains(&b'/'));
        }
        let (rem, ok) = match_chunk(chunk, name)?;
        // The last chunk must use up the whole name.
        if ok && (rem.is_empty() || !pat.is_empty()) {
            name = rem;
            continue;
        }
        if star {
            // Let the star take 1, 2, … bytes, never a '/'.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (rem, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok && (rem.is_empty() || !pat.is_empty()) {
                    name = rem;
                    continue 'chunks;
                }
                i += 1;
            }
        }
        // No match; Go still reports a malformed remainder of the pattern.
        while !pat.is_empty() {
            let (_, chunk, rest) = next_chunk(pat);
            pat = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the leading stars and the run of non-star terms after them
/// (a `*` inside a class, or escaped, does not end the run).
fn next_chunk(mut pat: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pat {
        pat = rest;
        star = true;
    }
    let mut in_class = false;
    let mut i = 0;
    while i < pat.len() {
        match pat[i] {
            b'\\' if i + 1 < pat.len() => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pat[..i], &pat[i..])
}

/// Decodes one character as Go's `utf8.DecodeRune` would: an invalid or
/// truncated sequence is U+FFFD of width 1; empty input gives width 0.
fn decode(b: &[u8]) -> (u32, usize) {
    if b.is_empty() {
        return (0xFFFD, 0);
    }
    let want = match b[0] {
        0x00..=0x7F => return (b[0] as u32, 1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (0xFFFD, 1),
    };
    match b.get(..want).and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) => (s.chars().next().map_or(0xFFFD, |c| c as u32), want),
        None => (0xFFFD, 1),
    }
}

/// Matches one chunk (no stars) against the start of `s`. Returns what is
/// left of `s` and whether it matched; the whole chunk is always checked
/// for syntax, even after a mismatch.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<(&'s [u8], bool), BadPattern> {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (c, n) = decode(s);
                    r = c;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = class_char(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let lit = if c == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(&b) => b,
                        None => return Err(BadPattern),
                    }
                } else {
                    c
                };
                if !failed {
                    if lit != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok((&[], false))
    } else {
        Ok((s, true))
    }
}

/// One possibly escaped character of a class. It may not be `-` or `]`
/// unescaped, and something must follow it (at least the closing `]`).
fn class_char(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let (r, n) = decode(chunk);
    let rest = &chunk[n..];
    if (r == 0xFFFD && n == 1) || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD: Result<bool, BadPattern> = Err(BadPattern);

    // Cases in the spirit of Go's own table, worked out from the rules above.
    #[test]
    fn table() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", BAD),
            ("[-]", "-", BAD),
            ("[x-]", "x", BAD),
            ("[x-]", "-", BAD),
            ("[x-]", "z", BAD),
            ("[-x]", "x", BAD),
            ("[-x]", "-", BAD),
            ("[-x]", "a", BAD),
            ("\\", "a", BAD),
            ("[a-b-c]", "a", BAD),
            ("[", "a", BAD),
            ("[^", "a", BAD),
            ("[^bc", "a", BAD),
            ("a[", "a", BAD),
            ("a[", "ab", BAD),
            ("a[", "x", BAD),
            ("a/b[", "x", BAD),
            ("*x", "xxx", Ok(true)),
            ("templates/*.yaml", "templates/a.yaml", Ok(true)),
            ("templates/*.yaml", "templates/sub/b.yaml", Ok(false)),
            ("templates/*", "templates/sub/b.yaml", Ok(false)),
            ("*/*/*", "templates/sub/b.yaml", Ok(true)),
            ("", "", Ok(true)),
            ("", "a", Ok(false)),
        ];
        for (p, n, want) in cases {
            assert_eq!(go_match(p, n), *want, "Match({p:?}, {n:?})");
        }
    }
}
