//! Sprig's dictionary functions (`dict.go`): dict, get, set, unset, hasKey,
//! pluck, keys, pick, omit, values, dig, the merges (dario.cat/mergo
//! v1.0.1) and deepCopy (mitchellh/copystructure).
//!
//! Go maps are references, and `set`, `unset` and the merges change the map
//! they are given, which every other reference sees: templates rely on
//! `$_ := set $d "k" v` and then read `$d`. `Map.entries` is therefore a
//! shared cell (`rhelm_template::value::Entries`) that these functions
//! change in place with `Entries::update`; the map they return is the same
//! reference. Copies (`pick`, `omit`, `dict`, `deepCopy`) are new maps.
//!
//! Where Go's result follows its random map iteration order (`keys`,
//! `values`, the order mergo visits keys), we use the sorted key order.
//!
//! Go's nil map (`nil` for a map parameter) reads as empty, but `set` on it
//! panics (`assignment to entry in nil map`) and `merge` into it returns a
//! new map; `Value::nil_map()` models it. (The executor still passes an
//! empty map for `nil`; `Type::Map`'s zero value should be `nil_map()`.)
//!
//! One deliberate difference: Go lets a map hold itself (`set $d "me" $d`);
//! printing it then overflows Go's stack. We never build a reference cycle
//! (it would also leak): a value that holds the map it is stored into is
//! stored as a deep copy of itself instead.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rhelm_template::value::{Entries, MapContents};
use rhelm_template::{Elem, Error, FuncMap, FuncResult, Function, List, Map, Type, Value};

use crate::conv::{string_list, strval};

/// Deep recursion over nested values grows the stack instead of overflowing it.
fn deep<R>(f: impl FnOnce() -> R) -> R {
    rhelm_template::stack::maybe_grow(64 * 1024, 1024 * 1024, f)
}

fn map_arg(v: &Value) -> &Map {
    match v {
        Value::Map(m) => m,
        _ => unreachable!("the executor checks map[string]interface {{}} arguments"),
    }
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Go's `m[key] = value` through reflection: every reference to `m` sees it.
/// `static_type` is the Go type of the value being assigned (what
/// `reflect.Value.SetMapIndex` checks against a typed map's element).
fn store(m: &Map, key: &Arc<str>, value: Value, static_type: &str) -> Result<(), Error> {
    if m.entries.is_nil() {
        return Err(Error::msg("assignment to entry in nil map"));
    }
    if m.elem != Elem::Any && static_type != m.elem.go_name() {
        return Err(Error::msg(format!(
            "reflect.Value.SetMapIndex: value of type {static_type} is not assignable to type {}",
            m.elem.go_name()
        )));
    }
    let value = if reaches(&value, &m.entries) { deep_copy(&value) } else { value };
    m.entries.try_insert(key.clone(), value).map_err(|e| Error::msg(e.to_string()))?;
    Ok(())
}

/// Whether `v` holds, at any depth, the map `target`.
fn reaches(v: &Value, target: &Entries) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![v.clone()];
    while let Some(v) = stack.pop() {
        match &v {
            Value::Map(m) => {
                if Entries::ptr_eq(&m.entries, target) {
                    return true;
                }
                if seen.insert(m.entries.id()) {
                    stack.extend(m.entries.values().filter(|x| x.is_container()).cloned());
                }
            }
            Value::List(l) if seen.insert(Arc::as_ptr(&l.items) as usize) => {
                stack.extend(l.items.iter().filter(|x| x.is_container()).cloned());
            }
            _ => {}
        }
    }
    false
}

// --- dict, get, set, unset, hasKey, pluck, keys, pick, omit, values ------

/// `dict k1 v1 k2 v2 ...`: keys through `strval`; a missing last value is "".
fn dict(args: &[Value]) -> Value {
    let mut m = BTreeMap::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(Arc::from(strval(&pair[0])), value);
    }
    Value::map(m)
}

fn get(d: &Map, key: &str) -> Value {
    d.entries.get(key).cloned().unwrap_or_else(|| Value::str(""))
}

fn set(d: &Map, key: &str, value: &Value) -> FuncResult {
    store(d, &Arc::from(key), value.clone(), "interface {}")?;
    Ok(Value::Map(d.clone()))
}

/// Deleting from a nil map is allowed in Go (it does nothing).
fn unset(d: &Map, key: &str) -> FuncResult {
    if d.entries.contains_key(key) {
        d.entries.try_update(|e| e.remove(key)).map_err(|e| Error::msg(e.to_string()))?;
    }
    Ok(Value::Map(d.clone()))
}

fn pluck(key: &str, dicts: &[Value]) -> Value {
    Value::list(dicts.iter().filter_map(|d| map_arg(d).entries.get(key).cloned()).collect())
}

fn keys(dicts: &[Value]) -> Value {
    string_list(
        dicts
            .iter()
            .flat_map(|d| map_arg(d).entries.keys().map(|k| Value::Str(k.clone())).collect::<Vec<_>>())
            .collect(),
    )
}

fn pick(d: &Map, keys: &[Value]) -> Value {
    let mut m = BTreeMap::new();
    for k in keys {
        if let Some((key, v)) = d.entries.get_key_value(str_arg(k)) {
            m.insert(key.clone(), v.clone());
        }
    }
    Value::map(m)
}

fn omit(d: &Map, keys: &[Value]) -> Value {
    let omitted: HashSet<&str> = keys.iter().map(str_arg).collect();
    Value::map(
        d.entries.iter().filter(|(k, _)| !omitted.contains(&***k)).map(|(k, v)| (k.clone(), v.clone())).collect(),
    )
}

fn values(d: &Map) -> Value {
    Value::list(d.entries.values().cloned().collect())
}

// --- dig ------------------------------------------------------------------

/// The panic of a failed Go type assertion on an `interface{}`.
fn conversion_error(v: &Value, want: &str) -> Error {
    let got = if v.is_nil() { Cow::Borrowed("nil") } else { v.type_name() };
    Error::msg(format!("interface conversion: interface {{}} is {got}, not {want}"))
}

fn as_dict(v: &Value) -> Result<&Map, Error> {
    match v {
        Value::Map(m) if m.elem == Elem::Any => Ok(m),
        other => Err(conversion_error(other, "map[string]interface {}")),
    }
}

/// `dig k1 k2 ... default dict`: follows the keys through nested maps,
/// giving `default` at the first missing key. A step that is not a
/// `map[string]interface{}` fails Go's type assertion.
fn dig(args: &[Value]) -> FuncResult {
    if args.len() < 3 {
        return Err(Error::msg("dig needs at least three arguments"));
    }
    let mut dict = as_dict(&args[args.len() - 1])?.clone();
    let default = &args[args.len() - 2];
    let keys = args[..args.len() - 2]
        .iter()
        .map(|k| k.as_str().ok_or_else(|| conversion_error(k, "string")))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = dict.entries.get(*key).cloned() else { return Ok(default.clone()) };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        dict = as_dict(&step)?.clone();
    }
    unreachable!("at least one key")
}

// --- merge (dario.cat/mergo v1.0.1) ----------------------------------------

/// mergo's `isEmptyValue` (with pointers dereferenced): the zero value of
/// its type; unlike Sprig's `empty`, a complex number is never empty.
fn mergo_empty(v: &Value) -> bool {
    !matches!(v, Value::Complex(..)) && !v.truthy()
}

/// Sprig's merges: `mergo.Merge(&dst, src)` (or `MergeWithOverwrite`) for
/// each source in turn, changing `dst` in place; a nil `dst` is replaced by
/// a new map. mergo never fails for two `map[string]interface{}`.
fn merge(args: &[Value], overwrite: bool) -> FuncResult {
    let mut dst = map_arg(&args[0]).clone();
    for src in &args[1..] {
        let src = map_arg(src);
        if dst.entries.is_nil() && !src.entries.is_nil() {
            dst = Map::new(dst.elem, MapContents::new());
        }
        merge_maps(&dst, src, overwrite)?;
    }
    Ok(Value::Map(dst))
}

/// mergo's `deepMerge` for two maps: for each source key,
/// - a nil source value is skipped, or stored with overwrite;
/// - a map source value is first merged into a map destination value, in
///   place (so a map shared with other values changes for them too);
/// - a slice source value is stored as mergo's intermediate slice (which
///   only matters for a typed destination map);
/// - then a non-empty destination keeps its value if the source is a slice
///   or both are maps; otherwise the source value is stored when
///   overwriting or when the destination is missing or empty. "Empty" is
///   judged after the nested merge, so a destination map that was empty but
///   has just been filled is kept.
fn merge_maps(dst: &Map, src: &Map, overwrite: bool) -> Result<(), Error> {
    let src_type = src.elem.go_name();
    let entries = src.entries.snapshot();
    for (key, s) in entries.iter() {
        let d = dst.entries.get(&**key).cloned();
        if s.is_nil() {
            if overwrite {
                store(dst, key, Value::Nil, src_type)?;
            }
            continue;
        }
        match s {
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &d {
                    if !dm.entries.is_nil() {
                        deep(|| merge_maps(dm, sm, overwrite))?;
                    }
                }
            }
            Value::List(_) | Value::Bytes(_) => {
                let slice = match &d {
                    _ if overwrite || dst.entries.is_empty() => s.clone(),
                    None | Some(Value::Nil) => empty_like(s),
                    Some(existing) => existing.clone(),
                };
                let slice_type = slice.type_name().into_owned();
                store(dst, key, slice, &slice_type)?;
            }
            _ => {}
        }
        if let Some(dv) = &d {
            if !mergo_empty(dv) && (is_slice(s) || (matches!(s, Value::Map(_)) && matches!(dv, Value::Map(_)))) {
                continue;
            }
        }
        let dst_empty = match &d {
            None => true,
            Some(v) => mergo_empty(v),
        };
        if overwrite || dst_empty {
            store(dst, key, s.clone(), src_type)?;
        }
    }
    Ok(())
}

fn is_slice(v: &Value) -> bool {
    matches!(v, Value::List(_) | Value::Bytes(_))
}

/// `reflect.MakeSlice(type, 0, n)`: an empty slice of `v`'s type.
fn empty_like(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::typed_list(l.elem, Vec::new()),
        Value::Bytes(_) => Value::Bytes(Arc::from(&[][..])),
        other => other.clone(),
    }
}

// --- deepCopy (mitchellh/copystructure v1.2.0) -----------------------------

/// A copy sharing no map or slice with `v`. Host objects are immutable
/// here, so they are shared unless they copy differently in Go
/// (`Object::deep_copy`).
fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            let contents = m.entries.snapshot();
            let copied = deep(|| contents.iter().map(|(k, x)| (k.clone(), deep_copy(x))).collect());
            Value::Map(Map::new(m.elem, copied))
        }
        Value::List(l) => {
            let items = deep(|| l.items.iter().map(deep_copy).collect());
            Value::List(List { items: Arc::new(items), elem: l.elem })
        }
        Value::Object(o) => o.deep_copy().unwrap_or_else(|| v.clone()),
        other => other.clone(),
    }
}

/// `copystructure.Copy(nil)` asks a nil interface for its type.
fn must_deep_copy(v: &Value) -> FuncResult {
    if v.is_nil() {
        return Err(Error::msg("reflect: call of reflect.Value.Type on zero Value"));
    }
    Ok(deep_copy(v))
}

pub(crate) fn register(m: &mut FuncMap) {
    let map = [Type::Map];
    let map_key = [Type::Map, Type::String];
    m.insert("dict", Function::new(&[], Some(Type::Any), |a| Ok(dict(a))));
    m.insert("get", Function::new(&map_key, None, |a| Ok(get(map_arg(&a[0]), str_arg(&a[1])))));
    m.insert(
        "set",
        Function::new(&[Type::Map, Type::String, Type::Any], None, |a| set(map_arg(&a[0]), str_arg(&a[1]), &a[2])),
    );
    m.insert("unset", Function::new(&map_key, None, |a| unset(map_arg(&a[0]), str_arg(&a[1]))));
    m.insert(
        "hasKey",
        Function::new(&map_key, None, |a| Ok(Value::Bool(map_arg(&a[0]).entries.contains_key(str_arg(&a[1]))))),
    );
    m.insert("pluck", Function::new(&[Type::String], Some(Type::Map), |a| Ok(pluck(str_arg(&a[0]), &a[1..]))));
    m.insert("keys", Function::new(&[], Some(Type::Map), |a| Ok(keys(a))));
    m.insert("pick", Function::new(&map, Some(Type::String), |a| Ok(pick(map_arg(&a[0]), &a[1..]))));
    m.insert("omit", Function::new(&map, Some(Type::String), |a| Ok(omit(map_arg(&a[0]), &a[1..]))));
    m.insert("values", Function::new(&map, None, |a| Ok(values(map_arg(&a[0])))));
    // Sprig's merge and mergeOverwrite swallow mergo's errors (returning ""),
    // but mergo reports none for these types; a panic is reported either way.
    for (name, overwrite) in
        [("merge", false), ("mustMerge", false), ("mergeOverwrite", true), ("mustMergeOverwrite", true)]
    {
        m.insert(name, Function::new(&map, Some(Type::Map), move |a| merge(a, overwrite)));
    }
    m.insert("dig", Function::new(&[], Some(Type::Any), dig));
    m.insert("deepCopy", Function::new(&[Type::Any], None, |a| must_deep_copy(&a[0])));
    m.insert("mustDeepCopy", Function::new(&[Type::Any], None, |a| must_deep_copy(&a[0])));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect())
    }

    fn show(v: &Value) -> String {
        rhelm_template::fmt::sprint(std::slice::from_ref(v))
    }

    #[test]
    fn set_changes_the_map_for_every_reference() {
        let d = m(&[("a", Value::Int(1))]);
        let held = Value::list(vec![d.clone()]);
        set(map_arg(&d), "b", &Value::Int(2)).unwrap();
        assert_eq!(show(&held), "[map[a:1 b:2]]");
    }

    #[test]
    fn set_on_a_nil_map_panics_as_go_does() {
        let err = set(map_arg(&Value::nil_map()), "a", &Value::Int(1)).unwrap_err();
        assert_eq!(err.to_string(), "assignment to entry in nil map");
        assert_eq!(show(&unset(map_arg(&Value::nil_map()), "a").unwrap()), "map[]");
    }

    #[test]
    fn merge_into_nil_makes_a_new_map() {
        let src = m(&[("a", Value::Int(1))]);
        let out = merge(&[Value::nil_map(), src], false).unwrap();
        assert_eq!(show(&out), "map[a:1]");
    }

    #[test]
    fn self_reference_is_stored_as_a_copy() {
        let d = m(&[("a", Value::Int(1))]);
        set(map_arg(&d), "me", &d).unwrap();
        assert_eq!(show(&d), "map[a:1 me:map[a:1]]");
        let out = merge(&[d.clone(), m(&[("x", d.clone())])], false).unwrap();
        assert_eq!(show(&out), "map[a:1 me:map[a:1] x:map[a:1 me:map[a:1]]]");
    }

    #[test]
    fn typed_destination_maps_reject_other_types() {
        let typed = Value::typed_map(Elem::String, BTreeMap::from([(Arc::from("x"), Value::str("s"))]));
        let dst = m(&[("t", typed)]);
        let src = m(&[("t", m(&[("y", Value::Int(1))]))]);
        let err = merge(&[dst, src], false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string"
        );
    }

    #[test]
    fn deep_copy_shares_nothing() {
        let inner = m(&[("x", Value::Int(1))]);
        let outer = m(&[("in", inner.clone())]);
        let copy = deep_copy(&outer);
        set(map_arg(&inner), "y", &Value::Int(2)).unwrap();
        assert_eq!(show(&copy), "map[in:map[x:1]]");
        assert_eq!(show(&outer), "map[in:map[x:1 y:2]]");
    }

    /// A struct with unexported fields, like `*semver.Version`.
    #[derive(Debug)]
    struct Version(&'static str);

    impl rhelm_template::Object for Version {
        fn type_name(&self) -> Cow<'_, str> {
            Cow::Borrowed("*semver.Version")
        }
        fn format(&self, out: &mut String) {
            out.push_str(self.0);
        }
        fn deep_copy(&self) -> Option<Value> {
            Some(Value::Object(Arc::new(Version("0.0.0"))))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn objects_copy_as_they_say() {
        let v = Value::list(vec![Value::Object(Arc::new(Version("1.2.3")))]);
        assert_eq!(show(&must_deep_copy(&v).unwrap()), "[0.0.0]");
    }

    #[test]
    fn deep_values_do_not_overflow_the_stack() {
        // Deeper than a 2 MiB test thread could recurse without growing its stack.
        let mut v = Value::Int(0);
        for _ in 0..20_000 {
            v = m(&[("x", v)]);
        }
        let copy = deep_copy(&v);
        assert!(!reaches(&copy, &Entries::default()));
        let out = merge(&[copy.clone(), v.clone()], true).unwrap();
        assert!(matches!(out, Value::Map(_)));
        // Dropping a deep value recurses too (the value model's business):
        // leak these rather than test that here.
        std::mem::forget((v, copy, out));
    }
}
