//! Helm's `ProcessDependencies` (`pkg/chart/v2/util/dependencies.go`):
//! aliases, conditions and tags decide which subcharts stay, then
//! import-values copies child tables into their parents, bottom-up.
//!
//! Differences from Helm, on purpose:
//! - subcharts that match no Chart.yaml dependency are put first in name
//!   order (Helm keeps load order, which follows a Go map and varies);
//! - a chart whose Chart.yaml has `dependencies: []` is treated like one with
//!   no `dependencies` key (Helm distinguishes a nil list from an empty one);
//! - an aliased chart gets its own copy of its subcharts' metadata (Helm's
//!   copies share it between aliases of the same chart).

use std::sync::Arc;

use rhelm_functions::semver::{Constraints, Version};
use rhelm_template::Value;

use super::coalesce::{coalesce, coalesce_tables};
use super::{go_v, is_table, slog_warn, GoMap};
use crate::chart::{Chart, Values};
use crate::metadata::Dependency;

/// Rebuilds `chart`'s dependency tree for `user` values and applies
/// import-values. Returns the warnings Helm prints on the way.
pub fn process_dependencies(chart: &mut Chart, user: &Values) -> Result<Vec<String>, String> {
    let mut w = Vec::new();
    process_enabled(chart, &GoMap::deep_copy(user), "", &mut w)?;
    process_import_values_tree(chart, &mut w)?;
    Ok(w)
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    }
}

fn matches(req: &Dependency, sub: &Chart) -> bool {
    sub.name() == req.name && is_compatible_range(&req.version, &sub.metadata.version)
}

fn process_enabled(c: &mut Chart, v: &GoMap, path: &str, w: &mut Vec<String>) -> Result<(), String> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let loaded = std::mem::take(&mut c.dependencies);
    let mut rebuilt: Vec<Chart> = loaded
        .iter()
        .filter(|sub| !c.metadata.dependencies.iter().any(|req| matches(req, sub)))
        .cloned()
        .collect();
    rebuilt.sort_by(|a, b| a.name().cmp(b.name()));
    for req in &mut c.metadata.dependencies {
        if let Some(found) = loaded.iter().find(|sub| matches(req, sub)) {
            let mut copy = found.clone();
            if !req.alias.is_empty() {
                copy.metadata.name = req.alias.clone();
            }
            rebuilt.push(copy);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = rebuilt;
    for req in &mut c.metadata.dependencies {
        req.enabled = true;
    }

    let cvals = GoMap::deep_copy(&v.to_values());
    coalesce(c, &cvals, "", false, w)?;
    apply_tags(&mut c.metadata.dependencies, &cvals, w);
    apply_conditions(&mut c.metadata.dependencies, &cvals, path, w);

    let disabled: Vec<String> =
        c.metadata.dependencies.iter().filter(|r| !r.enabled).map(|r| r.name.clone()).collect();
    c.dependencies.retain(|d| !disabled.iter().any(|n| n == d.name()));
    c.metadata.dependencies.retain(|r| !disabled.contains(&r.name));
    for sub in &mut c.dependencies {
        let sub_path = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &sub_path, w)?;
    }
    Ok(())
}

fn apply_tags(reqs: &mut [Dependency], cvals: &GoMap, w: &mut Vec<String>) {
    let Some(tags) = table(cvals, "tags") else { return };
    for r in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => w.push(slog_warn("returned non-bool value", &[("tag", k), ("chart", &r.name)])),
                None => {}
            }
        }
        r.enabled = has_true || !has_false;
    }
}

fn apply_conditions(reqs: &mut [Dependency], cvals: &GoMap, path: &str, w: &mut Vec<String>) {
    for r in reqs {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            if let Some(v) = path_value(cvals, &format!("{path}{cond}")) {
                if let Value::Bool(b) = v {
                    r.enabled = b;
                    break;
                }
                w.push(slog_warn("returned non-bool value", &[("path", cond), ("chart", &r.name)]));
            }
        }
    }
}

/// `Values.Table(name)`: the table at a dotted path, or the first path
/// element that is missing or not a table.
fn table_at(v: &GoMap, name: &str) -> Result<GoMap, String> {
    let mut t = v.clone();
    for part in name.split('.') {
        match t.get(part).as_ref().and_then(GoMap::of) {
            Some(next) => t = next,
            None => return Err(part.to_string()),
        }
    }
    Ok(t)
}

fn table(v: &GoMap, name: &str) -> Option<GoMap> {
    table_at(v, name).ok()
}

/// `Values.PathValue`: a non-table value at a dotted path.
fn path_value(v: &GoMap, path: &str) -> Option<Value> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (table(v, p)?, k),
        None => (v.clone(), path),
    };
    parent.get(key).filter(|x| !is_table(x))
}

fn process_import_values_tree(c: &mut Chart, w: &mut Vec<String>) -> Result<(), String> {
    for d in &mut c.dependencies {
        process_import_values_tree(d, w)?;
    }
    process_import_values(c, w)
}

fn process_import_values(c: &mut Chart, w: &mut Vec<String>) -> Result<(), String> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = GoMap::new();
    coalesce(c, &cvals, "", true, w)?;
    let b = GoMap::new();
    for r in &mut c.metadata.dependencies {
        let mut out = Vec::new();
        for riv in &r.import_values {
            let (child, parent) = match riv {
                Value::Map(m) => {
                    let get = |k: &str| go_v(&m.entries.get(k).cloned().unwrap_or(Value::Nil));
                    (get("child"), get("parent"))
                }
                Value::Str(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            out.push(normalised(&child, &parent));
            let is_map_form = matches!(riv, Value::Map(_));
            match table_at(&cvals, &format!("{}.{child}", r.name)) {
                Ok(vv) => {
                    let src = if is_map_form { path_to_map(&parent, vv) } else { vv };
                    coalesce_tables(&b, &src, "", true, w);
                }
                Err(key) => {
                    let err = format!("{} is not a table", crate::manifest::go_quote(&key));
                    w.push(if is_map_form {
                        slog_warn("ImportValues missing table from chart", &[("chart", &r.name), ("error", &err)])
                    } else {
                        slog_warn("ImportValues missing table", &[("error", &err)])
                    });
                }
            }
        }
        r.import_values = out;
    }
    let dst = GoMap::deep_copy(&cvals.to_values());
    coalesce_tables(&dst, &b, "", true, w);
    c.values = dst.to_values();
    Ok(())
}

fn normalised(child: &str, parent: &str) -> Value {
    let mut m = std::collections::BTreeMap::new();
    m.insert(Arc::from("child"), Value::str(child));
    m.insert(Arc::from("parent"), Value::str(parent));
    Value::typed_map(rhelm_template::Elem::String, m)
}

/// `{a: {b: data}}` for the path `a.b`; `.` is the root itself.
fn path_to_map(path: &str, data: GoMap) -> GoMap {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let m = GoMap::new();
        m.set(part, cur.value());
        cur = m;
    }
    cur
}
