//! Sprig's defaults and flow-control functions (`defaults.go`, `functions.go`):
//! `default`, `empty`, `coalesce`, `all`, `any`, `ternary` and Sprig's own
//! `fail` (Helm replaces the latter with its wrapped version).

use rhelm_template::{Error, FuncMap, Function, Type, Value};

/// Sprig's `empty`: whether a value is the zero value of its type.
///
/// Sprig adapted it from text/template's `isTrue`, and the two agree on
/// every kind: nil and invalid values, `false`, numeric zeros (complex
/// included), and zero-length strings, slices and maps are empty, while
/// structs never are and non-nil pointers are not. Host objects report
/// their own truth the same way.
pub(crate) fn empty(v: &Value) -> bool {
    !v.truthy()
}

pub(crate) fn register(m: &mut FuncMap) {
    // dfault(d interface{}, given ...interface{}): only the first of `given`
    // is looked at; no `given` at all counts as unset.
    m.insert(
        "default",
        Function::new(&[Type::Any], Some(Type::Any), |a| {
            Ok(match a.get(1) {
                Some(given) if !empty(given) => given.clone(),
                _ => a[0].clone(),
            })
        }),
    );
    m.insert("empty", Function::new(&[Type::Any], None, |a| Ok(Value::Bool(empty(&a[0])))));
    // The first non-empty value, or nil.
    m.insert(
        "coalesce",
        Function::new(&[], Some(Type::Any), |a| Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))),
    );
    // True for no arguments at all.
    m.insert("all", Function::new(&[], Some(Type::Any), |a| Ok(Value::Bool(a.iter().all(|v| !empty(v))))));
    // False for no arguments at all.
    m.insert("any", Function::new(&[], Some(Type::Any), |a| Ok(Value::Bool(a.iter().any(|v| !empty(v))))));
    // ternary(vt, vf interface{}, v bool): the condition comes last so that
    // it can be piped in.
    m.insert(
        "ternary",
        Function::new(&[Type::Any, Type::Any, Type::Bool], None, |a| {
            Ok(if matches!(a[2], Value::Bool(true)) { a[0].clone() } else { a[1].clone() })
        }),
    );
    // Sprig's fail: func(msg string) (string, error). Helm overrides it.
    m.insert("fail", Function::new(&[Type::String], None, |a| Err(Error::msg(a[0].as_str().unwrap_or("")))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhelm_template::TemplateSet;
    use std::sync::Arc;

    fn render(tpl: &str) -> Result<String, String> {
        let mut funcs = FuncMap::new();
        register(&mut funcs);
        let mut set = TemplateSet::new("t", funcs);
        set.parse("t", tpl).map_err(|e| e.to_string())?;
        set.render("t", &Value::Nil).map_err(|e| e.to_string())
    }

    #[test]
    fn sprig_fail_is_a_plain_function_error() {
        let err = render(r#"{{ fail "boom" }}"#).unwrap_err();
        assert!(err.ends_with("error calling fail: boom"), "{err}");
        assert_eq!(render(r#"{{ default "d" (coalesce 0 "") }}|{{ ternary 1 2 (all 1 "x") }}"#).unwrap(), "d|1");
    }

    #[test]
    fn int64_values() {
        assert!(empty(&Value::Int64(0)));
        assert!(!empty(&Value::Int64(-1)));
    }

    #[test]
    fn emptiness_of_every_kind() {
        assert!(empty(&Value::Nil));
        assert!(empty(&Value::Bool(false)));
        assert!(empty(&Value::Int(0)));
        assert!(empty(&Value::Int64(0)));
        assert!(empty(&Value::Uint8(0)));
        assert!(empty(&Value::Float(0.0)));
        assert!(empty(&Value::Float(-0.0)));
        assert!(empty(&Value::Complex(0.0, 0.0)));
        assert!(!empty(&Value::Complex(0.0, 1.0)));
        assert!(!empty(&Value::Float(f64::NAN)));
        assert!(empty(&Value::str("")));
        assert!(!empty(&Value::str(" ")));
        assert!(empty(&Value::Bytes(Arc::from(&[][..]))));
        assert!(empty(&Value::list(vec![])));
        assert!(!empty(&Value::list(vec![Value::Nil])));
        assert!(empty(&Value::empty_map()));
    }
}
