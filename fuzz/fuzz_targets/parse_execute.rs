//! Parse and execute arbitrary template text against a fixed, varied data
//! set. Any panic or stack overflow is a bug; errors are fine.
#![no_main]

use std::collections::BTreeMap;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rhelm_template::{FuncMap, Limits, MissingKey, TemplateSet, Value};

fn data() -> Value {
    let mut m = BTreeMap::new();
    m.insert(Arc::from("s"), Value::str("héllo"));
    m.insert(Arc::from("n"), Value::Float(1.5));
    m.insert(Arc::from("i"), Value::Int64(3));
    m.insert(Arc::from("b"), Value::Bool(true));
    m.insert(Arc::from("z"), Value::Nil);
    m.insert(Arc::from("l"), Value::list(vec![Value::Int(1), Value::str("a"), Value::Nil, Value::empty_map()]));
    let inner = m.clone();
    m.insert(Arc::from("m"), Value::map(inner));
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), Value::map(m));
    Value::map(top)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    for missing in [MissingKey::Zero, MissingKey::Invalid, MissingKey::Error] {
        let mut set = TemplateSet::new("fuzz", FuncMap::new());
        set.set_missing_key(missing);
        // Bounded so recursive templates and huge ranges end quickly.
        set.set_limits(Limits { max_depth: 300, max_steps: Some(50_000) });
        if set.parse("t", text).is_err() {
            return;
        }
        let _ = set.render("t", &data());
    }
});
