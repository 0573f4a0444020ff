//! Sprig's reflection functions (`reflect.go`) and `deepEqual`
//! (Go's `reflect.DeepEqual` on our values).

use std::sync::Arc;

use rhelm_template::{FuncMap, Function, Type, Value};

/// `fmt.Sprintf("%T", v)`: `<nil>` for nil, `[]interface {}`, `float64`...
fn type_of(v: &Value) -> String {
    v.type_name().into_owned()
}

/// Sprig's `typeIsLike`: the type itself or a pointer to it.
fn type_is_like(target: &str, v: &Value) -> bool {
    let t = type_of(v);
    t == target || t.strip_prefix('*') == Some(target)
}

/// `reflect.ValueOf(v).Kind().String()`: `invalid` for nil, `slice`, `map`...
fn kind_of(v: &Value) -> &'static str {
    v.kind_name()
}

/// `reflect.DeepEqual(x, y)`.
///
/// Go compares dynamic types first, so `int 1`, `int64 1` and `float64 1`
/// all differ, as do `[]interface {}` and `[]string` holding the same
/// strings. Floats compare with `==` (NaN is unequal to itself, -0 equals
/// 0), except that a slice or map compared with the very same slice or map
/// is equal without looking at its elements, as Go's pointer shortcut does.
///
/// Host objects (time.Time, semver versions...) are structs or pointers in
/// Go, compared field by field; we compare their type and printed form,
/// which agree with their fields for every object the engine defines.
pub(crate) fn deep_equal(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
        (Value::Uint8(a), Value::Uint8(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::Complex(ar, ai), Value::Complex(br, bi)) => ar == br && ai == bi,
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            a.elem == b.elem
                && a.items.len() == b.items.len()
                && (Arc::ptr_eq(&a.items, &b.items)
                    || a.items.iter().zip(b.items.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.elem == b.elem
                && a.entries.len() == b.entries.len()
                && (rhelm_template::value::Entries::ptr_eq(&a.entries, &b.entries)
                    || a.entries.iter().all(|(k, v)| b.entries.get(k).is_some_and(|w| deep_equal(v, w))))
        }
        (Value::Object(a), Value::Object(b)) => {
            if a.type_name() != b.type_name() {
                return false;
            }
            if Arc::ptr_eq(a, b) {
                return true;
            }
            let (mut p, mut q) = (String::new(), String::new());
            a.format(&mut p);
            b.format(&mut q);
            p == q
        }
        _ => false,
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("typeOf", Function::new(&[Type::Any], None, |a| Ok(Value::string(type_of(&a[0])))));
    m.insert(
        "typeIs",
        Function::new(&[Type::String, Type::Any], None, |a| {
            Ok(Value::Bool(a[0].as_str() == Some(type_of(&a[1]).as_str())))
        }),
    );
    m.insert(
        "typeIsLike",
        Function::new(&[Type::String, Type::Any], None, |a| {
            Ok(Value::Bool(type_is_like(a[0].as_str().unwrap_or(""), &a[1])))
        }),
    );
    m.insert("kindOf", Function::new(&[Type::Any], None, |a| Ok(Value::str(kind_of(&a[0])))));
    m.insert(
        "kindIs",
        Function::new(&[Type::String, Type::Any], None, |a| Ok(Value::Bool(a[0].as_str() == Some(kind_of(&a[1]))))),
    );
    m.insert("deepEqual", Function::new(&[Type::Any, Type::Any], None, |a| Ok(Value::Bool(deep_equal(&a[0], &a[1])))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhelm_template::{Elem, Object, ObjectKind};
    use std::borrow::Cow;

    /// A stand-in for a host pointer type such as `*semver.Version`.
    #[derive(Debug)]
    struct Version(&'static str);

    impl Object for Version {
        fn type_name(&self) -> Cow<'_, str> {
            Cow::Borrowed("*semver.Version")
        }
        fn kind(&self) -> ObjectKind {
            ObjectKind::Pointer
        }
        fn format(&self, out: &mut String) {
            out.push_str(self.0);
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn types_and_kinds() {
        assert_eq!(type_of(&Value::Int64(1)), "int64");
        assert_eq!(kind_of(&Value::Int64(1)), "int64");
        assert_eq!(type_of(&Value::Nil), "<nil>");
        assert_eq!(kind_of(&Value::Nil), "invalid");
        assert_eq!(type_of(&Value::typed_list(Elem::String, vec![])), "[]string");
        assert_eq!(kind_of(&Value::Bytes(Arc::from(&b"x"[..]))), "slice");
        let v = Value::Object(Arc::new(Version("1.2.3")));
        assert_eq!(type_of(&v), "*semver.Version");
        assert_eq!(kind_of(&v), "ptr");
        assert!(type_is_like("semver.Version", &v) && type_is_like("*semver.Version", &v));
        assert!(!type_is_like("Version", &v));
        assert!(deep_equal(&v, &Value::Object(Arc::new(Version("1.2.3")))));
        assert!(!deep_equal(&v, &Value::Object(Arc::new(Version("1.2.4")))));
    }

    #[test]
    fn deep_equal_is_type_strict() {
        assert!(!deep_equal(&Value::Int(1), &Value::Int64(1)));
        assert!(!deep_equal(&Value::Int(1), &Value::Float(1.0)));
        assert!(deep_equal(&Value::Float(-0.0), &Value::Float(0.0)));
        assert!(!deep_equal(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
        let strs = Value::typed_list(Elem::String, vec![Value::str("a")]);
        let anys = Value::list(vec![Value::str("a")]);
        assert!(!deep_equal(&strs, &anys));
        assert!(deep_equal(&anys, &Value::list(vec![Value::str("a")])));
        let nan = Value::list(vec![Value::Float(f64::NAN)]);
        assert!(deep_equal(&nan, &nan.clone()), "the same slice is equal to itself");
        assert!(!deep_equal(&nan, &Value::list(vec![Value::Float(f64::NAN)])));
    }
}
