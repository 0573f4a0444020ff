//! Go's reference-time layouts (`Mon Jan 2 15:04:05 MST 2006`): formatting
//! and parsing, with Go's error texts. Layouts and values are handled as
//! bytes, as Go does; every layout element is ASCII.

use super::civil::{days_in, is_leap, DAYS_BEFORE, LONG_DAY_NAMES, LONG_MONTH_NAMES};
use super::time::Time;
use super::zone::{Loc, Location};

pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
pub const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// One layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Std {
    LongMonth,         // January
    Month,             // Jan
    NumMonth,          // 1
    ZeroMonth,         // 01
    LongWeekDay,       // Monday
    WeekDay,           // Mon
    Day,               // 2
    UnderDay,          // _2
    ZeroDay,           // 02
    UnderYearDay,      // __2
    ZeroYearDay,       // 002
    Hour,              // 15
    Hour12,            // 3
    ZeroHour12,        // 03
    Minute,            // 4
    ZeroMinute,        // 04
    Second,            // 5
    ZeroSecond,        // 05
    LongYear,          // 2006
    Year,              // 06
    PM,                // PM
    Pm,                // pm
    TZ,                // MST
    Iso8601TZ,         // Z0700
    Iso8601SecondsTZ,  // Z070000
    Iso8601ShortTZ,    // Z07
    Iso8601ColonTZ,    // Z07:00
    Iso8601ColonSecTZ, // Z07:00:00
    NumTZ,             // -0700
    NumSecondsTZ,      // -070000
    NumShortTZ,        // -07
    NumColonTZ,        // -07:00
    NumColonSecondsTZ, // -07:00:00
    /// `.000` or `,000`: this many digits, trailing zeros kept.
    FracSecond0 {
        digits: usize,
        comma: bool,
    },
    /// `.999` or `,999`: up to this many digits, trailing zeros dropped.
    FracSecond9 {
        digits: usize,
        comma: bool,
    },
}

impl Std {
    fn is_iso_zone(self) -> bool {
        matches!(
            self,
            Std::Iso8601TZ | Std::Iso8601SecondsTZ | Std::Iso8601ShortTZ | Std::Iso8601ColonTZ | Std::Iso8601ColonSecTZ
        )
    }
}

/// Go's nextStdChunk: the literal text before the first layout element,
/// the element, and the rest. `None` when no element is left.
fn next_std_chunk(layout: &[u8]) -> (&[u8], Option<(Std, &[u8])>) {
    let starts = |i: usize, s: &str| layout[i..].starts_with(s.as_bytes());
    // "Jan" and "Mon" must not run into a lower-case letter ("Month").
    let lower_at = |i: usize| layout.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..layout.len() {
        let found = |std: Std, len: usize| (&layout[..i], Some((std, &layout[i + len..])));
        match layout[i] {
            b'J' if starts(i, "Jan") => {
                if starts(i, "January") {
                    return found(Std::LongMonth, 7);
                }
                if !lower_at(i + 3) {
                    return found(Std::Month, 3);
                }
            }
            b'M' if layout.len() >= i + 3 => {
                if starts(i, "Mon") {
                    if starts(i, "Monday") {
                        return found(Std::LongWeekDay, 6);
                    }
                    if !lower_at(i + 3) {
                        return found(Std::WeekDay, 3);
                    }
                }
                if starts(i, "MST") {
                    return found(Std::TZ, 3);
                }
            }
            b'0' => {
                if let Some(&c @ b'1'..=b'6') = layout.get(i + 1) {
                    let std =
                        [Std::ZeroMonth, Std::ZeroDay, Std::ZeroHour12, Std::ZeroMinute, Std::ZeroSecond, Std::Year]
                            [usize::from(c - b'1')];
                    return found(std, 2);
                }
                if starts(i, "002") {
                    return found(Std::ZeroYearDay, 3);
                }
            }
            b'1' => {
                if starts(i, "15") {
                    return found(Std::Hour, 2);
                }
                return found(Std::NumMonth, 1);
            }
            b'2' => {
                if starts(i, "2006") {
                    return found(Std::LongYear, 4);
                }
                return found(Std::Day, 1);
            }
            b'_' => {
                if layout.get(i + 1) == Some(&b'2') {
                    // "_2006" is a literal underscore before the year.
                    if starts(i + 1, "2006") {
                        return (&layout[..i + 1], Some((Std::LongYear, &layout[i + 5..])));
                    }
                    return found(Std::UnderDay, 2);
                }
                if starts(i, "__2") {
                    return found(Std::UnderYearDay, 3);
                }
            }
            b'3' => return found(Std::Hour12, 1),
            b'4' => return found(Std::Minute, 1),
            b'5' => return found(Std::Second, 1),
            b'P' if layout.get(i + 1) == Some(&b'M') => return found(Std::PM, 2),
            b'p' if layout.get(i + 1) == Some(&b'm') => return found(Std::Pm, 2),
            b'-' => {
                for (text, std) in [
                    ("-070000", Std::NumSecondsTZ),
                    ("-07:00:00", Std::NumColonSecondsTZ),
                    ("-0700", Std::NumTZ),
                    ("-07:00", Std::NumColonTZ),
                    ("-07", Std::NumShortTZ),
                ] {
                    if starts(i, text) {
                        return found(std, text.len());
                    }
                }
            }
            b'Z' => {
                for (text, std) in [
                    ("Z070000", Std::Iso8601SecondsTZ),
                    ("Z07:00:00", Std::Iso8601ColonSecTZ),
                    ("Z0700", Std::Iso8601TZ),
                    ("Z07:00", Std::Iso8601ColonTZ),
                    ("Z07", Std::Iso8601ShortTZ),
                ] {
                    if starts(i, text) {
                        return found(std, text.len());
                    }
                }
            }
            c @ (b'.' | b',') => {
                if let Some(&ch @ (b'0' | b'9')) = layout.get(i + 1) {
                    let j = i + 1 + layout[i + 1..].iter().take_while(|&&b| b == ch).count();
                    // The run of digits must end here: only a fractional second is all digits.
                    if !layout.get(j).is_some_and(u8::is_ascii_digit) {
                        // Go keeps the digit count in 12 bits.
                        let digits = (j - (i + 1)) & 0xfff;
                        let comma = c == b',';
                        let std = if ch == b'0' {
                            Std::FracSecond0 { digits, comma }
                        } else {
                            Std::FracSecond9 { digits, comma }
                        };
                        return (&layout[..i], Some((std, &layout[j..])));
                    }
                }
            }
            _ => {}
        }
    }
    (layout, None)
}

/// Go's appendInt: `x` in decimal, zero-padded to `width` digits after any sign.
fn append_int(b: &mut Vec<u8>, x: i64, width: usize) {
    if x < 0 {
        b.push(b'-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        b.push(b'0');
    }
    b.extend_from_slice(digits.as_bytes());
}

/// Go's appendNano: the fractional second for a `.000`/`.999` element.
fn append_nano(b: &mut Vec<u8>, nanosec: i64, digits: usize, comma: bool, trim: bool) {
    if trim && (digits == 0 || nanosec == 0) {
        return;
    }
    let dot = if comma { b',' } else { b'.' };
    b.push(dot);
    let start = b.len();
    append_int(b, nanosec, 9);
    if digits < 9 {
        b.truncate(start + digits);
    }
    if trim {
        while b.last() == Some(&b'0') {
            b.pop();
        }
        if b.last() == Some(&dot) {
            b.pop();
        }
    }
}

/// `t.Format(layout)`.
pub fn format(t: &Time, layout: &str) -> String {
    if layout == RFC3339 || layout == RFC3339_NANO {
        return String::from_utf8_lossy(&format_rfc3339(t, layout == RFC3339_NANO)).into_owned();
    }
    let (name, offset, local) = t.locabs();
    let f = super::civil::Fields::of(local);
    let mut b: Vec<u8> = Vec::with_capacity(layout.len() + 10);
    let mut rest = layout.as_bytes();
    loop {
        let (prefix, next) = next_std_chunk(rest);
        b.extend_from_slice(prefix);
        let Some((std, suffix)) = next else { break };
        rest = suffix;
        match std {
            Std::Year => append_int(&mut b, f.year.abs() % 100, 2),
            Std::LongYear => append_int(&mut b, f.year, 4),
            Std::Month => b.extend_from_slice(&month_name(f.month).as_bytes()[..3]),
            Std::LongMonth => b.extend_from_slice(month_name(f.month).as_bytes()),
            Std::NumMonth => append_int(&mut b, f.month, 0),
            Std::ZeroMonth => append_int(&mut b, f.month, 2),
            Std::WeekDay => b.extend_from_slice(&day_name(f.weekday()).as_bytes()[..3]),
            Std::LongWeekDay => b.extend_from_slice(day_name(f.weekday()).as_bytes()),
            Std::Day => append_int(&mut b, f.day, 0),
            Std::UnderDay => {
                if f.day < 10 {
                    b.push(b' ');
                }
                append_int(&mut b, f.day, 0);
            }
            Std::ZeroDay => append_int(&mut b, f.day, 2),
            Std::UnderYearDay => {
                let yday = f.yday;
                if yday < 100 {
                    b.push(b' ');
                    if yday < 10 {
                        b.push(b' ');
                    }
                }
                append_int(&mut b, yday, 0);
            }
            Std::ZeroYearDay => append_int(&mut b, f.yday, 3),
            Std::Hour => append_int(&mut b, f.hour, 2),
            Std::Hour12 => append_int(&mut b, hour12(f.hour), 0),
            Std::ZeroHour12 => append_int(&mut b, hour12(f.hour), 2),
            Std::Minute => append_int(&mut b, f.minute, 0),
            Std::ZeroMinute => append_int(&mut b, f.minute, 2),
            Std::Second => append_int(&mut b, f.second, 0),
            Std::ZeroSecond => append_int(&mut b, f.second, 2),
            Std::PM => b.extend_from_slice(if f.hour >= 12 { b"PM" } else { b"AM" }),
            Std::Pm => b.extend_from_slice(if f.hour >= 12 { b"pm" } else { b"am" }),
            Std::TZ => {
                if !name.is_empty() {
                    b.extend_from_slice(name.as_bytes());
                } else {
                    // No abbreviation known: print the offset as -0700.
                    let zone = offset / 60;
                    b.push(if zone < 0 { b'-' } else { b'+' });
                    append_int(&mut b, zone.abs() / 60, 2);
                    append_int(&mut b, zone.abs() % 60, 2);
                }
            }
            Std::FracSecond0 { digits, comma } => append_nano(&mut b, t.nanosecond(), digits, comma, false),
            Std::FracSecond9 { digits, comma } => append_nano(&mut b, t.nanosecond(), digits, comma, true),
            zone_std => append_zone_offset(&mut b, zone_std, offset),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn hour12(hour: i64) -> i64 {
    match hour % 12 {
        0 => 12,
        h => h,
    }
}

/// Go's `Month.String` (out-of-range months print as `%!Month(13)`).
pub fn month_name(month: i64) -> String {
    match usize::try_from(month - 1).ok().and_then(|i| LONG_MONTH_NAMES.get(i)) {
        Some(name) => (*name).to_string(),
        None => format!("%!Month({})", month as u64),
    }
}

/// Go's `Weekday.String`.
pub fn day_name(day: i64) -> String {
    match usize::try_from(day).ok().and_then(|i| LONG_DAY_NAMES.get(i)) {
        Some(name) => (*name).to_string(),
        None => format!("%!Weekday({})", day as u64),
    }
}

/// The numeric zone elements; the ISO 8601 ones print `Z` for UTC.
fn append_zone_offset(b: &mut Vec<u8>, std: Std, offset: i64) {
    if offset == 0 && std.is_iso_zone() {
        b.push(b'Z');
        return;
    }
    let zone = offset / 60;
    b.push(if zone < 0 { b'-' } else { b'+' });
    let (zone, abs_offset) = (zone.abs(), offset.abs());
    append_int(b, zone / 60, 2);
    let colon = matches!(std, Std::Iso8601ColonTZ | Std::NumColonTZ | Std::Iso8601ColonSecTZ | Std::NumColonSecondsTZ);
    if colon {
        b.push(b':');
    }
    if !matches!(std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
        append_int(b, zone % 60, 2);
    }
    if matches!(std, Std::Iso8601SecondsTZ | Std::NumSecondsTZ | Std::NumColonSecondsTZ | Std::Iso8601ColonSecTZ) {
        if colon {
            b.push(b':');
        }
        append_int(b, abs_offset % 60, 2);
    }
}

/// Go's fast path for RFC 3339 (same output as the general formatter).
fn format_rfc3339(t: &Time, nanos: bool) -> Vec<u8> {
    let (_, offset, local) = t.locabs();
    let f = super::civil::Fields::of(local);
    let mut b = Vec::with_capacity(35);
    append_int(&mut b, f.year, 4);
    b.push(b'-');
    append_int(&mut b, f.month, 2);
    b.push(b'-');
    append_int(&mut b, f.day, 2);
    b.push(b'T');
    append_int(&mut b, f.hour, 2);
    b.push(b':');
    append_int(&mut b, f.minute, 2);
    b.push(b':');
    append_int(&mut b, f.second, 2);
    if nanos {
        append_nano(&mut b, t.nanosecond(), 9, false, true);
    }
    if offset == 0 {
        b.push(b'Z');
        return b;
    }
    let zone = offset / 60;
    b.push(if zone < 0 { b'-' } else { b'+' });
    append_int(&mut b, zone.abs() / 60, 2);
    b.push(b':');
    append_int(&mut b, zone.abs() % 60, 2);
    b
}

/// `t.MarshalJSON()` / `MarshalText()`: RFC 3339 with nanoseconds, failing
/// for years outside 0..=9999 and offsets of 24 hours or more.
pub fn marshal_rfc3339(t: &Time, what: &str) -> Result<String, String> {
    let b = format_rfc3339(t, true);
    if b.get(4) != Some(&b'-') {
        return Err(format!("{what}: year outside of range [0,9999]"));
    }
    if b.last() != Some(&b'Z') && b.len() >= 6 {
        let c = b[b.len() - 6];
        let hour = b[b.len() - 5..b.len() - 3].iter().fold(0u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')));
        if c.is_ascii_digit() || hour >= 24 {
            return Err(format!("{what}: timezone hour outside of range [0,23]"));
        }
    }
    Ok(String::from_utf8_lossy(&b).into_owned())
}

// ---------------------------------------------------------------------------
// Parsing

/// The `quote` of Go's time package: every non-ASCII or control byte as `\xNN`.
pub fn quote_bytes(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// Go's `*time.ParseError`, already rendered.
fn parse_error(layout: &[u8], value: &[u8], layout_elem: &[u8], value_elem: &[u8], message: &str) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote_bytes(value),
            quote_bytes(layout),
            quote_bytes(value_elem),
            quote_bytes(layout_elem)
        )
    } else {
        format!("parsing time {}{message}", quote_bytes(value))
    }
}

/// Go's `time.ParseInLocation`.
pub fn parse_in_location(layout: &str, value: &str, loc: &Loc) -> Result<Time, String> {
    if layout == RFC3339 || layout == RFC3339_NANO {
        if let Some(t) = parse_rfc3339(value.as_bytes(), loc) {
            return Ok(t);
        }
    }
    Parser::new(layout.as_bytes(), value.as_bytes()).run(loc, loc)
}

/// Go's `time.Parse`: UTC unless the value names a zone.
pub fn parse(layout: &str, value: &str) -> Result<Time, String> {
    if layout == RFC3339 || layout == RFC3339_NANO {
        if let Some(t) = parse_rfc3339(value.as_bytes(), &Loc::Local) {
            return Ok(t);
        }
    }
    Parser::new(layout.as_bytes(), value.as_bytes()).run(&Loc::Utc, &Loc::Local)
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's getnum: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some((i64::from(s[0] - b'0'), &s[1..]));
    }
    Some((i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'), &s[2..]))
}

/// Go's getnum3: one to three digits (exactly three when `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let n = s.iter().take(3).take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((s[..n].iter().fold(0, |acc, &d| acc * 10 + i64::from(d - b'0')), &s[n..]))
}

/// Go's atoi: an optionally signed decimal that must use all of `s`.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (x, rem) = leading_int(digits)?;
    if !rem.is_empty() {
        return None;
    }
    let x = x as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

/// Go's leadingInt (for time parsing): `[0-9]*`, `None` past 1<<63.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Case-insensitive ASCII comparison of equal-length byte strings.
fn match_fold(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(&c1, &c2)| {
        c1 == c2 || {
            let (l1, l2) = (c1 | 0x20, c2 | 0x20);
            l1 == l2 && l1.is_ascii_lowercase()
        }
    })
}

/// The first name in `table` that prefixes `val` (ignoring case).
fn lookup<'v>(table: &[&str], val: &'v [u8]) -> Option<(i64, &'v [u8])> {
    table.iter().enumerate().find_map(|(i, name)| {
        let n = name.len();
        (val.len() >= n && match_fold(&val[..n], name.as_bytes())).then(|| (i as i64, &val[n..]))
    })
}

const SHORT_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Removes `prefix` from `value`; a run of spaces in the prefix matches any
/// run of spaces (but the value must have one where the prefix does). On
/// failure, returns what was left of the value, which Go's error reports.
fn skip<'v>(value: &'v [u8], prefix: &[u8]) -> Result<&'v [u8], &'v [u8]> {
    let (mut value, mut prefix) = (value, prefix);
    let cut_space = |s: &[u8]| -> usize { s.iter().take_while(|&&b| b == b' ').count() };
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&v| v != b' ') {
                return Err(value);
            }
            prefix = &prefix[cut_space(prefix)..];
            value = &value[cut_space(value)..];
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

/// Go's parseTimeZone: the length of a zone abbreviation at the start of
/// `value` (three upper-case letters, four or five ending in T, a few
/// special cases, GMT with an hour offset, or a bare signed offset).
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(3 + parse_signed_offset(&value[3..]));
    }
    if value[0] == b'+' || value[0] == b'-' {
        return Some(parse_signed_offset(value)).filter(|&n| n > 0);
    }
    let upper = value.iter().take(6).take_while(|b| b.is_ascii_uppercase()).count();
    match upper {
        5 if value[4] == b'T' => Some(5),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// A signed hour offset in -23..=+23 (e.g. `+03`): its length, or 0.
fn parse_signed_offset(value: &[u8]) -> usize {
    match value.first() {
        Some(b'+' | b'-') => {}
        _ => return 0,
    }
    match leading_int(&value[1..]) {
        Some((x, rem)) if rem.len() != value.len() - 1 && x <= 23 => value.len() - rem.len(),
        _ => 0,
    }
}

/// Go's parseNanoseconds: `value` starts with the separator; `nbytes`
/// counts it plus the digits (at most nine digits are used).
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, ParseFail> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(ParseFail::Bad);
    }
    let nbytes = nbytes.min(10);
    let ns = atoi(&value[1..nbytes]).ok_or(ParseFail::Bad)?;
    if ns < 0 {
        return Err(ParseFail::Range("fractional second"));
    }
    Ok((nbytes..10).fold(ns, |n, _| n * 10))
}

enum ParseFail {
    Bad,
    Range(&'static str),
}

struct Parser<'a> {
    layout: &'a [u8],
    value: &'a [u8],
}

/// What the value said, field by field.
struct Parsed {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    am: bool,
    pm: bool,
    utc: bool,
    zone_offset: Option<i64>,
    zone_name: Vec<u8>,
}

impl<'a> Parser<'a> {
    fn new(layout: &'a [u8], value: &'a [u8]) -> Parser<'a> {
        Parser { layout, value }
    }

    fn error(&self, layout_elem: &[u8], value_elem: &[u8], message: &str) -> String {
        parse_error(self.layout, self.value, layout_elem, value_elem, message)
    }

    /// Go's `parse(layout, value, defaultLocation, local)`.
    fn run(&self, default_loc: &Loc, local: &Loc) -> Result<Time, String> {
        let mut p = Parsed {
            year: 0,
            month: -1,
            day: -1,
            yday: -1,
            hour: 0,
            min: 0,
            sec: 0,
            nsec: 0,
            am: false,
            pm: false,
            utc: false,
            zone_offset: None,
            zone_name: Vec::new(),
        };
        let (mut layout, mut value) = (self.layout, self.value);
        loop {
            let (prefix, next) = next_std_chunk(layout);
            let std_len = layout.len() - prefix.len() - next.map_or(0, |(_, s)| s.len());
            let std_str = &layout[prefix.len()..prefix.len() + std_len];
            value = match skip(value, prefix) {
                Ok(v) => v,
                Err(left) => return Err(self.error(prefix, left, "")),
            };
            let Some((std, suffix)) = next else {
                if !value.is_empty() {
                    return Err(self.error(b"", value, &format!(": extra text: {}", quote_bytes(value))));
                }
                break;
            };
            layout = suffix;
            let hold = value;
            match self.element(std, layout, value, &mut p) {
                Ok(rest) => value = rest,
                Err((ParseFail::Range(what), rest)) => {
                    return Err(self.error(std_str, rest, &format!(": {what} out of range")));
                }
                Err((ParseFail::Bad, _)) => return Err(self.error(std_str, hold, "")),
            }
        }
        self.finish(p, value, default_loc, local)
    }

    /// Parses one element; on failure also returns where the value stood
    /// (Go reports range errors after the element was consumed).
    #[allow(clippy::type_complexity)]
    fn element<'v>(
        &self,
        std: Std,
        layout_rest: &[u8],
        value: &'v [u8],
        p: &mut Parsed,
    ) -> Result<&'v [u8], (ParseFail, &'v [u8])> {
        let bad = |v: &'v [u8]| (ParseFail::Bad, v);
        let range = |what: &'static str, v: &'v [u8]| Err((ParseFail::Range(what), v));
        match std {
            Std::Year => {
                if value.len() < 2 {
                    return Err(bad(value));
                }
                let year = atoi(&value[..2]).ok_or_else(|| bad(value))?;
                // Two-digit years: 69..99 are 1900s, the rest 2000s.
                p.year = if year >= 69 { year + 1900 } else { year + 2000 };
                Ok(&value[2..])
            }
            Std::LongYear => {
                if value.len() < 4 || !is_digit(value, 0) {
                    return Err(bad(value));
                }
                p.year = atoi(&value[..4]).ok_or_else(|| bad(value))?;
                Ok(&value[4..])
            }
            Std::Month | Std::LongMonth => {
                let table: &[&str] = if std == Std::Month { &SHORT_MONTHS } else { &LONG_MONTH_NAMES };
                let (m, rest) = lookup(table, value).ok_or_else(|| bad(value))?;
                p.month = m + 1;
                Ok(rest)
            }
            Std::NumMonth | Std::ZeroMonth => {
                let (m, rest) = getnum(value, std == Std::ZeroMonth).ok_or_else(|| bad(value))?;
                p.month = m;
                if !(1..=12).contains(&m) {
                    return range("month", rest);
                }
                Ok(rest)
            }
            Std::WeekDay => lookup(&SHORT_DAYS, value).map(|(_, r)| r).ok_or_else(|| bad(value)),
            Std::LongWeekDay => lookup(&LONG_DAY_NAMES, value).map(|(_, r)| r).ok_or_else(|| bad(value)),
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                let v = if std == Std::UnderDay && value.first() == Some(&b' ') { &value[1..] } else { value };
                // Any one- or two-digit day; the date is validated at the end.
                let (d, rest) = getnum(v, std == Std::ZeroDay).ok_or_else(|| bad(value))?;
                p.day = d;
                Ok(rest)
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                let mut v = value;
                for _ in 0..2 {
                    if std == Std::UnderYearDay && v.first() == Some(&b' ') {
                        v = &v[1..];
                    }
                }
                let (d, rest) = getnum3(v, std == Std::ZeroYearDay).ok_or_else(|| bad(value))?;
                p.yday = d;
                Ok(rest)
            }
            Std::Hour => {
                let (h, rest) = getnum(value, false).ok_or_else(|| bad(value))?;
                p.hour = h;
                if h >= 24 {
                    return range("hour", rest);
                }
                Ok(rest)
            }
            Std::Hour12 | Std::ZeroHour12 => {
                let (h, rest) = getnum(value, std == Std::ZeroHour12).ok_or_else(|| bad(value))?;
                p.hour = h;
                if h > 12 {
                    return range("hour", rest);
                }
                Ok(rest)
            }
            Std::Minute | Std::ZeroMinute => {
                let (m, rest) = getnum(value, std == Std::ZeroMinute).ok_or_else(|| bad(value))?;
                p.min = m;
                if m >= 60 {
                    return range("minute", rest);
                }
                Ok(rest)
            }
            Std::Second | Std::ZeroSecond => {
                let (s, rest) = getnum(value, std == Std::ZeroSecond).ok_or_else(|| bad(value))?;
                p.sec = s;
                if s >= 60 {
                    return range("second", rest);
                }
                // A fractional second in the value that the layout does not
                // mention is still accepted right after the seconds.
                if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && is_digit(rest, 1) {
                    if let (_, Some((Std::FracSecond0 { .. } | Std::FracSecond9 { .. }, _))) =
                        next_std_chunk(layout_rest)
                    {
                        return Ok(rest);
                    }
                    let n = 2 + rest[2..].iter().take_while(|b| b.is_ascii_digit()).count();
                    return match parse_nanoseconds(rest, n) {
                        Ok(ns) => {
                            p.nsec = ns;
                            Ok(&rest[n..])
                        }
                        Err(ParseFail::Range(what)) => range(what, &rest[n..]),
                        Err(ParseFail::Bad) => Err(bad(value)),
                    };
                }
                Ok(rest)
            }
            Std::PM | Std::Pm => {
                if value.len() < 2 {
                    return Err(bad(value));
                }
                let (upper, lower) = if std == Std::PM { (b"PM", b"AM") } else { (b"pm", b"am") };
                match &value[..2] {
                    v if v == upper => p.pm = true,
                    v if v == lower => p.am = true,
                    _ => return Err(bad(value)),
                }
                Ok(&value[2..])
            }
            Std::TZ => {
                if value.starts_with(b"UTC") {
                    p.utc = true;
                    return Ok(&value[3..]);
                }
                let n = parse_time_zone(value).ok_or_else(|| bad(value))?;
                p.zone_name = value[..n].to_vec();
                Ok(&value[n..])
            }
            Std::FracSecond0 { digits, .. } => {
                // Exactly as many digits as the layout has.
                let n = 1 + digits;
                if value.len() < n {
                    return Err(bad(value));
                }
                match parse_nanoseconds(value, n) {
                    Ok(ns) => {
                        p.nsec = ns;
                        Ok(&value[n..])
                    }
                    Err(ParseFail::Range(what)) => range(what, &value[n..]),
                    Err(ParseFail::Bad) => Err(bad(value)),
                }
            }
            Std::FracSecond9 { .. } => {
                if value.len() < 2 || !matches!(value[0], b'.' | b',') || !value[1].is_ascii_digit() {
                    // The fraction is optional.
                    return Ok(value);
                }
                // Take every digit, even more than the layout asks for.
                let n = 1 + value[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                match parse_nanoseconds(value, n) {
                    Ok(ns) => {
                        p.nsec = ns;
                        Ok(&value[n..])
                    }
                    Err(ParseFail::Range(what)) => range(what, &value[n..]),
                    Err(ParseFail::Bad) => Err(bad(value)),
                }
            }
            zone_std => self.zone_offset(zone_std, value, p),
        }
    }

    /// The numeric zone elements (`Z` for UTC in the ISO 8601 forms).
    fn zone_offset<'v>(&self, std: Std, value: &'v [u8], p: &mut Parsed) -> Result<&'v [u8], (ParseFail, &'v [u8])> {
        let bad = || (ParseFail::Bad, value);
        if std.is_iso_zone() && value.first() == Some(&b'Z') {
            p.utc = true;
            return Ok(&value[1..]);
        }
        let (sign, hour, min, seconds, rest): (u8, &[u8], &[u8], &[u8], &[u8]) = match std {
            Std::Iso8601ColonTZ | Std::NumColonTZ => {
                if value.len() < 6 || value[3] != b':' {
                    return Err(bad());
                }
                (value[0], &value[1..3], &value[4..6], b"00", &value[6..])
            }
            Std::NumShortTZ | Std::Iso8601ShortTZ => {
                if value.len() < 3 {
                    return Err(bad());
                }
                (value[0], &value[1..3], b"00", b"00", &value[3..])
            }
            Std::Iso8601ColonSecTZ | Std::NumColonSecondsTZ => {
                if value.len() < 9 || value[3] != b':' || value[6] != b':' {
                    return Err(bad());
                }
                (value[0], &value[1..3], &value[4..6], &value[7..9], &value[9..])
            }
            Std::Iso8601SecondsTZ | Std::NumSecondsTZ => {
                if value.len() < 7 {
                    return Err(bad());
                }
                (value[0], &value[1..3], &value[3..5], &value[5..7], &value[7..])
            }
            _ => {
                if value.len() < 5 {
                    return Err(bad());
                }
                (value[0], &value[1..3], &value[3..5], b"00", &value[5..])
            }
        };
        let num = |s: &[u8]| getnum(s, true).map(|(n, _)| n);
        let (Some(hr), Some(mm), Some(ss)) = (num(hour), num(min), num(seconds)) else {
            return Err(bad());
        };
        // Offsets of 24 hours, 60 minutes or 60 seconds are tolerated.
        let range_err = if ss > 60 {
            Some("time zone offset second")
        } else if mm > 60 {
            Some("time zone offset minute")
        } else if hr > 24 {
            Some("time zone offset hour")
        } else {
            None
        };
        // Go reports a range error before a bad sign.
        if let Some(what) = range_err {
            return Err((ParseFail::Range(what), rest));
        }
        let offset = (hr * 60 + mm) * 60 + ss;
        p.zone_offset = match sign {
            b'+' => Some(offset),
            // Go marks "no offset" with -1, so an offset of exactly -1 s is lost.
            b'-' if offset == 1 => None,
            b'-' => Some(-offset),
            _ => return Err(bad()),
        };
        Ok(rest)
    }

    fn finish(&self, p: Parsed, value: &[u8], default_loc: &Loc, local: &Loc) -> Result<Time, String> {
        let mut hour = p.hour;
        if p.pm && hour < 12 {
            hour += 12;
        } else if p.am && hour == 12 {
            hour = 0;
        }
        let (mut month, mut day) = (p.month, p.day);
        if p.yday >= 0 {
            let mut yday = p.yday;
            let (mut m, mut d) = (0, 0);
            if is_leap(p.year) {
                if yday == 31 + 29 {
                    (m, d) = (2, 29);
                } else if yday > 31 + 29 {
                    yday -= 1;
                }
            }
            if !(1..=365).contains(&yday) {
                return Err(self.error(b"", value, ": day-of-year out of range"));
            }
            if m == 0 {
                m = (yday - 1) / 31 + 1;
                if DAYS_BEFORE[m as usize] < yday {
                    m += 1;
                }
                d = yday - DAYS_BEFORE[(m - 1) as usize];
            }
            if month >= 0 && month != m {
                return Err(self.error(b"", value, ": day-of-year does not match month"));
            }
            month = m;
            if day >= 0 && day != d {
                return Err(self.error(b"", value, ": day-of-year does not match day"));
            }
            day = d;
        } else {
            if month < 0 {
                month = 1;
            }
            if day < 0 {
                day = 1;
            }
        }
        if day < 1 || day > days_in(month, p.year) {
            return Err(self.error(b"", value, ": day out of range"));
        }

        let date = |loc: Loc| Time::date(p.year, month, day, hour, p.min, p.sec, p.nsec, loc);
        if p.utc {
            return Ok(date(Loc::Utc));
        }
        let zone_name = String::from_utf8_lossy(&p.zone_name).into_owned();
        if let Some(zone_offset) = p.zone_offset {
            let mut t = date(Loc::Utc);
            t.add_sec(-zone_offset);
            // Use the local zone when it had this offset (and name) then.
            let info = local.get().lookup(t.unix_sec());
            if info.offset == zone_offset && (zone_name.is_empty() || info.name == zone_name) {
                t.set_loc(local.clone());
            } else {
                t.set_loc(Loc::fixed(&zone_name, zone_offset));
            }
            return Ok(t);
        }
        if !zone_name.is_empty() {
            let mut t = date(Loc::Utc);
            if let Some(offset) = local.get().lookup_name(&zone_name, t.unix_sec()) {
                t.add_sec(-offset);
                t.set_loc(local.clone());
                return Ok(t);
            }
            // An unknown abbreviation gets a zero offset, except GMT+h.
            let mut offset = 0;
            if zone_name.len() > 3 && zone_name.starts_with("GMT") {
                offset = atoi(&p.zone_name[3..]).unwrap_or(0) * 3600;
            }
            t.set_loc(Loc::fixed(&zone_name, offset));
            return Ok(t);
        }
        Ok(date(default_loc.clone()))
    }
}

/// Go's parseRFC3339 fast path; `None` sends the value to the general parser.
fn parse_rfc3339(s: &[u8], local: &Loc) -> Option<Time> {
    let num = |s: &[u8], min: i64, max: i64| -> Option<i64> {
        let mut x: i64 = 0;
        for &c in s {
            if !c.is_ascii_digit() {
                return None;
            }
            x = x * 10 + i64::from(c - b'0');
        }
        (min..=max).contains(&x).then_some(x)
    };
    if s.len() < "2006-01-02T15:04:05".len() {
        return None;
    }
    let year = num(&s[0..4], 0, 9999);
    let month = num(&s[5..7], 1, 12);
    let day = num(&s[8..10], 1, days_in(month.unwrap_or(1), year.unwrap_or(0)));
    let hour = num(&s[11..13], 0, 23);
    let min = num(&s[14..16], 0, 59);
    let sec = num(&s[17..19], 0, 59);
    let (year, month, day, hour, min, sec) = (year?, month?, day?, hour?, min?, sec?);
    if !(s[4] == b'-' && s[7] == b'-' && s[10] == b'T' && s[13] == b':' && s[16] == b':') {
        return None;
    }
    let mut s = &s[19..];
    let mut nsec = 0;
    if s.len() >= 2 && s[0] == b'.' && s[1].is_ascii_digit() {
        let n = 2 + s[2..].iter().take_while(|b| b.is_ascii_digit()).count();
        nsec = parse_nanoseconds(s, n).unwrap_or(0);
        s = &s[n..];
    }
    let mut t = Time::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
    if s != b"Z" {
        if s.len() != "-07:00".len() {
            return None;
        }
        let hr = num(&s[1..3], 0, 23)?;
        let mm = num(&s[4..6], 0, 59)?;
        if !((s[0] == b'-' || s[0] == b'+') && s[3] == b':') {
            return None;
        }
        let mut zone_offset = (hr * 60 + mm) * 60;
        if s[0] == b'-' {
            zone_offset = -zone_offset;
        }
        t.add_sec(-zone_offset);
        if local.get().lookup(t.unix_sec()).offset == zone_offset {
            t.set_loc(local.clone());
        } else {
            t.set_loc(Loc::Other(std::sync::Arc::new(Location::fixed("", zone_offset))));
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, ns: i64) -> Time {
        Time::date(y, mo, d, h, mi, s, ns, Loc::Utc)
    }

    #[test]
    fn formats_every_element() {
        let t = utc(2006, 1, 2, 15, 4, 5, 123_456_000);
        assert_eq!(
            format(&t, "Mon Monday Jan January 1 01 2 _2 02 __2 002"),
            "Mon Monday Jan January 1 01 2  2 02   2 002"
        );
        assert_eq!(format(&t, "15 3 03 4 04 5 05 PM pm 2006 06"), "15 3 03 4 04 5 05 PM pm 2006 06");
        assert_eq!(
            format(&t, "MST Z0700 Z07:00 -0700 -07:00 -07 Z07 -070000 -07:00:00"),
            "UTC Z Z +0000 +00:00 +00 Z +000000 +00:00:00"
        );
        assert_eq!(format(&t, ".000 .999 ,000000 .9 .000000000"), ".123 .123 ,123456 .1 .123456000");
        assert_eq!(format(&t, "2006-01-02 15:04:05.999999999 -0700 MST"), "2006-01-02 15:04:05.123456 +0000 UTC");
        assert_eq!(format(&t, "Month Janx _2006 15.000"), "Month Janx _2006 15.123");
        assert_eq!(format(&t, RFC3339_NANO), "2006-01-02T15:04:05.123456Z");
        let z = Time::date(2006, 1, 2, 15, 4, 5, 0, Loc::fixed("", -(7 * 3600 + 30 * 60 + 5)));
        assert_eq!(format(&z, "MST|Z07:00:00|-07"), "-0730|-07:30:05|-07");
        assert_eq!(format(&Time::default(), "2006 Jan 2"), "0001 Jan 1");
        assert_eq!(format(&utc(-5, 1, 1, 0, 0, 0, 0), "2006 06"), "-0005 05");
    }

    #[test]
    fn parses_like_go() {
        let p = |l: &str, v: &str| {
            parse_in_location(l, v, &Loc::Utc).map(|t| format(&t, "2006-01-02 15:04:05.999999999 -0700 MST"))
        };
        assert_eq!(p("2006-01-02", "2020-03-04").unwrap(), "2020-03-04 00:00:00 +0000 UTC");
        assert_eq!(p("Jan _2 3:04PM", "feb  9 12:30AM").unwrap(), "0000-02-09 00:30:00 +0000 UTC");
        assert_eq!(p("2006-01-02 15:04:05", "2020-03-04 05:06:07.5").unwrap(), "2020-03-04 05:06:07.5 +0000 UTC");
        assert_eq!(p("2006-002", "2020-060").unwrap(), "2020-02-29 00:00:00 +0000 UTC");
        assert_eq!(p("2006-01-02 MST", "2020-01-02 PST").unwrap(), "2020-01-02 00:00:00 +0000 PST");
        assert_eq!(p("2006-01-02 MST", "2020-01-02 GMT+3").unwrap(), "2020-01-02 03:00:00 +0300 GMT+3");
        assert_eq!(p("2006-01-02 -0700", "2020-01-02 +0530").unwrap(), "2020-01-02 00:00:00 +0530 +0530");
        assert_eq!(p(RFC3339, "2020-01-02T03:04:05-07:00").unwrap(), "2020-01-02 03:04:05 -0700 -0700");
        assert_eq!(
            p("2006-01-02", "2020-3-04").unwrap_err(),
            r#"parsing time "2020-3-04" as "2006-01-02": cannot parse "3-04" as "01""#
        );
        assert_eq!(p("2006-01-02", "2020-13-04").unwrap_err(), r#"parsing time "2020-13-04": month out of range"#);
        assert_eq!(p("2006-01-02", "2021-02-29").unwrap_err(), r#"parsing time "2021-02-29": day out of range"#);
        assert_eq!(p("2006", "2020x").unwrap_err(), r#"parsing time "2020x": extra text: "x""#);
        assert_eq!(p("15:04", "25:00").unwrap_err(), r#"parsing time "25:00": hour out of range"#);
        assert_eq!(
            p("2006 é", "2006 e").unwrap_err(),
            r#"parsing time "2006 e" as "2006 \xc3\xa9": cannot parse "e" as " \xc3\xa9""#
        );
    }
}
