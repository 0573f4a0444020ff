//! Helm's actions on releases: install, upgrade, rollback, uninstall and
//! test, each as one function over a [`Config`] (the cluster connection and
//! the release storage), following pkg/action of Helm 4.3.1 step by step so
//! that the records and the cluster end up as Helm leaves them.

mod hooks;
mod install;
mod ownership;
mod rollback;
mod testing;
mod uninstall;
mod upgrade;
mod write;

use std::time::Duration;

use rhelm_chart::render::{Capabilities, KubeVersion};
use rhelm_kube::{Kube, Resource};

use crate::model::{Release, Status};
use crate::storage::Storage;

pub use install::{install, DryRun, InstallOptions};
pub use rollback::{rollback, RollbackOptions};
pub use testing::{run_tests, TestOptions};
pub use uninstall::{uninstall, UninstallOptions, UninstallOutcome};
pub use upgrade::{upgrade, UpgradeOptions};

/// What every action works with (Helm's `action.Configuration`).
pub struct Config<'a> {
    pub kube: &'a Kube,
    pub storage: &'a Storage,
    /// The release namespace.
    pub namespace: String,
    /// `--debug` lines go here (without `\n`).
    pub log: &'a dyn Fn(&str),
    /// What a wait is still waiting for, each time that changes (`--wait`
    /// progress; hooks too). An empty line means the wait is over.
    pub progress: &'a dyn Fn(&str),
    /// Helm's warnings (`level=WARN msg=...` lines, without `\n`), which
    /// it prints to stderr whatever the flags.
    pub warn: &'a dyn Fn(&str),
    /// Helm's PrintingKubeClient, which the memory driver brings: objects
    /// build to nothing, so nothing is applied, waited for or deleted (the
    /// server is still asked for its capabilities).
    pub printing: bool,
}

/// How long to wait, and for what (`--wait`, `--wait-for-jobs`, `--timeout`).
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// `watcher` or `legacy` wait for resources; `hookOnly` (the default)
    /// only for hooks.
    pub resources: bool,
    pub jobs: bool,
    pub timeout: Duration,
    /// `legacy`: Helm 3's polling waiter and its readiness rules, for the
    /// resources, the hooks, their deletion and new CRDs, instead of kstatus.
    pub legacy: bool,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions { resources: false, jobs: false, timeout: Duration::from_secs(300), legacy: false }
    }
}

/// An action's failure: the message Helm prints after its prefix
/// (`INSTALLATION FAILED: ` and the like are added by the command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError(pub String);

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ActionError {}

impl From<String> for ActionError {
    fn from(s: String) -> ActionError {
        ActionError(s)
    }
}

impl From<&str> for ActionError {
    fn from(s: &str) -> ActionError {
        ActionError(s.to_string())
    }
}

impl From<rhelm_kube::KubeError> for ActionError {
    fn from(e: rhelm_kube::KubeError) -> ActionError {
        ActionError(e.to_string())
    }
}

impl From<crate::storage::StorageError> for ActionError {
    fn from(e: crate::storage::StorageError) -> ActionError {
        ActionError(e.to_string())
    }
}

/// `errPending`.
pub const ERR_PENDING: &str = "another operation (install/upgrade/rollback) is in progress";

impl Config<'_> {
    /// Helm's `getCapabilities`: the server's version and API list.
    pub fn capabilities(&self) -> Result<Capabilities, ActionError> {
        let v = self.kube.server_version().map_err(|e| e.context("could not get server version from Kubernetes"))?;
        let mut kube_version = KubeVersion::parse(&v.git_version).unwrap_or_default();
        kube_version.version = v.git_version.clone();
        kube_version.major = v.major.clone();
        kube_version.minor = v.minor.clone();
        let api_versions =
            self.kube.api_versions().map_err(|e| e.context("could not get apiVersions from Kubernetes"))?;
        Ok(Capabilities { kube_version, api_versions, ..Capabilities::default() })
    }

    /// Objects of a manifest, in the release namespace unless they name one.
    pub fn build(&self, manifest: &str) -> Result<Vec<Resource>, ActionError> {
        self.build_validated(manifest, false)
    }

    /// Helm's `KubeClient.Build(manifest, validate)`: with `validate`, the
    /// objects are checked against the server's OpenAPI schema where the
    /// server would not check them itself.
    pub fn build_validated(&self, manifest: &str, validate: bool) -> Result<Vec<Resource>, ActionError> {
        if self.printing {
            return Ok(Vec::new());
        }
        Ok(self.kube.build_validated(manifest, &self.namespace, validate)?)
    }

    /// Helm's `KubeClient.IsReachable`; always true for the memory
    /// driver's printing client.
    pub fn is_reachable(&self) -> Result<(), ActionError> {
        if self.printing {
            return Ok(());
        }
        Ok(self.kube.is_reachable()?)
    }

    pub(crate) fn progress(&self, line: &str) {
        (self.progress)(line)
    }

    /// A slog warning: `level=WARN msg=... key=value...`.
    pub(crate) fn warn(&self, msg: &str, attrs: &[(&str, &str)]) {
        let line = rhelm_chart::manifest::slog_info(msg, attrs);
        (self.warn)(&line.replacen("level=INFO", "level=WARN", 1))
    }

    /// A slog error line (Helm logs some failures before returning them).
    pub(crate) fn log_error(&self, msg: &str, attrs: &[(&str, &str)]) {
        let line = rhelm_chart::manifest::slog_info(msg, attrs);
        (self.warn)(&line.replacen("level=INFO", "level=ERROR", 1))
    }

    pub(crate) fn debug(&self, line: &str) {
        (self.log)(line)
    }

    /// A slog debug line: `level=DEBUG msg=... key=value...`.
    pub(crate) fn debug_kv(&self, msg: &str, attrs: &[(&str, &str)]) {
        let line = rhelm_chart::manifest::slog_info(msg, attrs);
        (self.log)(&line.replacen("level=INFO", "level=DEBUG", 1))
    }

    /// Stores `rel` as it is now, logging (not failing) on error, as Helm's
    /// `recordRelease` does.
    pub(crate) fn record(&self, rel: &Release) {
        if let Err(e) = self.storage.update(rel) {
            self.debug(&format!("warning: Failed to update release {}: {e}", rel.name));
        }
    }
}

pub(crate) fn set_status(rel: &mut Release, status: Status, description: &str) {
    let info = rel.info_mut();
    info.status = status;
    info.description = description.to_string();
}

/// `ValidateReleaseName`, with the actions' wording.
pub(crate) fn validate_name(name: &str) -> Result<(), ActionError> {
    rhelm_chart::action::validate_release_name(name).map_err(ActionError)
}

/// The deletion order of kinds (Helm's UninstallOrder), stable.
pub(crate) fn uninstall_sorted(mut rs: Vec<Resource>) -> Vec<Resource> {
    rhelm_chart::manifest::sort_by_kind(&mut rs, rhelm_chart::manifest::UNINSTALL_ORDER, |r| &r.kind);
    rs
}
