//! Helm 4.3.1's rendering engine (`pkg/engine`) and the objects templates
//! see: `.Chart`, `.Files`, `.Capabilities`, `.Release`, `.Values`,
//! `.Template`, `.Subcharts`.

mod capabilities;
mod chart_map;
mod engine;
mod files;
mod glob;
mod head;
mod heads;
mod parallel;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rhelm_template::Value;

use crate::chart::{Chart, Values};

pub use capabilities::{BuildInfo, Capabilities, KubeVersion, DEFAULT_API_VERSIONS};
pub use chart_map::metadata_as_map;
pub use engine::{parse_ahead, ParsingAhead, RenderHelper};
pub use files::Files;
pub use glob::Glob;
pub use head::parse_head;
pub use heads::{HeadCache, HeadsAhead};

/// `common.ReleaseOptions`: what `.Release` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
}

impl Default for ReleaseOptions {
    /// `helm template`'s: `release-name` in `default`, revision 1, an install.
    fn default() -> Self {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub release: ReleaseOptions,
    pub capabilities: Capabilities,
    /// `helm lint`: `required` and `fail` do not fail.
    pub lint_mode: bool,
}

/// A failed render; `Display` is Helm's text (without `Error: `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

fn put(m: &mut BTreeMap<Arc<str>, Value>, k: &str, v: Value) {
    m.insert(Arc::from(k), v);
}

/// Helm's `ToRenderValues` after coalescing and schema validation: the
/// top-level object `{Chart, Capabilities, Release, Values}` the engine
/// starts from. `values` are the coalesced values.
pub fn to_render_values(chart: &Chart, values: &Values, options: &RenderOptions) -> Value {
    let mut release = BTreeMap::new();
    let r = &options.release;
    put(&mut release, "Name", Value::str(&r.name));
    put(&mut release, "Namespace", Value::str(&r.namespace));
    put(&mut release, "IsUpgrade", Value::Bool(r.is_upgrade));
    put(&mut release, "IsInstall", Value::Bool(r.is_install));
    put(&mut release, "Revision", Value::Int(r.revision));
    put(&mut release, "Service", Value::str("Helm"));
    let mut top = BTreeMap::new();
    put(&mut top, "Chart", Value::map(metadata_as_map(&chart.metadata)));
    put(&mut top, "Capabilities", options.capabilities.value());
    put(&mut top, "Release", Value::map(release));
    put(&mut top, "Values", Value::map(values.clone()));
    Value::map(top)
}

/// The chart's `kubeVersion` constraint against the capabilities (Helm's
/// `IsCompatibleRange`: an unparsable version or constraint is incompatible).
pub fn check_kube_version(chart: &Chart, caps: &Capabilities) -> Result<(), RenderError> {
    let constraint = &chart.metadata.kube_version;
    if constraint.is_empty() {
        return Ok(());
    }
    use rhelm_functions::semver::{Constraints, Version};
    let ok = match (Version::parse(&caps.kube_version.normalized), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(RenderError {
            message: format!(
                "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {}",
                caps.kube_version.version
            ),
        })
    }
}

/// Renders the chart tree: the `kubeVersion` check of Helm's
/// `renderResources`, then `Engine.Render`. The result maps
/// `<chart full path>/<template>` to its text; partials are absent.
pub fn render(
    chart: &Chart,
    values: &Values,
    options: &RenderOptions,
) -> Result<BTreeMap<String, String>, RenderError> {
    render_with(chart, values, options, None, None)
}

/// [`render`], taking the trees of templates parsed ahead (see
/// [`parse_ahead`]) where they still apply, and sending each rendered
/// template to `heads`.
pub fn render_with(
    chart: &Chart,
    values: &Values,
    options: &RenderOptions,
    ahead: Option<ParsingAhead>,
    heads: Option<&HeadsAhead>,
) -> Result<BTreeMap<String, String>, RenderError> {
    check_kube_version(chart, &options.capabilities)?;
    let top = to_render_values(chart, values, options);
    render_top_with(chart, &top, options.lint_mode, ahead, heads)
}

/// `Engine.Render` on a prepared top-level object.
pub fn render_top(chart: &Chart, top: &Value, lint_mode: bool) -> Result<BTreeMap<String, String>, RenderError> {
    render_top_with(chart, top, lint_mode, None, None)
}

fn render_top_with(
    chart: &Chart,
    top: &Value,
    lint_mode: bool,
    ahead: Option<ParsingAhead>,
    heads: Option<&HeadsAhead>,
) -> Result<BTreeMap<String, String>, RenderError> {
    let run = std::panic::AssertUnwindSafe(|| engine::render_templates(chart, top, lint_mode, ahead, heads));
    match std::panic::catch_unwind(run) {
        Ok(r) => r.map_err(|message| RenderError { message }),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(RenderError { message: format!("rendering template failed: {msg}") })
        }
    }
}
