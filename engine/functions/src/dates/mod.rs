//! Sprig's date functions (date.go) on a Rust port of Go's time package:
//! `time.Time` and `time.Duration` values, reference-time layouts, time
//! zones read from the system zoneinfo, and `time.ParseDuration`.

mod civil;
pub mod duration;
pub mod format;
mod object;
pub mod time;
pub mod zone;

use rhelm_template::{Error, FuncMap, Function, Type, Value};

pub use duration::Duration;
pub use object::{as_duration, as_time, duration_value, marshal_json, time_string, time_value};
pub use time::Time;
pub use zone::{load_location, Loc};

/// A Sprig argument declared `time.Time`. The function map has no such
/// parameter type, so the check happens here (and its error reads as a
/// function error rather than Go's argument error).
fn time_arg(v: &Value) -> Result<&Time, Error> {
    as_time(v).ok_or_else(|| {
        let got = if v.is_nil() { "<nil>".into() } else { v.type_name() };
        Error::msg(format!("wrong type for value; expected time.Time; got {got}"))
    })
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The time a date function was given: a time (or *time.Time), or unix
/// seconds as int/int64 (int32 cannot occur in templates); anything else
/// means now.
fn time_or_now(v: &Value) -> Time {
    match v {
        Value::Int(secs) | Value::Int64(secs) => Time::unix(*secs, 0),
        _ => as_time(v).cloned().unwrap_or_else(Time::now),
    }
}

/// Sprig's dateInZone: an unknown zone silently becomes UTC.
fn date_in_zone(layout: &str, date: &Value, zone: &str) -> String {
    let loc = load_location(zone).unwrap_or(Loc::Utc);
    format::format(&time_or_now(date).in_loc(loc), layout)
}

/// Sprig's `ago`: time since the date, rounded to the second. Unlike the
/// other date functions it does not take *time.Time.
fn ago(date: &Value) -> String {
    let t = match date {
        Value::Int(secs) | Value::Int64(secs) => Time::unix(*secs, 0),
        _ => as_time(date).cloned().unwrap_or_else(Time::now),
    };
    t.since().round(Duration(duration::SECOND)).to_string()
}

/// `strconv.ParseInt(s, 10, 64)` as Sprig's `duration` uses it, error
/// ignored: syntax errors give 0, out-of-range values the clamped limit
/// (Go stops at the first overflowing digit, before any later bad byte).
fn parse_int10_lenient(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return 0;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return 0;
        }
        match n.checked_mul(10).and_then(|x| x.checked_add(u64::from(b - b'0'))) {
            Some(x) => n = x,
            None => return if neg { i64::MIN } else { i64::MAX },
        }
    }
    if neg {
        if n > 1 << 63 {
            i64::MIN
        } else {
            (n as i64).wrapping_neg()
        }
    } else {
        i64::try_from(n).unwrap_or(i64::MAX)
    }
}

/// Sprig's `duration`: seconds (an int64 or a decimal string) printed as a
/// Duration. A Go `int`, a float or anything else counts as 0.
fn duration_of_seconds(sec: &Value) -> String {
    let n = match sec {
        Value::Str(s) => parse_int10_lenient(s),
        Value::Int64(n) => *n,
        _ => 0,
    };
    Duration(n.wrapping_mul(duration::SECOND)).to_string()
}

/// Sprig's `durationRound`: the largest whole unit of a duration (a
/// duration string, int64 nanoseconds, or the time since a date). Units
/// must be strictly exceeded, so exactly one hour prints `60m`.
fn duration_round(v: &Value) -> String {
    let d = match v {
        Value::Str(s) => Duration::parse(s).unwrap_or_default(),
        Value::Int64(n) => Duration(*n),
        _ => as_time(v).map(Time::since).unwrap_or_default(),
    };
    let u = d.0.unsigned_abs();
    let hour = duration::HOUR as u64;
    let units: [(u64, &str); 6] = [
        (hour * 24 * 365, "y"),
        (hour * 24 * 30, "mo"),
        (hour * 24, "d"),
        (hour, "h"),
        (duration::MINUTE as u64, "m"),
        (duration::SECOND as u64, "s"),
    ];
    match units.iter().find(|(size, _)| u > *size) {
        Some((size, suffix)) => format!("{}{suffix}", u / size),
        None => "0s".to_string(),
    }
}

fn date_modify(a: &[Value], must: bool) -> Result<Value, Error> {
    let t = time_arg(&a[1])?;
    match Duration::parse(str_arg(&a[0])) {
        Ok(d) => Ok(time_value(t.add(d))),
        Err(e) if must => Err(Error::msg(e)),
        Err(_) => Ok(time_value(t.clone())),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    let s = Type::String;
    let any = Type::Any;
    m.insert("ago", Function::new(&[any], None, |a| Ok(Value::string(ago(&a[0])))));
    m.insert(
        "date",
        Function::new(&[s, any], None, |a| Ok(Value::string(date_in_zone(str_arg(&a[0]), &a[1], "Local")))),
    );
    for name in ["date_in_zone", "dateInZone"] {
        m.insert(
            name,
            Function::new(&[s, any, s], None, |a| {
                Ok(Value::string(date_in_zone(str_arg(&a[0]), &a[1], str_arg(&a[2]))))
            }),
        );
    }
    for name in ["date_modify", "dateModify"] {
        m.insert(name, Function::new(&[s, any], None, |a| date_modify(a, false)));
    }
    for name in ["must_date_modify", "mustDateModify"] {
        m.insert(name, Function::new(&[s, any], None, |a| date_modify(a, true)));
    }
    m.insert("duration", Function::new(&[any], None, |a| Ok(Value::string(duration_of_seconds(&a[0])))));
    m.insert("durationRound", Function::new(&[any], None, |a| Ok(Value::string(duration_round(&a[0])))));
    m.insert(
        "htmlDate",
        Function::new(&[any], None, |a| Ok(Value::string(date_in_zone("2006-01-02", &a[0], "Local")))),
    );
    m.insert(
        "htmlDateInZone",
        Function::new(&[any, s], None, |a| Ok(Value::string(date_in_zone("2006-01-02", &a[0], str_arg(&a[1]))))),
    );
    m.insert("now", Function::new(&[], None, |_| Ok(time_value(Time::now()))));
    m.insert(
        "toDate",
        Function::new(&[s, s], None, |a| {
            let t = format::parse_in_location(str_arg(&a[0]), str_arg(&a[1]), &Loc::Local).unwrap_or_default();
            Ok(time_value(t))
        }),
    );
    m.insert(
        "mustToDate",
        Function::new(&[s, s], None, |a| {
            format::parse_in_location(str_arg(&a[0]), str_arg(&a[1]), &Loc::Local).map(time_value).map_err(Error::msg)
        }),
    );
    m.insert("unixEpoch", Function::new(&[any], None, |a| Ok(Value::string(time_arg(&a[0])?.unix_sec().to_string()))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhelm_template::TemplateSet;

    /// Renders `tpl` with only this module's functions, `.` bound to `data`.
    fn render(tpl: &str, data: Value) -> String {
        let mut funcs = FuncMap::new();
        register(&mut funcs);
        let mut set = TemplateSet::new("t", funcs);
        set.parse("x", tpl).unwrap();
        set.render("x", &data).unwrap()
    }

    #[test]
    fn now_prints_with_monotonic_suffix() {
        // e.g. 2026-11-22 21:30:43.651874997 +0000 UTC m=+0.220062513
        let out = render("{{ now }}", Value::Nil);
        let (wall, mono) = out.split_once(" m=+").expect("monotonic suffix");
        assert!(wall.len() >= "2006-01-02 15:04:05 +0000 UTC".len(), "{out}");
        let (secs, frac) = mono.split_once('.').expect("seconds.nanos");
        assert!(secs.bytes().all(|b| b.is_ascii_digit()) && frac.len() == 9, "{out}");
        // Times derived from now keep the reading; a zone change drops it.
        assert!(render("{{ now | dateModify \"1h\" }}", Value::Nil).contains(" m=+"));
        assert!(!render("{{ now.UTC }}", Value::Nil).contains(" m="));
    }

    #[test]
    fn ago_and_since_now() {
        assert_eq!(render("{{ ago now }}", Value::Nil), "0s");
        assert_eq!(render("{{ ago . }}", Value::Nil), "0s");
        assert_eq!(render("{{ durationRound now }}", Value::Nil), "0s");
        let past = render("{{ ago 0 }}", Value::Nil);
        assert!(past.starts_with(|c: char| c.is_ascii_digit()) && past.ends_with('s') && past.contains('h'), "{past}");
        assert_eq!(render("{{ durationRound (dateModify \"-50h\" now) }}", Value::Nil), "2d");
    }

    #[test]
    fn sprig_durations() {
        assert_eq!(render("{{ durationRound \"3601s\" }}", Value::Nil), "1h");
        assert_eq!(render("{{ durationRound \"3600s\" }}", Value::Nil), "60m");
        assert_eq!(render("{{ duration . }}", Value::Int64(3661)), "1h1m1s");
        assert_eq!(render("{{ duration 3661 }}", Value::Nil), "0s");
        let huge = Duration(i64::MAX.wrapping_mul(duration::SECOND)).to_string();
        assert_eq!(render("{{ duration \"99999999999999999999\" }}", Value::Nil), huge);
    }

    #[test]
    fn date_defaults_to_now() {
        assert_eq!(render("{{ htmlDate \"x\" | len }}", Value::Nil), "10");
        assert_eq!(render("{{ date \"2006\" 1.5 | len }}", Value::Nil), "4");
        assert_eq!(render("{{ htmlDate 0 }}", Value::Nil), "1970-01-01");
        assert_eq!(render("{{ unixEpoch now | len }}", Value::Nil).parse::<usize>().unwrap(), 10);
    }

    #[test]
    fn lenient_parse_int() {
        assert_eq!(parse_int10_lenient("42"), 42);
        assert_eq!(parse_int10_lenient("-42"), -42);
        assert_eq!(parse_int10_lenient("+42"), 42);
        assert_eq!(parse_int10_lenient("4_2"), 0);
        assert_eq!(parse_int10_lenient(""), 0);
        assert_eq!(parse_int10_lenient("-9223372036854775808"), i64::MIN);
        assert_eq!(parse_int10_lenient("9223372036854775808"), i64::MAX);
        assert_eq!(parse_int10_lenient("99999999999999999999x"), i64::MAX);
    }
}
