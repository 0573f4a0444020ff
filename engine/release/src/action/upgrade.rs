//! `helm upgrade` (pkg/action/upgrade.go).

use std::collections::{BTreeMap, HashMap, HashSet};

use rhelm_chart::render::{ReleaseOptions, RenderOptions};
use rhelm_chart::{Chart, Values};
use rhelm_kube::{Propagation, Resource};

use super::hooks::exec_hook;
use super::install::{to_model_hook, top_level, wait_resources, DryRun};
use super::ownership;
use super::write::{apply_method, WriteMode};
use super::{ActionError, Config, WaitOptions, ERR_PENDING};
use crate::model::{Info, Release, Status};
use crate::storage::{contains_system_labels, merge_custom_labels, system_label_error, StorageError};
use crate::time;

#[derive(Debug, Clone, Default)]
pub struct UpgradeOptions {
    pub user_values: Values,
    pub reset_values: bool,
    pub reuse_values: bool,
    pub reset_then_reuse_values: bool,
    pub dry_run: DryRun,
    pub wait: WaitOptions,
    pub rollback_on_failure: bool,
    pub cleanup_on_fail: bool,
    pub description: String,
    pub take_ownership: bool,
    pub no_hooks: bool,
    pub labels: BTreeMap<String, String>,
    pub skip_schema_validation: bool,
    pub subchart_notes: bool,
    pub hide_secret: bool,
    pub force_conflicts: bool,
    /// `--force-replace` (v3 `--force`): updates are PUTs, not patches.
    pub force_replace: bool,
    pub app_version: Option<String>,
    /// `--server-side`: `auto` (the previous release's method), `true`, `false`.
    pub server_side: String,
    /// `--history-max` (0: unlimited).
    pub max_history: usize,
    /// `--disable-openapi-validation`: the manifest (not the hooks) is
    /// built without the client-side schema check.
    pub disable_openapi_validation: bool,
}

pub type Outcome = Result<Release, (Option<Box<Release>>, ActionError)>;

fn fail(e: impl Into<ActionError>) -> (Option<Box<Release>>, ActionError) {
    (None, e.into())
}

pub fn upgrade(cfg: &Config, name: &str, mut chart: Chart, opts: &UpgradeOptions) -> Outcome {
    cfg.kube.limit_retries(opts.wait.timeout);
    // Helm's first step, before the name is even looked at.
    cfg.is_reachable().map_err(fail)?;
    super::validate_name(name).map_err(|e| fail(format!("release name is invalid: {name}: {}", e.0)))?;
    if opts.dry_run == DryRun::None && opts.hide_secret {
        return Err(fail("hiding Kubernetes secrets requires a dry-run mode"));
    }
    let last = match cfg.storage.last(name) {
        Ok(r) => r,
        Err(StorageError::NotFound) => return Err(fail(StorageError::NoDeployedReleases(name.into()))),
        Err(e) => return Err(fail(e)),
    };
    if last.status().is_pending() {
        return Err(fail(pending_error(&last)));
    }
    let current = if last.status() == Status::Deployed {
        last.clone()
    } else {
        match cfg.storage.deployed(name) {
            Ok(r) => r,
            Err(StorageError::NoDeployedReleases(_))
                if matches!(last.status(), Status::Failed | Status::Superseded) =>
            {
                last.clone()
            }
            Err(e) => return Err(fail(e)),
        }
    };
    if let Some(v) = &opts.app_version {
        chart.metadata.app_version = v.clone();
    }
    let vals = reuse_values(&mut chart, &current, opts);
    let mut notices = Vec::new();
    let values =
        rhelm_chart::action::prepare_values(&mut chart, &vals, opts.skip_schema_validation, false, &mut notices)
            .map_err(fail)?;
    for n in &notices {
        cfg.debug(n);
    }
    let revision = last.version + 1;
    let capabilities = cfg.capabilities().map_err(fail)?;
    let render_opts = RenderOptions {
        release: ReleaseOptions {
            name: name.to_string(),
            namespace: current.namespace.clone(),
            revision,
            is_install: false,
            is_upgrade: true,
        },
        capabilities,
        lint_mode: false,
    };
    let rendered =
        rhelm_chart::release_render::render_release(&chart, &values, &render_opts, opts.subchart_notes, opts.hide_secret)
            .map_err(fail)?;
    if contains_system_labels(&opts.labels) {
        return Err(fail(system_label_error()));
    }
    let server_side = match opts.server_side.as_str() {
        "" | "auto" => last.apply_method == "ssa",
        "true" => true,
        "false" => false,
        other => return Err(fail(format!("invalid/unknown release server-side apply method: {other}"))),
    };
    let mut upgraded = Release {
        name: name.to_string(),
        namespace: current.namespace.clone(),
        chart: Some(top_level(&chart)),
        config: vals,
        config_nil: false,
        info: Some(Info {
            first_deployed: current.info.as_ref().and_then(|i| i.first_deployed.clone()),
            last_deployed: Some(time::now()),
            status: Status::PendingUpgrade,
            description: "Preparing upgrade".into(),
            notes: rendered.notes.clone(),
            ..Info::default()
        }),
        version: revision,
        manifest: rendered.manifest.clone(),
        hooks: rendered.hooks.iter().map(to_model_hook).collect(),
        labels: merge_custom_labels(&last.labels, &opts.labels),
        apply_method: apply_method(server_side),
    };
    // prepareUpgrade's validateManifest: the new manifest must build, and
    // its error is not wrapped.
    let mut target = cfg.build_validated(&upgraded.manifest, !opts.disable_openapi_validation).map_err(fail)?;
    let mut current_objs = cfg.build(&current.manifest).map_err(|e| {
        fail(format!("unable to build kubernetes objects from current release manifest: {e}"))
    })?;
    ownership::set_metadata(&mut target, name, &upgraded.namespace);
    let existing: HashSet<String> = current_objs.iter().map(Resource::key).collect();
    let new: Vec<Resource> = target.iter().filter(|r| !existing.contains(&r.key())).cloned().collect();
    let adopted = ownership::existing(cfg.kube, &new, name, &upgraded.namespace, opts.take_ownership)
        .map_err(|e| fail(format!("unable to continue with update: {e}")))?;
    // Helm appends adopted objects, as rendered, to the current ones: they
    // are the originals of their client-side patches, so nothing the live
    // object has beyond the chart's is deleted.
    current_objs.extend(adopted);
    if opts.dry_run != DryRun::None {
        let desc = if opts.description.is_empty() { "Dry run complete" } else { &opts.description };
        upgraded.info_mut().description = desc.to_string();
        return Ok(upgraded);
    }
    // Claiming the next revision: of two concurrent upgrades, one create fails.
    cfg.storage.create_with_max(&upgraded, opts.max_history).map_err(|e| match e {
        StorageError::AlreadyExists | StorageError::Claimed(_) => fail(format!(
            "{ERR_PENDING}: revision {revision} of {name:?} was just claimed by another operation"
        )),
        e => fail(e),
    })?;
    let mut original = current;
    // Moving from client-side to server-side apply: the fields `helm` owns
    // client-side become its server-side fields first.
    let from_csa = original.apply_method.is_empty() || original.apply_method == "csa";
    match releasing(cfg, &mut upgraded, &current_objs, &target, from_csa, opts) {
        Ok(()) => {
            original.info_mut().status = Status::Superseded;
            cfg.record(&original);
            let desc = if opts.description.is_empty() { "Upgrade complete" } else { &opts.description };
            super::set_status(&mut upgraded, Status::Deployed, desc);
            cfg.record(&upgraded);
            Ok(upgraded)
        }
        Err((created, e)) => Err(fail_release(cfg, upgraded, &created, e, opts)),
    }
}

/// `releasingUpgrade`: hooks, the cluster update, the wait.
fn releasing(
    cfg: &Config,
    rel: &mut Release,
    current: &[Resource],
    target: &[Resource],
    from_csa: bool,
    opts: &UpgradeOptions,
) -> Result<(), (Vec<Resource>, ActionError)> {
    let timeout = opts.wait.timeout;
    let ssa = rel.apply_method == "ssa";
    if !opts.no_hooks {
        exec_hook(cfg, rel, "pre-upgrade", timeout, ssa, opts.wait.legacy)
            .map_err(|e| (Vec::new(), ActionError(format!("pre-upgrade hooks failed: {e}"))))?;
    }
    let mode = WriteMode {
        upgrade_csa_fields: from_csa && ssa,
        ..WriteMode::new(ssa, opts.force_conflicts, opts.force_replace)
    };
    let created = update(cfg, current, target, &mode)?;
    wait_resources(cfg, target, &opts.wait).map_err(|e| (created.clone(), e))?;
    if !opts.no_hooks {
        exec_hook(cfg, rel, "post-upgrade", timeout, ssa, opts.wait.legacy)
            .map_err(|e| (created.clone(), ActionError(format!("post-upgrade hooks failed: {e}"))))?;
    }
    Ok(())
}

/// `KubeClient.Update`: writes the target objects as `mode` says (noting
/// which were created) and deletes the ones the new manifest dropped,
/// unless the live object asks to be kept.
pub(crate) fn update(
    cfg: &Config,
    current: &[Resource],
    target: &[Resource],
    mode: &WriteMode,
) -> Result<Vec<Resource>, (Vec<Resource>, ActionError)> {
    mode.check_update().map_err(|e| (Vec::new(), e))?;
    let lives = cfg.kube.get_all(target);
    let mut created = Vec::new();
    for (r, live) in target.iter().zip(lives) {
        if matches!(live, Ok(None)) {
            created.push(r.clone());
        }
    }
    apply_reporting(cfg, current, target, &created, mode).map_err(|e| (created.clone(), e))?;
    let keep: HashSet<String> = target.iter().map(Resource::key).collect();
    let gone: Vec<Resource> = current.iter().filter(|r| !keep.contains(&r.key())).cloned().collect();
    for r in super::uninstall_sorted(gone) {
        match cfg.kube.get(&r) {
            Ok(Some(live)) => {
                let policy = live.pointer("/metadata/annotations/helm.sh~1resource-policy").and_then(|v| v.as_str());
                if policy == Some("keep") {
                    cfg.debug(&format!("skipping delete due to annotation [helm.sh/resource-policy=keep] {}", r.kind_name()));
                    continue;
                }
                if let Err(e) = cfg.kube.delete(&r, Propagation::Background) {
                    cfg.debug(&format!("failed to delete {}: {e}", r.kind_name()));
                }
            }
            Ok(None) => {}
            Err(e) => cfg.debug(&format!("unable to get object {}: {e}", r.kind_name())),
        }
    }
    Ok(created)
}

/// Writes `target` kind group by kind group, and words a failure as
/// Helm's `update` does: the first object that could not be created ends
/// it (`failed to create resource: ...`); failed updates are joined with
/// ` && `. A client-side update patches from the object of the same
/// identity in `current` (the previous release).
fn apply_reporting(
    cfg: &Config,
    current: &[Resource],
    target: &[Resource],
    created: &[Resource],
    mode: &WriteMode,
) -> Result<(), ActionError> {
    let is_new: HashSet<String> = created.iter().map(Resource::key).collect();
    // Helm finds an object's previous version by group, kind, namespace and
    // name (`ResourceList.Get`): a new API version is still the same object.
    let same_object = |r: &Resource| {
        let group = r.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        format!("{group}/{}/{}/{}", r.kind, r.namespace.as_deref().unwrap_or(""), r.name)
    };
    let originals: HashMap<String, &Resource> = current.iter().map(|r| (same_object(r), r)).collect();
    let apply = mode.apply_options();
    let mut update_errors = Vec::new();
    for batch in target.chunk_by(|a, b| a.kind == b.kind) {
        let writes: Vec<_> = batch
            .iter()
            .map(|r| {
                if is_new.contains(&r.key()) {
                    return mode.create(r, &apply);
                }
                let original = originals.get(&same_object(r)).copied();
                if original.is_none() {
                    cfg.warn(
                        "resource exists on cluster but not in original release, using cluster state as baseline",
                        &[("namespace", r.namespace.as_deref().unwrap_or("")), ("name", &r.name), ("kind", &r.kind)],
                    );
                }
                mode.update(original, r, &apply)
            })
            .collect();
        for (r, res) in batch.iter().zip(cfg.kube.write_all(&writes)) {
            match res {
                Err(e) if is_new.contains(&r.key()) => {
                    return Err(ActionError(format!("failed to create resource: {e}")));
                }
                Err(e) => update_errors.push(e.to_string()),
                Ok(_) => {}
            }
        }
    }
    if update_errors.is_empty() {
        Ok(())
    } else {
        Err(ActionError(update_errors.join(" && ")))
    }
}

fn fail_release(
    cfg: &Config,
    mut rel: Release,
    created: &[Resource],
    err: ActionError,
    opts: &UpgradeOptions,
) -> (Option<Box<Release>>, ActionError) {
    let msg = format!("Upgrade {:?} failed: {}", rel.name, err.0);
    cfg.warn("upgrade failed", &[("name", &rel.name), ("error", &err.0)]);
    super::set_status(&mut rel, Status::Failed, &msg);
    cfg.record(&rel);
    let mut err = err;
    if opts.cleanup_on_fail && !created.is_empty() {
        let errs: Vec<String> = cfg
            .kube
            .delete_all(created, Propagation::Background)
            .into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect();
        if !errs.is_empty() {
            return (
                Some(Box::new(rel)),
                ActionError(format!(
                    "an error occurred while cleaning up resources. original upgrade error: {}: unable to cleanup resources: {}",
                    err.0,
                    errs.join(", ")
                )),
            );
        }
    }
    if opts.rollback_on_failure {
        let target = cfg.storage.history(&rel.name).ok().and_then(|h| {
            h.into_iter()
                .filter(|r| matches!(r.status(), Status::Superseded | Status::Deployed))
                .max_by_key(|r| r.version)
        });
        let Some(target) = target else {
            return (
                Some(Box::new(rel)),
                ActionError(format!(
                    "unable to find a previously successful release when attempting to rollback. original upgrade error: {}",
                    err.0
                )),
            );
        };
        let r = super::RollbackOptions {
            version: target.version,
            wait: opts.wait.clone(),
            cleanup_on_fail: opts.cleanup_on_fail,
            max_history: opts.max_history,
            no_hooks: opts.no_hooks,
            force_replace: opts.force_replace,
            force_conflicts: opts.force_conflicts,
            server_side: opts.server_side.clone(),
            ..Default::default()
        };
        err = match super::rollback(cfg, &rel.name, &r) {
            Ok(_) => ActionError(format!(
                "release {} failed, and has been rolled back due to rollback-on-failure being set: {}",
                rel.name, err.0
            )),
            Err(re) => ActionError(format!(
                "an error occurred while rolling back the release. original upgrade error: {}: {}",
                err.0, re.0
            )),
        };
    }
    (Some(Box::new(rel)), err)
}

/// Helm's `errPending`, plus how to get out of it: Helm cannot tell a
/// running operation from one whose process died, and leaves the user to
/// edit Secrets by hand; a rollback (or an uninstall, for a first revision)
/// claims the next revision and needs no editing.
pub(crate) fn pending_error(last: &Release) -> String {
    let recovery = if last.version > 1 {
        format!("rhelm rollback {} -n {}", last.name, last.namespace)
    } else {
        format!("rhelm uninstall {} -n {}", last.name, last.namespace)
    };
    format!(
        "{ERR_PENDING} (revision {} is {}; if no other operation is running, the process that started it \
         died: recover with `{recovery}`)",
        last.version,
        last.status()
    )
}

/// `reuseValues`: which user values the new revision keeps.
fn reuse_values(chart: &mut Chart, current: &Release, opts: &UpgradeOptions) -> Values {
    let new = opts.user_values.clone();
    if opts.reset_values {
        return new;
    }
    if opts.reuse_values {
        if let Some(old_chart) = &current.chart {
            let (old_vals, _) = rhelm_chart::values::coalesce_values(old_chart, &current.config);
            chart.values = old_vals;
        }
        return rhelm_chart::values::coalesce_tables_of(&new, &current.config);
    }
    if opts.reset_then_reuse_values {
        return rhelm_chart::values::coalesce_tables_of(&new, &current.config);
    }
    if new.is_empty() && !current.config.is_empty() {
        return current.config.clone();
    }
    new
}
