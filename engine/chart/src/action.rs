//! `helm template` as one call: Helm's `runInstall` and `Install.Run` in
//! client-only dry-run mode, from the chart path and the user's values to
//! what is printed.

use std::path::PathBuf;

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
    /// `--dry-run=server` or `--validate`: Helm would check that the
    /// cluster is reachable; rhelm does not talk to clusters.
    pub server_dry_run: bool,
    pub output: TemplateOptions,
    /// `--post-renderer`: the plugin the rendered files go through.
    pub post_renderer: Option<crate::postrender::PostRenderer>,
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
    let helper = render::RenderHelper::start(false);
    let mut notices = Vec::new();
    // The templates are parsed while the values are decoded and merged.
    let pending = match crate::load::load_values_later(&req.chart_path, &mut notices, &helper.on_file()) {
        Ok(p) => p,
        Err(e) => return fail(notices, e.to_string()),
    };
    let ahead = render::parse_ahead(pending.chart(), helper);
    let mut chart = match pending.finish(&mut notices) {
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
            return fail(notices, e);
        }
    }
    if req.server_dry_run {
        let e = "kubernetes cluster unreachable: rhelm does not connect to clusters";
        notices.push(crate::load::log_line("ERROR", &format!("cluster reachability check failed: {e}"), &[]));
        return fail(notices, format!("cluster reachability check failed: {e}"));
    }
    if let Err(e) = validate_release_name(&req.release.name) {
        notices.push(crate::load::log_line("ERROR", "release name check failed", &[("error", &e)]));
        return fail(notices, format!("release name check failed: {e}"));
    }
    let values = match coalesce_for_render(&mut chart, &req.user_values, &mut notices) {
        Ok(v) => v,
        Err(e) => return fail(notices, e),
    };
    // Templates see only the coalesced values. The charts' own are freed
    // now, for rendering to reuse their memory rather than touch new pages.
    drop_chart_values(&mut chart);
    let checks = (!req.skip_schema_validation).then(|| schema_checks_logged(&chart, &values, req.debug, &mut notices));
    let options =
        RenderOptions { release: req.release.clone(), capabilities: req.capabilities.clone(), lint_mode: false };
    let mut out = match checks {
        // A post-renderer is a program of the user's: it must not run for
        // values the schema rejects, so the check comes first.
        Some(checks) if checks.has_schema() && req.post_renderer.is_none() => {
            // The schema check overlaps rendering; rendering has no effect
            // until its output is printed, and a schema error wins as in Helm.
            std::thread::scope(|scope| {
                let pending = scope.spawn(|| checks.run().0);
                let out = render_and_print(&chart, &values, &options, req, ahead);
                match pending.join() {
                    Ok(Ok(())) => out,
                    Ok(Err(e)) => fail(Vec::new(), e),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        }
        Some(checks) => match checks.run().0 {
            Ok(()) => render_and_print(&chart, &values, &options, req, ahead),
            Err(e) => return fail(notices, e),
        },
        None => render_and_print(&chart, &values, &options, req, ahead),
    };
    notices.append(&mut out.notices);
    out.notices = notices;
    out
}

fn drop_chart_values(chart: &mut Chart) {
    chart.values = Values::new();
    chart.dependencies.iter_mut().for_each(drop_chart_values);
}

/// Helm's `ProcessDependencies`, then `ToRenderValues`' coalescing and
/// schema validation. Warnings Helm logs on the way go to `notices`.
pub fn prepare_values(
    chart: &mut Chart,
    user: &Values,
    skip_schema: bool,
    debug: bool,
    notices: &mut Vec<String>,
) -> Result<Values, String> {
    let vals = coalesce_for_render(chart, user, notices)?;
    if !skip_schema {
        schema_checks_logged(chart, &vals, debug, notices).run().0?;
    }
    Ok(vals)
}

/// [`prepare_values`] up to the schema check.
fn coalesce_for_render(chart: &mut Chart, user: &Values, notices: &mut Vec<String>) -> Result<Values, String> {
    match crate::values::process_dependencies(chart, user) {
        Ok(w) => notices.extend(w),
        Err(e) => {
            notices.push(crate::load::log_line("ERROR", "chart dependencies processing failed", &[("error", &e)]));
            return Err(format!("chart dependencies processing failed: {e}"));
        }
    }
    match crate::values::try_coalesce_values(chart, user) {
        Ok((v, w)) => {
            notices.extend(w);
            Ok(v)
        }
        Err((e, w)) => {
            notices.extend(w);
            Err(e)
        }
    }
}

/// The schema checks of `ToRenderValues`, after the `--debug` lines Helm
/// logs before running them.
fn schema_checks_logged(
    chart: &Chart,
    values: &Values,
    debug: bool,
    notices: &mut Vec<String>,
) -> crate::values::SchemaChecks {
    if debug {
        schema_debug_lines(chart, values, notices);
    }
    crate::values::schema_checks(chart, values)
}

/// The `--debug` lines Helm's `ValidateAgainstSchema` logs as it walks the
/// chart tree (into each subchart that has a table of values).
fn schema_debug_lines(chart: &Chart, values: &Values, notices: &mut Vec<String>) {
    if chart.schema.is_some() {
        notices.push(crate::load::log_line("DEBUG", "chart name", &[("chart-name", chart.name())]));
    }
    let n = chart.dependencies.len().to_string();
    notices.push(crate::load::log_line(
        "DEBUG",
        "number of dependencies in the chart",
        &[("chart", chart.name()), ("dependencies", &n)],
    ));
    for dep in &chart.dependencies {
        if let Some(rhelm_template::Value::Map(m)) = values.get(dep.name()) {
            schema_debug_lines(dep, &m.entries.snapshot(), notices);
        }
    }
}

/// Renders and prints a chart whose values are ready.
pub fn render_and_print(
    chart: &Chart,
    values: &Values,
    options: &RenderOptions,
    req: &TemplateRequest,
    ahead: render::ParsingAhead,
) -> TemplateOutput {
    let heads = render::HeadsAhead::start(ahead.worker().filter(|_| ahead.is_parallel()));
    let rendered = match render::render_with(chart, values, options, Some(ahead), Some(&heads)) {
        Ok(r) => r,
        Err(e) if req.debug => {
            return TemplateOutput { stdout: "\n".into(), error: Some(e.message), ..TemplateOutput::default() }
        }
        Err(e) => return fail(Vec::new(), format!("{}{DEBUG_HINT}", e.message)),
    };
    let mut pr_notices = Vec::new();
    let rendered = match &req.post_renderer {
        None => rendered,
        Some(pr) => {
            let mut files = rendered;
            manifest::take_notes(&mut files, chart.name(), false);
            match crate::postrender::post_render(&files, pr, &mut pr_notices) {
                Ok(f) => f,
                Err(crate::postrender::Error::Helm(m)) if req.debug => {
                    return TemplateOutput {
                        notices: pr_notices,
                        stdout: "\n".into(),
                        error: Some(m),
                        ..TemplateOutput::default()
                    }
                }
                Err(crate::postrender::Error::Helm(m)) => return fail(pr_notices, format!("{m}{DEBUG_HINT}")),
                Err(crate::postrender::Error::Unsupported(m)) => {
                    return fail(
                        pr_notices,
                        format!(
                            "post-renderer {}: rhelm cannot reproduce Helm's output for {m}",
                            rhelm_template::fmt::quote(&pr.name)
                        ),
                    )
                }
            }
        }
    };
    // Only `--include-crds` prints them; their files are then read (see
    // `FileData`), which a large operator chart's CRDs otherwise never are.
    let crds: Vec<Crd> = if req.output.render.include_crds {
        chart
            .crd_objects(None)
            .into_iter()
            .map(|(filename, f)| Crd { filename, data: crate::utf8::lossy(&f.data).into_owned() })
            .collect()
    } else {
        Vec::new()
    };
    let heads = heads.finish();
    let parse_head = |doc: &str| heads.parse_head(doc);
    let mut out = manifest::helm_template(&rendered, chart.name(), &crds, &req.output, &parse_head);
    if !pr_notices.is_empty() {
        pr_notices.append(&mut out.notices);
        out.notices = pr_notices;
    }
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
