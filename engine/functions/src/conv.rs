//! Type coercions as Sprig does them (through spf13/cast v1.7.0), shared by
//! every function family, and the conversion functions themselves.

use rhelm_template::strconv::{parse_float, parse_int};
use rhelm_template::{Elem, FuncMap, Function, Type, Value};

/// Go's `int64(f)` on amd64: out-of-range and NaN give the minimum int64.
pub fn go_f64_to_i64(f: f64) -> i64 {
    // 2^63 is the first float64 past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's trimZeroDecimal: "1.000" → "1", anything else unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64E`: `None` where cast returns an error.
pub fn try_int64(v: &Value) -> Option<i64> {
    Some(match v {
        Value::Nil => 0,
        Value::Bool(b) => i64::from(*b),
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Str(s) => parse_int(trim_zero_decimal(s))?,
        _ => return None,
    })
}

/// Sprig's `toInt64`: cast.ToInt64, errors giving 0.
pub fn to_int64(v: &Value) -> i64 {
    try_int64(v).unwrap_or(0)
}

/// `cast.ToFloat64E`: `None` where cast returns an error.
pub fn try_float64(v: &Value) -> Option<f64> {
    Some(match v {
        Value::Nil => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint8(u) => *u as f64,
        Value::Float(f) => *f,
        Value::Str(s) => parse_float(s)?,
        _ => return None,
    })
}

/// Sprig's `toFloat64`: cast.ToFloat64, errors giving 0.
pub fn to_float64(v: &Value) -> f64 {
    try_float64(v).unwrap_or(0.0)
}

/// Sprig's `strval`: strings as they are, bytes as text, anything else as `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => rhelm_template::fmt::sprintf("%v", std::slice::from_ref(other)),
    }
}

/// Sprig's `strslice` (`toStrings`): nil elements dropped, the rest `strval`ed.
pub fn strslice(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.items.iter().filter(|x| !x.is_nil()).map(|x| Value::string(strval(x))).collect(),
        Value::Bytes(b) => b.iter().map(|x| Value::string(x.to_string())).collect(),
        Value::Nil => Vec::new(),
        other => vec![Value::string(strval(other))],
    }
}

/// A `[]string` value.
pub fn string_list(items: Vec<Value>) -> Value {
    Value::typed_list(Elem::String, items)
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert(
        "atoi",
        Function::new(&[Type::String], None, |a| {
            Ok(Value::Int(a[0].as_str().and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)))
        }),
    );
    m.insert("int64", Function::new(&[Type::Any], None, |a| Ok(Value::Int64(to_int64(&a[0])))));
    m.insert("int", Function::new(&[Type::Any], None, |a| Ok(Value::Int(to_int64(&a[0])))));
    m.insert("float64", Function::new(&[Type::Any], None, |a| Ok(Value::Float(to_float64(&a[0])))));
    m.insert("toString", Function::new(&[Type::Any], None, |a| Ok(Value::string(strval(&a[0])))));
    m.insert("toStrings", Function::new(&[Type::Any], None, |a| Ok(string_list(strslice(&a[0])))));
    m.insert(
        "toDecimal",
        Function::new(&[Type::Any], None, |a| {
            let text = rhelm_template::fmt::sprint(std::slice::from_ref(&a[0]));
            Ok(Value::Int64(i64::from_str_radix(&text, 8).unwrap_or(0)))
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_rules() {
        assert_eq!(to_int64(&Value::str("1.000")), 1);
        assert_eq!(to_int64(&Value::str("1.5")), 0);
        assert_eq!(to_int64(&Value::str("0x1F")), 31);
        assert_eq!(to_int64(&Value::Float(1.9)), 1);
        assert_eq!(to_int64(&Value::Float(f64::NAN)), i64::MIN);
        assert_eq!(to_float64(&Value::str("Inf")), f64::INFINITY);
        assert_eq!(to_float64(&Value::str("1e400")), 0.0);
        assert_eq!(strval(&Value::Nil), "<nil>");
    }
}
