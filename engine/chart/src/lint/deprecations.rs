//! Deprecated Kubernetes APIs (Helm's `rules/deprecations.go`): kinds whose
//! API version is deprecated or removed at the Kubernetes version linted for.
//!
//! The table (deprecations_table.rs, made by scripts/gen-k8s-deprecations)
//! is k8s.io/api's prerelease-lifecycle data for the groups client-go's
//! scheme registers. Kinds without an entry are never deprecated.

/// Helm's default Kubernetes version for lint (`DefaultCapabilities`).
pub const DEFAULT_KUBE_VERSION: (u32, u32) = (1, 37);

type Lifecycle = (&'static str, &'static str, (u32, u32), (u32, u32), &'static str);

#[path = "deprecations_table.rs"]
mod table;
use table::TABLE;

/// The warning Helm gives for `api_version`/`kind` at Kubernetes `at`, if any.
pub fn deprecation(api_version: &str, kind: &str, at: (u32, u32)) -> Option<String> {
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let (gv, k, deprecated, removed, replacement) =
        TABLE.iter().find(|(gv, k, ..)| *gv == api_version && *k == kind)?;
    let is_removed = *removed != (0, 0) && at >= *removed;
    let is_deprecated = *deprecated != (0, 0) && at >= *deprecated;
    if !is_removed && !is_deprecated {
        return None;
    }
    let mut msg = format!("{gv} {k} is deprecated");
    if *deprecated != (0, 0) {
        msg.push_str(&format!(" in v{}.{}+", deprecated.0, deprecated.1));
    }
    if *removed != (0, 0) && removed != deprecated {
        msg.push_str(&format!(", unavailable in v{}.{}+", removed.0, removed.1));
    }
    if !replacement.is_empty() {
        msg.push_str(&format!("; use {replacement}"));
    }
    Some(msg)
}
