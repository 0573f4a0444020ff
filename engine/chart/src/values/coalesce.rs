//! Helm's `CoalesceValues` / `MergeValues` (pkg/chart/common/util/coalesce.go,
//! 4.3.1 nil rules).
//!
//! Helm's algorithm mutates Go maps in place and sometimes shares them: the
//! globals of a subchart start as a *shallow* copy of the parent's, so nested
//! global tables are the same maps in both, and later coalescing of the
//! subchart writes into the parent's. To print what Helm prints, the work is
//! done on [`GoMap`]s (shared, mutable references, as Go maps are) and the
//! result is converted back to plain [`Values`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use rhelm_template::{Elem, Value};

use crate::chart::{Chart, Values};

/// A Go `map[string]interface{}`: cloning the handle shares the map.
pub(crate) type GoMap = Rc<RefCell<BTreeMap<Arc<str>, Go>>>;

/// A Go `interface{}` as coalescing sees it: nil, a table, or anything else
/// (scalars and lists, which coalescing never changes in place).
#[derive(Clone)]
pub(crate) enum Go {
    Nil,
    Map(GoMap),
    Leaf(Value),
}

impl Go {
    fn as_map(&self) -> Option<&GoMap> {
        match self {
            Go::Map(m) => Some(m),
            _ => None,
        }
    }

    fn is_nil(&self) -> bool {
        matches!(self, Go::Nil)
    }
}

/// A deep copy of `values` as Go maps.
pub(crate) fn to_go(values: &Values) -> GoMap {
    Rc::new(RefCell::new(values.iter().map(|(k, v)| (k.clone(), value_to_go(v))).collect()))
}

fn value_to_go(v: &Value) -> Go {
    match v {
        Value::Nil => Go::Nil,
        Value::Map(m) if m.elem == Elem::Any => Go::Map(to_go(&m.entries)),
        other => Go::Leaf(other.clone()),
    }
}

/// The plain values a Go map holds now (a deep copy).
pub(crate) fn from_go(m: &GoMap) -> Values {
    m.borrow().iter().map(|(k, v)| (k.clone(), go_to_value(v))).collect()
}

pub(crate) fn go_to_value(v: &Go) -> Value {
    match v {
        Go::Nil => Value::Nil,
        Go::Map(m) => Value::map(from_go(m)),
        Go::Leaf(v) => v.clone(),
    }
}

/// Collects what Helm writes through `log.Printf` (which Helm 4 routes to
/// slog at INFO level) and `slog.Warn`, as the lines it prints on stderr.
#[derive(Default)]
pub(crate) struct Log {
    pub lines: Vec<String>,
}

impl Log {
    pub fn printf(&mut self, msg: String) {
        self.lines.push(crate::manifest::slog_info(&msg, &[]));
    }

    pub fn warn(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        let line = crate::manifest::slog_info(msg, attrs);
        self.lines.push(line.replacen("level=INFO", "level=WARN", 1));
    }
}

/// Go's `%v` of a value.
pub(crate) fn go_v(v: &Go) -> String {
    let mut out = String::new();
    rhelm_template::fmt::write_value(&mut out, &go_to_value(v));
    out
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// `CoalesceValues(chart, user)`: the values the chart's templates see,
/// chart defaults (subcharts' included) under the user's, with the 4.3.1
/// null rules. Also returns the warning lines Helm logs while doing it.
pub fn coalesce_values(chart: &Chart, user: &Values) -> (Values, Vec<String>) {
    let mut log = Log::default();
    match coalesce_go(chart, user, false, &mut log) {
        Ok(v) => (v, log.lines),
        Err(_) => (user.clone(), log.lines),
    }
}

/// `CoalesceValues` with its error (`type mismatch on <sub>: ...` when a
/// subchart's key holds a non-table).
pub fn try_coalesce_values(chart: &Chart, user: &Values) -> Result<(Values, Vec<String>), (String, Vec<String>)> {
    let mut log = Log::default();
    match coalesce_go(chart, user, false, &mut log) {
        Ok(v) => Ok((v, log.lines)),
        Err(e) => Err((e, log.lines)),
    }
}

/// `MergeValues(chart, user)`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(chart: &Chart, user: &Values) -> (Values, Vec<String>) {
    let mut log = Log::default();
    match coalesce_go(chart, user, true, &mut log) {
        Ok(v) => (v, log.lines),
        Err(_) => (user.clone(), log.lines),
    }
}

pub(crate) fn coalesce_go(chart: &Chart, user: &Values, merge: bool, log: &mut Log) -> Result<Values, String> {
    let (result, lines) = super::stack::with_stack_for(super::stack::depth(chart, user), || {
        let mut inner = Log::default();
        let dest = to_go(user);
        let result = coalesce(chart, &dest, "", merge, &mut inner).map(|()| from_go(&dest));
        (result, inner.lines)
    });
    log.lines.extend(lines);
    result
}

fn coalesce(chart: &Chart, dest: &GoMap, prefix: &str, merge: bool, log: &mut Log) -> Result<(), String> {
    coalesce_chart_values(chart, dest, prefix, merge, log);
    coalesce_deps(chart, dest, prefix, merge, log)
}

fn coalesce_deps(chart: &Chart, dest: &GoMap, prefix: &str, merge: bool, log: &mut Log) -> Result<(), String> {
    for sub in &chart.dependencies {
        let name: Arc<str> = Arc::from(sub.name());
        let existing = dest.borrow().get(&name).cloned();
        let sub_dest = match existing {
            None => {
                let m: GoMap = Rc::default();
                dest.borrow_mut().insert(name.clone(), Go::Map(m.clone()));
                m
            }
            Some(Go::Map(m)) => m,
            Some(other) => {
                return Err(format!("type mismatch on {}: {}", sub.name(), go_bad_bool_verb(&other)));
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&sub_dest, dest, &sub_prefix, log);
        coalesce(sub, &sub_dest, &sub_prefix, merge, log)?;
    }
    Ok(())
}

/// Go's `%t` of a value that is not a bool (`%!t(string=x)`).
fn go_bad_bool_verb(v: &Go) -> String {
    match v {
        Go::Nil => "%!t(<nil>)".to_string(),
        Go::Leaf(Value::Bool(b)) => b.to_string(),
        other => rhelm_template::fmt::sprintf("%t", &[go_to_value(other)]),
    }
}

const GLOBAL: &str = "global";

/// `coalesceGlobals`: the parent's `global` table copied into the
/// subchart's. Tables are copied one level deep only, as Helm does.
fn coalesce_globals(dest: &GoMap, src: &GoMap, prefix: &str, log: &mut Log) {
    let dg = match dest.borrow().get(GLOBAL) {
        None => Rc::default(),
        Some(Go::Map(m)) => m.clone(),
        Some(_) => {
            log.printf("warning: skipping globals because destination global is not a table.".into());
            return;
        }
    };
    let sg = match src.borrow().get(GLOBAL) {
        None => Rc::default(),
        Some(Go::Map(m)) => m.clone(),
        Some(_) => {
            log.printf("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    let entries: Vec<(Arc<str>, Go)> = sg.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in entries {
        let current = dg.borrow().get(&key).cloned();
        if let Go::Map(table) = &val {
            let vv: GoMap = Rc::new(RefCell::new(table.borrow().clone()));
            match current {
                None => {
                    dg.borrow_mut().insert(key, Go::Map(vv));
                }
                Some(Go::Map(destv)) => {
                    coalesce_tables(&vv, &destv, &concat_prefix(prefix, &key), true, log);
                    dg.borrow_mut().insert(key, Go::Map(vv));
                }
                Some(_) => log.printf(format!(
                    "Conflict: cannot merge map onto non-map for {}. Skipping.",
                    rhelm_template::fmt::quote(&key)
                )),
            }
        } else if matches!(current, Some(Go::Map(_))) {
            log.printf(format!("key {key} is table. Skipping"));
        } else {
            dg.borrow_mut().insert(key, val);
        }
    }
    dest.borrow_mut().insert(Arc::from(GLOBAL), Go::Map(dg));
}

/// `coalesceValues`: the chart's own defaults under `v`.
fn coalesce_chart_values(chart: &Chart, v: &GoMap, prefix: &str, merge: bool, log: &mut Log) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let defaults = to_go(&chart.values);
    let entries: Vec<(Arc<str>, Go)> = defaults.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in entries {
        let user = v.borrow().get(&key).cloned();
        match user {
            Some(Go::Nil) if !merge => {
                v.borrow_mut().remove(&key);
            }
            Some(Go::Map(dest)) => match &val {
                Go::Map(src) => {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == &*key);
                    if !merge {
                        clean_nil_values(src);
                    }
                    coalesce_tables(&dest, src, &concat_prefix(&sub_prefix, &key), merge, log);
                }
                Go::Nil => {}
                Go::Leaf(_) => log.printf(format!("warning: skipped value for {sub_prefix}.{key}: Not a table.")),
            },
            Some(_) => {}
            None => {
                if !merge {
                    match &val {
                        Go::Nil => continue,
                        Go::Map(m) => clean_nil_values(m),
                        Go::Leaf(_) => {}
                    }
                }
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

/// `CoalesceTables(dst, src)`: `dst` wins and `src` fills the gaps; a null
/// in `dst` removes the key `src` has (upgrade's `--reuse-values`).
pub fn coalesce_tables_of(dst: &Values, src: &Values) -> Values {
    let d = to_go(dst);
    let s = to_go(src);
    coalesce_tables(&d, &s, "", false, &mut Log::default());
    from_go(&d)
}

/// `MergeTables(dst, src)`: `dst` wins, nulls kept.
pub(crate) fn merge_tables_go(dst: &GoMap, src: &GoMap, log: &mut Log) {
    coalesce_tables(dst, src, "", true, log)
}

/// `coalesceTablesFullKey`: `dst` is authoritative; `src` fills the gaps.
fn coalesce_tables(dst: &GoMap, src: &GoMap, prefix: &str, merge: bool, log: &mut Log) {
    if Rc::ptr_eq(dst, src) {
        // Coalescing a map with itself changes nothing in Helm either.
        return;
    }
    let src_non_nil: Vec<Arc<str>> = src.borrow().iter().filter(|(_, v)| !v.is_nil()).map(|(k, _)| k.clone()).collect();
    let dst_nils: Vec<Arc<str>> = dst.borrow().iter().filter(|(_, v)| v.is_nil()).map(|(k, _)| k.clone()).collect();
    for k in dst_nils {
        src.borrow_mut().insert(k, Go::Nil);
    }
    let entries: Vec<(Arc<str>, Go)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in entries {
        let full_key = concat_prefix(prefix, &key);
        let dv = dst.borrow().get(&key).cloned();
        match dv {
            Some(Go::Nil) if !merge && src_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => {
                if let Go::Map(val_map) = &val {
                    match dv.as_map() {
                        Some(dv_map) => coalesce_tables(dv_map, val_map, &full_key, merge, log),
                        None => log.printf(format!(
                            "warning: cannot overwrite table with non table for {full_key} ({})",
                            go_v(&val)
                        )),
                    }
                } else if dv.as_map().is_some() && !val.is_nil() {
                    log.printf(format!(
                        "warning: destination for {full_key} is a table. Ignoring non-table value ({})",
                        go_v(&val)
                    ));
                }
            }
        }
    }
}

/// `cleanNilValues`: drops null entries of nested maps (not inside lists).
fn clean_nil_values(m: &GoMap) {
    let mut nested = Vec::new();
    m.borrow_mut().retain(|_, v| match v {
        Go::Nil => false,
        Go::Map(sub) => {
            nested.push(sub.clone());
            true
        }
        Go::Leaf(_) => true,
    });
    for sub in nested {
        if !Rc::ptr_eq(&sub, m) {
            clean_nil_values(&sub);
        }
    }
}
