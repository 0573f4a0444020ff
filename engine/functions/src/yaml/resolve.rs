//! go-yaml's implicit typing of plain scalars (YAML 1.1 in v2: `yes`/`on`
//! are booleans, `017` is octal), its key order, and Go's float formats.

use rhelm_template::strconv::{format_float, parse_float, parse_int, parse_uint};

/// What a plain scalar means to go-yaml v2's `resolve("", s)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    /// Go `int` (64-bit).
    Int(i64),
    /// Go `uint64`: integers above `i64::MAX`.
    Uint(u64),
    Float(f64),
    /// A timestamp-looking string (go-yaml v2 hands these to `interface{}`
    /// targets as strings, but the encoder quotes them).
    Timestamp,
    Str,
}

/// Which go-yaml: v2 reads YAML 1.1 (`yes`, `on`, `y` are booleans); v3
/// knows only `true`/`false` and adds `0o` octal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    V2,
    V3,
}

/// go-yaml's `resolve("", s)`.
pub(crate) fn resolve(s: &str, flavor: Flavor) -> Resolved {
    let Some(&first) = s.as_bytes().first() else { return Resolved::Null };
    if let Some(r) = resolve_word(s, flavor) {
        return r;
    }
    match first {
        b'.' => match parse_float(s) {
            Some(f) if is_go_float_syntax(s) => Resolved::Float(f),
            _ => Resolved::Str,
        },
        b'0'..=b'9' | b'+' | b'-' => resolve_number(s, flavor),
        _ => Resolved::Str,
    }
}

/// The fixed words of the resolve table.
fn resolve_word(s: &str, flavor: Flavor) -> Option<Resolved> {
    Some(match s {
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if flavor == Flavor::V2 => Resolved::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if flavor == Flavor::V2 => Resolved::Bool(false),
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Scalars starting with a digit or sign: timestamps, then integers in Go's
/// base-prefixed syntax (underscores removed first), YAML-style floats and
/// `0b`/`0o` forms.
fn resolve_number(s: &str, flavor: Flavor) -> Resolved {
    if is_timestamp(s) {
        return Resolved::Timestamp;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_int(&plain) {
        return Resolved::Int(i);
    }
    if let Some(u) = parse_uint(&plain) {
        return Resolved::Uint(u);
    }
    if is_yaml_style_float(&plain) {
        if let Some(f) = parse_float(&plain) {
            return Resolved::Float(f);
        }
    }
    let radix_forms: &[(&str, u32)] = match flavor {
        Flavor::V2 => &[("0b", 2)],
        Flavor::V3 => &[("0b", 2), ("0o", 8)],
    };
    for &(prefix, radix) in radix_forms {
        if let Some(digits) = plain.strip_prefix(prefix) {
            if let Some(r) = parse_radix(digits, radix, false) {
                return r;
            }
        } else if let Some(digits) = plain.strip_prefix('-').and_then(|p| p.strip_prefix(prefix)) {
            if let Some(r) = parse_radix(digits, radix, true) {
                return r;
            }
        }
    }
    Resolved::Str
}

/// `strconv.ParseInt(digits, radix, 64)` / `ParseUint` after a `0b`/`0o` prefix.
fn parse_radix(digits: &str, radix: u32, negative: bool) -> Option<Resolved> {
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    if negative {
        let text = format!("-{digits}");
        return i64::from_str_radix(&text, radix).ok().map(Resolved::Int);
    }
    match i64::from_str_radix(digits, radix) {
        Ok(i) => Some(Resolved::Int(i)),
        Err(_) => u64::from_str_radix(digits, radix).ok().map(Resolved::Uint),
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether Go's `strconv.ParseFloat` accepts the text (beyond what our
/// shared `parse_float` checks: it must not accept e.g. `.` alone).
fn is_go_float_syntax(s: &str) -> bool {
    s.len() > 1
}

/// go-yaml's `parseTimestamp`: four digits and `-`, then one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`),
/// `2006-1-2 15:4:5.999999999` and `2006-1-2`, with Go's `time.Parse` range checks.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: i32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = num12(b, &mut i) else { return false };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num12(b, &mut i) else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(hour) = num12(b, &mut i) else { return false };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(minute) = num12(b, &mut i) else { return false };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(second) = num12(b, &mut i) else { return false };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    // Fractional seconds: a period or comma and at least one digit.
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let rest = &b[i + 1..];
            rest.len() == 5
                && rest[2] == b':'
                && [0, 1, 3, 4].iter().all(|&k| rest[k].is_ascii_digit())
                && (rest[0] - b'0') * 10 + (rest[1] - b'0') <= 24
                && (rest[3] - b'0') * 10 + (rest[4] - b'0') <= 60
        }
        _ => false,
    }
}

/// One or two digits (Go's `getnum(value, false)`).
fn num12(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut v = u32::from(d0 - b'0');
    if let Some(&d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        *i += 1;
        v = v * 10 + u32::from(d1 - b'0');
    }
    Some(v)
}

fn days_in(month: u32, year: i32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// go-yaml's `isBase60Float`: `1:20` would be sexagesimal in YAML 1.1, so
/// the encoder quotes it although it resolves to a string.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = usize::from(c == b'+' || c == b'-');
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) && i - start < 2 {
            i += 1;
        }
        match i - start {
            1 => {}
            2 if b[start] <= b'5' => {}
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v3's `isOldBool`: YAML 1.1 booleans, which v3 quotes for the sake of old readers.
pub(crate) fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
    )
}

/// go-yaml's float text: `strconv.FormatFloat(f, 'g', -1, 64)` with YAML's
/// spellings of infinities and NaN.
pub(crate) fn format_yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    format_float(f, b'g', -1)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: sigs.k8s.io/yaml names float
/// map keys this way (so `3.14159265358979: x` becomes key `3.1415927`).
pub(crate) fn format_float32_g(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Go does.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = if digits.trim_start_matches('0').is_empty() { "0".to_string() } else { digits };
    let mut out = String::from(if negative { "-" } else { "" });
    if digits == "0" {
        out.push('0');
        return out;
    }
    // Go's %g with shortest precision: exponent form below 1e-4 and from 1e6 on.
    if !(-4..6).contains(&exp) {
        push_exp_form(&mut out, &digits, exp);
    } else {
        push_fixed_form(&mut out, &digits, exp);
    }
    out
}

fn push_exp_form(out: &mut String, digits: &str, exp: i32) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
}

fn push_fixed_form(out: &mut String, digits: &str, exp: i32) {
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
        return;
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        out.push_str(digits);
        for _ in digits.len()..int_len {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..int_len]);
        out.push('.');
        out.push_str(&digits[int_len..]);
    }
}

/// go-yaml's `keyList.Less` for two string keys: a "natural" order where
/// digit runs compare numerically. v3 differs after a shared digit run:
/// there a letter sorts before a non-letter.
#[cfg(test)]
pub(crate) fn natural_less(a: &str, b: &str, flavor: Flavor) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    natural_less_chars(&ar, &br, flavor)
}

/// [`natural_less`] on keys already split into characters.
pub(crate) fn natural_less_chars(ar: &[char], br: &[char], flavor: Flavor) -> bool {
    let mut digits = false;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            digits = is_digit(ar[i]);
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if flavor == Flavor::V3 && digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Go's `unicode.IsLetter` (categories L*), as near as Rust's tables allow.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic() && !c.is_numeric()
    }
}

/// Go's `unicode.IsDigit` (category Nd), as near as Rust's tables allow.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && !c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_11_words_and_numbers() {
        use Resolved::*;
        let r = |s| resolve(s, Flavor::V2);
        assert_eq!(r("yes"), Bool(true));
        assert_eq!(r("Off"), Bool(false));
        assert_eq!(resolve("yes", Flavor::V3), Str);
        assert_eq!(r(""), Null);
        assert_eq!(r("~"), Null);
        assert_eq!(r("017"), Int(15));
        assert_eq!(r("0x1F"), Int(31));
        assert_eq!(r("0o17"), Int(15));
        assert_eq!(resolve("0o17", Flavor::V3), Int(15));
        assert_eq!(r("0b101"), Int(5));
        assert_eq!(r("-0b101"), Int(-5));
        assert_eq!(r("1_000"), Int(1000));
        assert_eq!(r("+12"), Int(12));
        assert_eq!(r("12345678901234567890"), Uint(12345678901234567890));
        assert_eq!(r("1e3"), Float(1000.0));
        assert_eq!(r(".5"), Float(0.5));
        assert_eq!(r("1e400"), Str);
        assert_eq!(r("1.2.3"), Str);
        assert_eq!(r("2001-12-14"), Timestamp);
        assert_eq!(r("2001-12-14t21:59:43.10-05:00"), Timestamp);
        assert_eq!(r("2001-12-14 21:59:43.10"), Timestamp);
        assert_eq!(r("2001-02-30"), Str);
        assert_eq!(r("<<"), Str);
        assert_eq!(r("1:20"), Str);
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:60"));
    }

    #[test]
    fn float32_key_names() {
        assert_eq!(format_float32_g(1.23456789012), "1.2345679");
        assert_eq!(format_float32_g(0.1), "0.1");
        assert_eq!(format_float32_g(1000.0), "1000");
        assert_eq!(format_float32_g(1e21), "1e+21");
        assert_eq!(format_float32_g(1e20), "1e+20");
        assert_eq!(format_float32_g(0.00001), "1e-05");
        assert_eq!(format_float32_g(-2.5), "-2.5");
    }

    #[test]
    fn natural_key_order() {
        let mut keys: Vec<&str> = vec![
            "é", "x001", "x01", "x1", "b", "ab", "aB", "a10", "a2", "a_b", "a-b", "Z", "A", "1x", "1.5", "_x", "-1", "",
        ];
        super::super::gosort::sort(&mut keys, &|a: &&str, b: &&str| natural_less(a, b, Flavor::V2));
        assert_eq!(
            keys,
            [
                "", "-1", "_x", "1.5", "1x", "A", "Z", "a-b", "a_b", "a2", "a10", "aB", "ab", "b", "x1", "x01", "x001",
                "é"
            ]
        );
    }
}
