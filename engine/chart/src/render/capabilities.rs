//! `.Capabilities`: Helm's `*common.Capabilities` as `helm template` mocks it
//! (`pkg/chart/common/capabilities.go`).

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use rhelm_template::{Elem, Object, ObjectKind, Type, Value};

use super::files::string_args;

/// The API group/versions of client-go's scheme (plus apiextensions), in
/// its priority order, as Helm 4.3.1 lists them without a cluster.
pub const DEFAULT_API_VERSIONS: [&str; 57] = [
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "lifecycle.k8s.io/v1alpha1",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `common.KubeVersion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// As given, with a `v` prefix added (`v1.29.3-gke.1`).
    pub version: String,
    /// `v` + the numeric components (`v1.29.3`), for constraint checks and printing.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl Default for KubeVersion {
    /// Helm 4.3.1's: client-go v0.37 gives `v1.37.0`.
    fn default() -> Self {
        KubeVersion { version: "v1.37.0".into(), normalized: "v1.37.0".into(), major: "1".into(), minor: "37".into() }
    }
}

impl KubeVersion {
    /// `common.ParseKubeVersion` (k8s.io `version.ParseGeneric`). The error
    /// is apimachinery's text; `helm template` wraps it as
    /// `invalid kube version '<v>': <err>`.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let trimmed = text.trim_start_matches(char::is_whitespace);
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        // `[0-9]+(\.[0-9]+)*`, the rest ignored.
        let mut end = 0;
        let bytes = body.as_bytes();
        loop {
            let start = end;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                if start == 0 {
                    return Err(format!("could not parse {} as version", go_quote(text)));
                }
                end = start - 1; // the dot was not followed by digits
                break;
            }
            if end < bytes.len() && bytes[end] == b'.' {
                end += 1;
            } else {
                break;
            }
        }
        let components: Vec<&str> = body[..end].split('.').collect();
        if components.len() < 2 {
            return Err(format!("illegal version string {}", go_quote(text)));
        }
        let mut nums = Vec::new();
        for (i, comp) in components.iter().enumerate() {
            if i == 0 && comp.starts_with('0') && *comp != "0" {
                return Err(format!(
                    "illegal zero-prefixed version component {} in {}",
                    go_quote(comp),
                    go_quote(text)
                ));
            }
            match comp.parse::<u64>() {
                Ok(n) => nums.push(n),
                Err(_) => {
                    return Err(format!(
                    "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                    go_quote(comp),
                    go_quote(text),
                    go_quote(comp)
                ))
                }
            }
        }
        let version = if text.starts_with('v') { text.to_string() } else { format!("v{text}") };
        let normalized = format!("v{}", nums.iter().map(u64::to_string).collect::<Vec<_>>().join("."));
        Ok(KubeVersion { version, normalized, major: nums[0].to_string(), minor: nums[1].to_string() })
    }
}

fn go_quote(s: &str) -> String {
    rhelm_template::fmt::quote(s)
}

/// `version.BuildInfo` of the Helm this reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for BuildInfo {
    fn default() -> Self {
        BuildInfo {
            version: "v4.3.1".into(),
            git_commit: "c0d08d0d6d9424d4a14febb5e8a3e51b0dd00dff".into(),
            git_tree_state: "clean".into(),
            go_version: "go1.27.2".into(),
            kube_client_version: "v1.37".into(),
        }
    }
}

/// What templates see as `.Capabilities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
    pub helm_version: BuildInfo,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: KubeVersion::default(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: BuildInfo::default(),
        }
    }
}

impl Capabilities {
    /// `helm template`'s: the defaults, `--kube-version` if given, and the
    /// `--api-versions` appended to the default list.
    pub fn for_template(kube_version: Option<KubeVersion>, extra_apis: &[String]) -> Capabilities {
        let mut caps = Capabilities::default();
        if let Some(kv) = kube_version {
            caps.kube_version = kv;
        }
        caps.api_versions.extend(extra_apis.iter().cloned());
        caps
    }

    pub fn value(&self) -> Value {
        Value::Object(Arc::new(CapsObject(Arc::new(self.clone()))))
    }
}

#[derive(Debug)]
struct CapsObject(Arc<Capabilities>);

#[derive(Debug)]
struct KubeObject(Arc<Capabilities>);

#[derive(Debug)]
struct ApiObject(Arc<Capabilities>);

#[derive(Debug)]
struct BuildObject(Arc<Capabilities>);

fn json_object(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        rhelm_functions::json::write_string(&mut out, k, true);
        out.push(':');
        rhelm_functions::json::write_string(&mut out, v, true);
    }
    out.push('}');
    out
}

impl KubeObject {
    fn json(&self) -> String {
        let k = &self.0.kube_version;
        json_object(&[("Version", &k.version), ("Major", &k.major), ("Minor", &k.minor)])
    }

    /// The struct as fmt prints it inside another (no Stringer there).
    fn format_struct(&self, out: &mut String) {
        let k = &self.0.kube_version;
        out.push_str(&format!("{{{} {} {} {}}}", k.version, k.normalized, k.major, k.minor));
    }
}

impl ApiObject {
    fn json(&self) -> String {
        let mut out = String::from("[");
        for (i, v) in self.0.api_versions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            rhelm_functions::json::write_string(&mut out, v, true);
        }
        out.push(']');
        out
    }
}

impl BuildObject {
    fn json(&self) -> String {
        let b = &self.0.helm_version;
        json_object(&[
            ("version", &b.version),
            ("git_commit", &b.git_commit),
            ("git_tree_state", &b.git_tree_state),
            ("go_version", &b.go_version),
            ("kube_client_version", &b.kube_client_version),
        ])
    }
}

impl Object for CapsObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*common.Capabilities")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Pointer
    }

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "KubeVersion" => Value::Object(Arc::new(KubeObject(self.0.clone()))),
            "APIVersions" => Value::Object(Arc::new(ApiObject(self.0.clone()))),
            "HelmVersion" => Value::Object(Arc::new(BuildObject(self.0.clone()))),
            _ => return None,
        })
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Copy" | "MarshalJSON")
    }

    fn method_params(&self, _name: &str) -> Option<&'static [Type]> {
        Some(&[])
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        string_args(name, args, 0)?;
        match name {
            "Copy" => Ok(self.0.value()),
            "MarshalJSON" => Ok(Value::string(format!(
                "{{\"KubeVersion\":{},\"APIVersions\":{},\"HelmVersion\":{}}}",
                KubeObject(self.0.clone()).json(),
                ApiObject(self.0.clone()).json(),
                BuildObject(self.0.clone()).json()
            ))),
            _ => Err(format!("can't call method {name}")),
        }
    }

    /// text/template prints the struct the pointer points to.
    fn format(&self, out: &mut String) {
        out.push('{');
        KubeObject(self.0.clone()).format_struct(out);
        out.push(' ');
        ApiObject(self.0.clone()).format(out);
        out.push(' ');
        BuildObject(self.0.clone()).format(out);
        out.push('}');
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for KubeObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("common.KubeVersion")
    }

    fn field(&self, name: &str) -> Option<Value> {
        let k = &self.0.kube_version;
        Some(Value::str(match name {
            "Version" => &k.version,
            "Major" => &k.major,
            "Minor" => &k.minor,
            _ => return None,
        }))
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "String" | "GitVersion" | "MarshalJSON")
    }

    fn method_params(&self, _name: &str) -> Option<&'static [Type]> {
        Some(&[])
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        string_args(name, args, 0)?;
        let k = &self.0.kube_version;
        match name {
            "String" => Ok(Value::str(&k.normalized)),
            "GitVersion" => Ok(Value::str(&k.version)),
            "MarshalJSON" => Ok(Value::string(self.json())),
            _ => Err(format!("can't call method {name}")),
        }
    }

    /// A copy (as functions receive it) has no `String` method: fmt prints
    /// the struct, unexported field included.
    fn format(&self, out: &mut String) {
        self.format_struct(out);
    }

    /// Reached through the `*Capabilities`, the field is addressable and
    /// text/template prints it with the pointer's `String` method.
    fn format_printed(&self, out: &mut String) {
        out.push_str(&self.0.kube_version.normalized);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for ApiObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("common.VersionSet")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Slice
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Has" | "MarshalJSON")
    }

    fn method_params(&self, name: &str) -> Option<&'static [Type]> {
        Some(if name == "Has" { &[Type::String] } else { &[] })
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        match name {
            "Has" => {
                let a = string_args(name, args, 1)?;
                Ok(Value::Bool(self.0.api_versions.iter().any(|v| v == a[0])))
            }
            "MarshalJSON" => Ok(Value::string(self.json())),
            _ => Err(format!("can't call method {name}")),
        }
    }

    fn format(&self, out: &mut String) {
        out.push('[');
        out.push_str(&self.0.api_versions.join(" "));
        out.push(']');
    }

    fn len(&self) -> Option<usize> {
        Some(self.0.api_versions.len())
    }

    fn truthy(&self) -> bool {
        !self.0.api_versions.is_empty()
    }

    fn elements(&self) -> Option<Vec<Value>> {
        Some(self.0.api_versions.iter().map(|s| Value::str(s)).collect())
    }

    fn deep_copy(&self) -> Option<Value> {
        Some(Value::typed_list(Elem::String, self.elements().unwrap_or_default()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for BuildObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("version.BuildInfo")
    }

    fn field(&self, name: &str) -> Option<Value> {
        let b = &self.0.helm_version;
        Some(Value::str(match name {
            "Version" => &b.version,
            "GitCommit" => &b.git_commit,
            "GitTreeState" => &b.git_tree_state,
            "GoVersion" => &b.go_version,
            "KubeClientVersion" => &b.kube_client_version,
            _ => return None,
        }))
    }

    fn has_method(&self, name: &str) -> bool {
        name == "MarshalJSON"
    }

    fn method_params(&self, _name: &str) -> Option<&'static [Type]> {
        Some(&[])
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        string_args(name, args, 0)?;
        Ok(Value::string(self.json()))
    }

    fn format(&self, out: &mut String) {
        let b = &self.0.helm_version;
        out.push_str(&format!(
            "{{{} {} {} {} {}}}",
            b.version, b.git_commit, b.git_tree_state, b.go_version, b.kube_client_version
        ));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::KubeVersion;

    #[test]
    fn parse_kube_versions() {
        let k = KubeVersion::parse("1.29.3-gke.1").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.29.3-gke.1", "v1.29.3", "1", "29")
        );
        assert_eq!(KubeVersion::parse("abc").unwrap_err(), "could not parse \"abc\" as version");
        assert_eq!(KubeVersion::parse("1").unwrap_err(), "illegal version string \"1\"");
        assert_eq!(KubeVersion::parse("1.x").unwrap_err(), "illegal version string \"1.x\"");
        assert_eq!(
            KubeVersion::parse("01.2").unwrap_err(),
            "illegal zero-prefixed version component \"01\" in \"01.2\""
        );
        assert_eq!(KubeVersion::parse("1.02.3").unwrap().normalized, "v1.2.3");
        assert_eq!(KubeVersion::parse("v1.29").unwrap().version, "v1.29");
    }
}
