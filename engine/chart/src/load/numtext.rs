//! A YAML number bound for a Go string field, as sigs.k8s.io/yaml converts
//! it: go-yaml's int becomes its decimal text (`FormatInt`/`FormatUint`),
//! its float `strconv.FormatFloat(f, 'g', -1, 32)` (`1.10` → "1.1",
//! `1e6` → "1e+06").
//!
//! The YAML decoder we build on hands us every number as a float64, so the
//! int/float distinction (and ints beyond 2^53) is recovered from the source:
//! a `key: value` line whose plain value reads as the same number. When no
//! such line settles it (flow style, list items, aliases), an integral value
//! is taken for an int.

/// The string Go would store for the number `f` found under `key`.
pub(crate) fn number_text(src: &str, key: Option<&str>, f: f64) -> String {
    if let Some(text) = key.and_then(|k| from_source(src, k, f)) {
        return text;
    }
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return format!("{}", f as i64);
    }
    super::chartfile::format_float32_g(f)
}

/// The text of every `key: value` line agreeing with `f`, if they agree.
fn from_source(src: &str, key: &str, f: f64) -> Option<String> {
    let mut found: Option<String> = None;
    for line in src.lines() {
        let mut l = line.trim_start();
        while let Some(rest) = l.strip_prefix("- ") {
            l = rest.trim_start();
        }
        let Some(rest) = strip_key(l, key) else { continue };
        let Some(rest) = rest.trim_start().strip_prefix(':') else { continue };
        let value = match rest.find(" #") {
            Some(i) => &rest[..i],
            None => rest,
        }
        .trim();
        let Some((text, value_f)) = resolve(value) else { continue };
        if value_f != f && !(value_f.is_nan() && f.is_nan()) {
            continue;
        }
        match &found {
            Some(prev) if *prev != text => return None,
            _ => found = Some(text),
        }
    }
    found
}

fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    for quote in ["", "\"", "'"] {
        let quoted = format!("{quote}{key}{quote}");
        if let Some(rest) = line.strip_prefix(&quoted) {
            if rest.starts_with(':') || rest.starts_with(' ') || rest.starts_with('\t') {
                return Some(rest);
            }
        }
    }
    None
}

/// go-yaml v2's resolution of a plain scalar that is a number: the string
/// Go would make of it, and its float64 value.
fn resolve(plain: &str) -> Option<(String, f64)> {
    if plain.is_empty() {
        return None;
    }
    let cleaned: String = plain.chars().filter(|&c| c != '_').collect();
    if let Some((text, v)) = parse_int(&cleaned) {
        return Some((text, v));
    }
    let lower = plain.to_ascii_lowercase();
    let special = match lower.trim_start_matches('+') {
        ".inf" => Some(f64::INFINITY),
        "-.inf" => Some(f64::NEG_INFINITY),
        ".nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some((super::chartfile::format_float32_g(v), v));
    }
    if is_yaml_float(&cleaned) {
        let v: f64 = cleaned.parse().ok()?;
        return Some((super::chartfile::format_float32_g(v), v));
    }
    None
}

/// `strconv.ParseInt(s, 0, 64)`, then `ParseUint`: decimal, `0x`, `0o`,
/// `0b` and leading-zero octal, with a sign for ParseInt only.
fn parse_int(s: &str) -> Option<(String, f64)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        let v = i64::try_from(magnitude).ok().map(|m| -m).or((magnitude == 1 << 63).then_some(i64::MIN))?;
        return Some((v.to_string(), v as f64));
    }
    if let Ok(v) = i64::try_from(magnitude) {
        return Some((v.to_string(), v as f64));
    }
    // ParseUint does not take a sign.
    let v = u64::try_from(magnitude).ok().filter(|_| !s.starts_with('+'))?;
    Some((v.to_string(), v as f64))
}

/// go-yaml v2's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_ints_and_floats() {
        let src = "appVersion: 1e6\nversion: 1000000\nbig: 12345678901234567890\nx: 017\nf: 1.10 # c\n";
        assert_eq!(number_text(src, Some("appVersion"), 1e6), "1e+06");
        assert_eq!(number_text(src, Some("version"), 1e6), "1000000");
        assert_eq!(number_text(src, Some("big"), 12345678901234567890.0), "12345678901234567890");
        assert_eq!(number_text(src, Some("x"), 15.0), "15");
        assert_eq!(number_text(src, Some("f"), 1.1), "1.1");
        assert_eq!(number_text(src, None, 3.0), "3");
        assert_eq!(number_text("k: [1.0]\n", None, 1.0), "1");
        for odd in ["k: \u{e9}\n", "k: 0x\u{e9}", "k: -", "k: +.5e", "k: 1_000.5", "\u{e9}: 1"] {
            let _ = number_text(odd, Some("k"), 1.0);
        }
    }
}
