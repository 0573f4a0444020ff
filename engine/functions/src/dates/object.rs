//! The host objects templates see: `time.Time`, `time.Duration`,
//! `time.Month`, `time.Weekday` and `*time.Location`, with the methods a
//! template can call on them and Go's printing (their `String` methods).
//!
//! Methods receive already-evaluated arguments, so Go's argument checks are
//! redone here. An untyped integer constant is assignable to a
//! `time.Duration` parameter, so a Go `int` is accepted where Go would take
//! a literal such as `{{ $t.Add 5 }}`.

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use rhelm_template::{Object, ObjectKind, Value};

use super::duration::Duration;
use super::format::{self, day_name, month_name};
use super::time::Time;
use super::zone::Loc;

/// A `time.Time` value.
pub fn time_value(t: Time) -> Value {
    Value::Object(Arc::new(TimeObject(t)))
}

/// A `time.Duration` value.
pub fn duration_value(d: Duration) -> Value {
    Value::Object(Arc::new(DurationObject(d)))
}

/// The `time.Time` held by a value, if it is one.
pub fn as_time(v: &Value) -> Option<&Time> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<TimeObject>().map(|t| &t.0),
        _ => None,
    }
}

/// The `time.Duration` held by a value, if it is one.
pub fn as_duration(v: &Value) -> Option<Duration> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<DurationObject>().map(|d| d.0),
        _ => None,
    }
}

/// What `encoding/json` writes for a time object (`MarshalJSON`: a quoted
/// RFC 3339 string) or a duration (its integer nanoseconds); `None` for
/// other values. Errors carry Go's text.
pub fn marshal_json(v: &Value) -> Option<Result<String, String>> {
    if let Some(t) = as_time(v) {
        return Some(format::marshal_rfc3339(t, "Time.MarshalJSON").map(|s| format!("\"{s}\"")));
    }
    as_duration(v).map(|d| Ok(d.0.to_string()))
}

#[derive(Debug)]
pub struct TimeObject(pub Time);

#[derive(Debug)]
pub struct DurationObject(pub Duration);

#[derive(Debug)]
pub struct MonthObject(pub i64);

#[derive(Debug)]
pub struct WeekdayObject(pub i64);

#[derive(Debug)]
pub struct LocationObject(pub Loc);

fn want(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!("wrong number of args for {name}: want {n} got {}", args.len()));
    }
    Ok(())
}

fn wrong_type(expected: &str, got: &Value) -> String {
    let got = if got.is_nil() { Cow::Borrowed("interface {}") } else { got.type_name() };
    format!("wrong type for value; expected {expected}; got {got}")
}

fn arg_duration(v: &Value) -> Result<Duration, String> {
    match v {
        Value::Int(i) => Ok(Duration(*i)),
        _ => as_duration(v).ok_or_else(|| wrong_type("time.Duration", v)),
    }
}

fn arg_time(v: &Value) -> Result<&Time, String> {
    as_time(v).ok_or_else(|| wrong_type("time.Time", v))
}

fn arg_int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        _ => Err(wrong_type("int", v)),
    }
}

fn arg_str(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| wrong_type("string", v))
}

fn arg_location(v: &Value) -> Result<Loc, String> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<LocationObject>().map(|l| l.0.clone()),
        _ => None,
    }
    .ok_or_else(|| wrong_type("*time.Location", v))
}

const TIME_METHODS: &[&str] = &[
    "Add",
    "AddDate",
    "After",
    "AppendFormat",
    "Before",
    "Clock",
    "Compare",
    "Date",
    "Day",
    "Equal",
    "Format",
    "GoString",
    "GobEncode",
    "Hour",
    "ISOWeek",
    "In",
    "IsDST",
    "IsZero",
    "Local",
    "Location",
    "MarshalBinary",
    "MarshalJSON",
    "MarshalText",
    "Minute",
    "Month",
    "Nanosecond",
    "Round",
    "Second",
    "String",
    "Sub",
    "Truncate",
    "UTC",
    "Unix",
    "UnixMicro",
    "UnixMilli",
    "UnixNano",
    "Weekday",
    "Year",
    "YearDay",
    "Zone",
    "ZoneBounds",
];

impl Object for TimeObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("time.Time")
    }

    fn has_method(&self, name: &str) -> bool {
        TIME_METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let t = &self.0;
        let int = |v: i64| Value::Int(v);
        let no_args = |v: Value| want(name, args, 0).map(|_| v);
        match name {
            "Add" => {
                want(name, args, 1)?;
                Ok(time_value(t.add(arg_duration(&args[0])?)))
            }
            "AddDate" => {
                want(name, args, 3)?;
                let (y, m, d) = (arg_int(&args[0])?, arg_int(&args[1])?, arg_int(&args[2])?);
                Ok(time_value(t.add_date(y, m, d)))
            }
            "After" | "Before" | "Equal" | "Compare" | "Sub" => {
                want(name, args, 1)?;
                let u = arg_time(&args[0])?;
                Ok(match name {
                    "After" => Value::Bool(t.after(u)),
                    "Before" => Value::Bool(t.before(u)),
                    "Equal" => Value::Bool(t.equal(u)),
                    "Compare" => int(t.compare(u) as i64),
                    _ => duration_value(t.sub(u)),
                })
            }
            "AppendFormat" => {
                want(name, args, 2)?;
                let mut b = match &args[0] {
                    Value::Bytes(b) => b.to_vec(),
                    Value::Nil => Vec::new(),
                    other => return Err(wrong_type("[]uint8", other)),
                };
                b.extend_from_slice(format::format(t, arg_str(&args[1])?).as_bytes());
                Ok(Value::Bytes(Arc::from(b)))
            }
            "Format" => {
                want(name, args, 1)?;
                Ok(Value::string(format::format(t, arg_str(&args[0])?)))
            }
            "In" => {
                want(name, args, 1)?;
                Ok(time_value(t.in_loc(arg_location(&args[0])?)))
            }
            "Round" | "Truncate" => {
                want(name, args, 1)?;
                let d = arg_duration(&args[0])?;
                Ok(time_value(if name == "Round" { t.round(d) } else { t.truncate(d) }))
            }
            "Day" => no_args(int(t.fields().day)),
            "Hour" => no_args(int(t.fields().hour)),
            "Minute" => no_args(int(t.fields().minute)),
            "Second" => no_args(int(t.fields().second)),
            "Nanosecond" => no_args(int(t.nanosecond())),
            "Year" => no_args(int(t.fields().year)),
            "YearDay" => no_args(int(t.fields().yday)),
            "Month" => no_args(Value::Object(Arc::new(MonthObject(t.fields().month)))),
            "Weekday" => no_args(Value::Object(Arc::new(WeekdayObject(t.fields().weekday())))),
            "GoString" => no_args(Value::string(go_string(t))),
            "IsDST" => no_args(Value::Bool(t.zone().is_dst)),
            "IsZero" => no_args(Value::Bool(t.is_zero())),
            "Local" => no_args(time_value(t.in_loc(Loc::Local))),
            "UTC" => no_args(time_value(t.in_loc(Loc::Utc))),
            "Location" => no_args(Value::Object(Arc::new(LocationObject(t.location().clone())))),
            "String" => no_args(Value::string(time_string(t))),
            "Unix" => no_args(Value::Int64(t.unix_sec())),
            "UnixMilli" => no_args(Value::Int64(t.unix_milli())),
            "UnixMicro" => no_args(Value::Int64(t.unix_micro())),
            "UnixNano" => no_args(Value::Int64(t.unix_nano())),
            "MarshalJSON" | "MarshalText" => {
                want(name, args, 0)?;
                let text = format::marshal_rfc3339(t, &format!("Time.{name}"))?;
                let text = if name == "MarshalJSON" { format!("\"{text}\"") } else { text };
                Ok(Value::Bytes(Arc::from(text.into_bytes())))
            }
            "MarshalBinary" | "GobEncode" => {
                want(name, args, 0)?;
                Ok(Value::Bytes(Arc::from(marshal_binary(t)?)))
            }
            // Go refuses to call these from a template.
            "Zone" => Err("invalid function signature for Zone: second return value should be error; is int".into()),
            "ISOWeek" => {
                Err("invalid function signature for ISOWeek: second return value should be error; is int".into())
            }
            "ZoneBounds" => {
                Err("invalid function signature for ZoneBounds: second return value should be error; is time.Time"
                    .into())
            }
            "Date" | "Clock" => Err(format!("function {name} has 3 return values; should be 1 or 2")),
            _ => Err(format!("can't evaluate field {name} in type time.Time")),
        }
    }

    fn format(&self, out: &mut String) {
        out.push_str(&time_string(&self.0));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Go's `Time.String`: the layout `2006-01-02 15:04:05.999999999 -0700 MST`
/// plus ` m=±seconds` when the time carries a monotonic clock reading.
pub fn time_string(t: &Time) -> String {
    let mut s = format::format(t, "2006-01-02 15:04:05.999999999 -0700 MST");
    if let Some(m) = t.monotonic() {
        let sign = if m < 0 { '-' } else { '+' };
        let m = m.unsigned_abs();
        let (whole, frac) = (m / 1_000_000_000, m % 1_000_000_000);
        s.push_str(&format!(" m={sign}{whole}.{frac:09}"));
    }
    s
}

/// Go's `Time.GoString`: `time.Date(2006, time.January, 2, 15, 4, 5, 0, time.UTC)`.
fn go_string(t: &Time) -> String {
    let f = t.fields();
    let month = match f.month {
        1..=12 => format!("time.{}", month_name(f.month)),
        m => m.to_string(),
    };
    let loc = match t.location() {
        Loc::Utc => "time.UTC".to_string(),
        Loc::Local => "time.Local".to_string(),
        other => format!("time.Location({})", format::quote_bytes(other.get().name().as_bytes())),
    };
    format!(
        "time.Date({}, {month}, {}, {}, {}, {}, {}, {loc})",
        f.year,
        f.day,
        f.hour,
        f.minute,
        f.second,
        t.nanosecond()
    )
}

/// Go's `Time.MarshalBinary`: version, seconds, nanoseconds, zone minutes
/// (-1 for UTC), and the zone's odd seconds in version 2.
fn marshal_binary(t: &Time) -> Result<Vec<u8>, String> {
    let (mut version, mut offset_sec, offset_min): (u8, i8, i16) = (1, 0, -1);
    let offset_min = if let Loc::Utc = t.location() {
        offset_min
    } else {
        let offset = t.zone().offset;
        if offset % 60 != 0 {
            version = 2;
            offset_sec = (offset % 60) as i8;
        }
        let minutes = offset / 60;
        if !(-32768..=32767).contains(&minutes) || minutes == -1 {
            return Err("Time.MarshalBinary: unexpected zone offset".into());
        }
        minutes as i16
    };
    let mut enc = vec![version];
    enc.extend_from_slice(&t.internal_sec().to_be_bytes());
    enc.extend_from_slice(&(t.nanosecond() as i32).to_be_bytes());
    enc.extend_from_slice(&offset_min.to_be_bytes());
    if version == 2 {
        enc.push(offset_sec as u8);
    }
    Ok(enc)
}

const DURATION_METHODS: &[&str] = &[
    "Abs",
    "Hours",
    "Microseconds",
    "Milliseconds",
    "Minutes",
    "Nanoseconds",
    "Round",
    "Seconds",
    "String",
    "Truncate",
];

impl Object for DurationObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("time.Duration")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Int
    }

    fn has_method(&self, name: &str) -> bool {
        DURATION_METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let d = self.0;
        if name == "Round" || name == "Truncate" {
            want(name, args, 1)?;
            let m = arg_duration(&args[0])?;
            return Ok(duration_value(if name == "Round" { d.round(m) } else { d.truncate(m) }));
        }
        want(name, args, 0)?;
        Ok(match name {
            "Abs" => duration_value(d.abs()),
            "Hours" => Value::Float(d.hours()),
            "Minutes" => Value::Float(d.minutes()),
            "Seconds" => Value::Float(d.seconds()),
            "Milliseconds" => Value::Int64(d.milliseconds()),
            "Microseconds" => Value::Int64(d.microseconds()),
            "Nanoseconds" => Value::Int64(d.nanoseconds()),
            "String" => Value::string(d.to_string()),
            _ => return Err(format!("can't evaluate field {name} in type time.Duration")),
        })
    }

    fn format(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }

    fn truthy(&self) -> bool {
        self.0 .0 != 0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `time.Month` and `time.Weekday` are ints whose `String` names them.
macro_rules! named_int_object {
    ($ty:ident, $go:literal, $name:expr) => {
        impl Object for $ty {
            fn type_name(&self) -> Cow<'_, str> {
                Cow::Borrowed($go)
            }

            fn kind(&self) -> ObjectKind {
                ObjectKind::Int
            }

            fn has_method(&self, name: &str) -> bool {
                name == "String"
            }

            fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
                want(name, args, 0)?;
                Ok(Value::string($name(self.0)))
            }

            fn format(&self, out: &mut String) {
                out.push_str(&$name(self.0));
            }

            fn truthy(&self) -> bool {
                self.0 != 0
            }

            fn as_any(&self) -> &dyn Any {
                self
            }
        }
    };
}

named_int_object!(MonthObject, "time.Month", month_name);
named_int_object!(WeekdayObject, "time.Weekday", day_name);

impl Object for LocationObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*time.Location")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Pointer
    }

    fn has_method(&self, name: &str) -> bool {
        name == "String"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        want(name, args, 0)?;
        Ok(Value::str(self.0.get().name()))
    }

    fn format(&self, out: &mut String) {
        out.push_str(self.0.get().name());
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
