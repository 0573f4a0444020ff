//! Sprig's list functions (`list.go`): tuple, list, append/push, prepend,
//! first, rest, last, initial, reverse, uniq, without, has, slice, concat,
//! chunk, compact, and their `must` variants.
//!
//! Sprig reads its list arguments through reflection, so any slice works
//! (`[]string` from `splitList`, `[]int` from `until`, `[]byte`), and
//! anything else is an error naming the reflect kind (`Cannot push on type
//! string`). A plain function panics with the error its `must` twin returns,
//! and Go reports both the same way, so each pair shares one implementation.
//! A nil argument makes `reflect.TypeOf(nil).Kind()` dereference a nil
//! pointer, which Go reports as a runtime error.

use std::borrow::Cow;
use std::sync::Arc;

use rhelm_template::{Elem, Error, FuncMap, FuncResult, Function, ObjectKind, Type, Value};

use crate::conv::{go_f64_to_i64, to_int64};

/// Go's runtime error for a method call on a nil `reflect.Type`.
pub(crate) const NIL_DEREFERENCE: &str = "runtime error: invalid memory address or nil pointer dereference";

/// Why a value is not a slice.
enum NotSlice {
    /// Untyped nil.
    Nil,
    /// Another reflect kind.
    Kind(&'static str),
    /// A host object of slice kind whose elements this engine cannot read.
    Opaque(String),
}

impl NotSlice {
    /// The error Sprig reports, `template` holding `{}` for the kind.
    fn error(self, template: &str) -> Error {
        match self {
            NotSlice::Nil => Error::msg(NIL_DEREFERENCE),
            NotSlice::Kind(kind) => Error::msg(template.replace("{}", kind)),
            NotSlice::Opaque(type_name) => Error::msg(format!("rhelm: cannot read the elements of {type_name}")),
        }
    }
}

/// The elements of a slice as `reflect.Value.Index(i).Interface()` gives
/// them: bytes of a `[]byte` become `uint8` values.
fn elements(v: &Value) -> Result<Cow<'_, [Value]>, NotSlice> {
    match v {
        Value::List(l) => Ok(Cow::Borrowed(l.items.as_slice())),
        Value::Bytes(b) => Ok(Cow::Owned(b.iter().map(|&x| Value::Uint8(x)).collect())),
        Value::Nil => Err(NotSlice::Nil),
        Value::Object(o) if o.kind() == ObjectKind::Slice => match o.elements() {
            Some(items) => Ok(Cow::Owned(items)),
            None => Err(NotSlice::Opaque(o.type_name().into_owned())),
        },
        other => Err(NotSlice::Kind(other.kind_name())),
    }
}

/// Sprig's `empty` (defaults.go): the zero value of its type, which is what
/// text/template's truth test rejects.
pub(crate) fn is_empty(v: &Value) -> bool {
    !v.truthy()
}

/// Go's `reflect.DeepEqual` between two interface values: equal dynamic
/// types and deeply equal contents. Floats compare with `==` (so NaN is
/// unequal to itself) unless both sides are the same slice or map, which
/// Go accepts without looking inside.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    rhelm_template::stack::maybe_grow(64 * 1024, 1024 * 1024, || deep_equal_inner(a, b))
}

fn deep_equal_inner(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint8(x), Value::Uint8(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => xr == yr && xi == yi,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.items.len() == y.items.len()
                && (Arc::ptr_eq(&x.items, &y.items)
                    || x.items.iter().zip(y.items.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.elem != y.elem || x.entries.is_nil() != y.entries.is_nil() {
                return false;
            }
            if rhelm_template::value::Entries::ptr_eq(&x.entries, &y.entries) {
                return true;
            }
            let (x, y) = (x.entries.snapshot(), y.entries.snapshot());
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        // Host objects: the same object, or the same type printing the same
        // (Go would compare their fields).
        (Value::Object(x), Value::Object(y)) => {
            Arc::ptr_eq(x, y)
                || (x.type_name() == y.type_name() && format_object(x.as_ref()) == format_object(y.as_ref()))
        }
        _ => false,
    }
}

fn format_object(o: &dyn rhelm_template::Object) -> String {
    let mut s = String::new();
    o.format(&mut s);
    s
}

fn in_list(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|h| deep_equal(needle, h))
}

// --- the functions ------------------------------------------------------------

fn push(list: &Value, v: &Value) -> FuncResult {
    let mut items = elements(list).map_err(|e| e.error("Cannot push on type {}"))?.into_owned();
    items.push(v.clone());
    Ok(Value::list(items))
}

fn prepend(list: &Value, v: &Value) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot prepend on type {}"))?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(v.clone());
    out.extend(items.iter().cloned());
    Ok(Value::list(out))
}

/// `make` with a negative length panics in Go.
fn make_len(n: i64) -> Result<usize, Error> {
    usize::try_from(n).map_err(|_| Error::msg("runtime error: makeslice: len out of range"))
}

/// Sprig's chunk sizes come from float arithmetic (`floor((l-1)/size)+1`
/// chunks, the last `mod(l, size)` long, or `size` if that is 0) and Go's
/// float-to-int conversion, which turns the infinities and NaN of a zero
/// size into the minimum int: so size 0 fails in `make`, and negative sizes
/// fail or give odd but faithful results.
fn chunk(size: i64, list: &Value) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot chunk type {}"))?;
    let l = items.len() as i64;
    let count = go_f64_to_i64(((l - 1) as f64 / size as f64).floor() + 1.0);
    let mut chunks = Vec::with_capacity(make_len(count)?.min(items.len() + 1));
    for i in 0..count {
        let mut len = size;
        if i == count - 1 {
            len = go_f64_to_i64((l as f64 % size as f64).floor());
            if len == 0 {
                len = size;
            }
        }
        let len = make_len(len)?;
        let mut chunk = Vec::with_capacity(len.min(items.len()));
        for j in 0..len as i64 {
            let ix = i.wrapping_mul(size).wrapping_add(j);
            let item = usize::try_from(ix).ok().and_then(|ix| items.get(ix));
            chunk.push(item.cloned().ok_or_else(|| Error::msg("reflect: slice index out of range"))?);
        }
        chunks.push(Value::list(chunk));
    }
    Ok(Value::typed_list(Elem::List, chunks))
}

/// `first`/`last`: the element, or nil for an empty list.
fn end(list: &Value, name: &str, pick: fn(&[Value]) -> Option<&Value>) -> FuncResult {
    let items = elements(list).map_err(|e| e.error(&format!("Cannot find {name} on type {{}}")))?;
    Ok(pick(&items).cloned().unwrap_or(Value::Nil))
}

/// `rest`/`initial`: all but one end (a nil slice for an empty list).
fn all_but(list: &Value, name: &str, cut: fn(&[Value]) -> &[Value]) -> FuncResult {
    let items = elements(list).map_err(|e| e.error(&format!("Cannot find {name} on type {{}}")))?;
    if items.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    Ok(Value::list(cut(&items).to_vec()))
}

fn reverse(list: &Value) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot find reverse on type {}"))?;
    Ok(Value::list(items.iter().rev().cloned().collect()))
}

fn compact(list: &Value) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot compact on type {}"))?;
    Ok(Value::list(items.iter().filter(|v| !is_empty(v)).cloned().collect()))
}

fn uniq(list: &Value) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot find uniq on type {}"))?;
    let mut dest: Vec<Value> = Vec::new();
    for item in items.iter() {
        if !in_list(&dest, item) {
            dest.push(item.clone());
        }
    }
    Ok(Value::list(dest))
}

fn without(list: &Value, omit: &[Value]) -> FuncResult {
    let items = elements(list).map_err(|e| e.error("Cannot find without on type {}"))?;
    Ok(Value::list(items.iter().filter(|v| !in_list(omit, v)).cloned().collect()))
}

fn has(needle: &Value, haystack: &Value) -> FuncResult {
    if haystack.is_nil() {
        return Ok(Value::Bool(false));
    }
    let items = elements(haystack).map_err(|e| e.error("Cannot find has on type {}"))?;
    Ok(Value::Bool(in_list(&items, needle)))
}

/// Sprig's `slice list [start [end]]`: `reflect.Value.Slice`, so the result
/// keeps the list's type. An empty list gives nil whatever the indices.
/// Go checks `end` against the capacity, which for most slices is the
/// length; a slice grown by `append` can have more (not modelled).
fn slice(list: &Value, indices: &[Value]) -> FuncResult {
    let len = match list {
        Value::List(l) => l.items.len(),
        Value::Bytes(b) => b.len(),
        // A host slice type would keep its type; we can only give its
        // elements back as a []interface{}.
        Value::Object(_) => match elements(list) {
            Ok(items) => return slice(&Value::list(items.into_owned()), indices),
            Err(e) => return Err(e.error("list should be type of slice or array but {}")),
        },
        other => {
            let e = elements(other).err().unwrap_or(NotSlice::Kind("slice"));
            return Err(e.error("list should be type of slice or array but {}"));
        }
    };
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = indices.first().map_or(0, to_int64);
    let end = indices.get(1).map_or(len as i64, to_int64);
    if start < 0 || end < start || end > len as i64 {
        return Err(Error::msg("reflect.Value.Slice: slice index out of bounds"));
    }
    let (start, end) = (start as usize, end as usize);
    Ok(match list {
        Value::List(l) => Value::typed_list(l.elem, l.items[start..end].to_vec()),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[start..end])),
        _ => unreachable!("checked above"),
    })
}

fn concat(lists: &[Value]) -> FuncResult {
    let mut res = Vec::new();
    for list in lists {
        let items = elements(list).map_err(|e| match e {
            NotSlice::Kind(kind) => Error::msg(format!("Cannot concat type {kind} as list")),
            other => other.error(""),
        })?;
        res.extend(items.iter().cloned());
    }
    Ok(Value::list(res))
}

pub(crate) fn register(m: &mut FuncMap) {
    let list = |a: &[Value]| Ok(Value::list(a.to_vec()));
    m.insert("list", Function::new(&[], Some(Type::Any), list));
    // "FIXME: with the addition of append/prepend these are no longer immutable" (Sprig).
    m.insert("tuple", Function::new(&[], Some(Type::Any), list));
    let both = |m: &mut FuncMap, names: &[&str], f: Function| {
        for name in names {
            m.insert(name, f.clone());
        }
    };
    let pair = [Type::Any, Type::Any];
    both(m, &["append", "push", "mustAppend", "mustPush"], Function::new(&pair, None, |a| push(&a[0], &a[1])));
    both(m, &["prepend", "mustPrepend"], Function::new(&pair, None, |a| prepend(&a[0], &a[1])));
    both(m, &["chunk", "mustChunk"], Function::new(&[Type::Int, Type::Any], None, |a| chunk(int_arg(&a[0]), &a[1])));
    both(m, &["first", "mustFirst"], Function::new(&[Type::Any], None, |a| end(&a[0], "first", <[Value]>::first)));
    both(m, &["last", "mustLast"], Function::new(&[Type::Any], None, |a| end(&a[0], "last", <[Value]>::last)));
    both(m, &["rest", "mustRest"], Function::new(&[Type::Any], None, |a| all_but(&a[0], "rest", |s| &s[1..])));
    both(
        m,
        &["initial", "mustInitial"],
        Function::new(&[Type::Any], None, |a| all_but(&a[0], "initial", |s| &s[..s.len() - 1])),
    );
    both(m, &["reverse", "mustReverse"], Function::new(&[Type::Any], None, |a| reverse(&a[0])));
    both(m, &["compact", "mustCompact"], Function::new(&[Type::Any], None, |a| compact(&a[0])));
    both(m, &["uniq", "mustUniq"], Function::new(&[Type::Any], None, |a| uniq(&a[0])));
    both(m, &["without", "mustWithout"], Function::new(&[Type::Any], Some(Type::Any), |a| without(&a[0], &a[1..])));
    both(m, &["has", "mustHas"], Function::new(&pair, None, |a| has(&a[0], &a[1])));
    // Registered under "slice", Sprig's version replaces text/template's builtin.
    both(m, &["slice", "mustSlice"], Function::new(&[Type::Any], Some(Type::Any), |a| slice(&a[0], &a[1..])));
    m.insert("concat", Function::new(&[], Some(Type::Any), concat));
}

/// An `int` parameter (the executor has checked the type).
fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|&x| Value::Int(x)).collect())
    }

    fn show(v: &FuncResult) -> String {
        match v {
            Ok(v) => rhelm_template::fmt::sprint(std::slice::from_ref(v)),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn bytes_are_slices_of_uint8() {
        let b = Value::Bytes(Arc::from(&b"ab"[..]));
        assert!(matches!(end(&b, "first", <[Value]>::first), Ok(Value::Uint8(97))));
        assert_eq!(show(&push(&b, &Value::Int(1))), "[97 98 1]");
        assert!(matches!(slice(&b, &[Value::Int(1)]), Ok(Value::Bytes(x)) if &*x == b"b"));
        assert_eq!(show(&reverse(&b)), "[98 97]");
    }

    #[test]
    fn chunk_sizes_follow_go_float_math() {
        assert_eq!(show(&chunk(2, &ints(&[1, 2, 3]))), "[[1 2] [3]]");
        assert_eq!(show(&chunk(-2, &ints(&[5]))), "[[5]]");
        assert_eq!(show(&chunk(-3, &ints(&[1, 2]))), "[]");
        assert_eq!(show(&chunk(0, &ints(&[]))), "error: runtime error: makeslice: len out of range");
        assert_eq!(show(&chunk(i64::MAX, &ints(&[1, 2]))), "[[1 2]]");
        assert_eq!(show(&chunk(i64::MIN, &ints(&[1, 2]))), "[]");
    }

    #[test]
    fn deep_equal_is_typed() {
        assert!(!deep_equal(&Value::Int(1), &Value::Int64(1)));
        assert!(!deep_equal(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
        let nan = Value::list(vec![Value::Float(f64::NAN)]);
        assert!(deep_equal(&nan, &nan.clone()), "the same slice is equal without a look inside");
        assert!(!deep_equal(&Value::nil_map(), &Value::empty_map()));
    }

    /// A host slice type, like Helm's `.Capabilities.APIVersions`.
    #[derive(Debug)]
    struct Versions;

    impl rhelm_template::Object for Versions {
        fn type_name(&self) -> Cow<'_, str> {
            Cow::Borrowed("common.VersionSet")
        }
        fn kind(&self) -> ObjectKind {
            ObjectKind::Slice
        }
        fn format(&self, out: &mut String) {
            out.push_str("[v1 apps/v1]");
        }
        fn elements(&self) -> Option<Vec<Value>> {
            Some(vec![Value::str("v1"), Value::str("apps/v1")])
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn host_slices_are_read_through_their_elements() {
        let v = Value::Object(Arc::new(Versions));
        assert_eq!(show(&end(&v, "first", <[Value]>::first)), "v1");
        assert!(matches!(has(&Value::str("apps/v1"), &v), Ok(Value::Bool(true))));
        assert_eq!(show(&slice(&v, &[Value::Int(1)])), "[apps/v1]");
    }

    #[test]
    fn slice_bounds() {
        assert_eq!(show(&slice(&ints(&[1, 2, 3]), &[Value::Int(1), Value::Int(2)])), "[2]");
        assert!(slice(&ints(&[1]), &[Value::Int(i64::MAX)]).is_err());
        assert!(matches!(slice(&ints(&[]), &[Value::Int(-5)]), Ok(Value::Nil)));
    }
}
