//! Sorting rendered files into hooks and manifests, ordered by kind.

use std::collections::BTreeMap;

use super::hooks::{classify, Classified, Head, HeadParser, Hook};
use super::split::{is_blank, split_manifests};
use super::text::slog_info;

/// The order in which kinds are installed. Unknown kinds come after all of
/// these, in byte order of the kind.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The order in which kinds are uninstalled. It is not the exact reverse of
/// [`INSTALL_ORDER`]: `Service` goes early and the two webhook kinds swap.
pub const UNINSTALL_ORDER: &[&str] = &[
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// A non-hook document (Go's `releaseutil.Manifest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The template path, e.g. `mychart/templates/svc.yaml` (or `manifest-N`
    /// when sorting a stored release manifest).
    pub name: String,
    /// The document text exactly as split (left-trimmed only).
    pub content: String,
    pub head: Head,
}

/// What [`sort_manifests`] produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortedManifests {
    /// Hooks, stably sorted by kind (not by weight).
    pub hooks: Vec<Hook>,
    /// Other documents, stably sorted by kind.
    pub manifests: Vec<Manifest>,
    /// Lines Helm logs to stderr while sorting, without their `\n`:
    /// `level=INFO msg="skipping unknown hooks" hookTypes=…`.
    pub notices: Vec<String>,
}

/// A document head that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortError {
    /// `YAML parse error on <file>: <decoder message>`.
    pub message: String,
    /// The notices logged before the error.
    pub notices: Vec<String>,
}

impl std::fmt::Display for SortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SortError {}

/// Go's `path.Base` for the slash-separated keys used here.
fn base(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    p.rsplit('/').next().unwrap_or(p)
}

/// Helm's `SortManifests`: files in byte order of path (the map's order);
/// partials (basename starting `_`) and blank files skipped; each file split
/// with [`split_manifests`]; each document's head decoded by `parse_head` and
/// the document classified as hook or manifest; both lists then stably
/// sorted by kind with `order` ([`INSTALL_ORDER`] or [`UNINSTALL_ORDER`]).
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
    order: &[&str],
    parse_head: HeadParser<'_>,
) -> Result<SortedManifests, SortError> {
    let mut out = SortedManifests::default();
    for (path, content) in files {
        if base(path).starts_with('_') || is_blank(content) {
            continue;
        }
        for doc in split_manifests(content) {
            let head = match parse_head(&doc) {
                Ok(h) => h,
                Err(e) => {
                    return Err(SortError { message: format!("YAML parse error on {path}: {e}"), notices: out.notices })
                }
            };
            match classify(&head, path, &doc) {
                Classified::Manifest => out.manifests.push(Manifest { name: path.clone(), content: doc, head }),
                Classified::Hook(h) => out.hooks.push(h),
                Classified::UnknownHook { hook_types } => {
                    out.notices.push(slog_info("skipping unknown hooks", &[("hookTypes", &hook_types)]))
                }
            }
        }
    }
    sort_by_kind(&mut out.hooks, order, |h| &h.kind);
    sort_by_kind(&mut out.manifests, order, |m| m.head.kind());
    Ok(out)
}

/// Helm's `lessByKind` as a sort key: known kinds by their index in `order`,
/// then unknown kinds in byte order (`""` first). Equal keys keep their order.
pub fn kind_rank<'k>(kind: &'k str, order: &[&str]) -> (bool, usize, &'k str) {
    match order.iter().position(|k| *k == kind) {
        Some(i) => (false, i, ""),
        None => (true, 0, kind),
    }
}

/// Stable sort by [`kind_rank`] (Go's `sort.SliceStable` with `lessByKind`).
pub fn sort_by_kind<T>(items: &mut [T], order: &[&str], kind: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| kind_rank(kind(a), order).cmp(&kind_rank(kind(b), order)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_only(doc: &str) -> Result<Head, String> {
        let mut h = Head::default();
        for line in doc.lines() {
            if let Some(k) = line.strip_prefix("kind: ") {
                h.kind = Some(k.trim().to_string());
            }
            if let Some(k) = line.strip_prefix("hook: ") {
                h.annotations = Some([("helm.sh/hook".to_string(), k.to_string())].into());
            }
            if line == "bad" {
                return Err("boom".into());
            }
        }
        Ok(h)
    }

    #[test]
    fn orders() {
        assert_eq!(INSTALL_ORDER.len(), 38);
        assert_eq!(UNINSTALL_ORDER.len(), 38);
        let mut a: Vec<_> = INSTALL_ORDER.to_vec();
        let mut b: Vec<_> = UNINSTALL_ORDER.to_vec();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn sorts_by_kind_stably() {
        let files: BTreeMap<String, String> = [
            ("c/templates/b.yaml", "kind: Zeta\nn: 1\n---\nkind: Service\n---\nkind: alpha\n---\n# c\n"),
            ("c/templates/a.yaml", "kind: Zeta\nn: 0\n---\nkind: Namespace\n---\nkind: Service\nn: 0\n"),
            ("c/templates/_p.yaml", "kind: Secret\n"),
            ("c/templates/e.yaml", " \n\t\n"),
            (
                "c/templates/h.yaml",
                "kind: Job\nhook: pre-install\n---\nkind: Pod\nhook: test\n---\nkind: Pod\nhook: x,test\n",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = sort_manifests(&files, INSTALL_ORDER, &kind_only).unwrap();
        let got: Vec<_> = s.manifests.iter().map(|m| (m.name.as_str(), m.content.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("c/templates/a.yaml", "kind: Namespace\n"),
                ("c/templates/a.yaml", "kind: Service\nn: 0\n"),
                ("c/templates/b.yaml", "kind: Service\n"),
                ("c/templates/b.yaml", "# c\n"),
                ("c/templates/a.yaml", "kind: Zeta\nn: 0\n"),
                ("c/templates/b.yaml", "kind: Zeta\nn: 1\n"),
                ("c/templates/b.yaml", "kind: alpha\n"),
            ]
        );
        let hooks: Vec<_> = s.hooks.iter().map(|h| h.kind.as_str()).collect();
        assert_eq!(hooks, vec!["Pod", "Job"]);
        assert_eq!(s.notices, vec![r#"level=INFO msg="skipping unknown hooks" hookTypes=x,test"#]);

        let u = sort_manifests(&files, UNINSTALL_ORDER, &kind_only).unwrap();
        let kinds: Vec<_> = u.manifests.iter().map(|m| m.head.kind()).collect();
        assert_eq!(kinds, vec!["Service", "Service", "Namespace", "", "Zeta", "Zeta", "alpha"]);
    }

    #[test]
    fn parse_error() {
        let files: BTreeMap<String, String> =
            [("c/templates/a.yaml".to_string(), "kind: A\nhook: nope\n---\nbad\n".to_string())].into();
        let e = sort_manifests(&files, INSTALL_ORDER, &kind_only).unwrap_err();
        assert_eq!(e.message, "YAML parse error on c/templates/a.yaml: boom");
        assert_eq!(e.notices.len(), 1);
    }

    #[test]
    fn path_base() {
        assert_eq!(base("a/b/_c"), "_c");
        assert_eq!(base("_c"), "_c");
        assert_eq!(base("a/_b/c"), "c");
        assert_eq!(base(""), ".");
    }
}
