//! Helm's values pipeline: the CLI merge of `-f`/`--set*` flags
//! ([`options`]), coalescing user values with chart defaults ([`coalesce`]),
//! dependency conditions, tags, aliases and import-values
//! ([`dependencies`]), and `values.schema.json` validation ([`schema`]).
//!
//! Go maps are references and Helm's coalescing leans on that: a shallow
//! copy of a global table shares its nested tables with the parent's, so a
//! subchart's defaults can show up in the parent's globals. To reproduce this
//! the algorithms work on [`GoMap`]s, handles to shared map cells, after a
//! deep copy at the entry points (as Helm's `copystructure.Copy` does).

pub mod coalesce;
pub mod dependencies;
pub mod options;
pub mod schema;

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::value::Entries;
use rhelm_template::{Elem, Value};

use crate::chart::Values;

pub use coalesce::{coalesce_values, merge_tables, merge_values};
pub use dependencies::process_dependencies;
pub use options::{LocalReader, ValueOptions, ValueReader};
pub use schema::{validate_against_schema, validate_against_schema_with_warnings, validate_single_schema};

/// A handle to a Go `map[string]interface{}`: clones share the map.
#[derive(Clone)]
pub(crate) struct GoMap(Entries);

impl GoMap {
    pub(crate) fn new() -> GoMap {
        GoMap(Entries::new(BTreeMap::new()))
    }

    /// A map of fresh cells all the way down (`copystructure.Copy`).
    pub(crate) fn deep_copy(values: &Values) -> GoMap {
        GoMap(Entries::new(deep_copy_entries(values)))
    }

    /// `v.(map[string]interface{})`.
    pub(crate) fn of(v: &Value) -> Option<GoMap> {
        match v {
            Value::Map(m) if m.elem == Elem::Any => Some(GoMap(m.entries.clone())),
            _ => None,
        }
    }

    pub(crate) fn value(&self) -> Value {
        Value::Map(rhelm_template::Map { entries: self.0.clone(), elem: Elem::Any })
    }

    pub(crate) fn get(&self, k: &str) -> Option<Value> {
        self.0.get(k).cloned()
    }

    pub(crate) fn set(&self, k: &str, v: Value) {
        let key: Arc<str> = Arc::from(k);
        self.0.update(|m| m.insert(key, v));
    }

    pub(crate) fn remove(&self, k: &str) {
        self.0.update(|m| m.remove(k));
    }

    /// The entries as they are now, in key order (Helm ranges over Go maps
    /// in random order; sorted order is one of the orders Helm may use).
    pub(crate) fn entries(&self) -> Vec<(Arc<str>, Value)> {
        self.0.snapshot().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// A shallow copy (`maps.Copy` into a new map).
    pub(crate) fn shallow_copy(&self) -> GoMap {
        GoMap(Entries::new((*self.0.snapshot()).clone()))
    }

    /// The contents with fresh cells, detached from every other handle.
    pub(crate) fn to_values(&self) -> Values {
        deep_copy_entries(&self.0.snapshot())
    }
}

pub(crate) fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.elem == Elem::Any)
}

fn deep_copy_entries(values: &BTreeMap<Arc<str>, Value>) -> Values {
    values.iter().map(|(k, v)| (k.clone(), deep_copy(v))).collect()
}

/// A copy sharing no map cell with `v`.
pub fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(rhelm_template::Map { entries: Entries::new(deep_copy_entries(&m.entries)), elem: m.elem }),
        Value::List(l) => Value::typed_list(l.elem, l.items.iter().map(deep_copy).collect()),
        other => other.clone(),
    }
}

/// `a.b` unless `a` is empty (Helm's `concatPrefix`).
pub(crate) fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// A `log.Printf` line as Helm 4's slog default handler prints it.
pub(crate) fn log_line(msg: &str) -> String {
    crate::manifest::slog_info(msg, &[])
}

/// A `slog.Warn` line.
pub(crate) fn slog_warn(msg: &str, attrs: &[(&str, &str)]) -> String {
    let line = crate::manifest::slog_info(msg, attrs);
    format!("level=WARN{}", &line["level=INFO".len()..])
}

/// Go's `%v` of a value.
pub(crate) fn go_v(v: &Value) -> String {
    rhelm_template::fmt::sprint(std::slice::from_ref(v))
}
