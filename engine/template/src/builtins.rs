//! text/template's predefined functions (`funcs.go`), with Go's error texts.

use std::sync::Arc;

use crate::error::Error;
use crate::escape;
use crate::func::{Builtin, FuncMap, FuncResult, Function, Type};
use crate::value::Value;

pub(crate) fn builtins() -> FuncMap {
    let mut m = FuncMap::new();
    let special = |b: Builtin| Function {
        builtin: Some(b),
        ..Function::new(&[Type::Reflect], Some(Type::Reflect), |_| Ok(Value::Nil))
    };
    m.insert("and", special(Builtin::And));
    m.insert("or", special(Builtin::Or));
    m.insert("call", special(Builtin::Call));
    m.insert("html", Function::new(&[], Some(Type::Any), |a| Ok(Value::string(escape::html(&eval_args(a))))));
    m.insert("js", Function::new(&[], Some(Type::Any), |a| Ok(Value::string(escape::js(&eval_args(a))))));
    m.insert("urlquery", Function::new(&[], Some(Type::Any), |a| Ok(Value::string(escape::query(&eval_args(a))))));
    m.insert("index", Function::new(&[Type::Reflect], Some(Type::Reflect), |a| index(&a[0], &a[1..])));
    m.insert("slice", Function::new(&[Type::Reflect], Some(Type::Reflect), |a| slice(&a[0], &a[1..])));
    m.insert(
        "len",
        Function { builtin: Some(Builtin::Len), ..Function::new(&[Type::Reflect], None, |a| length(&a[0])) },
    );
    m.insert("not", Function::new(&[Type::Reflect], None, |a| Ok(Value::Bool(!a[0].truthy()))));
    m.insert("print", Function::new(&[], Some(Type::Any), |a| Ok(Value::string(crate::fmt::sprint(a)))));
    m.insert(
        "printf",
        Function::new(&[Type::String], Some(Type::Any), |a| {
            Ok(Value::string(crate::fmt::sprintf(a[0].as_str().unwrap_or_default(), &a[1..])))
        }),
    );
    m.insert("println", Function::new(&[], Some(Type::Any), |a| Ok(Value::string(crate::fmt::sprintln(a)))));
    m.insert("eq", Function::new(&[Type::Reflect], Some(Type::Reflect), |a| eq(&a[0], &a[1..]).map(Value::Bool)));
    m.insert(
        "ne",
        Function::new(&[Type::Reflect, Type::Reflect], None, |a| eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b))),
    );
    m.insert("lt", Function::new(&[Type::Reflect, Type::Reflect], None, |a| lt(&a[0], &a[1]).map(Value::Bool)));
    m.insert("le", Function::new(&[Type::Reflect, Type::Reflect], None, |a| le(&a[0], &a[1]).map(Value::Bool)));
    m.insert("gt", Function::new(&[Type::Reflect, Type::Reflect], None, |a| le(&a[0], &a[1]).map(|b| Value::Bool(!b))));
    m.insert("ge", Function::new(&[Type::Reflect, Type::Reflect], None, |a| lt(&a[0], &a[1]).map(|b| Value::Bool(!b))));
    m
}

/// Go's `evalArgs`: one string argument verbatim, otherwise `fmt.Sprint`
/// with nil shown as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::Str(s)] = args {
        return s.to_string();
    }
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let printable = if a.is_nil() { Value::str("<no value>") } else { a.clone() };
        let is_string = matches!(printable, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        crate::fmt::write_value(&mut out, &printable);
        prev_string = is_string;
    }
    out
}

/// Go's `indexArg`.
fn index_arg(index: &Value, cap: usize) -> Result<usize, Error> {
    let x: i64 = match index {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        Value::Nil => return Err(Error::msg("cannot index slice/array with nil")),
        other => return Err(Error::msg(format!("cannot index slice/array with type {}", other.type_name()))),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(Error::msg(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> FuncResult {
    if item.is_nil() {
        return Err(Error::msg("index of untyped nil"));
    }
    let mut item = item.clone();
    for (n, index) in indexes.iter().enumerate() {
        // After the first step the item is an interface value; a nil one is a nil pointer.
        if n > 0 && item.is_nil() {
            return Err(Error::msg("index of nil pointer"));
        }
        item = match &item {
            Value::List(l) => {
                let x = index_arg(index, l.items.len())?;
                l.items.get(x).cloned().ok_or_else(|| Error::msg("reflect: slice index out of range"))?
            }
            Value::Bytes(b) => {
                let x = index_arg(index, b.len())?;
                Value::Uint8(*b.get(x).ok_or_else(|| Error::msg("reflect: slice index out of range"))?)
            }
            Value::Str(s) => {
                let x = index_arg(index, s.len())?;
                Value::Uint8(*s.as_bytes().get(x).ok_or_else(|| Error::msg("reflect: string index out of range"))?)
            }
            Value::Map(m) => {
                let key = match index {
                    Value::Str(k) => k,
                    Value::Nil => return Err(Error::msg("value is nil; should be of type string")),
                    other => return Err(Error::msg(format!("value has type {}; should be string", other.type_name()))),
                };
                m.entries.get(&**key).cloned().unwrap_or_else(|| m.elem.zero())
            }
            Value::Object(o) if o.map_entries().is_some() => {
                let key = match index {
                    Value::Str(k) => k,
                    Value::Nil => return Err(Error::msg("value is nil; should be of type string")),
                    other => return Err(Error::msg(format!("value has type {}; should be string", other.type_name()))),
                };
                o.field(key).unwrap_or_default()
            }
            Value::Object(o) if o.elements().is_some() => {
                let items = o.elements().unwrap_or_default();
                let x = index_arg(index, items.len())?;
                items.get(x).cloned().ok_or_else(|| Error::msg("reflect: slice index out of range"))?
            }
            other => return Err(Error::msg(format!("can't index item of type {}", other.type_name()))),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> FuncResult {
    if item.is_nil() {
        return Err(Error::msg("slice of untyped nil"));
    }
    if indexes.len() > 3 {
        return Err(Error::msg(format!("too many slice indexes: {}", indexes.len())));
    }
    let len = match item {
        Value::Str(s) => {
            if indexes.len() == 3 {
                return Err(Error::msg("cannot 3-index slice a string"));
            }
            s.len()
        }
        Value::List(l) => l.items.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(Error::msg(format!("can't slice item of type {}", other.type_name()))),
    };
    let mut idx = [0usize, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(Error::msg(format!("invalid slice index: {} > {}", idx[0], idx[1])));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(Error::msg(format!("invalid slice index: {} > {}", idx[1], idx[2])));
    }
    let (lo, hi) = (idx[0], idx[1]);
    Ok(match item {
        Value::Str(s) => {
            let bytes = &s.as_bytes()[lo..hi];
            Value::string(String::from_utf8_lossy(bytes).into_owned())
        }
        Value::List(l) => Value::List(crate::value::List { items: Arc::new(l.items[lo..hi].to_vec()), elem: l.elem }),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[lo..hi])),
        _ => unreachable!("checked above"),
    })
}

fn length(item: &Value) -> FuncResult {
    match item.len() {
        Some(n) => Ok(Value::Int(n as i64)),
        None if item.is_nil() => Err(Error::msg("len of nil pointer")),
        None => Err(Error::msg(format!("len of type {}", item.type_name()))),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Complex,
    Int,
    Uint,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Uint8(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::Complex(..) => Kind::Complex,
        Value::Str(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        _ => 0,
    }
}

fn float_of(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// Go's reflect kind of a non-basic value, for `canCompare`.
fn reflect_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::List(_) | Value::Bytes(_) => "slice",
        Value::Map(_) => "map",
        Value::Object(_) => "struct",
        _ => "basic",
    }
}

/// A value as Go's `%s` shows it (elements that are not strings get `%!s(...)`).
fn percent_s(v: &Value) -> String {
    crate::fmt::sprintf("%s", std::slice::from_ref(v))
}

fn eq(a: &Value, rest: &[Value]) -> Result<bool, Error> {
    if rest.is_empty() {
        return Err(Error::msg("missing argument for comparison"));
    }
    let k1 = basic_kind(a);
    for b in rest {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => int_of(a) == int_of(b),
                _ => {
                    if !a.is_nil() && !b.is_nil() {
                        return Err(Error::msg(format!(
                            "incompatible types for comparison: {} and {}",
                            a.type_name(),
                            b.type_name()
                        )));
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => a.truthy() == b.truthy(),
                Kind::Int | Kind::Uint => int_of(a) == int_of(b),
                Kind::Float => float_of(a) == float_of(b),
                Kind::Complex => {
                    matches!((a, b), (Value::Complex(ar, ai), Value::Complex(br, bi)) if ar == br && ai == bi)
                }
                Kind::String => a.as_str() == b.as_str(),
                Kind::Invalid => {
                    let (ka, kb) = (reflect_kind(a), reflect_kind(b));
                    if ka != kb && ka != "invalid" && kb != "invalid" {
                        return Err(Error::msg(format!(
                            "non-comparable types {}: {}, {}: {}",
                            percent_s(a),
                            a.type_name(),
                            b.type_name(),
                            crate::fmt::sprint(std::slice::from_ref(b))
                        )));
                    }
                    if a.is_nil() || b.is_nil() {
                        a.is_nil() == b.is_nil()
                    } else if let (Value::Object(x), Value::Object(y)) = (a, b) {
                        Arc::ptr_eq(x, y)
                    } else {
                        return Err(Error::msg(format!("non-comparable type {}: {}", percent_s(b), b.type_name())));
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, Error> {
    let bad_type = || Error::msg("invalid type for comparison");
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(bad_type());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => Ok(int_of(a) < int_of(b)),
            _ => Err(Error::msg(format!("incompatible types for comparison: {} and {}", a.type_name(), b.type_name()))),
        };
    }
    Ok(match k1 {
        Kind::Bool | Kind::Complex | Kind::Invalid => return Err(bad_type()),
        Kind::Int | Kind::Uint => int_of(a) < int_of(b),
        Kind::Float => float_of(a) < float_of(b),
        Kind::String => a.as_str() < b.as_str(),
    })
}

fn le(a: &Value, b: &Value) -> Result<bool, Error> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}
