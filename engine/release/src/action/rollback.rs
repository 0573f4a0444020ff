//! `helm rollback` (pkg/action/rollback.go): a new revision carrying an
//! earlier one's chart, values and manifest.

use super::hooks::exec_hook;
use super::install::wait_resources;
use super::upgrade::update;
use super::write::{apply_method, WriteMode};
use super::{ownership, set_status, ActionError, Config, WaitOptions};
use crate::model::{Info, Release, Status};
use crate::storage::StorageError;
use crate::time;

#[derive(Debug, Clone, Default)]
pub struct RollbackOptions {
    /// The revision to go back to; 0 means the one before the last.
    pub version: i64,
    pub dry_run: bool,
    pub wait: WaitOptions,
    pub cleanup_on_fail: bool,
    pub no_hooks: bool,
    pub force_conflicts: bool,
    /// `--force-replace` (v3 `--force`): updates are PUTs, not patches.
    pub force_replace: bool,
    pub description: String,
    pub server_side: String,
    pub max_history: usize,
}

pub fn rollback(cfg: &Config, name: &str, opts: &RollbackOptions) -> Result<Release, ActionError> {
    if super::validate_name(name).is_err() {
        return Err(ActionError(format!("prepareRollback: Release name is invalid: {name}")));
    }
    cfg.kube.limit_retries(opts.wait.timeout);
    if opts.version < 0 {
        return Err("invalid release revision".into());
    }
    if opts.description.chars().count() > 256 {
        return Err(ActionError(format!(
            "description must be 256 characters or less, got {}",
            opts.description.chars().count()
        )));
    }
    let current = cfg.storage.last(name)?;
    let previous_version = if opts.version == 0 { current.version - 1 } else { opts.version };
    let history = cfg.storage.history(name)?;
    if !history.iter().any(|r| r.version == previous_version) {
        return Err(ActionError(format!("release has no {previous_version} version")));
    }
    let previous = cfg.storage.get(name, previous_version)?;
    let server_side = match opts.server_side.as_str() {
        "" | "auto" => previous.apply_method == "ssa",
        "true" => true,
        "false" => false,
        other => return Err(ActionError(format!("invalid/unknown release server-side apply method: {other}"))),
    };
    let description =
        if opts.description.is_empty() { format!("Rollback to {previous_version}") } else { opts.description.clone() };
    let mut target = Release {
        name: name.to_string(),
        namespace: current.namespace.clone(),
        chart: previous.chart.clone(),
        config: previous.config.clone(),
        config_nil: previous.config_nil,
        info: Some(Info {
            first_deployed: current.info.as_ref().and_then(|i| i.first_deployed.clone()),
            last_deployed: Some(time::now()),
            status: Status::PendingRollback,
            notes: previous.info.as_ref().map(|i| i.notes.clone()).unwrap_or_default(),
            rollback_revision: previous_version,
            description,
            ..Info::default()
        }),
        version: current.version + 1,
        labels: previous.labels.clone(),
        manifest: previous.manifest.clone(),
        hooks: previous.hooks.clone(),
        apply_method: apply_method(server_side),
    };
    if opts.dry_run {
        return Ok(target);
    }
    cfg.storage.create_with_max(&target, opts.max_history).map_err(|e| match e {
        StorageError::AlreadyExists | StorageError::Claimed(_) => ActionError(format!(
            "{}: revision {} of {name:?} was just claimed by another operation",
            super::ERR_PENDING,
            target.version
        )),
        e => e.into(),
    })?;
    perform(cfg, current, &mut target, opts)?;
    Ok(target)
}

fn perform(
    cfg: &Config,
    mut current: Release,
    target: &mut Release,
    opts: &RollbackOptions,
) -> Result<(), ActionError> {
    let current_objs = cfg
        .build(&current.manifest)
        .map_err(|e| ActionError(format!("unable to build kubernetes objects from current release manifest: {e}")))?;
    let mut target_objs = cfg
        .build(&target.manifest)
        .map_err(|e| ActionError(format!("unable to build kubernetes objects from new release manifest: {e}")))?;
    let ssa = target.apply_method == "ssa";
    if !opts.no_hooks {
        exec_hook(cfg, target, "pre-rollback", opts.wait.timeout, ssa, opts.wait.legacy)?;
    }
    ownership::set_metadata(&mut target_objs, &target.name, &target.namespace);
    // Helm's rollback always asks for client-side field ownership to be
    // moved before a server-side apply (nothing moves on an ssa release).
    let mode = WriteMode { upgrade_csa_fields: true, ..WriteMode::new(ssa, opts.force_conflicts, opts.force_replace) };
    if let Err((created, err)) = update(cfg, &current_objs, &target_objs, &mode) {
        let msg = format!("Rollback {:?} failed: {}", target.name, err.0);
        cfg.warn(&msg, &[]);
        current.info_mut().status = Status::Superseded;
        set_status(target, Status::Failed, &msg);
        cfg.record(&current);
        cfg.record(target);
        if opts.cleanup_on_fail {
            let errs: Vec<String> = cfg
                .kube
                .delete_all(&created, rhelm_kube::Propagation::Background)
                .into_iter()
                .filter_map(|r| r.err().map(|e| e.to_string()))
                .collect();
            if !errs.is_empty() {
                return Err(ActionError(format!(
                    "an error occurred while cleaning up resources. original rollback error: unable to cleanup resources: {}",
                    errs.join(", ")
                )));
            }
        }
        return Err(err);
    }
    if let Err(e) = wait_resources(cfg, &target_objs, &opts.wait) {
        set_status(target, Status::Failed, &format!("Release {:?} failed: {}", target.name, e.0));
        cfg.record(&current);
        cfg.record(target);
        return Err(ActionError(format!("release {} failed: {}", target.name, e.0)));
    }
    if !opts.no_hooks {
        exec_hook(cfg, target, "post-rollback", opts.wait.timeout, ssa, opts.wait.legacy)?;
    }
    match cfg.storage.deployed_all(&current.name) {
        Ok(deployed) => {
            for mut r in deployed {
                r.info_mut().status = Status::Superseded;
                cfg.record(&r);
            }
        }
        Err(StorageError::NoDeployedReleases(_)) | Err(StorageError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    target.info_mut().status = Status::Deployed;
    cfg.record(target);
    Ok(())
}
