//! Go's `time.Time` JSON decoding (`time.Parse(time.RFC3339, s)`), for
//! Chart.lock's `generated`: the value is kept as written, only its errors
//! matter. Helm 4.3.1 accepts a one-digit hour, so the stricter RFC 3339
//! checks of newer Go `UnmarshalJSON` are not applied.

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

fn q(s: &str) -> String {
    rhelm_template::strconv::quote(s)
}

fn cannot_parse(value: &str, elem_value: &str, elem_layout: &str) -> String {
    format!("parsing time {} as {}: cannot parse {} as {}", q(value), q(LAYOUT), q(elem_value), q(elem_layout))
}

fn message(value: &str, msg: &str) -> String {
    format!("parsing time {}{msg}", q(value))
}

/// `Err` with Go's text when `time.Time.UnmarshalJSON` refuses `value`.
pub(crate) fn check_rfc3339(value: &str) -> Result<(), String> {
    parse_layout(value)
}

fn digits(s: &str, n: usize) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() < n || !b[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    s[..n].parse().ok()
}

/// `getnum`: one digit, or two when `fixed` (or when a second is there).
fn getnum(s: &str, fixed: bool) -> Option<(u32, &str)> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() < 2 || !b[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some((u32::from(b[0] - b'0'), &s[1..]));
    }
    Some((u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'), &s[2..]))
}

fn expect<'a>(all: &str, v: &'a str, lit: &str) -> Result<&'a str, String> {
    v.strip_prefix(lit).ok_or_else(|| cannot_parse(all, v, lit))
}

/// `time.Parse(time.RFC3339, value)`'s checks.
fn parse_layout(all: &str) -> Result<(), String> {
    let v = all;
    let year = digits(v, 4).ok_or_else(|| cannot_parse(all, v, "2006"))?;
    let v = expect(all, &v[4..], "-")?;
    let (month, v) = getnum(v, true).ok_or_else(|| cannot_parse(all, v, "01"))?;
    if !(1..=12).contains(&month) {
        return Err(message(all, ": month out of range"));
    }
    let v = expect(all, v, "-")?;
    let (day, v) = getnum(v, true).ok_or_else(|| cannot_parse(all, v, "02"))?;
    let v = expect(all, v, "T")?;
    let (hour, v) = getnum(v, false).ok_or_else(|| cannot_parse(all, v, "15"))?;
    if hour >= 24 {
        return Err(message(all, ": hour out of range"));
    }
    let v = expect(all, v, ":")?;
    let (minute, v) = getnum(v, true).ok_or_else(|| cannot_parse(all, v, "04"))?;
    if minute >= 60 {
        return Err(message(all, ": minute out of range"));
    }
    let v = expect(all, v, ":")?;
    let (second, mut v) = getnum(v, true).ok_or_else(|| cannot_parse(all, v, "05"))?;
    if second >= 60 {
        return Err(message(all, ": second out of range"));
    }
    // Fractional seconds follow the seconds even though the layout has none.
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        v = &v[n..];
    }
    if let Some(rest) = v.strip_prefix('Z') {
        v = rest;
    } else {
        let b = v.as_bytes();
        let ok = b.len() >= 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[1..3].iter().all(u8::is_ascii_digit)
            && b[3] == b':'
            && b[4..6].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(cannot_parse(all, v, "Z07:00"));
        }
        v = &v[6..];
    }
    if !v.is_empty() {
        return Err(message(all, &format!(": extra text: {}", q(v))));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(message(all, ": day out of range"));
    }
    Ok(())
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_as_go() {
        assert!(check_rfc3339("2020-01-01T00:00:00Z").is_ok());
        assert!(check_rfc3339("2026-11-22T19:51:54.056076807Z").is_ok());
        assert!(check_rfc3339("2020-01-01T00:00:00+01:00").is_ok());
        assert_eq!(
            check_rfc3339("notatime").unwrap_err(),
            r#"parsing time "notatime" as "2006-01-02T15:04:05Z07:00": cannot parse "notatime" as "2006""#
        );
        for odd in [
            "2020-01-01T00:00:00+00:\u{e9}\u{e9}",
            "2020-01-01T00:00:00\u{2028}",
            "\u{e9}",
            "2020-01-01T00:00:00.\u{e9}Z",
        ] {
            assert!(check_rfc3339(odd).is_err(), "{odd}");
        }
        assert_eq!(
            check_rfc3339("2020-01-01").unwrap_err(),
            r#"parsing time "2020-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#
        );
    }
}
