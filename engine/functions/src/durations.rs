//! Helm 4.3's duration functions (`pkg/engine/funcs.go`): `mustToDuration`,
//! the `durationSeconds`.. `durationWeeks` conversions and
//! `durationRoundTo`/`durationTruncateTo`. They read durations through
//! Helm's `asDuration`: a `time.Duration`, a `time.ParseDuration` string, or
//! a number of seconds (numeric strings and numbers alike).

use rhelm_template::strconv::{parse_float, quote};
use rhelm_template::{Error, FuncMap, Function, Type, Value};

use crate::conv::go_f64_to_i64;
use crate::dates::duration::SECOND;
use crate::dates::{as_duration, duration_value, Duration};

const MAX_SECONDS: i64 = i64::MAX / SECOND;
const MIN_SECONDS: i64 = i64::MIN / SECOND;
const MAX_SECONDS_F: f64 = i64::MAX as f64 / SECOND as f64;
const MIN_SECONDS_F: f64 = i64::MIN as f64 / SECOND as f64;

/// `%v` of a float64, for error texts.
fn float_text(f: f64) -> String {
    rhelm_template::fmt::sprintf("%v", &[Value::Float(f)])
}

fn from_seconds_int(seconds: i64) -> Result<Duration, String> {
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(format!("duration seconds overflow: {seconds}"));
    }
    Ok(Duration(seconds * SECOND))
}

fn from_seconds_float(seconds: f64) -> Result<Duration, String> {
    if seconds.is_nan() || seconds.is_infinite() {
        return Err(format!("invalid duration seconds: {}", float_text(seconds)));
    }
    if !(MIN_SECONDS_F..=MAX_SECONDS_F).contains(&seconds) {
        return Err(format!("duration seconds overflow: {}", float_text(seconds)));
    }
    let nanos = seconds * SECOND as f64;
    if nanos > i64::MAX as f64 || nanos < i64::MIN as f64 {
        return Err(format!("duration nanoseconds overflow: {}", float_text(nanos)));
    }
    // float64(MaxInt64) passes the check above but does not fit; Go's
    // conversion then yields MinInt64 on amd64, as go_f64_to_i64 does.
    Ok(Duration(go_f64_to_i64(nanos)))
}

/// Helm's `asDuration`.
fn as_go_duration(v: &Value) -> Result<Duration, String> {
    if let Some(d) = as_duration(v) {
        return Ok(d);
    }
    match v {
        Value::Str(raw) => {
            let s = raw.trim();
            if s.is_empty() {
                return Err("empty duration".into());
            }
            if let Ok(d) = Duration::parse(s) {
                return Ok(d);
            }
            match parse_float(s) {
                Some(f) => from_seconds_float(f),
                None => Err(format!("could not parse duration {}", quote(raw))),
            }
        }
        Value::Nil => Err("invalid duration".into()),
        Value::Int(i) | Value::Int64(i) => from_seconds_int(*i),
        Value::Uint8(u) => from_seconds_int(i64::from(*u)),
        Value::Float(f) => from_seconds_float(*f),
        other => Err(format!("unsupported duration type {}", other.type_name())),
    }
}

/// A conversion that yields 0 when the input is not a duration.
fn convert(f: fn(Duration) -> Value, zero: Value) -> Function {
    Function::new(&[Type::Any], None, move |a| Ok(as_go_duration(&a[0]).map(f).unwrap_or_else(|_| zero.clone())))
}

/// Rounding to a multiple: an invalid value gives 0, an invalid multiple
/// leaves the value as it is.
fn to_multiple(op: fn(Duration, Duration) -> Duration) -> Function {
    Function::new(&[Type::Any, Type::Any], None, move |a| {
        let d = match as_go_duration(&a[0]) {
            Ok(d) => d,
            Err(_) => return Ok(duration_value(Duration(0))),
        };
        Ok(duration_value(match as_go_duration(&a[1]) {
            Ok(m) => op(d, m),
            Err(_) => d,
        }))
    })
}

pub(crate) fn register_durations(m: &mut FuncMap) {
    m.insert(
        "mustToDuration",
        Function::new(&[Type::Any], None, |a| as_go_duration(&a[0]).map(duration_value).map_err(Error::msg)),
    );
    let float = Value::Float(0.0);
    let int64 = Value::Int64(0);
    m.insert("durationSeconds", convert(|d| Value::Float(d.seconds()), float.clone()));
    m.insert("durationMinutes", convert(|d| Value::Float(d.minutes()), float.clone()));
    m.insert("durationHours", convert(|d| Value::Float(d.hours()), float.clone()));
    m.insert("durationDays", convert(|d| Value::Float(d.hours() / 24.0), float.clone()));
    m.insert("durationWeeks", convert(|d| Value::Float(d.hours() / 24.0 / 7.0), float));
    m.insert("durationMilliseconds", convert(|d| Value::Int64(d.milliseconds()), int64.clone()));
    m.insert("durationMicroseconds", convert(|d| Value::Int64(d.microseconds()), int64.clone()));
    m.insert("durationNanoseconds", convert(|d| Value::Int64(d.nanoseconds()), int64));
    m.insert("durationRoundTo", to_multiple(Duration::round));
    m.insert("durationTruncateTo", to_multiple(Duration::truncate));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dur(v: Value) -> Result<i64, String> {
        as_go_duration(&v).map(|d| d.0)
    }

    #[test]
    fn reads_durations_like_helm() {
        assert_eq!(dur(Value::str(" 1m30s ")), Ok(90 * SECOND));
        assert_eq!(dur(Value::str("1.5")), Ok(1_500_000_000));
        assert_eq!(dur(Value::str("+5")), Ok(5 * SECOND));
        assert_eq!(dur(Value::Int(90)), Ok(90 * SECOND));
        assert_eq!(dur(Value::Float(0.25)), Ok(250_000_000));
        assert_eq!(dur(Value::str("")), Err("empty duration".into()));
        assert_eq!(dur(Value::Nil), Err("invalid duration".into()));
        assert_eq!(dur(Value::str("bad")), Err("could not parse duration \"bad\"".into()));
        assert_eq!(dur(Value::Bool(true)), Err("unsupported duration type bool".into()));
        assert_eq!(dur(Value::Int64(i64::MAX)), Err("duration seconds overflow: 9223372036854775807".into()));
        assert_eq!(dur(Value::Float(f64::NAN)), Err("invalid duration seconds: NaN".into()));
        assert_eq!(dur(Value::Float(1e10)), Err("duration seconds overflow: 1e+10".into()));
    }
}
