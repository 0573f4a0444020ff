//! `helm uninstall` (pkg/action/uninstall.go).

use std::time::Duration;

use rhelm_kube::Propagation;

use super::hooks::exec_hook;
use super::{ActionError, Config};
use crate::model::{Release, Status};
use crate::storage::StorageError;
use crate::time;

#[derive(Debug, Clone)]
pub struct UninstallOptions {
    pub keep_history: bool,
    pub no_hooks: bool,
    pub dry_run: bool,
    pub ignore_not_found: bool,
    pub wait: bool,
    /// `--wait=legacy`: Helm 3's waiter for the deletion and the hooks.
    pub legacy: bool,
    pub timeout: Duration,
    pub description: String,
    pub cascade: Propagation,
}

impl Default for UninstallOptions {
    fn default() -> Self {
        UninstallOptions {
            keep_history: false,
            no_hooks: false,
            dry_run: false,
            ignore_not_found: false,
            wait: false,
            legacy: false,
            timeout: Duration::from_secs(300),
            description: String::new(),
            cascade: Propagation::Background,
        }
    }
}

/// What was done: the release as it ended, and the kept-resources note.
#[derive(Debug, Default)]
pub struct UninstallOutcome {
    pub release: Option<Release>,
    pub info: String,
}

pub fn uninstall(cfg: &Config, name: &str, opts: &UninstallOptions) -> Result<UninstallOutcome, ActionError> {
    if super::validate_name(name).is_err() {
        return Err(ActionError(format!("uninstall: Release name is invalid: {name}")));
    }
    let mut rels = match cfg.storage.history(name) {
        Ok(h) => h,
        Err(_) if opts.ignore_not_found => return Ok(UninstallOutcome::default()),
        Err(e) => return Err(ActionError(format!("uninstall: Release not loaded: {name}: {e}"))),
    };
    if rels.is_empty() {
        return Err("no release provided".into());
    }
    rels.sort_by_key(|r| r.version);
    let mut rel = rels.last().cloned().expect("non-empty");
    if opts.dry_run {
        let (_, kept) = split_kept(cfg, &rel)?;
        return Ok(UninstallOutcome { release: Some(rel), info: kept_note(&kept) });
    }
    if rel.status() == Status::Uninstalled {
        if !opts.keep_history {
            purge(cfg, &rels).map_err(|e| ActionError(format!("uninstall: Failed to purge the release: {e}")))?;
            return Ok(UninstallOutcome { release: Some(rel), info: String::new() });
        }
        return Err(ActionError(format!("the release named {name:?} is already deleted")));
    }
    {
        let info = rel.info_mut();
        info.status = Status::Uninstalling;
        info.deleted = Some(time::now());
        info.description = "Deletion in progress (or silently failed)".into();
    }
    if !opts.no_hooks {
        exec_hook(cfg, &mut rel, "pre-delete", opts.timeout, true, opts.legacy)?;
    }
    cfg.record(&rel);
    let (to_delete, kept) = split_kept(cfg, &rel)?;
    let mut errs: Vec<String> = Vec::new();
    let sorted = super::uninstall_sorted(to_delete);
    let mut deleted = Vec::new();
    for (r, res) in sorted.iter().zip(cfg.kube.delete_all(&sorted, opts.cascade)) {
        match res {
            Ok(true) => deleted.push(r.clone()),
            Ok(false) => {}
            Err(e) => errs.push(e.to_string()),
        }
    }
    if !errs.is_empty() {
        cfg.debug(&format!("uninstall: Failed to delete release: {}", errs.join("; ")));
        return Err(ActionError(format!("failed to delete release: {name}")));
    }
    if opts.wait {
        let waited = if opts.legacy {
            cfg.kube.wait_deleted_legacy(&deleted, opts.timeout, &mut |msg, attrs| cfg.debug_kv(msg, attrs))
        } else {
            cfg.kube.wait_deleted(&deleted, opts.timeout, &mut |msg, attrs| cfg.debug_kv(msg, attrs))
        };
        if let Err(e) = waited {
            errs.push(e.to_string());
        }
    }
    if !opts.no_hooks {
        if let Err(e) = exec_hook(cfg, &mut rel, "post-delete", opts.timeout, true, opts.legacy) {
            errs.push(e.0);
        }
    }
    rel.info_mut().status = Status::Uninstalled;
    rel.info_mut().description =
        if opts.description.is_empty() { "Uninstallation complete".into() } else { opts.description.clone() };
    let info = kept_note(&kept);
    if !opts.keep_history {
        if let Err(e) = purge(cfg, &rels) {
            errs.push(format!("uninstall: Failed to purge the release: {e}"));
        }
    } else {
        cfg.record(&rel);
        match cfg.storage.deployed_all(name) {
            Ok(deployed) => {
                for mut r in deployed {
                    r.info_mut().status = Status::Superseded;
                    cfg.record(&r);
                }
            }
            Err(StorageError::NoDeployedReleases(_)) | Err(StorageError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if !errs.is_empty() {
        return Err(ActionError(format!("uninstallation completed with {} error(s): {}", errs.len(), errs.join("; "))));
    }
    Ok(UninstallOutcome { release: Some(rel), info })
}

fn purge(cfg: &Config, rels: &[Release]) -> Result<(), StorageError> {
    for r in rels {
        cfg.storage.delete(&r.name, r.version)?;
    }
    Ok(())
}

/// The release's objects, split into those to delete and those whose
/// manifest asks `helm.sh/resource-policy: keep` (as `[Kind] name`).
fn split_kept(cfg: &Config, rel: &Release) -> Result<(Vec<rhelm_kube::Resource>, Vec<String>), ActionError> {
    let objs = cfg
        .build(&rel.manifest)
        .map_err(|e| ActionError(format!("unable to build kubernetes objects for delete: {e}")))?;
    let mut delete = Vec::new();
    let mut kept = Vec::new();
    for r in objs {
        let keep = r.annotation("helm.sh/resource-policy").map(|v| v.trim().to_lowercase()) == Some("keep".into());
        if keep {
            kept.push(format!("[{}] {}", r.kind, r.name));
        } else {
            delete.push(r);
        }
    }
    Ok((delete, kept))
}

fn kept_note(kept: &[String]) -> String {
    if kept.is_empty() {
        return String::new();
    }
    let mut s = String::from("These resources were kept due to the resource policy:\n");
    for k in kept {
        s.push_str(k);
        s.push('\n');
    }
    s
}
