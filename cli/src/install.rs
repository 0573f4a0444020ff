//! `rhelm install` and `rhelm upgrade`: Helm's flags, parsed here; the work
//! is `rhelm_release::action::{install, upgrade}`.

use std::collections::BTreeMap;
use std::time::Duration;

use clap::Args as ClapArgs;
use rhelm_chart::values::{LocalReader, ValueOptions};
use rhelm_chart::{Chart, Values};
use rhelm_release::action::{self, DryRun, InstallOptions, UpgradeOptions, WaitOptions};

use crate::releases::{self, Failure, Global, Result};
use crate::session::Session;

/// The flags install and upgrade share.
#[derive(ClapArgs, Debug, Clone, Default)]
pub struct Common {
    #[arg(short = 'f', long = "values")]
    pub values: Vec<String>,
    #[arg(long = "set")]
    pub set: Vec<String>,
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,
    #[arg(long = "dry-run", num_args = 0..=1, default_missing_value = "unset", require_equals = true)]
    pub dry_run: Option<String>,
    #[arg(long = "wait", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    #[arg(long = "wait-for-jobs")]
    pub wait_for_jobs: bool,
    #[arg(long = "timeout", default_value = "5m0s")]
    pub timeout: String,
    #[arg(long = "atomic")]
    pub atomic: bool,
    #[arg(long = "rollback-on-failure")]
    pub rollback_on_failure: bool,
    #[arg(long = "description", default_value = "")]
    pub description: String,
    #[arg(long = "take-ownership")]
    pub take_ownership: bool,
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    #[arg(short = 'l', long = "labels", value_delimiter = ',')]
    pub labels: Vec<String>,
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,
    #[arg(long = "hide-secret")]
    pub hide_secret: bool,
    #[arg(long = "hide-notes")]
    pub hide_notes: bool,
    #[arg(long = "force-conflicts")]
    pub force_conflicts: bool,
    #[arg(long = "force-replace")]
    pub force_replace: bool,
    /// v3's name for `--force-replace`, deprecated.
    #[arg(long = "force")]
    pub force: bool,
    /// Set the release's app version (Chart.yaml `appVersion`) without
    /// repackaging the chart.
    #[arg(long = "app-version")]
    pub app_version: Option<String>,
    #[arg(long = "disable-openapi-validation")]
    pub disable_openapi_validation: bool,
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    #[command(flatten)]
    pub chart: crate::pull::ChartFlags,
    #[arg(long = "dependency-update")]
    pub dependency_update: bool,
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    #[arg(short = 'o', long = "output", default_value = "table")]
    pub output: String,
    #[command(flatten)]
    pub global: Global,
}

#[derive(ClapArgs, Debug, Clone, Default)]
pub struct InstallArgs {
    /// [NAME] CHART
    pub args: Vec<String>,
    #[arg(long = "create-namespace")]
    pub create_namespace: bool,
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    #[arg(long = "name-template", default_value = "")]
    pub name_template: String,
    #[arg(long = "replace")]
    pub replace: bool,
    #[arg(long = "server-side", default_value = "true")]
    pub server_side: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(ClapArgs, Debug, Clone, Default)]
pub struct UpgradeArgs {
    /// RELEASE CHART
    pub args: Vec<String>,
    #[arg(short = 'i', long = "install")]
    pub install: bool,
    #[arg(long = "create-namespace")]
    pub create_namespace: bool,
    #[arg(long = "reset-values")]
    pub reset_values: bool,
    #[arg(long = "reuse-values")]
    pub reuse_values: bool,
    #[arg(long = "reset-then-reuse-values")]
    pub reset_then_reuse_values: bool,
    #[arg(long = "cleanup-on-fail")]
    pub cleanup_on_fail: bool,
    #[arg(long = "history-max")]
    pub history_max: Option<String>,
    #[arg(long = "server-side", default_value = "auto")]
    pub server_side: String,
    #[command(flatten)]
    pub common: Common,
}

fn user_values(c: &Common) -> Result<Values> {
    ValueOptions {
        value_files: c.values.clone(),
        string_values: c.set_string.clone(),
        values: c.set.clone(),
        file_values: c.set_file.clone(),
        json_values: c.set_json.clone(),
        literal_values: c.set_literal.clone(),
    }
    .merge_values(&LocalReader)
    .map_err(Failure::Error)
}

/// Go's `time.ParseDuration` for `--timeout`, with pflag's complaint.
fn timeout(c: &Common) -> Result<Duration> {
    let d = rhelm_functions::dates::Duration::parse(&c.timeout)
        .map_err(|e| Failure::Error(format!("invalid argument {:?} for \"--timeout\" flag: {e}", c.timeout)))?;
    Ok(Duration::from_nanos(d.nanoseconds().max(0) as u64))
}

/// A slog warning on stderr, as Helm's flag handling prints them.
fn warn(msg: &str) {
    eprintln!("{}", rhelm_chart::manifest::slog_info(msg, &[]).replacen("level=INFO", "level=WARN", 1));
}

fn wait_options(c: &Common) -> Result<WaitOptions> {
    let strategy = c.wait.as_deref().unwrap_or("hookOnly");
    let resources = match strategy {
        "watcher" | "legacy" => true,
        "true" => {
            warn("--wait=true is deprecated (boolean value) and can be replaced with --wait=watcher");
            true
        }
        "hookOnly" => c.atomic || c.rollback_on_failure,
        "false" => {
            warn("--wait=false is deprecated (boolean value) and can be replaced with --wait=hookOnly");
            c.atomic || c.rollback_on_failure
        }
        other => {
            return Err(Failure::Error(format!(
                "invalid argument {other:?} for \"--wait\" flag: invalid wait input {other:?}. Valid inputs are watcher, hookOnly, and legacy"
            )))
        }
    };
    Ok(WaitOptions { resources, jobs: c.wait_for_jobs, timeout: timeout(c)?, legacy: strategy == "legacy" })
}

/// `cmdGetDryRunFlagStrategy`: a bare `--dry-run` and boolean values still
/// work, with a warning.
fn dry_run(c: &Common) -> Result<DryRun> {
    let v = match c.dry_run.as_deref() {
        None | Some("none") => return Ok(DryRun::None),
        Some("client") => return Ok(DryRun::Client),
        Some("server") => return Ok(DryRun::Server),
        Some(v) => v,
    };
    let b = match v {
        "unset" => {
            warn("--dry-run is deprecated and should be replaced with '--dry-run=client'");
            return Ok(DryRun::Client);
        }
        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
        other => {
            return Err(Failure::Error(format!(
                "invalid dry-run value ({}). Must be \"none\", \"server\", or \"client\"",
                rhelm_template::fmt::quote(other)
            )))
        }
    };
    let result = if b { "client" } else { "none" };
    warn(&format!("boolean '--dry-run={v}' flag is deprecated and must be replaced with '--dry-run={result}'"));
    Ok(if b { DryRun::Client } else { DryRun::None })
}

fn labels(c: &Common) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for l in c.labels.iter().filter(|l| !l.is_empty()) {
        let Some((k, v)) = l.split_once('=') else {
            return Err(Failure::Error(format!(
                "invalid argument {l:?} for \"-l, --labels\" flag: {l} must be formatted as key=value"
            )));
        };
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

/// Loads a local chart as `helm install` does before running the action.
fn load_chart(path: &str, c: &Common) -> Result<Chart> {
    let located = crate::pull::locate_reporting(path, &c.chart, &c.global, true).map_err(Failure::Error)?;
    let path = located.as_str();
    let p = std::path::Path::new(path);
    if !p.exists() {
        return Err(Failure::Error(format!("path {path:?} not found")));
    }
    let mut notices = Vec::new();
    let mut chart = rhelm_chart::load::load_with_notices(p, &mut notices).map_err(|e| Failure::Error(e.to_string()))?;
    for n in notices {
        eprintln!("{n}");
    }
    rhelm_chart::load::check_installable(&chart).map_err(Failure::Error)?;
    if c.dependency_update {
        chart = update_dependencies(chart, p, &c.global)?;
    }
    if !chart.metadata.dependencies.is_empty() {
        rhelm_chart::load::check_dependencies(&chart).map_err(|e| {
            Failure::Error(format!(
                "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: {e}"
            ))
        })?;
    }
    Ok(chart)
}

/// `--dependency-update` of install, upgrade and template: fetches what
/// `chart` lacks. The manager's lines, which Helm prints to stdout ahead of
/// the command's output; `None` when nothing was missing.
pub(crate) fn update_missing_dependencies(
    chart: &Chart,
    path: &std::path::Path,
    global: &Global,
) -> std::result::Result<Option<String>, String> {
    let epoch = rhelm_chart::package::source_date_epoch()?;
    let settings = crate::releases::repo_settings(global);
    rhelm_repository::dependency::Manager::update_if_missing(chart, path, settings, epoch)
}

/// Install's and upgrade's `--dependency-update`: the manager's lines are
/// printed and the chart is loaded again.
fn update_dependencies(chart: Chart, path: &std::path::Path, global: &Global) -> Result<Chart> {
    let Some(out) = update_missing_dependencies(&chart, path, global).map_err(Failure::Error)? else {
        return Ok(chart);
    };
    print!("{out}");
    rhelm_chart::load::load(path).map_err(|e| Failure::Error(format!("failed reloading chart after repo update: {e}")))
}

fn deprecations(c: &Common) -> Result<()> {
    if c.atomic {
        eprintln!("Flag --atomic has been deprecated, use --rollback-on-failure instead");
    }
    force_flags(c.force_replace, c.force, c.force_conflicts)
}

/// `--force` is deprecated for `--force-replace`, and neither goes with
/// `--force-conflicts` (cobra's mutually exclusive flag groups, checked in
/// the order Helm declares them, after the deprecation notice).
pub(crate) fn force_flags(force_replace: bool, force: bool, force_conflicts: bool) -> Result<()> {
    if force {
        eprintln!("Flag --force has been deprecated, use --force-replace instead");
    }
    for (set, name) in [(force_replace, "force-replace"), (force, "force")] {
        if set && force_conflicts {
            let mut both = [name, "force-conflicts"];
            both.sort_unstable();
            return Err(Failure::Error(format!(
                "if any flags in the group [{name} force-conflicts] are set none of the others can be; [{} {}] were all set",
                both[0], both[1]
            )));
        }
    }
    Ok(())
}

fn install_options(a: &InstallArgs, name: String) -> Result<InstallOptions> {
    let c = &a.common;
    let user_values = user_values(c)?;
    // Helm warns about --wait while parsing flags, before --dry-run.
    let wait = wait_options(c)?;
    let dry_run = dry_run(c)?;
    Ok(InstallOptions {
        name,
        user_values,
        create_namespace: a.create_namespace,
        wait,
        dry_run,
        rollback_on_failure: c.atomic || c.rollback_on_failure,
        description: c.description.clone(),
        skip_crds: c.skip_crds,
        take_ownership: c.take_ownership,
        no_hooks: c.no_hooks,
        labels: labels(c)?,
        replace: a.replace,
        skip_schema_validation: c.skip_schema_validation,
        subchart_notes: c.render_subchart_notes,
        hide_secret: c.hide_secret,
        force_conflicts: c.force_conflicts,
        app_version: c.app_version.clone(),
        server_side: a.server_side != "false",
        force_replace: c.force_replace || c.force,
        // A client dry run never asks the server: Helm renders with its
        // default capabilities, as `template` does.
        client_capabilities: (dry_run == DryRun::Client)
            .then(|| rhelm_chart::render::Capabilities::for_template(None, &[])),
        disable_openapi_validation: c.disable_openapi_validation,
    })
}

/// `NameAndChart` for install.
fn name_and_chart(a: &InstallArgs) -> Result<(String, String)> {
    let args = &a.args;
    if args.len() > 2 {
        return Err(Failure::Error(format!(
            "expected at most two arguments, unexpected arguments: {}",
            args[2..].join(", ")
        )));
    }
    if args.len() == 2 {
        if a.generate_name {
            return Err(Failure::Error("cannot set --generate-name and also specify a name".into()));
        }
        return Ok((args[0].clone(), args[1].clone()));
    }
    if args.is_empty() {
        return Err(Failure::Error(
            "\"rhelm install\" requires at least 1 argument\n\nUsage:  rhelm install [NAME] [CHART] [flags]".into(),
        ));
    }
    if a.generate_name {
        let base =
            std::path::Path::new(&args[0]).file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let base = base.strip_suffix(".tgz").unwrap_or(&base).to_string();
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        return Ok((format!("{base}-{secs}"), args[0].clone()));
    }
    Err(Failure::Error("INSTALLATION FAILED: must either provide a name or specify --generate-name".into()))
}

fn print_release(rel: &rhelm_release::Release, c: &Common, prefix: &str) -> Result<String> {
    let mut out = String::from(prefix);
    match releases::parse_format(&c.output)? {
        releases::Format::Table => {
            let mut rel = rel.clone();
            if c.hide_notes {
                rel.info_mut().notes.clear();
            }
            out.push_str(&crate::status::print_status(&rel, c.global.debug, false)?);
        }
        f => {
            let mut json = String::new();
            rel.write_json(&mut json, false)?;
            if f == releases::Format::Json {
                out.push_str(&json);
                out.push('\n');
            } else {
                out.push_str(&releases::encode_yaml(&releases::json_value(&json)?)?);
            }
        }
    }
    Ok(out)
}

pub fn run_install(a: &InstallArgs) -> Result<String> {
    deprecations(&a.common)?;
    let (name, chart_path) = name_and_chart(a)?;
    let opts = install_options(a, name)?;
    let chart = load_chart(&chart_path, &a.common)?;
    let session = if opts.dry_run == DryRun::Client {
        Session::open_client_only(&a.common.global)?
    } else {
        Session::open(&a.common.global)?
    };
    let cfg = session.config();
    match action::install(&cfg, chart, &opts) {
        Ok(rel) => print_release(&rel, &a.common, ""),
        Err((_, e)) => Err(Failure::Error(format!("INSTALLATION FAILED: {e}"))),
    }
}

pub fn run_upgrade(a: &UpgradeArgs) -> Result<String> {
    let c = &a.common;
    deprecations(c)?;
    if a.args.len() != 2 {
        return Err(Failure::Error(format!(
            "\"rhelm upgrade\" requires 2 arguments\n\nUsage:  rhelm upgrade [RELEASE] [CHART] [flags]"
        )));
    }
    let (name, chart_path) = (a.args[0].clone(), a.args[1].clone());
    let session = Session::open(&c.global)?;
    let cfg = session.config();
    if a.install {
        // Helm's history check comes first, and fails as it does.
        cfg.is_reachable().map_err(|e| Failure::Error(e.to_string()))?;
    }
    if a.install && session.storage.history(&name).map(|h| h.is_empty()).unwrap_or(true) {
        let install = InstallArgs {
            args: vec![name.clone(), chart_path.clone()],
            create_namespace: a.create_namespace,
            server_side: if a.server_side == "auto" { "true".into() } else { a.server_side.clone() },
            common: c.clone(),
            ..InstallArgs::default()
        };
        let opts = install_options(&install, name.clone())?;
        let chart = load_chart(&chart_path, c)?;
        let prefix = format!("Release {name:?} does not exist. Installing it now.\n");
        return match action::install(&cfg, chart, &opts) {
            Ok(rel) => print_release(&rel, c, &prefix),
            Err((_, e)) => Err(Failure::Error(format!("INSTALLATION FAILED: {e}"))),
        };
    }
    let max_history = match &a.history_max {
        Some(s) => releases::parse_int(s, "--history-max")?.max(0) as usize,
        None => std::env::var("HELM_MAX_HISTORY").ok().and_then(|v| v.parse().ok()).unwrap_or(10),
    };
    let opts = UpgradeOptions {
        user_values: user_values(c)?,
        reset_values: a.reset_values,
        reuse_values: a.reuse_values,
        reset_then_reuse_values: a.reset_then_reuse_values,
        // Helm warns about --wait while parsing flags, before --dry-run.
        wait: wait_options(c)?,
        dry_run: dry_run(c)?,
        rollback_on_failure: c.atomic || c.rollback_on_failure,
        cleanup_on_fail: a.cleanup_on_fail,
        description: c.description.clone(),
        take_ownership: c.take_ownership,
        no_hooks: c.no_hooks,
        labels: labels(c)?,
        skip_schema_validation: c.skip_schema_validation,
        subchart_notes: c.render_subchart_notes,
        hide_secret: c.hide_secret,
        force_conflicts: c.force_conflicts,
        force_replace: c.force_replace || c.force,
        app_version: c.app_version.clone(),
        server_side: a.server_side.clone(),
        max_history,
        disable_openapi_validation: c.disable_openapi_validation,
    };
    let chart = load_chart(&chart_path, c)?;
    match action::upgrade(&cfg, &name, chart, &opts) {
        Ok(rel) => print_release(&rel, c, &format!("Release {name:?} has been upgraded. Happy Helming!\n")),
        Err((_, e)) => Err(Failure::Error(format!("UPGRADE FAILED: {e}"))),
    }
}
