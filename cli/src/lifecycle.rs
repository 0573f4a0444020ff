//! `rhelm rollback`, `rhelm uninstall` and `rhelm test`.

use std::time::Duration;

use clap::Args as ClapArgs;
use rhelm_kube::Propagation;
use rhelm_release::action::{self, RollbackOptions, TestOptions, UninstallOptions, WaitOptions};

use crate::releases::{self, Failure, Global, Result};
use crate::session::Session;

fn parse_timeout(s: &str) -> Result<Duration> {
    let d = rhelm_functions::dates::Duration::parse(s)
        .map_err(|e| Failure::Error(format!("invalid argument {s:?} for \"--timeout\" flag: {e}")))?;
    Ok(Duration::from_nanos(d.nanoseconds().max(0) as u64))
}

#[derive(ClapArgs, Debug, Clone, Default)]
pub struct RollbackArgs {
    /// RELEASE [REVISION]
    pub args: Vec<String>,
    #[arg(long = "dry-run", num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<String>,
    #[arg(long = "wait", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    #[arg(long = "wait-for-jobs")]
    pub wait_for_jobs: bool,
    #[arg(long = "timeout", default_value = "5m0s")]
    pub timeout: String,
    #[arg(long = "cleanup-on-fail")]
    pub cleanup_on_fail: bool,
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    #[arg(long = "force-conflicts")]
    pub force_conflicts: bool,
    #[arg(long = "force-replace")]
    pub force_replace: bool,
    /// v3's name for `--force-replace`, deprecated.
    #[arg(long = "force")]
    pub force: bool,
    #[arg(long = "history-max")]
    pub history_max: Option<String>,
    #[arg(long = "description", default_value = "")]
    pub description: String,
    #[arg(long = "server-side", default_value = "auto")]
    pub server_side: String,
    #[command(flatten)]
    pub global: Global,
}

pub fn run_rollback(a: &RollbackArgs) -> Result<String> {
    crate::install::force_flags(a.force_replace, a.force, a.force_conflicts)?;
    if a.args.is_empty() || a.args.len() > 2 {
        return Err(Failure::Error(format!(
            "\"rhelm rollback\" requires at least 1 argument\n\nUsage:  rhelm rollback <RELEASE> [REVISION] [flags]"
        )));
    }
    let version = match a.args.get(1) {
        Some(v) => {
            v.parse::<i64>().map_err(|_| Failure::Error(format!("could not convert revision to a number: {v}")))?
        }
        None => 0,
    };
    let max_history = match &a.history_max {
        Some(s) => releases::parse_int(s, "--history-max")?.max(0) as usize,
        None => std::env::var("HELM_MAX_HISTORY").ok().and_then(|v| v.parse().ok()).unwrap_or(10),
    };
    let opts = RollbackOptions {
        version,
        dry_run: a.dry_run.as_deref().is_some_and(|d| d != "none" && d != "false"),
        wait: WaitOptions {
            resources: a.wait.as_deref().is_some_and(|w| w != "hookOnly" && w != "false"),
            jobs: a.wait_for_jobs,
            timeout: parse_timeout(&a.timeout)?,
            legacy: a.wait.as_deref() == Some("legacy"),
        },
        cleanup_on_fail: a.cleanup_on_fail,
        no_hooks: a.no_hooks,
        force_conflicts: a.force_conflicts,
        force_replace: a.force_replace || a.force,
        description: a.description.clone(),
        server_side: a.server_side.clone(),
        max_history,
    };
    let session = Session::open(&a.global)?;
    action::rollback(&session.config(), &a.args[0], &opts).map_err(|e| Failure::Error(e.0))?;
    Ok("Rollback was a success! Happy Helming!\n".into())
}

#[derive(ClapArgs, Debug, Clone, Default)]
pub struct UninstallArgs {
    /// RELEASE_NAME [...]
    pub args: Vec<String>,
    #[arg(long = "keep-history")]
    pub keep_history: bool,
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    #[arg(long = "ignore-not-found")]
    pub ignore_not_found: bool,
    #[arg(long = "wait", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    #[arg(long = "timeout", default_value = "5m0s")]
    pub timeout: String,
    #[arg(long = "cascade", default_value = "background")]
    pub cascade: String,
    #[arg(long = "description", default_value = "")]
    pub description: String,
    #[command(flatten)]
    pub global: Global,
}

pub fn run_uninstall(a: &UninstallArgs) -> Result<String> {
    if a.args.is_empty() {
        return Err(Failure::Error(
            "\"rhelm uninstall\" requires at least 1 argument\n\nUsage:  rhelm uninstall RELEASE_NAME [...] [flags]"
                .into(),
        ));
    }
    let cascade = match a.cascade.as_str() {
        "background" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" => Propagation::Orphan,
        other => {
            return Err(Failure::Error(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )))
        }
    };
    let opts = UninstallOptions {
        keep_history: a.keep_history,
        no_hooks: a.no_hooks,
        dry_run: a.dry_run,
        ignore_not_found: a.ignore_not_found,
        wait: a.wait.as_deref().is_some_and(|w| w != "hookOnly" && w != "false"),
        legacy: a.wait.as_deref() == Some("legacy"),
        timeout: parse_timeout(&a.timeout)?,
        description: a.description.clone(),
        cascade,
    };
    let session = Session::open(&a.global)?;
    let cfg = session.config();
    let mut out = String::new();
    for name in &a.args {
        let res = action::uninstall(&cfg, name, &opts).map_err(|e| Failure::Error(e.0))?;
        if !res.info.is_empty() {
            out.push_str(&res.info);
            out.push('\n');
        }
        out.push_str(&format!("release \"{name}\" uninstalled\n"));
    }
    Ok(out)
}

#[derive(ClapArgs, Debug, Clone, Default)]
pub struct TestArgs {
    /// RELEASE
    pub args: Vec<String>,
    #[arg(long = "timeout", default_value = "5m0s")]
    pub timeout: String,
    #[arg(long = "logs")]
    pub logs: bool,
    #[arg(long = "filter", value_delimiter = ',')]
    pub filter: Vec<String>,
    #[arg(long = "hide-notes")]
    pub hide_notes: bool,
    #[command(flatten)]
    pub global: Global,
}

pub fn run_test(a: &TestArgs) -> Result<String> {
    let name = releases::exact_one(&a.args, "test", "test [RELEASE]")?;
    let mut opts = TestOptions { timeout: parse_timeout(&a.timeout)?, ..TestOptions::default() };
    for f in &a.filter {
        if let Some(n) = f.strip_prefix("!name=") {
            opts.exclude.push(n.to_string());
        } else if let Some(n) = f.strip_prefix("name=") {
            opts.include.push(n.to_string());
        }
    }
    let session = Session::open(&a.global)?;
    let (rel, err) = match action::run_tests(&session.config(), &name, &opts) {
        Ok(rel) => (rel, None),
        Err((Some(rel), e)) => (*rel, Some(e)),
        Err((None, e)) => return Err(Failure::Error(e.0)),
    };
    let mut shown = rel.clone();
    if a.hide_notes {
        shown.info_mut().notes.clear();
    }
    let mut out = crate::status::print_status(&shown, false, false)?;
    if a.logs {
        for h in rel.hooks.iter().filter(|h| h.events.iter().any(|e| e == "test") && h.kind == "Pod") {
            if let Ok(logs) = session.kube.pod_logs(&rel.namespace, &h.name) {
                for (_, text) in logs {
                    out.push_str(&format!("POD LOGS: {}\n{}\n", h.name, text));
                }
            }
        }
    }
    match err {
        None => Ok(out),
        Some(e) => {
            print!("{out}");
            Err(Failure::Error(e.0))
        }
    }
}
