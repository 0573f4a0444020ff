//! Document heads and Helm hooks (`helm.sh/hook` and friends).

use std::collections::BTreeMap;
use std::fmt;

/// The fields Helm reads from every document (Go's `SimpleHead`).
///
/// The YAML decoding is the caller's job (see [`HeadParser`]); this module
/// only interprets the result. `None` means the field is absent or null:
/// `annotations` is `None` also when `metadata` itself is absent or null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub annotations: Option<BTreeMap<String, String>>,
}

impl Head {
    /// `apiVersion`, `""` when absent (Go's zero value).
    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().unwrap_or("")
    }
    /// `kind`, `""` when absent.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }
    /// `metadata.name`, `""` when absent.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
    /// An annotation's value, if the annotation is present.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.as_ref()?.get(key).map(String::as_str)
    }
}

/// Decodes the head of one document. On failure it returns the decoder's
/// message (for Helm: `error converting YAML to JSON: yaml: line N: …` or
/// `error unmarshaling JSON: …`), which the sorter reports as
/// `YAML parse error on <file>: <message>`.
pub type HeadParser<'a> = &'a dyn Fn(&str) -> Result<Head, String>;

/// `helm.sh/hook`: the comma-separated list of events.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
/// `helm.sh/hook-weight`: an integer, 0 when missing or invalid.
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
/// `helm.sh/hook-delete-policy`: a comma-separated list.
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
/// `helm.sh/hook-output-log-policy`: a comma-separated list.
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// The events a hook can fire on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    /// Every event, in the order Helm declares them.
    pub const ALL: [HookEvent; 9] = [
        HookEvent::PreInstall,
        HookEvent::PostInstall,
        HookEvent::PreDelete,
        HookEvent::PostDelete,
        HookEvent::PreUpgrade,
        HookEvent::PostUpgrade,
        HookEvent::PreRollback,
        HookEvent::PostRollback,
        HookEvent::Test,
    ];

    /// The event's name as Helm writes it (`pre-install`, …, `test`).
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }

    /// Looks up one already trimmed and lower-cased event name; `test-success`
    /// is the Helm 2 alias of `test`.
    pub fn from_name(name: &str) -> Option<HookEvent> {
        if name == "test-success" {
            return Some(HookEvent::Test);
        }
        HookEvent::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

impl fmt::Display for HookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Delete policy values Helm knows (any string is stored as given).
pub const HOOK_SUCCEEDED: &str = "hook-succeeded";
pub const HOOK_FAILED: &str = "hook-failed";
pub const BEFORE_HOOK_CREATION: &str = "before-hook-creation";

/// A hook document (Go's `release.Hook`, without the execution record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`.
    pub name: String,
    /// `kind` (`""` when absent).
    pub kind: String,
    /// The template path, e.g. `mychart/templates/job.yaml`.
    pub path: String,
    /// The document text exactly as split (left-trimmed only).
    pub manifest: String,
    pub events: Vec<HookEvent>,
    /// `strconv.Atoi` of the weight annotation; 0 when absent or invalid.
    pub weight: i64,
    /// Split on `,`, each trimmed and lower-cased, not validated (so an empty
    /// annotation gives one empty policy). Empty when the annotation is absent.
    pub delete_policies: Vec<String>,
    /// Same rules as `delete_policies`.
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// Whether the hook fires on `helm test` (what `--skip-tests` drops).
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// What the head of a document makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// No `helm.sh/hook` annotation: an ordinary resource.
    Manifest,
    /// A hook with its parsed events, weight and policies.
    Hook(Hook),
    /// A hook annotation naming an event Helm does not know: Helm drops the
    /// whole document and logs the raw annotation value.
    UnknownHook { hook_types: String },
}

/// Classifies one document from its head, as Helm's sorter does.
pub fn classify(head: &Head, path: &str, manifest: &str) -> Classified {
    let annotations = match &head.annotations {
        Some(a) if !a.is_empty() => a,
        _ => return Classified::Manifest,
    };
    let Some(hook_types) = annotations.get(HOOK_ANNOTATION) else {
        return Classified::Manifest;
    };
    let mut events = Vec::new();
    for part in hook_types.split(',') {
        match HookEvent::from_name(&go_to_lower(part.trim_matches(char::is_whitespace))) {
            Some(e) => events.push(e),
            None => {
                return Classified::UnknownHook { hook_types: hook_types.clone() };
            }
        }
    }
    let list = |key: &str| -> Vec<String> {
        match annotations.get(key) {
            Some(v) => v.split(',').map(|p| go_to_lower(p.trim_matches(char::is_whitespace))).collect(),
            None => Vec::new(),
        }
    };
    Classified::Hook(Hook {
        name: head.name().to_string(),
        kind: head.kind().to_string(),
        path: path.to_string(),
        manifest: manifest.to_string(),
        events,
        weight: parse_weight(annotations.get(HOOK_WEIGHT_ANNOTATION).map(String::as_str).unwrap_or("")),
        delete_policies: list(HOOK_DELETE_ANNOTATION),
        output_log_policies: list(HOOK_OUTPUT_LOG_ANNOTATION),
    })
}

/// Go's `strings.ToLower`: each rune mapped on its own (no final-sigma
/// context), and `İ` (U+0130) becomes a plain `i`.
pub(crate) fn go_to_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\u{130}' {
            out.push('i');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Go's `strconv.Atoi` (64-bit `int`), 0 on any error: an optional `+` or
/// `-`, then one or more ASCII digits, within the `i64` range.
pub fn parse_weight(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse::<i64>().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(ann: &[(&str, &str)]) -> Head {
        Head {
            api_version: Some("v1".into()),
            kind: Some("Pod".into()),
            name: Some("p".into()),
            annotations: Some(ann.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        }
    }

    #[test]
    fn weights() {
        for (s, w) in [
            ("5", 5),
            ("+5", 5),
            ("-5", -5),
            ("", 0),
            ("abc", 0),
            (" 5", 0),
            ("5 ", 0),
            ("1_000", 0),
            ("+", 0),
            ("-", 0),
            ("+-5", 0),
            ("0x10", 0),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("9223372036854775808", 0),
            ("007", 7),
            ("５", 0),
        ] {
            assert_eq!(parse_weight(s), w, "{s:?}");
        }
    }

    #[test]
    fn lower() {
        assert_eq!(go_to_lower("ΑΣ Pre-İnstall"), "ασ pre-install");
    }

    #[test]
    fn events_and_policies() {
        let h = head(&[
            (HOOK_ANNOTATION, " PRE-install ,test-success,Post-Delete"),
            (HOOK_DELETE_ANNOTATION, "Hook-Succeeded, bogus ,"),
            (HOOK_WEIGHT_ANNOTATION, "+3"),
        ]);
        let Classified::Hook(hook) = classify(&h, "c/templates/x.yaml", "doc") else { panic!() };
        assert_eq!(hook.events, vec![HookEvent::PreInstall, HookEvent::Test, HookEvent::PostDelete]);
        assert_eq!(hook.delete_policies, vec!["hook-succeeded", "bogus", ""]);
        assert!(hook.output_log_policies.is_empty());
        assert_eq!(hook.weight, 3);
        assert!(hook.is_test());
        assert_eq!(hook.name, "p");
        assert_eq!(hook.kind, "Pod");
    }

    #[test]
    fn unknown_and_plain() {
        let h = head(&[(HOOK_ANNOTATION, "pre-install,bogus")]);
        assert_eq!(classify(&h, "p", "d"), Classified::UnknownHook { hook_types: "pre-install,bogus".into() });
        let h = head(&[(HOOK_ANNOTATION, "")]);
        assert_eq!(classify(&h, "p", "d"), Classified::UnknownHook { hook_types: "".into() });
        let h = head(&[("other", "x")]);
        assert_eq!(classify(&h, "p", "d"), Classified::Manifest);
        assert_eq!(classify(&head(&[]), "p", "d"), Classified::Manifest);
        assert_eq!(classify(&Head::default(), "p", "d"), Classified::Manifest);
    }
}
