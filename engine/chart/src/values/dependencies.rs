//! Helm's `ProcessDependencies` (pkg/chart/v2/util/dependencies.go): aliases,
//! `enabled` from tags and conditions, then import-values, bottom-up.
//!
//! Two deliberate differences from Helm, both about order or sharing Go does
//! not define usefully:
//! - subcharts under `charts/` that match no Chart.yaml dependency come
//!   first, as in Helm, but sorted by name (Helm's order there follows its
//!   loader's map iteration, which is random);
//! - an aliased copy of a subchart is a deep copy; Helm's copy shares the
//!   grandchildren's metadata between copies of the same chart.
//!
//! A chart whose Chart.yaml lists no dependencies is treated as Helm treats
//! a missing `dependencies:` (nil): its subcharts are kept as loaded and not
//! descended into. Our model cannot tell `dependencies: []` from absence.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use rhelm_functions::semver::{Constraints, Version};
use rhelm_template::{Elem, Map, Value};

use super::coalesce::{coalesce_go, go_v, merge_tables_go, to_go, Go, GoMap, Log};
use crate::chart::{Chart, Values};
use crate::metadata::Dependency;

/// `ProcessDependencies(chart, user)`: rewrites `chart.dependencies` and
/// `metadata.dependencies` throughout the tree (aliases applied, disabled
/// charts removed) and folds imported values into each chart's values.
/// Returns the warning lines Helm logs on the way.
pub fn process_dependencies(chart: &mut Chart, user: &Values) -> Result<Vec<String>, String> {
    let depth = super::stack::depth(chart, user);
    super::stack::with_stack_for(depth, move || {
        let mut log = Log::default();
        process_enabled(chart, user, "", &mut log)?;
        process_import_values(chart, &mut log)?;
        Ok(log.lines)
    })
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Ok(v) = Version::parse(version) else { return false };
    let Ok(c) = Constraints::parse(constraint) else { return false };
    c.check(&v)
}

fn process_enabled(c: &mut Chart, v: &Values, path: &str, log: &mut Log) -> Result<(), String> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let loaded = std::mem::take(&mut c.dependencies);
    let mut rebuilt: Vec<Chart> = loaded
        .iter()
        .filter(|existing| {
            !c.metadata
                .dependencies
                .iter()
                .any(|req| existing.name() == req.name && is_compatible_range(&req.version, &existing.metadata.version))
        })
        .cloned()
        .collect();
    rebuilt.sort_by(|a, b| a.name().cmp(b.name()));
    for req in c.metadata.dependencies.iter_mut() {
        if let Some(dep) = alias_dependency(&loaded, req) {
            rebuilt.push(dep);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = rebuilt;
    for req in c.metadata.dependencies.iter_mut() {
        req.enabled = true;
    }

    let cvals = coalesce_go(c, v, false, log)?;
    apply_tags(&mut c.metadata.dependencies, &cvals, log);
    apply_conditions(&mut c.metadata.dependencies, &cvals, path, log);

    let removed: BTreeSet<String> =
        c.metadata.dependencies.iter().filter(|r| !r.enabled).map(|r| r.name.clone()).collect();
    c.dependencies.retain(|d| !removed.contains(d.name()));
    c.metadata.dependencies.retain(|r| !removed.contains(&r.name));
    for sub in c.dependencies.iter_mut() {
        let sub_path = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &sub_path, log)?;
    }
    Ok(())
}

/// `getAliasDependency`: the first loaded chart that the requirement names
/// and whose version its range accepts, renamed to the alias if any.
fn alias_dependency(loaded: &[Chart], req: &Dependency) -> Option<Chart> {
    let found =
        loaded.iter().find(|c| c.name() == req.name && is_compatible_range(&req.version, &c.metadata.version))?;
    let mut out = found.clone();
    if !req.alias.is_empty() {
        out.metadata.name = req.alias.clone();
    }
    Some(out)
}

fn apply_tags(reqs: &mut [Dependency], cvals: &Values, log: &mut Log) {
    let Some(Value::Map(tags)) = cvals.get("tags") else { return };
    if tags.elem != Elem::Any {
        return;
    }
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.entries.get(k.as_str()) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => log.warn("returned non-bool value", &[("tag", k), ("chart", &r.name)]),
                None => {}
            }
        }
        r.enabled = has_true || !has_false;
    }
}

fn apply_conditions(reqs: &mut [Dependency], cvals: &Values, cpath: &str, log: &mut Log) {
    for r in reqs.iter_mut() {
        let condition = r.condition.trim().to_string();
        for c in condition.split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(v) = path_value(cvals, &format!("{cpath}{c}")) {
                if let Value::Bool(b) = v {
                    r.enabled = *b;
                    break;
                }
                log.warn("returned non-bool value", &[("path", c), ("chart", &r.name)]);
            }
        }
    }
}

/// `Values.PathValue`: the non-table value at a dotted path, if any.
fn path_value<'v>(vals: &'v Values, path: &str) -> Option<&'v Value> {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop()?;
    let mut table = vals;
    for p in parts {
        match table.get(p) {
            Some(Value::Map(m)) if m.elem == Elem::Any => table = &m.entries,
            _ => return None,
        }
    }
    match table.get(last) {
        Some(Value::Map(m)) if m.elem == Elem::Any => None,
        other => other,
    }
}

fn process_import_values(c: &mut Chart, log: &mut Log) -> Result<(), String> {
    for d in c.dependencies.iter_mut() {
        process_import_values(d, log)?;
    }
    import_values(c, log)
}

/// `processImportValues` in merge mode, as `ProcessDependencies` runs it.
fn import_values(c: &mut Chart, log: &mut Log) -> Result<(), String> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let coalesced = coalesce_go(c, &Values::new(), true, log)?;
    // Go maps only once a dependency imports something: a chart without
    // imports gets back what it coalesced (Helm's copy merged with nothing),
    // and the four deep conversions below cost more than the coalescing.
    let mut go_vals: Option<GoMap> = None;
    let b: GoMap = Rc::default();
    for r in c.metadata.dependencies.iter_mut() {
        let mut normalised = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(m) if m.elem == Elem::Any => {
                    let field = |k: &str| go_v(&m.entries.get(k).map(value_go).unwrap_or(Go::Nil));
                    let (child, parent) = (field("child"), field("parent"));
                    normalised.push(import_entry(&child, &parent));
                    let cvals = go_vals.get_or_insert_with(|| to_go(&coalesced));
                    match table(cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => merge_tables_go(&b, &path_to_map(&parent, vv), log),
                        Err(e) => {
                            log.warn("ImportValues missing table from chart", &[("chart", &r.name), ("error", &e)])
                        }
                    }
                }
                Value::Str(s) => {
                    let child = format!("exports.{s}");
                    normalised.push(import_entry(&child, "."));
                    let cvals = go_vals.get_or_insert_with(|| to_go(&coalesced));
                    match table(cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => merge_tables_go(&b, &vm, log),
                        Err(e) => log.warn("ImportValues missing table", &[("error", &e)]),
                    }
                }
                _ => {}
            }
        }
        r.import_values = normalised;
    }
    let Some(cvals) = go_vals else {
        c.values = coalesced;
        return Ok(());
    };
    // Imported tables may still share maps with `cvals`; Helm copies cvals
    // only now, after the imports may have changed those shared maps.
    let copy = to_go(&super::coalesce::from_go(&cvals));
    merge_tables_go(&copy, &b, log);
    c.values = super::coalesce::from_go(&copy);
    Ok(())
}

fn value_go(v: &Value) -> Go {
    match v {
        Value::Nil => Go::Nil,
        other => Go::Leaf(other.clone()),
    }
}

fn import_entry(child: &str, parent: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert(Arc::from("child"), Value::str(child));
    m.insert(Arc::from("parent"), Value::str(parent));
    Value::Map(Map::new(Elem::String, m))
}

/// `Values.Table(path)`: the table at a dotted path (shared, as in Go), or
/// `ErrNoTable`'s text for the first step that is not a table.
fn table(vals: &GoMap, path: &str) -> Result<GoMap, String> {
    let mut cur = vals.clone();
    for part in path.split('.') {
        let next = cur.borrow().get(part).cloned();
        match next {
            Some(Go::Map(m)) => cur = m,
            _ => return Err(format!("{} is not a table", rhelm_template::fmt::quote(part))),
        }
    }
    Ok(cur)
}

/// `pathToMap`: `data` nested under a dotted path (`.` is the root).
fn path_to_map(path: &str, data: GoMap) -> GoMap {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut m = BTreeMap::new();
        m.insert(Arc::from(part), Go::Map(cur));
        cur = Rc::new(RefCell::new(m));
    }
    cur
}
