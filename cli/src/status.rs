//! `rhelm status NAME` and the status printer that `get all` shares
//! (Helm's pkg/cmd/status.go).

use rhelm_release::Release;

use crate::releases::{self, Failure, Format, Global, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub global: Global,
    /// if set, display the status of the named release with revision
    #[arg(long = "revision", allow_hyphen_values = true, default_value = "0")]
    revision: String,
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long = "output", default_value = "table")]
    output: String,
    #[arg(hide = true)]
    args: Vec<String>,
}

/// `cfg.releaseContent`: the named revision, or the last one for 0.
pub fn release_content(store: &rhelm_release::Storage, name: &str, version: i64) -> Result<Release> {
    if rhelm_chart::action::validate_release_name(name).is_err() {
        return Err(Failure::Error(format!("releaseContent: Release name is invalid: {name}")));
    }
    if version <= 0 {
        return Ok(store.last(name)?);
    }
    Ok(store.get(name, version)?)
}

pub fn run(a: &Args) -> Result<String> {
    let format = releases::parse_format(&a.output)?;
    let revision = releases::parse_int(&a.revision, "--revision")?;
    let store = releases::open_storage(&a.global, false)?;
    let name = releases::exact_one(&a.args, "status", "status RELEASE_NAME")?;
    let mut rel = release_content(&store, &name, revision)?;
    match format {
        Format::Table => {
            let block = live_resources(&a.global, &rel);
            print_status_with(&rel, false, false, block.as_deref())
        }
        Format::Json | Format::Yaml => {
            // The data forms carry the live objects themselves.
            if !releases::memory_driver() {
                let kube = rhelm_kube::Kube::connect(&releases::kube_options(&a.global)).map_err(|e| e.to_string())?;
                let res = rhelm_release::resources::live_resources(&kube, &rel.manifest, &releases::namespace(&a.global))?;
                rel.info_mut().resources = Some(res);
            }
            let mut json = String::new();
            rel.write_json(&mut json, false)?;
            if format == Format::Json {
                Ok(json + "\n")
            } else {
                Ok(releases::encode_yaml(&releases::json_value(&json)?)?)
            }
        }
    }
}

/// The RESOURCES block for a release in a cluster (none with the memory
/// driver, whose Kubernetes client prints nothing).
fn live_resources(g: &releases::Global, rel: &Release) -> Option<String> {
    let driver = std::env::var("HELM_DRIVER").unwrap_or_default();
    if driver == "memory" {
        return None;
    }
    let session = crate::session::Session::open(g).ok()?;
    let objs = session.kube.build(&rel.manifest, &rel.namespace).ok()?;
    crate::resource_table::resources_block(&session.kube.resource_tables(&objs))
}

/// `statusPrinter.WriteTable`. `debug` adds values, hooks and manifest
/// (`get all`); `show_metadata` adds the chart lines.
pub fn print_status(rel: &Release, debug: bool, show_metadata: bool) -> Result<String> {
    print_status_with(rel, debug, show_metadata, None)
}

/// [`print_status`] with the RESOURCES block `helm status` shows.
pub fn print_status_with(rel: &Release, debug: bool, show_metadata: bool, resources: Option<&str>) -> Result<String> {
    let mut out = String::new();
    let info = rel.info.clone().unwrap_or_default();
    out.push_str(&format!("NAME: {}\n", rel.name));
    if let Some(t) = &info.last_deployed {
        out.push_str(&format!("LAST DEPLOYED: {}\n", rhelm_release::time::ansic(t)));
    }
    out.push_str(&format!("NAMESPACE: {}\n", rel.namespace));
    out.push_str(&format!("STATUS: {}\n", info.status));
    out.push_str(&format!("REVISION: {}\n", rel.version));
    if show_metadata {
        let md = rel.chart.as_ref().map(|c| c.metadata.clone()).unwrap_or_default();
        out.push_str(&format!("CHART: {}\n", md.name));
        out.push_str(&format!("VERSION: {}\n", md.version));
        out.push_str(&format!("APP_VERSION: {}\n", md.app_version));
    }
    out.push_str(&format!("DESCRIPTION: {}\n", info.description));
    if let Some(block) = resources {
        out.push_str(&format!("RESOURCES:\n{block}\n"));
    }

    let tests: Vec<_> = rel.hooks.iter().filter(|h| h.events.iter().any(|e| e == "test")).collect();
    if tests.is_empty() {
        out.push_str("TEST SUITE: None\n");
    } else {
        for h in tests {
            let Some(started) = &h.last_run.started_at else { continue };
            let completed = match &h.last_run.completed_at {
                Some(t) => rhelm_release::time::ansic(t),
                None => "Mon Jan  1 00:00:00 0001".to_string(),
            };
            out.push_str(&format!(
                "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {}\n",
                h.name,
                rhelm_release::time::ansic(started),
                completed,
                h.last_run.phase
            ));
        }
    }

    if debug {
        out.push_str("USER-SUPPLIED VALUES:\n");
        out.push_str(&releases::encode_yaml(&config_value(rel))?);
        out.push('\n');
        out.push_str("COMPUTED VALUES:\n");
        out.push_str(&releases::encode_yaml(&computed_values(rel)?)?);
        out.push('\n');
    }

    if info.description.eq_ignore_ascii_case("Dry run complete") || debug {
        out.push_str("HOOKS:\n");
        for h in &rel.hooks {
            out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
        }
        out.push_str(&format!("MANIFEST:\n{}\n", rel.manifest));
    }

    if !info.notes.is_empty() {
        out.push_str(&format!("NOTES:\n{}\n", info.notes.trim_matches(|c: char| c.is_whitespace())));
    }
    Ok(out)
}

/// The release's user values as Go holds them (nil when the record had none).
pub fn config_value(rel: &Release) -> rhelm_template::Value {
    if rel.config_nil {
        rhelm_template::Value::Nil
    } else {
        rhelm_template::Value::map(rel.config.clone())
    }
}

/// `CoalesceValues(chart, config)`.
pub fn computed_values(rel: &Release) -> Result<rhelm_template::Value> {
    let chart = rel.chart.clone().unwrap_or_default();
    let (vals, _warnings) = rhelm_chart::values::coalesce_values(&chart, &rel.config);
    Ok(rhelm_template::Value::map(vals))
}
