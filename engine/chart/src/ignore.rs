//! `.helmignore` rules as Helm 4.3.1 applies them (`pkg/ignore`) when it loads a chart
//! directory, and Go's `filepath.Match`, which they are built on.
//!
//! Semantics worth knowing (all checked against Helm):
//! - one pattern per line, trimmed; blank lines and lines starting with `#` are skipped;
//!   a pattern containing `**` is an error, and so is one `filepath.Match` rejects;
//! - rules are tried in order and the **first** that decides wins;
//! - `!pat` is inverted as Helm does it: a path that does *not* match `pat` is ignored at
//!   once, one that matches goes on to the next rule (so `*.md` then `!keep.md` ignores
//!   everything but `keep.md`, Chart.yaml included);
//! - a trailing `/` restricts a rule to directories (a negated one ignores every file);
//! - a leading `/` matches the whole path from the chart root; a pattern containing `/`
//!   matches the whole relative path; any other pattern matches the base name;
//! - the loader appends the default rule `templates/.?*` after the file's rules;
//! - the chart root (`""`, `.` or `./`) is never ignored.

use std::fmt;

/// The name of the ignore file in a chart directory.
pub const HELM_IGNORE: &str = ".helmignore";

/// The rule Helm adds after a chart's own: dotfiles directly under `templates/`.
pub const DEFAULT_RULE: &str = "templates/.?*";

/// A `.helmignore` that Helm refuses, with Helm's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: &str) -> Self {
        Error { message: message.to_string() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Go's `filepath.ErrBadPattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// Leading `/`: the whole relative path.
    Anchored,
    /// Contains `/`: the whole relative path.
    Path,
    /// Otherwise: the base name.
    Base,
}

/// Globs that need no pattern matcher: most lines of a `.helmignore` are
/// names (`.git/`) or suffixes (`*.swp`), and every file of a chart is
/// tried against every line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// No `*`, `?`, `[` or `\`: matches itself only.
    Literal,
    /// `*` then a literal: the name ends with the literal, and the part
    /// before it holds no `/`.
    StarSuffix,
    Other,
}

impl Shape {
    fn of(glob: &[u8]) -> Shape {
        let special = |b: &u8| matches!(b, b'*' | b'?' | b'[' | b'\\');
        match glob.split_first() {
            _ if !glob.iter().any(special) => Shape::Literal,
            Some((b'*', rest)) if !rest.iter().any(special) => Shape::StarSuffix,
            _ => Shape::Other,
        }
    }
}

#[derive(Clone, Debug)]
struct Pattern {
    /// The line as written (trimmed).
    raw: Vec<u8>,
    /// What is handed to `filepath.Match`.
    glob: Vec<u8>,
    shape: Shape,
    scope: Scope,
    negate: bool,
    must_dir: bool,
}

impl Pattern {
    /// Whether the rule's glob matches `path`. A glob Go cannot compile matches nothing and is
    /// reported to `bad` (Helm logs `failed to compile` with the glob).
    fn matches(&self, path: &[u8], bad: &mut dyn FnMut(&[u8])) -> bool {
        let name = match self.scope {
            Scope::Anchored | Scope::Path => path,
            Scope::Base => base(path),
        };
        match self.shape {
            Shape::Literal => return name == self.glob,
            Shape::StarSuffix => {
                let suffix = &self.glob[1..];
                return name.ends_with(suffix) && !name[..name.len() - suffix.len()].contains(&b'/');
            }
            Shape::Other => {}
        }
        match_bytes(&self.glob, name).unwrap_or_else(|BadPattern| {
            bad(&self.glob);
            false
        })
    }
}

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

/// The longest line `bufio.Scanner` accepts (`bufio.MaxScanTokenSize`, newline excluded).
const MAX_LINE: usize = 64 * 1024 - 1;

impl Rules {
    /// No rules at all (`ignore.Empty`).
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Only the default rule: what Helm uses for a chart without a `.helmignore`.
    pub fn default_rules() -> Rules {
        let mut r = Rules::empty();
        r.add_defaults();
        r
    }

    /// Appends the default rule (`AddDefaults`); the loader does this after parsing.
    pub fn add_defaults(&mut self) {
        self.parse_rule(DEFAULT_RULE.as_bytes()).expect("the default rule is valid");
    }

    /// Parses the text of a `.helmignore` (`ignore.Parse`). The default rule is not added.
    pub fn parse(text: &str) -> Result<Rules, Error> {
        Rules::parse_bytes(text.as_bytes())
    }

    /// [`Rules::parse`] on raw bytes (Go reads the file as bytes; patterns need not be UTF-8).
    pub fn parse_bytes(data: &[u8]) -> Result<Rules, Error> {
        let mut r = Rules::empty();
        let mut first = true;
        let mut rest = data;
        while !rest.is_empty() {
            // bufio.ScanLines: split at '\n', drop one '\r' before it.
            let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            if line.len() > MAX_LINE {
                return Err(Error::new("bufio.Scanner: token too long"));
            }
            rest = next;
            if let Some(l) = line.strip_suffix(b"\r") {
                line = l;
            }
            if first {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                first = false;
            }
            r.parse_rule(line)?;
        }
        Ok(r)
    }

    fn parse_rule(&mut self, line: &[u8]) -> Result<(), Error> {
        let rule = trim_space(line);
        if rule.is_empty() || rule[0] == b'#' {
            return Ok(());
        }
        if rule.windows(2).any(|w| w == b"**") {
            return Err(Error::new("double-star (**) syntax is not supported"));
        }
        // Helm compiles the line as written, before taking `!` and slashes off it.
        if match_bytes(rule, b"abc").is_err() {
            return Err(Error::new("syntax error in pattern"));
        }
        let raw = rule.to_vec();
        let mut rule = rule;
        let negate = rule.first() == Some(&b'!');
        if negate {
            rule = &rule[1..];
        }
        let must_dir = rule.last() == Some(&b'/');
        if must_dir {
            rule = &rule[..rule.len() - 1];
        }
        let (glob, scope) = if let Some(after) = rule.strip_prefix(b"/") {
            (after, Scope::Anchored)
        } else if rule.contains(&b'/') {
            (rule, Scope::Path)
        } else {
            (rule, Scope::Base)
        };
        self.patterns.push(Pattern { raw, glob: glob.to_vec(), shape: Shape::of(glob), scope, negate, must_dir });
        Ok(())
    }

    /// The rules' lines as written, in order.
    pub fn patterns(&self) -> impl Iterator<Item = &[u8]> {
        self.patterns.iter().map(|p| p.raw.as_slice())
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether the loader skips `rel_path` (slash-separated, relative to the chart root;
    /// for a directory, its whole subtree). `Rules.Ignore`.
    pub fn ignored(&self, rel_path: &str, is_dir: bool) -> bool {
        self.ignored_bytes(rel_path.as_bytes(), is_dir)
    }

    /// [`Rules::ignored`] on a raw path.
    pub fn ignored_bytes(&self, path: &[u8], is_dir: bool) -> bool {
        self.ignored_with(path, is_dir, &mut |_| {})
    }

    /// [`Rules::ignored_bytes`], calling `bad_glob` with the glob of each rule that fails to
    /// compile while `path` is tried against it (possible only for globs that passed Helm's
    /// parse-time check, e.g. `x*[`, or `foo\` left by `foo\/`). Helm logs each such event as
    /// `level=ERROR msg="failed to compile" rule=<glob> error="syntax error in pattern"`.
    pub fn ignored_with(&self, path: &[u8], is_dir: bool, bad_glob: &mut dyn FnMut(&[u8])) -> bool {
        if path.is_empty() || path == b"." || path == b"./" {
            return false;
        }
        for p in &self.patterns {
            if p.negate {
                // Helm inverts negated rules: a non-match ignores the path right away.
                if p.must_dir && !is_dir {
                    return true;
                }
                if !p.matches(path, bad_glob) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(path, bad_glob) {
                return true;
            }
        }
        false
    }
}

/// The line Helm's default logger writes when a rule's glob fails to compile during matching
/// (see [`Rules::ignored_with`]), without the trailing newline.
pub fn bad_glob_log_line(glob: &[u8]) -> String {
    let text = String::from_utf8_lossy(glob);
    // log/slog's TextHandler quotes a value that is empty or has spaces, '=', '"', control
    // or unprintable characters.
    let needs_quoting = text.is_empty()
        || text
            .chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control() || c.is_whitespace() || c == '\u{FFFD}');
    let rule = if needs_quoting { rhelm_template::strconv::quote(&text) } else { text.into_owned() };
    format!("level=ERROR msg=\"failed to compile\" rule={rule} error=\"syntax error in pattern\"")
}

/// Go's `strings.TrimSpace` on bytes (Unicode white space; invalid UTF-8 is not space).
fn trim_space(mut s: &[u8]) -> &[u8] {
    while !s.is_empty() {
        let (r, n) = decode_rune(s);
        if !r.is_some_and(char::is_whitespace) {
            break;
        }
        s = &s[n..];
    }
    while !s.is_empty() {
        // Find the start of the last rune.
        let mut start = s.len() - 1;
        while start > 0 && s.len() - start < 4 && (s[start] & 0xC0) == 0x80 {
            start -= 1;
        }
        let (r, n) = decode_rune(&s[start..]);
        if start + n != s.len() || !r.is_some_and(char::is_whitespace) {
            break;
        }
        s = &s[..start];
    }
    s
}

/// Go's `filepath.Base` for slash-separated paths.
fn base(path: &[u8]) -> &[u8] {
    if path.is_empty() {
        return b".";
    }
    let mut p = path;
    while p.len() > 1 && p.last() == Some(&b'/') {
        p = &p[..p.len() - 1];
    }
    if p == b"/" {
        return b"/";
    }
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// `utf8.DecodeRune`: the rune and its width; `None` (width 1) for invalid UTF-8, which Go
/// reads as U+FFFD.
fn decode_rune(s: &[u8]) -> (Option<char>, usize) {
    let want = match s.first() {
        None => return (None, 0),
        Some(&b) if b < 0x80 => return (Some(b as char), 1),
        Some(0xC2..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF4) => 4,
        Some(_) => return (None, 1),
    };
    match s.get(..want).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(t) => (t.chars().next(), want),
        None => (None, 1),
    }
}

/// The rune as Go's matcher compares it: invalid UTF-8 is U+FFFD.
fn rune_value(s: &[u8]) -> (u32, usize) {
    let (r, n) = decode_rune(s);
    (r.map_or(0xFFFD, |c| c as u32), n)
}

/// Go's `filepath.Match` on Unix: `*` (no `/`), `?` (one non-`/` rune), `[...]`/`[^...]`
/// classes with ranges, `\` escapes. A chunk (the text between stars) is checked for syntax
/// to its end even after it fails to match, but chunks after a failing one are not read.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    match_bytes(pattern.as_bytes(), name.as_bytes())
}

fn match_bytes(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest of the name unless it has a '/'.
            return Ok(!name.contains(&b'/'));
        }
        // Try the chunk where we are; as the last chunk it must use up the name.
        if let Some(t) = match_chunk(chunk, name)? {
            if t.is_empty() || !pattern.is_empty() {
                name = t;
                continue;
            }
        }
        if star {
            // Let the star take 1, 2, ... bytes, but never a '/'.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Unlike path.Match, filepath.Match (as built into Helm 4.3.1, Go 1.27) does not
        // check the chunks after a mismatch: `x*[` is accepted, `x[` is not.
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the next chunk: optional stars, then everything up to the next star outside
/// a character class.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while pattern.first() == Some(&b'*') {
        pattern = &pattern[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // An escape skips the next byte (a trailing one is matchChunk's error to report).
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk against the start of `s`: `Some(rest)` on a match. After a
/// mismatch the chunk is still read to the end so that syntax errors are reported.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>, BadPattern> {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (c, n) = rune_value(s);
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
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = get_esc(&chunk[1..])?;
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
                    let (_, n) = rune_value(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let lit = if c == b'\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(BadPattern)?
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
    Ok(if failed { None } else { Some(s) })
}

/// A possibly escaped character of a class, and what follows it (which must not be empty).
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut c = chunk;
    match c.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            c = &c[1..];
            if c.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(c);
    let rest = &c[n..];
    if r.is_none() || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r.unwrap() as u32, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_table() {
        // Go's own path/filepath match tests (Unix), as (pattern, name, match, error).
        let cases: &[(&str, &str, bool, bool)] = &[
            ("abc", "abc", true, false),
            ("*", "abc", true, false),
            ("*c", "abc", true, false),
            ("a*", "a", true, false),
            ("a*", "abc", true, false),
            ("a*", "ab/c", false, false),
            ("a*/b", "abc/b", true, false),
            ("a*/b", "a/c/b", false, false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true, false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true, false),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false, false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true, false),
            ("a*b?c*x", "abxbbxdbxebxczzy", false, false),
            ("ab[c]", "abc", true, false),
            ("ab[b-d]", "abc", true, false),
            ("ab[e-g]", "abc", false, false),
            ("ab[^c]", "abc", false, false),
            ("ab[^b-d]", "abc", false, false),
            ("ab[^e-g]", "abc", true, false),
            ("a\\*b", "a*b", true, false),
            ("a\\*b", "ab", false, false),
            ("a?b", "a☺b", true, false),
            ("a[^a]b", "a☺b", true, false),
            ("a???b", "a☺b", false, false),
            ("a[^a][^a][^a]b", "a☺b", false, false),
            ("[a-ζ]*", "α", true, false),
            ("*[a-ζ]", "A", false, false),
            ("a?b", "a/b", false, false),
            ("a*b", "a/b", false, false),
            ("[\\]a]", "]", true, false),
            ("[\\-]", "-", true, false),
            ("[x\\-]", "x", true, false),
            ("[x\\-]", "-", true, false),
            ("[x\\-]", "z", false, false),
            ("[\\-x]", "x", true, false),
            ("[\\-x]", "-", true, false),
            ("[\\-x]", "a", false, false),
            ("[]a]", "]", false, true),
            ("[-]", "-", false, true),
            ("[x-]", "x", false, true),
            ("[x-]", "-", false, true),
            ("[x-]", "z", false, true),
            ("[-x]", "x", false, true),
            ("[-x]", "-", false, true),
            ("[-x]", "a", false, true),
            ("\\", "a", false, true),
            ("[a-b-c]", "a", false, true),
            ("[", "a", false, true),
            ("[^", "a", false, true),
            ("[^bc", "a", false, true),
            ("a[", "a", false, true),
            ("a[", "ab", false, true),
            ("a[", "x", false, true),
            ("a/b[", "x", false, true),
            ("*x", "xxx", true, false),
        ];
        for &(p, n, want, err) in cases {
            let got = glob_match(p, n);
            if err {
                assert_eq!(got, Err(BadPattern), "Match({p:?}, {n:?})");
            } else {
                assert_eq!(got, Ok(want), "Match({p:?}, {n:?})");
            }
        }
    }

    #[test]
    fn trim_and_base() {
        assert_eq!(trim_space(" \t\u{a0}x y\u{3000}\r".as_bytes()), b"x y");
        assert_eq!(trim_space(b"\xff "), b"\xff");
        assert_eq!(base(b"a/b/c"), b"c");
        assert_eq!(base(b"a/b/"), b"b");
        assert_eq!(base(b"/"), b"/");
        assert_eq!(base(b""), b".");
    }

    #[test]
    fn shortcuts_agree_with_the_matcher() {
        let globs = ["", "*", ".git", "*.swp", "*~", "a/b", "*/x", "*.", "*a*", "img", "templates/*.yaml"];
        let names =
            ["", ".git", "x.git", "a.swp", ".swp", "d/a.swp", "a~", "a/b", "a/b/c", "q/x", "*.", "img", "IMG", "a"];
        for g in globs {
            let shape = Shape::of(g.as_bytes());
            let p = Pattern {
                raw: g.as_bytes().to_vec(),
                glob: g.as_bytes().to_vec(),
                shape,
                scope: Scope::Path,
                negate: false,
                must_dir: false,
            };
            for n in names {
                let want = match_bytes(g.as_bytes(), n.as_bytes()).unwrap();
                assert_eq!(p.matches(n.as_bytes(), &mut |_| {}), want, "{g:?} on {n:?} ({shape:?})");
            }
        }
        assert_eq!(Shape::of(b"*.swp"), Shape::StarSuffix);
        assert_eq!(Shape::of(b".git"), Shape::Literal);
        assert_eq!(Shape::of(b"*a*"), Shape::Other);
        assert_eq!(Shape::of(br"a\*"), Shape::Other);
    }
}
