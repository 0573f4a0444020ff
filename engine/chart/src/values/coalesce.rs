//! Helm's `CoalesceValues` / `MergeValues` (`pkg/chart/common/util/coalesce.go`),
//! with Helm 4.3.1's handling of nulls: in coalesce mode, nulls among a
//! chart's own defaults are dropped before they reach the result, while
//! user-supplied nulls delete the defaults they cover.
//!
//! Warnings are returned as the stderr lines Helm prints (`log.Printf` through
//! slog's default handler). Where Helm ranges over a Go map (random order),
//! keys are taken in sorted order, so warnings come out sorted.

use rhelm_template::Value;

use super::{concat_prefix, go_v, is_table, log_line, GoMap};
use crate::chart::{Chart, Values};

/// `CoalesceValues(chart, user)`: the values the templates see, and the
/// warnings printed while computing them. A subchart key in `user` that is
/// not a table fails as Helm's does (`type mismatch on sub: ...`); the values
/// coalesced so far are returned with the warnings in that case too.
pub fn coalesce_values(chart: &Chart, user: &Values) -> (Values, Vec<String>) {
    let (values, warnings, _) = run(chart, user, false);
    (values, warnings)
}

/// Like [`coalesce_values`] but returning the `type mismatch` error, if any.
pub fn try_coalesce_values(chart: &Chart, user: &Values) -> Result<(Values, Vec<String>), (String, Vec<String>)> {
    match run(chart, user, false) {
        (values, warnings, None) => Ok((values, warnings)),
        (_, warnings, Some(e)) => Err((e, warnings)),
    }
}

/// `MergeValues(chart, user)`: as [`coalesce_values`] but keeping nulls.
pub fn merge_values(chart: &Chart, user: &Values) -> (Values, Vec<String>) {
    let (values, warnings, _) = run(chart, user, true);
    (values, warnings)
}

/// `MergeTables(dst, src)`: `src`'s keys under `dst`'s, nulls kept.
pub fn merge_tables(dst: &Values, src: &Values, warnings: &mut Vec<String>) -> Values {
    let d = GoMap::deep_copy(dst);
    coalesce_tables(&d, &GoMap::deep_copy(src), "", true, warnings);
    d.to_values()
}

fn run(chart: &Chart, user: &Values, merge: bool) -> (Values, Vec<String>, Option<String>) {
    let dest = GoMap::deep_copy(user);
    let mut warnings = Vec::new();
    let err = coalesce(chart, &dest, "", merge, &mut warnings).err();
    (dest.to_values(), warnings, err)
}

pub(crate) fn coalesce(chart: &Chart, dest: &GoMap, prefix: &str, merge: bool, w: &mut Vec<String>) -> Result<(), String> {
    coalesce_chart_values(chart, dest, prefix, merge, w);
    coalesce_deps(chart, dest, prefix, merge, w)
}

fn coalesce_deps(chart: &Chart, dest: &GoMap, prefix: &str, merge: bool, w: &mut Vec<String>) -> Result<(), String> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let sub_dest = match dest.get(name) {
            None => {
                let m = GoMap::new();
                dest.set(name, m.value());
                m
            }
            Some(v) => match GoMap::of(&v) {
                Some(m) => m,
                None => return Err(format!("type mismatch on {name}: {}", rhelm_template::fmt::sprintf("%t", &[v]))),
            },
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&sub_dest, dest, &sub_prefix, w);
        coalesce(sub, &sub_dest, &sub_prefix, merge, w)?;
    }
    Ok(())
}

/// Copies the parent's `global` table into the subchart's. Tables are copied
/// shallowly, as Helm does, so nested global tables stay shared with the
/// parent's.
fn coalesce_globals(dest: &GoMap, src: &GoMap, prefix: &str, w: &mut Vec<String>) {
    let dg = match dest.get("global") {
        None => GoMap::new(),
        Some(v) => match GoMap::of(&v) {
            Some(m) => m,
            None => {
                w.push(log_line("warning: skipping globals because destination global is not a table."));
                return;
            }
        },
    };
    let sg = match src.get("global") {
        None => GoMap::new(),
        Some(v) => match GoMap::of(&v) {
            Some(m) => m,
            None => {
                w.push(log_line("warning: skipping globals because source global is not a table."));
                return;
            }
        },
    };
    for (key, val) in sg.entries() {
        if let Some(table) = GoMap::of(&val) {
            let vv = table.shallow_copy();
            match dg.get(&key) {
                None => dg.set(&key, vv.value()),
                Some(destv) => match GoMap::of(&destv) {
                    None => w.push(log_line(&format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        crate::manifest::go_quote(&key)
                    ))),
                    Some(destm) => {
                        coalesce_tables(&vv, &destm, &concat_prefix(prefix, &key), true, w);
                        dg.set(&key, vv.value());
                    }
                },
            }
        } else if dg.get(&key).is_some_and(|d| is_table(&d)) {
            w.push(log_line(&format!("key {key} is table. Skipping")));
        } else {
            dg.set(&key, val);
        }
    }
    dest.set("global", dg.value());
}

/// One chart's defaults under `v` (Helm's `coalesceValues`).
fn coalesce_chart_values(chart: &Chart, v: &GoMap, prefix: &str, merge: bool, w: &mut Vec<String>) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let defaults = GoMap::deep_copy(&chart.values);
    for (key, val) in defaults.entries() {
        match v.get(&key) {
            Some(Value::Nil) if !merge => v.remove(&key),
            Some(user) => {
                let Some(dest) = GoMap::of(&user) else { continue };
                match GoMap::of(&val) {
                    None => {
                        if !val.is_nil() {
                            w.push(log_line(&format!("warning: skipped value for {sub_prefix}.{key}: Not a table.")));
                        }
                    }
                    Some(src) => {
                        let merge = merge || chart.dependencies.iter().any(|d| d.name() == &*key);
                        if !merge {
                            clean_nil_values(&src);
                        }
                        coalesce_tables(&dest, &src, &concat_prefix(&sub_prefix, &key), merge, w);
                    }
                }
            }
            None => {
                if !merge {
                    if val.is_nil() {
                        continue;
                    }
                    if let Some(m) = GoMap::of(&val) {
                        clean_nil_values(&m);
                    }
                }
                v.set(&key, val);
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` under `dst`, `dst` authoritative.
pub(crate) fn coalesce_tables(dst: &GoMap, src: &GoMap, prefix: &str, merge: bool, w: &mut Vec<String>) {
    let originally_non_nil: std::collections::BTreeSet<_> =
        src.entries().into_iter().filter(|(_, v)| !v.is_nil()).map(|(k, _)| k).collect();
    for (key, val) in dst.entries() {
        if val.is_nil() {
            src.set(&key, Value::Nil);
        }
    }
    for (key, val) in src.entries() {
        let full = concat_prefix(prefix, &key);
        match dst.get(&key) {
            Some(Value::Nil) if !merge && originally_non_nil.contains(&key) => dst.remove(&key),
            None => dst.set(&key, val),
            Some(dv) => {
                if let Some(vm) = GoMap::of(&val) {
                    match GoMap::of(&dv) {
                        Some(dm) => coalesce_tables(&dm, &vm, &full, merge, w),
                        None => w.push(log_line(&format!(
                            "warning: cannot overwrite table with non table for {full} ({})",
                            go_v(&val)
                        ))),
                    }
                } else if is_table(&dv) && !val.is_nil() {
                    w.push(log_line(&format!(
                        "warning: destination for {full} is a table. Ignoring non-table value ({})",
                        go_v(&val)
                    )));
                }
            }
        }
    }
}

/// Drops nil entries of nested maps, in place (nils inside lists stay).
fn clean_nil_values(m: &GoMap) {
    for (key, val) in m.entries() {
        if val.is_nil() {
            m.remove(&key);
        } else if let Some(sub) = GoMap::of(&val) {
            clean_nil_values(&sub);
        }
    }
}
