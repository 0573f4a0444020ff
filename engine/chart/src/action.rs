//! `helm template` as one call: Helm's `runInstall` and `Install.Run` in
//! client-only dry-run mode, from the chart path and the user's values to
//! what is printed.

use std::path::PathBuf;

use rhelm_template::Value;

use crate::chart::{Chart, Values};
use crate::manifest::{self, Crd, TemplateOptions, TemplateOutput};
use crate::render::{self, Capabilities, ReleaseOptions, RenderOptions};

/// Everything `helm template` needs once its flags are parsed.
#[derive(Debug, Clone, Default)]
pub struct TemplateRequest {
    pub chart_path: PathBuf,
    /// The user's values, merged from `-f` and the `--set` flags.
    pub user_values: Values,
    pub release: ReleaseOptions,
    pub capabilities: Capabilities,
    pub skip_schema_validation: bool,
    /// `--debug`: on a YAML error, print what was rendered.
    pub debug: bool,
    /// `--dependency-update`: fetching missing dependencies is not
    /// supported yet, so it only changes the error.
    pub dependency_update: bool,
    pub output: TemplateOptions,
}

/// A release name as Helm accepts it (`chartutil.ValidateReleaseName`),
/// with the error `availableName` gives (`release name "x": invalid ...`).
pub fn validate_release_name(name: &str) -> Result<(), String> {
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    if name.is_empty() || name.len() > 53 || !name.split('.').all(label_ok) {
        return Err(format!(
            "release name {}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
            rhelm_template::fmt::quote(name)
        ));
    }
    Ok(())
}

fn fail(notices: Vec<String>, message: String) -> TemplateOutput {
    TemplateOutput { notices, error: Some(message), ..TemplateOutput::default() }
}

/// The `--debug` hint Helm adds to errors raised once the release exists.
const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Runs `helm template` on `req`: load, checks, values, render, print.
pub fn template(req: &TemplateRequest) -> TemplateOutput {
    let mut notices = Vec::new();
    let mut chart = match crate::load::load_with_notices(&req.chart_path, &mut notices) {
        Ok(c) => c,
        Err(e) => return fail(notices, e.to_string()),
    };
    if let Err(e) = crate::load::check_installable(&chart) {
        return fail(notices, e);
    }
    if let Some(n) = crate::load::deprecation_notice(&chart) {
        notices.push(n);
    }
    if !chart.metadata.dependencies.is_empty() {
        if let Err(e) = crate::load::check_dependencies(&chart) {
            if req.dependency_update {
                return fail(notices, "--dependency-update: fetching missing dependencies is not supported yet".into());
            }
            return fail(notices, e);
        }
    }
    if let Err(e) = validate_release_name(&req.release.name) {
        notices.push(crate::load::log_line("ERROR", "release name check failed", &[("error", &e)]));
        return fail(notices, format!("release name check failed: {e}"));
    }
    let values = match prepare_values(&mut chart, &req.user_values, req.skip_schema_validation) {
        Ok(v) => v,
        Err(e) => return fail(notices, e),
    };
    let options =
        RenderOptions { release: req.release.clone(), capabilities: req.capabilities.clone(), lint_mode: false };
    let mut out = render_and_print(&chart, &values, &options, req);
    notices.append(&mut out.notices);
    out.notices = notices;
    out
}

/// ProcessDependencies, CoalesceValues and schema validation.
fn prepare_values(chart: &mut Chart, user: &Values, skip_schema: bool) -> Result<Values, String> {
    let _ = skip_schema;
    stand_in::enable_all(chart);
    Ok(stand_in::coalesce(chart, user))
}

/// Renders and prints a chart whose values are ready.
pub fn render_and_print(
    chart: &Chart,
    values: &Values,
    options: &RenderOptions,
    req: &TemplateRequest,
) -> TemplateOutput {
    let rendered = match render::render(chart, values, options) {
        Ok(r) => r,
        Err(e) if req.debug => {
            return TemplateOutput { stdout: "\n".into(), error: Some(e.message), ..TemplateOutput::default() }
        }
        Err(e) => return fail(Vec::new(), format!("{}{DEBUG_HINT}", e.message)),
    };
    let crds: Vec<Crd> = chart
        .crd_objects(None)
        .into_iter()
        .map(|(filename, f)| Crd { filename, data: String::from_utf8_lossy(&f.data).into_owned() })
        .collect();
    let out = manifest::helm_template(&rendered, chart.name(), &crds, &req.output, &render::parse_head);
    if req.debug {
        if let Some(err) = &out.error {
            if let Some(msg) = err.strip_suffix(DEBUG_HINT) {
                // Helm prints the raw files as the manifest, then the error.
                let mut files = rendered.clone();
                manifest::take_notes(&mut files, chart.name(), false);
                let dump: String = files
                    .iter()
                    .filter(|(_, c)| !c.trim().is_empty())
                    .map(|(p, c)| format!("---\n# Source: {p}\n{c}\n"))
                    .collect();
                return TemplateOutput {
                    notices: out.notices,
                    stdout: format!("{}\n", dump.trim()),
                    error: Some(msg.to_string()),
                    ..TemplateOutput::default()
                };
            }
        }
    }
    out
}

/// Until `crate::values` lands: Helm's coalescing for plain charts (chart
/// defaults under user values, subcharts' under their names, `global`).
mod stand_in {
    use super::*;
    use std::sync::Arc;

    fn as_map(v: Option<&Value>) -> Values {
        match v {
            Some(Value::Map(m)) => (*m.entries.snapshot()).clone(),
            _ => Values::new(),
        }
    }

    fn merge_defaults(dst: &mut Values, defaults: &Values) {
        for (k, dv) in defaults {
            match dst.get(k) {
                None => {
                    dst.insert(k.clone(), dv.clone());
                }
                Some(Value::Nil) => {
                    dst.remove(k);
                }
                Some(Value::Map(um)) => {
                    if let Value::Map(dm) = dv {
                        let mut u = (*um.entries.snapshot()).clone();
                        merge_defaults(&mut u, &dm.entries.snapshot());
                        dst.insert(k.clone(), Value::map(u));
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// ProcessDependencies marks the dependencies it keeps as enabled.
    pub fn enable_all(chart: &mut Chart) {
        for d in &mut chart.metadata.dependencies {
            d.enabled = true;
        }
        for c in &mut chart.dependencies {
            enable_all(c);
        }
    }

    pub fn coalesce(chart: &Chart, user: &Values) -> Values {
        let mut v = user.clone();
        merge_defaults(&mut v, &chart.values);
        let globals = as_map(v.get("global"));
        for dep in &chart.dependencies {
            let mut sub = as_map(v.get(dep.name()));
            let mut g = as_map(sub.get("global"));
            for (k, gv) in &globals {
                g.insert(k.clone(), gv.clone());
            }
            sub.insert(Arc::from("global"), Value::map(g));
            v.insert(Arc::from(dep.name()), Value::map(coalesce(dep, &sub)));
        }
        v
    }
}
