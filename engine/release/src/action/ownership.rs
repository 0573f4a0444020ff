//! Which release owns an object (pkg/action/validate.go): the managed-by
//! label and the two release annotations every rendered object carries.

use rhelm_kube::{Kube, Resource};
use serde_json::Value;

use super::ActionError;

pub(crate) const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
pub(crate) const RELEASE_NAME: &str = "meta.helm.sh/release-name";
pub(crate) const RELEASE_NAMESPACE: &str = "meta.helm.sh/release-namespace";

/// `setMetadataVisitor(name, ns, true)`: marks each object as the release's.
pub(crate) fn set_metadata(rs: &mut [Resource], name: &str, namespace: &str) {
    for r in rs {
        r.set_label(MANAGED_BY, "Helm");
        r.set_annotation(RELEASE_NAME, name);
        r.set_annotation(RELEASE_NAMESPACE, namespace);
    }
}

/// `resourceString`: `Kind "name" in namespace "ns"`.
pub(crate) fn describe(r: &Resource) -> String {
    format!("{} {:?} in namespace {:?}", r.kind, r.name, r.namespace.as_deref().unwrap_or(""))
}

fn meta<'a>(obj: &'a Value, field: &str, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get(field)?.get(key)?.as_str()
}

fn require(obj: &Value, field: &str, key: &str, want: &str) -> Option<String> {
    match meta(obj, field, key) {
        None => Some(format!("missing key {key:?}: must be set to {want:?}")),
        Some(v) if v != want => Some(format!("key {key:?} must equal {want:?}: current value is {v:?}")),
        Some(_) => None,
    }
}

/// `checkOwnership`.
pub(crate) fn check_ownership(obj: &Value, name: &str, namespace: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if let Some(e) = require(obj, "labels", MANAGED_BY, "Helm") {
        errs.push(format!("label validation error: {e}"));
    }
    if let Some(e) = require(obj, "annotations", RELEASE_NAME, name) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if let Some(e) = require(obj, "annotations", RELEASE_NAMESPACE, namespace) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid ownership metadata; {}", errs.join("; ")))
    }
}

/// `existingResourceConflict` (or, with `take_ownership`, `requireAdoption`):
/// the objects that already exist, which the release will adopt; an object
/// owned by someone else is an error unless ownership is taken.
pub(crate) fn existing(
    kube: &Kube,
    rs: &[Resource],
    name: &str,
    namespace: &str,
    take_ownership: bool,
) -> Result<Vec<Resource>, ActionError> {
    let mut adopted = Vec::new();
    for (r, live) in rs.iter().zip(kube.get_all(rs)) {
        let live = live.map_err(|e| {
            ActionError(format!("could not get information about the resource {}: {e}", describe(r)))
        })?;
        let Some(live) = live else { continue };
        if !take_ownership {
            check_ownership(&live, name, namespace).map_err(|e| {
                ActionError(format!("{} exists and cannot be imported into the current release: {e}", describe(r)))
            })?;
        }
        adopted.push(r.clone());
    }
    Ok(adopted)
}
