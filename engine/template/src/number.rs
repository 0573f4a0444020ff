//! Literal parsing with Go's strconv rules: numbers (`ParseInt`/`ParseUint`/
//! `ParseFloat` with base prefixes and underscores), character constants
//! and quoted strings (`Unquote`).

use std::borrow::Cow;

use crate::ast::Number;
use crate::lex::ItemType;
use crate::scan::{memchr, memchr3};

const ERR_SYNTAX: &str = "invalid syntax";

/// Go's `parse.newNumber`.
pub(crate) fn parse_number(text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number { text: text.to_string(), ..Default::default() };
    match typ {
        ItemType::CharConstant => {
            let (r, tail) = unquote_char(&text[1..], b'\'').map_err(|_| ERR_SYNTAX.to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text)
                .ok_or_else(|| format!("strconv.ParseComplex: parsing {}: invalid syntax", crate::fmt::quote(text)))?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(body) = text.strip_suffix('i') {
        if let Some(f) = parse_float(body) {
            n.is_complex = true;
            n.complex = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true; // -0
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        // A float that looks like an integer is one too large for int64/uint64.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::fmt::quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        if (f as i64) as f64 == f && f.fract() == 0.0 && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if f >= 0.0 && (f as u64) as f64 == f && f.fract() == 0.0 && f < 1.8e19 {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", crate::fmt::quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut Number) {
    n.is_float = n.complex.1 == 0.0;
    if n.is_float {
        let f = n.complex.0;
        n.float64 = f;
        n.is_int = f.fract() == 0.0 && f.abs() < 9.3e18;
        if n.is_int {
            n.int64 = f as i64;
        }
        n.is_uint = f >= 0.0 && f.fract() == 0.0 && f < 1.8e19;
        if n.is_uint {
            n.uint64 = f as u64;
        }
    }
}

fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    // Split at the sign that starts the imaginary part (not an exponent sign).
    let bytes = body.as_bytes();
    let split = (1..bytes.len())
        .rev()
        .find(|&i| (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P'))?;
    Some((parse_float(&body[..split])?, parse_float(&body[split..])?))
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'+' || b[0] == b'-') {
        i = 1;
    }
    let mut saw = b'^';
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = b[i + 1] | 0x20 == b'x';
        i += 2;
        saw = b'0';
    }
    for &c in &b[i..] {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)`.
pub fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() || s.starts_with(['+', '-']) {
        return None;
    }
    let (radix, digits) = split_base(s);
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let u = parse_uint(body.trim_start_matches('_')).filter(|_| !body.starts_with('_'))?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(u).ok()
    }
}

fn split_base(s: &str) -> (u32, &str) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => return (16, &s[2..]),
            b'o' => return (8, &s[2..]),
            b'b' => return (2, &s[2..]),
            _ => return (8, &s[1..]),
        }
    }
    (10, s)
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms the lexer produces;
/// out-of-range values are errors as in Go.
pub fn parse_float(s: &str) -> Option<f64> {
    let unsigned = s.trim_start_matches(['+', '-']);
    if s.len() - unsigned.len() <= 1 {
        let special = match unsigned.to_ascii_lowercase().as_str() {
            "inf" | "infinity" => Some(f64::INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        };
        if let Some(f) = special {
            return Some(if s.starts_with('-') { -f } else { f });
        }
    }
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let body = clean.trim_start_matches(['+', '-']);
    if body.is_empty() || !body.as_bytes()[0].is_ascii_digit() && body.as_bytes()[0] != b'.' {
        return None;
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return parse_hex_float(&clean);
    }
    let f: f64 = clean.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

/// Hexadecimal floats (`0x1p-2`) as Go reads them.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let body = &body[2..];
    let (mant, exp) = match body.find(['p', 'P']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => return None, // Go requires the p exponent for hex floats with a point; plain hex ints never get here.
    };
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let f = v * 2f64.powi(exp);
    if f.is_infinite() {
        return None;
    }
    Some(if neg { -f } else { f })
}

/// `strconv.UnquoteChar`: one (possibly escaped) character and the rest.
/// `\x` and octal escapes give a byte value, returned as its code.
pub(crate) fn unquote_char(s: &str, quote: u8) -> Result<(u32, &str), ()> {
    let b = s.as_bytes();
    let c = *b.first().ok_or(())?;
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if c >= 0x80 {
        let ch = s.chars().next().ok_or(())?;
        return Ok((ch as u32, &s[ch.len_utf8()..]));
    }
    if c != b'\\' {
        return Ok((c as u32, &s[1..]));
    }
    let esc = *b.get(1).ok_or(())?;
    if !esc.is_ascii() {
        return Err(()); // an escape must be an ASCII letter or digit (and slicing here would split a character)
    }
    let rest = &s[2..];
    let simple = match esc {
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(10),
        b'r' => Some(13),
        b't' => Some(9),
        b'v' => Some(11),
        b'\\' => Some(b'\\' as u32),
        b'\'' | b'"' => {
            if esc != quote {
                return Err(());
            }
            Some(esc as u32)
        }
        _ => None,
    };
    if let Some(v) = simple {
        return Ok((v, rest));
    }
    match esc {
        b'x' | b'u' | b'U' => {
            let n = match esc {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.get(..n).ok_or(())?;
            let v = u32::from_str_radix(digits, 16).map_err(|_| ())?;
            if !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
                return Err(());
            }
            if esc != b'x' && char::from_u32(v).is_none() {
                return Err(());
            }
            Ok((v, &rest[n..]))
        }
        b'0'..=b'7' => {
            let digits = s.get(1..4).ok_or(())?;
            if !digits.bytes().all(|d| (b'0'..=b'7').contains(&d)) {
                return Err(());
            }
            let v = u32::from_str_radix(digits, 8).map_err(|_| ())?;
            if v > 255 {
                return Err(());
            }
            Ok((v, &s[4..]))
        }
        _ => Err(()),
    }
}

/// `strconv.Unquote` for "…", `…` and '…' literals. Bytes from `\x` and
/// octal escapes that do not form UTF-8 are replaced (Rust strings are UTF-8).
pub fn unquote(s: &str) -> Result<Cow<'_, str>, String> {
    let err = || ERR_SYNTAX.to_string();
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b[b.len() - 1] {
        return Err(err());
    }
    let quote = b[0];
    let inner = &s[1..s.len() - 1];
    match quote {
        b'`' => {
            if memchr(b'`', inner.as_bytes()).is_some() {
                return Err(err());
            }
            if memchr(b'\r', inner.as_bytes()).is_none() {
                return Ok(Cow::Borrowed(inner));
            }
            Ok(Cow::Owned(inner.replace('\r', "")))
        }
        // Most strings in templates have no escapes: their text is the inside.
        b'"' if memchr3(b'\\', b'\n', b'"', inner.as_bytes()).is_none() => Ok(Cow::Borrowed(inner)),
        b'"' | b'\'' => {
            if inner.contains('\n') {
                return Err(err());
            }
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                let multibyte_escape = rest.starts_with("\\u") || rest.starts_with("\\U");
                let (v, tail) = unquote_char(rest, quote).map_err(|_| err())?;
                let raw_char = !rest.starts_with('\\') || multibyte_escape || v < 0x80;
                if raw_char {
                    let ch = char::from_u32(v).ok_or_else(err)?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                } else {
                    out.push(v as u8);
                }
                rest = tail;
                if quote == b'\'' && !rest.is_empty() {
                    return Err(err());
                }
            }
            Ok(Cow::Owned(
                String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ))
        }
        _ => Err(err()),
    }
}
