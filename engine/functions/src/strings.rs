//! Sprig's string functions (`strings.go`, `functions.go`) with the Go
//! helpers they call: Go's `strings`/`unicode`, Masterminds/goutils v1.1.1
//! and huandu/xstrings v1.5.0, whose quirks are reproduced on purpose.
//!
//! Go strings are byte strings. Several helpers slice or walk them by byte
//! (`trunc`, `substr`, `abbrev`, `wrap`, `nospace`, `initials`) and can cut a
//! UTF-8 sequence in two; Go then carries invalid UTF-8 on, and Helm's
//! output shows each stray byte as U+FFFD. Our strings are `str`, so such
//! results go through [`go_string`], which makes that replacement up front.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::{Elem, Error, FuncMap, Function, Map, Type, Value};

use crate::conv::{string_list, strslice, strval};

/// Text of Go bytes: each byte that does not start a valid UTF-8 sequence
/// becomes U+FFFD, one per byte, as Go's decoders (and so Helm's JSON and
/// YAML output) see it.
pub(crate) fn go_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (valid, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).expect("checked prefix"));
                // Go decodes an invalid sequence one byte at a time.
                let n = e.error_len().unwrap_or(bad.len());
                out.extend(std::iter::repeat_n('\u{FFFD}', n));
                rest = &bad[n..];
            }
        }
    }
}

/// Go's `unicode` package predicates and simple case mappings (Unicode 17,
/// as in the Go that built Helm 4.3.1). Rust's `char` methods differ: they
/// use derived properties (`is_uppercase` includes Ⓐ and Ⅰ) and full case
/// mappings (`ß` → `SS`), so the general category and the simple (1:1)
/// mappings come from ICU4X's Unicode data instead.
pub(crate) mod gounicode {
    use icu_casemap::CaseMapper;
    use icu_properties::props::GeneralCategory as Gc;
    use icu_properties::CodePointMapData;

    fn category(c: char) -> Gc {
        CodePointMapData::<Gc>::new().get(c)
    }

    /// `unicode.IsUpper`: category Lu.
    pub fn is_upper(c: char) -> bool {
        category(c) == Gc::UppercaseLetter
    }

    /// `unicode.IsLower`: category Ll.
    pub fn is_lower(c: char) -> bool {
        category(c) == Gc::LowercaseLetter
    }

    /// `unicode.IsTitle`: category Lt.
    pub fn is_title(c: char) -> bool {
        category(c) == Gc::TitlecaseLetter
    }

    /// `unicode.IsLetter`: category L.
    pub fn is_letter(c: char) -> bool {
        matches!(
            category(c),
            Gc::UppercaseLetter | Gc::LowercaseLetter | Gc::TitlecaseLetter | Gc::ModifierLetter | Gc::OtherLetter
        )
    }

    /// `unicode.IsDigit`: category Nd.
    pub fn is_digit(c: char) -> bool {
        category(c) == Gc::DecimalNumber
    }

    /// `unicode.IsNumber`: category N.
    pub fn is_number(c: char) -> bool {
        matches!(category(c), Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber)
    }

    /// `unicode.IsPunct`: category P.
    pub fn is_punct(c: char) -> bool {
        matches!(
            category(c),
            Gc::ConnectorPunctuation
                | Gc::DashPunctuation
                | Gc::OpenPunctuation
                | Gc::ClosePunctuation
                | Gc::InitialPunctuation
                | Gc::FinalPunctuation
                | Gc::OtherPunctuation
        )
    }

    /// `unicode.IsSpace`: the White_Space property, which is exactly what
    /// Rust's `char::is_whitespace` tests.
    pub fn is_space(c: char) -> bool {
        c.is_whitespace()
    }

    /// `unicode.ToUpper`: the simple uppercase mapping.
    pub fn to_upper(c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_uppercase();
        }
        CaseMapper::new().simple_uppercase(c)
    }

    /// `unicode.ToLower`: the simple lowercase mapping.
    pub fn to_lower(c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_lowercase();
        }
        CaseMapper::new().simple_lowercase(c)
    }

    /// `unicode.ToTitle`: the simple titlecase mapping.
    pub fn to_title(c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_uppercase();
        }
        CaseMapper::new().simple_titlecase(c)
    }
}

use gounicode as uni;

// ---------------------------------------------------------------------------
// Argument access. The executor has already checked every argument against
// the declared Go type, so these only unwrap.

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

fn text(s: String) -> Result<Value, Error> {
    Ok(Value::string(s))
}

// ---------------------------------------------------------------------------
// Go's strings package.

/// `strings.Repeat`, with its two panics.
fn repeat(s: &str, count: i64) -> Result<String, Error> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_owned()),
        c if c < 0 => return Err(Error::msg("strings: negative Repeat count")),
        _ if s.is_empty() => return Ok(String::new()),
        _ => {}
    }
    let len = (s.len() as u128) * (count as u128);
    if len > i64::MAX as u128 {
        return Err(Error::msg("strings: Repeat output length overflow"));
    }
    // Go would die of an out-of-memory fatal error on absurd sizes; an
    // error is kinder than aborting the process.
    let mut out = String::new();
    out.try_reserve_exact(len as usize).map_err(|_| Error::msg("runtime: out of memory"))?;
    for _ in 0..count {
        out.push_str(s);
    }
    Ok(out)
}

/// Go's `strings.Title`: the first rune of every word in title case, where
/// words are separated as its deprecated `isSeparator` decides.
fn title(s: &str) -> String {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if uni::is_letter(c) || uni::is_digit(c) {
            return false;
        }
        uni::is_space(c)
    }
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) { uni::to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// Go's `strings.genSplit` (`Split` for n < 0, `SplitN` otherwise): an
/// empty separator splits after each rune, and `n == 0` gives nothing.
fn split_n(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let mut runes: Vec<String> = Vec::new();
        for (i, c) in s.char_indices() {
            if n > 0 && runes.len() as i64 == n - 1 {
                runes.push(s[i..].to_owned());
                break;
            }
            runes.push(c.to_string());
        }
        return runes;
    }
    if n < 0 {
        return s.split(sep).map(str::to_owned).collect();
    }
    s.splitn(usize::try_from(n).unwrap_or(usize::MAX), sep).map(str::to_owned).collect()
}

/// The `map[string]string` that `split` and `splitn` return: `_0`, `_1`, ...
fn indexed_map(parts: Vec<String>) -> Value {
    let entries: BTreeMap<Arc<str>, Value> =
        parts.into_iter().enumerate().map(|(i, p)| (Arc::from(format!("_{i}")), Value::string(p))).collect();
    // `.into()`: the map cell type is being reworked on another branch.
    #[allow(clippy::useless_conversion)]
    Value::Map(Map { entries: Arc::new(entries).into(), elem: Elem::String })
}

// ---------------------------------------------------------------------------
// Sprig's own helpers.

/// Sprig's `trunc`: a byte prefix, or for a negative count a byte suffix.
fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    let b = s.as_bytes();
    if c < 0 && len + c > 0 {
        return go_string(&b[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return go_string(&b[..c as usize]);
    }
    s.to_owned()
}

/// Sprig's `substr`: Go byte slicing, whose out-of-range panics surface as
/// the function's error.
fn substring(start: i64, end: i64, s: &str) -> Result<String, Error> {
    let len = s.len() as i64;
    let b = s.as_bytes();
    let oob = |m: String| Err(Error::msg(format!("runtime error: slice bounds out of range {m}")));
    if start < 0 {
        // s[:end]
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        return Ok(go_string(&b[..end as usize]));
    }
    if end < 0 || end > len {
        // s[start:]
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        return Ok(go_string(&b[start as usize..]));
    }
    if start > end {
        return oob(format!("[{start}:{end}]"));
    }
    Ok(go_string(&b[start as usize..end as usize]))
}

/// Sprig's `indent`.
fn indent(spaces: i64, v: &str) -> Result<String, Error> {
    let pad = repeat(" ", spaces)?;
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

/// Sprig's `quote`: nil arguments are skipped, the rest `strval`ed and
/// quoted with Go's `%q`.
fn quote(args: &[Value]) -> String {
    let parts: Vec<String> =
        args.iter().filter(|v| !v.is_nil()).map(|v| rhelm_template::fmt::quote(&strval(v))).collect();
    parts.join(" ")
}

/// Sprig's `squote`: `'%v'` of each non-nil argument, with no escaping.
fn squote(args: &[Value]) -> String {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| rhelm_template::fmt::sprintf("'%v'", std::slice::from_ref(v)))
        .collect();
    parts.join(" ")
}

/// Sprig's `cat`: nil arguments dropped, the rest printed `%v` and joined
/// by spaces.
fn cat(args: &[Value]) -> String {
    let vals: Vec<Value> = args.iter().filter(|v| !v.is_nil()).cloned().collect();
    let format = vec!["%v"; vals.len()].join(" ");
    rhelm_template::fmt::sprintf(&format, &vals)
}

/// Sprig's `sortAlpha`: a slice is `strslice`d and sorted; anything else,
/// nil included, becomes a one-element list of its `strval`.
fn sort_alpha(v: &Value) -> Value {
    let mut items = match v {
        Value::List(_) | Value::Bytes(_) => strslice(v),
        other => vec![Value::string(strval(other))],
    };
    items.sort_by(|a, b| s(a).cmp(s(b)));
    string_list(items)
}

// ---------------------------------------------------------------------------
// Masterminds/goutils v1.1.1.

mod goutils {
    use super::{go_string, uni};

    /// `AbbreviateFull`, which measures and cuts in bytes. `None` is its
    /// error, which Sprig turns into "". Go's int arithmetic wraps, and a
    /// huge negative offset makes `len - offset` wrap too.
    pub fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> Option<String> {
        if s.is_empty() {
            return Some(String::new());
        }
        if max_width < 4 {
            return None;
        }
        let len = s.len() as i64;
        if len <= max_width {
            return Some(s.to_owned());
        }
        let b = s.as_bytes();
        let mut offset = offset.min(len);
        if len.wrapping_sub(offset) < max_width - 3 {
            offset = len - (max_width - 3);
        }
        if offset <= 4 {
            return Some(format!("{}...", go_string(&b[..(max_width - 3) as usize])));
        }
        if max_width < 7 {
            return None;
        }
        if offset + max_width - 3 < len {
            // Go drops this inner call's error, leaving just the marker.
            let rest = abbreviate_bytes(&b[offset as usize..], max_width - 3).unwrap_or_default();
            return Some(format!("...{rest}"));
        }
        Some(format!("...{}", go_string(&b[(len - (max_width - 3)) as usize..])))
    }

    /// `Abbreviate` (offset 0) of a byte string that may already have been
    /// cut inside a UTF-8 sequence.
    fn abbreviate_bytes(b: &[u8], max_width: i64) -> Option<String> {
        if max_width < 4 {
            return None;
        }
        if b.len() as i64 <= max_width {
            return Some(go_string(b));
        }
        Some(format!("{}...", go_string(&b[..(max_width - 3) as usize])))
    }

    /// Go's `unicode.IsSpace` of a byte taken as a rune (Latin-1): besides
    /// ASCII white space, 0x85 and 0xA0 count.
    fn is_space_byte(b: u8) -> bool {
        uni::is_space(char::from(b))
    }

    /// `DeleteWhiteSpace`: walks bytes, and re-encodes every kept byte as
    /// the Latin-1 rune of the same value, so non-ASCII text is mangled
    /// whenever any white space was found (otherwise the input is returned).
    pub fn delete_white_space(s: &str) -> String {
        if !s.bytes().any(is_space_byte) {
            return s.to_owned();
        }
        s.bytes().filter(|&b| !is_space_byte(b)).map(char::from).collect()
    }

    /// `Initials` with white-space delimiters: by bytes as well, so a
    /// non-ASCII initial comes out as the Latin-1 rune of its first byte.
    pub fn initials(s: &str) -> String {
        let mut out = String::new();
        let mut last_was_gap = true;
        for b in s.bytes() {
            if is_space_byte(b) {
                last_was_gap = true;
            } else if last_was_gap {
                out.push(char::from(b));
                last_was_gap = false;
            }
        }
        out
    }

    /// `Uncapitalize` with white-space delimiters.
    pub fn uncapitalize(s: &str) -> String {
        let mut next = true;
        s.chars()
            .map(|c| {
                if uni::is_space(c) {
                    next = true;
                    c
                } else if next {
                    next = false;
                    uni::to_lower(c)
                } else {
                    c
                }
            })
            .collect()
    }

    /// `SwapCase`: upper and title case go to lower; lower case goes to
    /// title case at the start of a word and to upper case elsewhere.
    pub fn swap_case(s: &str) -> String {
        let mut whitespace = true;
        s.chars()
            .map(|c| {
                if uni::is_upper(c) || uni::is_title(c) {
                    whitespace = false;
                    uni::to_lower(c)
                } else if uni::is_lower(c) {
                    if whitespace {
                        whitespace = false;
                        uni::to_title(c)
                    } else {
                        uni::to_upper(c)
                    }
                } else {
                    whitespace = uni::is_space(c);
                    c
                }
            })
            .collect()
    }

    /// `WrapCustom`: wraps at spaces, by byte counts. Spaces at the start of
    /// a line are dropped; long words are cut at `wrap_length` bytes only
    /// when `wrap_long_words`.
    pub fn wrap_custom(s: &str, wrap_length: i64, new_line: &str, wrap_long_words: bool) -> String {
        if s.is_empty() {
            return String::new();
        }
        let new_line = if new_line.is_empty() { "\n" } else { new_line }.as_bytes();
        let wrap = usize::try_from(wrap_length.max(1)).unwrap_or(usize::MAX);
        let b = s.as_bytes();
        let len = b.len();
        let mut offset = 0usize;
        let mut out: Vec<u8> = Vec::with_capacity(len);
        while len - offset > wrap {
            if b[offset] == b' ' {
                offset += 1;
                continue;
            }
            // The loop condition keeps offset + wrap + 1 within the string.
            let window = &b[offset..offset + wrap + 1];
            if let Some(space) = window.iter().rposition(|&c| c == b' ') {
                out.extend_from_slice(&b[offset..offset + space]);
                out.extend_from_slice(new_line);
                offset += space + 1;
            } else if wrap_long_words {
                out.extend_from_slice(&b[offset..offset + wrap]);
                out.extend_from_slice(new_line);
                offset += wrap;
            } else {
                let end = offset + wrap;
                match b[end..].iter().position(|&c| c == b' ') {
                    None => {
                        out.extend_from_slice(&b[offset..]);
                        offset = len;
                    }
                    Some(i) => {
                        out.extend_from_slice(&b[offset..end + i]);
                        out.extend_from_slice(new_line);
                        offset = end + i + 1;
                    }
                }
            }
        }
        out.extend_from_slice(&b[offset..]);
        go_string(&out)
    }
}

// ---------------------------------------------------------------------------
// huandu/xstrings v1.5.0.

mod xstrings {
    use super::uni;

    /// Go's utf8.RuneError. Decoding a real U+FFFD gives the same rune, so
    /// xstrings treats that character as invalid input too.
    const RUNE_ERROR: char = '\u{FFFD}';

    fn is_connector(c: char) -> bool {
        c == '-' || c == '_' || uni::is_space(c)
    }

    /// xstrings' `isAlphabet`: a letter, but not a CJK ideograph.
    fn is_alphabet(c: char) -> bool {
        if !uni::is_letter(c) {
            return false;
        }
        let r = c as u32;
        !((0x4E00..=0x9FCC).contains(&r) || (0x3400..=0x4D85).contains(&r) || (0x2_0000..=0x2_B81D).contains(&r))
    }

    /// `ToPascalCase` (Sprig's `camelcase`): connectors (`-`, `_`, space)
    /// dropped and the next rune upper-cased; within a word, a run of upper
    /// case after an upper-case word start is lowered. Leading connectors
    /// are kept, and a string of connectors only gets its last one twice.
    pub fn to_pascal_case(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars();
        let mut first_upper = false;
        let mut r0 = None;
        for c in chars.by_ref() {
            if !is_connector(c) {
                first_upper = uni::is_upper(c);
                r0 = Some(uni::to_upper(c));
                break;
            }
            out.push(c);
            r0 = Some(c);
        }
        let rest = chars.as_str();
        let Some(mut r0) = r0 else {
            return out;
        };
        if rest.is_empty() {
            // Go's "string of one rune" case, reached as well when every
            // rune was a connector: the last one is written again.
            out.push(r0);
            return out;
        }
        for c in rest.chars() {
            let r1 = r0;
            r0 = c;
            if is_connector(r0) && is_connector(r1) {
                out.push(r1);
                continue;
            }
            if is_connector(r1) {
                first_upper = uni::is_upper(r0);
                r0 = uni::to_upper(r0);
            } else {
                if first_upper {
                    if uni::is_upper(r0) {
                        r0 = uni::to_lower(r0);
                    } else {
                        first_upper = false;
                    }
                }
                out.push(r1);
            }
        }
        out.push(r0);
        out
    }

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Word {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    /// `nextValidRune`: the first rune that is not RuneError and the bytes
    /// up to and including it; with none, `prev` and the whole length.
    fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
        for (i, c) in s.char_indices() {
            if c != RUNE_ERROR {
                return (c, i + c.len_utf8());
            }
        }
        (prev, s.len())
    }

    /// `nextWord`: the type and text of the next word, and the rest.
    fn next_word(s: &str) -> (Word, &str, &str) {
        if s.is_empty() {
            return (Word::Invalid, "", "");
        }
        let (mut r, mut size) = next_valid_rune(s, RUNE_ERROR);
        let mut offset = size;
        if r == RUNE_ERROR {
            return (Word::Invalid, &s[..offset], &s[offset..]);
        }
        let mut remaining = &s[size..];
        // Extends the word over following runes while `keep` holds.
        let extend = |r: &mut char, offset: &mut usize, remaining: &mut &str, keep: &dyn Fn(char) -> bool| {
            while !remaining.is_empty() {
                let (nr, ns) = next_valid_rune(remaining, *r);
                *r = nr;
                if !keep(nr) {
                    break;
                }
                *offset += ns;
                *remaining = &remaining[ns..];
            }
        };
        let wt = if is_connector(r) {
            extend(&mut r, &mut offset, &mut remaining, &is_connector);
            Word::Connector
        } else if uni::is_punct(r) {
            extend(&mut r, &mut offset, &mut remaining, &uni::is_punct);
            Word::Punct
        } else if uni::is_upper(r) {
            if !remaining.is_empty() {
                (r, size) = next_valid_rune(remaining, r);
                if uni::is_upper(r) {
                    let mut prev_size = size;
                    offset += size;
                    remaining = &remaining[size..];
                    while !remaining.is_empty() {
                        (r, size) = next_valid_rune(remaining, r);
                        if !uni::is_upper(r) {
                            break;
                        }
                        prev_size = size;
                        offset += size;
                        remaining = &remaining[size..];
                    }
                    // "HTTPStatus" splits as "HTTP" + "Status": the last
                    // upper-case rune starts the next word.
                    if !remaining.is_empty() && is_alphabet(r) {
                        offset -= prev_size;
                    }
                } else if is_alphabet(r) {
                    offset += size;
                    remaining = &remaining[size..];
                    extend(&mut r, &mut offset, &mut remaining, &|c| is_alphabet(c) && !uni::is_upper(c));
                }
            }
            Word::UpperCase
        } else if is_alphabet(r) {
            extend(&mut r, &mut offset, &mut remaining, &|c| is_alphabet(c) && !uni::is_upper(c));
            Word::Alphabet
        } else if uni::is_number(r) {
            extend(&mut r, &mut offset, &mut remaining, &uni::is_number);
            Word::Number
        } else {
            extend(&mut r, &mut offset, &mut remaining, &|c| {
                !(is_connector(c) || is_alphabet(c) || uni::is_number(c) || uni::is_punct(c))
            });
            Word::Other
        };
        (wt, &s[..offset], &s[offset..])
    }

    /// `toLower`: upper-case and connector words are lowered rune by rune,
    /// connectors becoming `connector`; other words are copied.
    fn to_lower(out: &mut String, wt: Word, word: &str, connector: char) {
        if wt != Word::UpperCase && wt != Word::Connector {
            out.push_str(word);
            return;
        }
        out.extend(word.chars().map(|c| {
            if is_connector(c) {
                connector
            } else if uni::is_upper(c) {
                uni::to_lower(c)
            } else {
                c
            }
        }));
    }

    /// `camelCaseToLowerCase`: `snakecase` and `kebabcase`.
    pub fn camel_case_to_lower_case(s: &str, connector: char) -> String {
        use Word::*;
        let mut out = String::with_capacity(s.len() + s.len() / 2);
        let (mut wt, mut word, mut remaining) = next_word(s);
        while !remaining.is_empty() {
            if wt != Connector {
                to_lower(&mut out, wt, word, connector);
            }
            let prev = wt;
            let last = word;
            (wt, word, remaining) = next_word(remaining);
            match prev {
                Number => {
                    while wt == Alphabet || wt == Number {
                        to_lower(&mut out, wt, word, connector);
                        (wt, word, remaining) = next_word(remaining);
                    }
                    if wt != Invalid && wt != Punct && wt != Connector {
                        out.push(connector);
                    }
                }
                Connector => to_lower(&mut out, prev, last, connector),
                Punct => {}
                _ => {
                    if wt != Number {
                        if wt != Connector && wt != Punct {
                            out.push(connector);
                        }
                        continue;
                    }
                    if remaining.is_empty() {
                        continue;
                    }
                    let last = word;
                    (wt, word, remaining) = next_word(remaining);
                    // A number followed by anything but letters belongs to
                    // the word before it ("Bld4Floor" → "bld4_floor").
                    if wt != Alphabet {
                        to_lower(&mut out, Number, last, connector);
                        if wt != Connector && wt != Punct {
                            out.push(connector);
                        }
                        continue;
                    }
                    // Letters after a number start a new word with it
                    // ("HTTP2xx" → "http_2xx").
                    out.push(connector);
                    to_lower(&mut out, Number, last, connector);
                    while wt == Alphabet || wt == Number {
                        to_lower(&mut out, wt, word, connector);
                        (wt, word, remaining) = next_word(remaining);
                    }
                    if wt != Invalid && wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                }
            }
        }
        to_lower(&mut out, wt, word, connector);
        out
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    use Type::{Any, Int, String as Str};

    m.insert("hello", Function::new(&[], None, |_| Ok(Value::str("Hello!"))));

    // Widths under 4 return the string; otherwise goutils' Abbreviate.
    m.insert(
        "abbrev",
        Function::new(&[Int, Str], None, |a| {
            let (width, s0) = (int(&a[0]), s(&a[1]));
            if width < 4 {
                return text(s0.to_owned());
            }
            text(goutils::abbreviate_full(s0, 0, width).unwrap_or_default())
        }),
    );
    m.insert(
        "abbrevboth",
        Function::new(&[Int, Int, Str], None, |a| {
            let (left, right, s0) = (int(&a[0]), int(&a[1]), s(&a[2]));
            if right < 4 || left > 0 && right < 7 {
                return text(s0.to_owned());
            }
            text(goutils::abbreviate_full(s0, left, right).unwrap_or_default())
        }),
    );
    m.insert("trunc", Function::new(&[Int, Str], None, |a| text(trunc(int(&a[0]), s(&a[1])))));
    // strings.TrimSpace trims Unicode White_Space, as str::trim does.
    m.insert("trim", Function::new(&[Str], None, |a| text(s(&a[0]).trim().to_owned())));
    m.insert("upper", Function::new(&[Str], None, |a| text(s(&a[0]).chars().map(uni::to_upper).collect())));
    m.insert("lower", Function::new(&[Str], None, |a| text(s(&a[0]).chars().map(uni::to_lower).collect())));
    m.insert("title", Function::new(&[Str], None, |a| text(title(s(&a[0])))));
    m.insert("untitle", Function::new(&[Str], None, |a| text(goutils::uncapitalize(s(&a[0])))));
    m.insert("substr", Function::new(&[Int, Int, Str], None, |a| text(substring(int(&a[0]), int(&a[1]), s(&a[2]))?)));
    m.insert("repeat", Function::new(&[Int, Str], None, |a| text(repeat(s(&a[1]), int(&a[0]))?)));
    // trimAll(cutset, s): strings.Trim, which trims any rune of the cutset.
    let trim_all = |a: &[Value]| {
        let cutset = s(&a[0]);
        text(s(&a[1]).trim_matches(|c| cutset.contains(c)).to_owned())
    };
    m.insert("trimall", Function::new(&[Str, Str], None, trim_all));
    m.insert("trimAll", Function::new(&[Str, Str], None, trim_all));
    m.insert(
        "trimSuffix",
        Function::new(&[Str, Str], None, |a| {
            let (suffix, s0) = (s(&a[0]), s(&a[1]));
            text(s0.strip_suffix(suffix).unwrap_or(s0).to_owned())
        }),
    );
    m.insert(
        "trimPrefix",
        Function::new(&[Str, Str], None, |a| {
            let (prefix, s0) = (s(&a[0]), s(&a[1]));
            text(s0.strip_prefix(prefix).unwrap_or(s0).to_owned())
        }),
    );
    m.insert("nospace", Function::new(&[Str], None, |a| text(goutils::delete_white_space(s(&a[0])))));
    m.insert("initials", Function::new(&[Str], None, |a| text(goutils::initials(s(&a[0])))));
    m.insert("swapcase", Function::new(&[Str], None, |a| text(goutils::swap_case(s(&a[0])))));
    m.insert("snakecase", Function::new(&[Str], None, |a| text(xstrings::camel_case_to_lower_case(s(&a[0]), '_'))));
    m.insert("kebabcase", Function::new(&[Str], None, |a| text(xstrings::camel_case_to_lower_case(s(&a[0]), '-'))));
    // Sprig's camelcase is xstrings' ToPascalCase (upper camel case).
    m.insert("camelcase", Function::new(&[Str], None, |a| text(xstrings::to_pascal_case(s(&a[0])))));
    m.insert("wrap", Function::new(&[Int, Str], None, |a| text(goutils::wrap_custom(s(&a[1]), int(&a[0]), "", false))));
    m.insert(
        "wrapWith",
        Function::new(&[Int, Str, Str], None, |a| text(goutils::wrap_custom(s(&a[2]), int(&a[0]), s(&a[1]), true))),
    );
    m.insert("contains", Function::new(&[Str, Str], None, |a| Ok(Value::Bool(s(&a[1]).contains(s(&a[0]))))));
    m.insert("hasPrefix", Function::new(&[Str, Str], None, |a| Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0]))))));
    m.insert("hasSuffix", Function::new(&[Str, Str], None, |a| Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0]))))));
    m.insert("quote", Function::new(&[], Some(Any), |a| text(quote(a))));
    m.insert("squote", Function::new(&[], Some(Any), |a| text(squote(a))));
    m.insert("cat", Function::new(&[], Some(Any), |a| text(cat(a))));
    m.insert("indent", Function::new(&[Int, Str], None, |a| text(indent(int(&a[0]), s(&a[1]))?)));
    m.insert("nindent", Function::new(&[Int, Str], None, |a| text(format!("\n{}", indent(int(&a[0]), s(&a[1]))?))));
    // replace(old, new, src): strings.Replace with n = -1; an empty `old`
    // inserts `new` around every rune, as str::replace does.
    m.insert("replace", Function::new(&[Str, Str, Str], None, |a| text(s(&a[2]).replace(s(&a[0]), s(&a[1])))));
    m.insert(
        "plural",
        Function::new(&[Str, Str, Int], None, |a| Ok(if int(&a[2]) == 1 { a[0].clone() } else { a[1].clone() })),
    );
    m.insert(
        "join",
        Function::new(&[Str, Any], None, |a| {
            let parts: Vec<Value> = strslice(&a[1]);
            text(parts.iter().map(s).collect::<Vec<_>>().join(s(&a[0])))
        }),
    );
    m.insert("sortAlpha", Function::new(&[Any], None, |a| Ok(sort_alpha(&a[0]))));
    m.insert("split", Function::new(&[Str, Str], None, |a| Ok(indexed_map(split_n(s(&a[1]), s(&a[0]), -1)))));
    m.insert(
        "splitList",
        Function::new(&[Str, Str], None, |a| {
            Ok(string_list(split_n(s(&a[1]), s(&a[0]), -1).into_iter().map(Value::string).collect()))
        }),
    );
    m.insert(
        "splitn",
        Function::new(&[Str, Int, Str], None, |a| Ok(indexed_map(split_n(s(&a[2]), s(&a[0]), int(&a[1]))))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_string_replaces_each_invalid_byte() {
        assert_eq!(go_string(b"a\xe4\xb8b"), "a\u{FFFD}\u{FFFD}b");
        assert_eq!(go_string(b"\xf0\x9f\x98"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(go_string(b"\xff"), "\u{FFFD}");
        assert_eq!(go_string("héllo".as_bytes()), "héllo");
    }

    #[test]
    fn unicode_is_go_not_rust() {
        assert!(!uni::is_upper('Ⓐ'));
        assert!(!uni::is_lower('ª'));
        assert_eq!(uni::to_upper('ß'), 'ß');
        assert_eq!(uni::to_upper('ᾳ'), 'ᾼ');
        assert_eq!(uni::to_lower('İ'), 'i');
        assert_eq!(uni::to_title('ǆ'), 'ǅ');
        assert_eq!(uni::to_lower('\u{A7CE}'), '\u{A7CF}', "Unicode 17 data");
    }

    #[test]
    fn byte_slicing_never_panics() {
        let s = "日本語";
        for i in -10..10 {
            let _ = trunc(i, s);
            for j in -10..10 {
                let _ = substring(i, j, s);
                let _ = goutils::abbreviate_full(s, i, j);
            }
            let _ = goutils::wrap_custom(s, i, "", true);
            let _ = goutils::wrap_custom("a 日本 語 b", i, "", false);
        }
        assert_eq!(trunc(1, s), "\u{FFFD}");
        assert_eq!(substring(1, 4, s).unwrap(), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn no_panics_on_awkward_input() {
        let strings =
            ["", " ", "_", "-_ ", "a", "日本語", "\u{FFFD}", "A\u{FFFD}", "ǅ1_\u{3000}x", "🎉 é ß ΣΑ", "HTTP2xx-Ⅻ"];
        let ints = [i64::MIN, i64::MIN + 1, -7, -1, 0, 1, 3, 4, 6, 7, 12, i64::MAX];
        for s in strings {
            let _ = (xstrings::camel_case_to_lower_case(s, '_'), xstrings::to_pascal_case(s));
            let _ = (goutils::swap_case(s), goutils::uncapitalize(s), goutils::initials(s));
            let _ = (goutils::delete_white_space(s), title(s));
            for i in ints {
                let _ = (trunc(i, s), split_n(s, "", i), split_n(s, "_", i), indent(i.clamp(-1, 8), s));
                let _ = goutils::wrap_custom(s, i, "", true);
                let _ = goutils::wrap_custom(s, i, "|", false);
                for j in ints {
                    let _ = (substring(i, j, s), goutils::abbreviate_full(s, i, j));
                }
            }
        }
    }

    #[test]
    fn split_like_go() {
        assert_eq!(split_n("", ",", -1), vec![""]);
        assert!(split_n("", "", -1).is_empty());
        assert_eq!(split_n("abc", "", -1), vec!["a", "b", "c"]);
        assert_eq!(split_n("abc", "", 2), vec!["a", "bc"]);
        assert!(split_n("a,b", ",", 0).is_empty());
        assert_eq!(split_n("a,b,c", ",", 2), vec!["a", "b,c"]);
    }

    #[test]
    fn case_conversions() {
        assert_eq!(xstrings::camel_case_to_lower_case("HTTPServer", '_'), "http_server");
        assert_eq!(xstrings::camel_case_to_lower_case("Bld4Floor3rd", '_'), "bld4_floor_3rd");
        assert_eq!(xstrings::camel_case_to_lower_case("HTTP20xOK", '-'), "http-20x-ok");
        assert_eq!(xstrings::to_pascal_case("_complex__case_"), "_Complex_Case_");
        assert_eq!(xstrings::to_pascal_case("_"), "__");
        assert_eq!(goutils::swap_case("hello World"), "HELLO wORLD");
        assert_eq!(title("hello_world foo-bar"), "Hello_world Foo-Bar");
    }
}
