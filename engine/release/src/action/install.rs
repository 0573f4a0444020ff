//! `helm install` (pkg/action/install.go).

use std::collections::BTreeMap;
use std::time::Duration;

use rhelm_chart::render::{Capabilities, ReleaseOptions, RenderOptions};
use rhelm_chart::{Chart, Values};
use rhelm_kube::{Resource, WaitKind};

use super::hooks::exec_hook;
use super::ownership;
use super::write::{apply_method, WriteMode};
use super::{set_status, ActionError, Config, WaitOptions};
use crate::model::{Hook, HookExecution, Info, Release, Status};
use crate::storage::{contains_system_labels, system_label_error};
use crate::time;

/// `--dry-run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DryRun {
    #[default]
    None,
    Client,
    Server,
}

#[derive(Debug, Clone, Default)]
pub struct InstallOptions {
    pub name: String,
    pub user_values: Values,
    pub create_namespace: bool,
    pub dry_run: DryRun,
    pub wait: WaitOptions,
    pub rollback_on_failure: bool,
    pub description: String,
    pub skip_crds: bool,
    pub take_ownership: bool,
    pub no_hooks: bool,
    pub labels: BTreeMap<String, String>,
    pub replace: bool,
    pub skip_schema_validation: bool,
    pub subchart_notes: bool,
    pub hide_secret: bool,
    pub force_conflicts: bool,
    /// `--app-version`: the chart's appVersion for this release.
    pub app_version: Option<String>,
    /// `--server-side` (true by default in Helm 4).
    pub server_side: bool,
    /// `--force-replace`: objects adopted from the cluster are replaced
    /// (PUT) rather than patched.
    pub force_replace: bool,
    /// Capabilities for `--dry-run=client` (no server asked).
    pub client_capabilities: Option<Capabilities>,
    /// `--disable-openapi-validation`: the manifest (not the hooks) is
    /// built without the client-side schema check.
    pub disable_openapi_validation: bool,
}

/// The outcome of an install: the release as it ended (also on failure,
/// when there is one) and the error.
pub type Outcome = Result<Release, (Option<Box<Release>>, ActionError)>;

fn fail(e: impl Into<ActionError>) -> (Option<Box<Release>>, ActionError) {
    (None, e.into())
}

pub fn install(cfg: &Config, mut chart: Chart, opts: &InstallOptions) -> Outcome {
    let interact = opts.dry_run != DryRun::Client;
    cfg.kube.limit_retries(opts.wait.timeout);
    if interact {
        if let Err(e) = cfg.is_reachable() {
            let msg = format!("cluster reachability check failed: {e}");
            cfg.log_error(&msg, &[]);
            return Err(fail(msg));
        }
    }
    if opts.dry_run == DryRun::None && opts.hide_secret {
        cfg.log_error("hiding Kubernetes secrets requires a dry-run mode", &[]);
        return Err(fail("hiding Kubernetes secrets requires a dry-run mode"));
    }
    available_name(cfg, opts).map_err(|e| {
        cfg.log_error("release name check failed", &[("error", &e.0)]);
        fail(format!("release name check failed: {e}"))
    })?;
    if let Some(v) = &opts.app_version {
        chart.metadata.app_version = v.clone();
    }
    let mut notices = Vec::new();
    let values = if interact && !opts.skip_crds && opts.dry_run == DryRun::None {
        // ProcessDependencies comes before the CRDs, which come from the
        // enabled charts only.
        let vals = rhelm_chart::action::prepare_values(
            &mut chart,
            &opts.user_values,
            opts.skip_schema_validation,
            false,
            &mut notices,
        )
        .map_err(fail)?;
        install_crds(cfg, &chart, opts).map_err(fail)?;
        vals
    } else {
        rhelm_chart::action::prepare_values(
            &mut chart,
            &opts.user_values,
            opts.skip_schema_validation,
            false,
            &mut notices,
        )
        .map_err(fail)?
    };
    for n in &notices {
        cfg.debug(n);
    }
    let capabilities = match (&opts.client_capabilities, interact) {
        (Some(c), false) => c.clone(),
        _ => cfg.capabilities().map_err(fail)?,
    };
    if contains_system_labels(&opts.labels) {
        return Err(fail(system_label_error()));
    }
    let mut rel = create_release(cfg, &chart, opts);
    let render_opts = RenderOptions {
        release: ReleaseOptions {
            name: opts.name.clone(),
            namespace: cfg.namespace.clone(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        },
        capabilities,
        lint_mode: false,
    };
    let rendered = match rhelm_chart::release_render::render_release(
        &chart,
        &values,
        &render_opts,
        opts.subchart_notes,
        opts.hide_secret,
    ) {
        Ok(r) => r,
        Err(e) => {
            set_status(&mut rel, Status::Failed, &format!("failed to render resource: {e}"));
            return Err((Some(Box::new(rel)), ActionError(e)));
        }
    };
    for n in &rendered.notices {
        cfg.debug(n);
    }
    rel.manifest = rendered.manifest.clone();
    rel.hooks = rendered.hooks.iter().map(to_model_hook).collect();
    rel.info_mut().notes = rendered.notes.clone();
    set_status(&mut rel, Status::PendingInstall, "Initial install underway");

    // A client dry run builds with Helm's PrintingKubeClient, which maps
    // nothing: kinds the server does not know yet are no error.
    let mut resources = if interact {
        cfg.build_validated(&rel.manifest, !opts.disable_openapi_validation)
            .map_err(|e| fail(format!("unable to build kubernetes objects from release manifest: {e}")))?
    } else {
        Vec::new()
    };
    ownership::set_metadata(&mut resources, &rel.name, &rel.namespace);
    let adopted = if interact && !resources.is_empty() {
        ownership::existing(cfg.kube, &resources, &rel.name, &rel.namespace, opts.take_ownership)
            .map_err(|e| fail(format!("unable to continue with install: {e}")))?
    } else {
        Vec::new()
    };
    // Helm's server dry run asks the server for lookups and ownership only:
    // nothing is applied, not even as a dry run.
    if opts.dry_run != DryRun::None {
        rel.info_mut().description = "Dry run complete".into();
        return Ok(rel);
    }
    if opts.create_namespace && !cfg.printing {
        if opts.server_side {
            cfg.kube.ensure_namespace(&cfg.namespace).map_err(fail)?;
        } else {
            cfg.kube.create_namespace(&cfg.namespace).map_err(fail)?;
        }
    }
    if opts.replace {
        replace_last(cfg, &mut rel);
    }
    // Claiming revision 1: the create fails for a concurrent installer.
    cfg.storage.create(&rel).map_err(fail)?;
    match perform_install(cfg, &mut rel, &resources, &adopted, opts) {
        Ok(()) => {
            let desc = if opts.description.is_empty() { "Install complete" } else { &opts.description };
            set_status(&mut rel, Status::Deployed, desc);
            if let Err(e) = cfg.storage.update(&rel) {
                return Err((Some(Box::new(rel)), ActionError(e.to_string())));
            }
            Ok(rel)
        }
        Err(e) => Err(fail_release(cfg, rel, e, opts)),
    }
}

fn perform_install(
    cfg: &Config,
    rel: &mut Release,
    resources: &[Resource],
    adopted: &[Resource],
    opts: &InstallOptions,
) -> Result<(), ActionError> {
    let timeout = opts.wait.timeout;
    let ssa = opts.server_side;
    if !opts.no_hooks {
        exec_hook(cfg, rel, "pre-install", timeout, ssa, opts.wait.legacy)
            .map_err(|e| ActionError(format!("failed pre-install: {e}")))?;
    }
    if adopted.is_empty() {
        // Helm creates without forcing even with --force-conflicts; only the
        // update path it takes when adopting objects honours the flag, so a
        // field another manager owns (kubectl's, say) makes --take-ownership
        // fail unless conflicts are forced.
        apply_in_order(cfg, resources, &WriteMode::new(ssa, false, false))?;
    } else {
        // Adopting is Helm's `Update` from the adopted objects (as rendered)
        // to the rendered ones: objects missing are created, the others
        // applied server-side (client-side field ownership moved first), or
        // patched three-way against the live ones.
        let mode = WriteMode {
            three_way_unstructured: opts.take_ownership && !ssa,
            upgrade_csa_fields: true,
            ..WriteMode::new(ssa, opts.force_conflicts, opts.force_replace)
        };
        super::upgrade::update(cfg, adopted, resources, &mode).map_err(|(_, e)| e)?;
    }
    wait_resources(cfg, resources, &opts.wait)?;
    if !opts.no_hooks {
        exec_hook(cfg, rel, "post-install", timeout, ssa, opts.wait.legacy)
            .map_err(|e| ActionError(format!("failed post-install: {e}")))?;
    }
    Ok(())
}

/// Applies objects kind group by kind group in manifest order (Helm's
/// `batchPerform`: consecutive objects of one kind go together). As in
/// Helm's `perform`, a failure does not stop the later groups: every object
/// is tried and the errors are joined with newlines (`errors.Join`). Helm
/// joins one group's errors in completion order; here it is manifest order.
pub(crate) fn apply_in_order(cfg: &Config, resources: &[Resource], mode: &WriteMode) -> Result<(), ActionError> {
    let apply = mode.apply_options();
    let mut errors = Vec::new();
    for batch in resources.chunk_by(|a, b| a.kind == b.kind) {
        let writes: Vec<_> = batch.iter().map(|r| mode.create(r, &apply)).collect();
        errors.extend(cfg.kube.write_all(&writes).into_iter().filter_map(|r| r.err().map(|e| e.to_string())));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ActionError(errors.join("\n")))
    }
}

pub(crate) fn wait_resources(cfg: &Config, resources: &[Resource], wait: &WaitOptions) -> Result<(), ActionError> {
    if !wait.resources {
        return Ok(());
    }
    let waited = if wait.legacy {
        cfg.kube.wait_ready_legacy(resources, wait.jobs, wait.timeout, &mut |msg, attrs| cfg.debug_kv(msg, attrs))
    } else {
        cfg.kube.wait_ready(
            resources,
            WaitKind::Resources { jobs: wait.jobs },
            wait.timeout,
            &mut |line| cfg.progress(line),
            &mut |msg, attrs| cfg.debug_kv(msg, attrs),
        )
    };
    cfg.progress("");
    Ok(waited?)
}

/// `failRelease`: records the failure and, with `--rollback-on-failure`,
/// uninstalls what was installed.
fn fail_release(
    cfg: &Config,
    mut rel: Release,
    err: ActionError,
    opts: &InstallOptions,
) -> (Option<Box<Release>>, ActionError) {
    set_status(&mut rel, Status::Failed, &format!("Release {:?} failed: {}", opts.name, err.0));
    if opts.rollback_on_failure {
        // Helm stores nothing here: the uninstall starts from the record as
        // it was (pending-install). It hands the uninstall its wait strategy,
        // so the deletion is awaited (rollback-on-failure makes hookOnly a
        // watcher wait) and the uninstall's hooks are awaited the same way.
        cfg.debug_kv("install failed and rollback-on-failure is set, uninstalling release", &[("release", &opts.name)]);
        let u = super::UninstallOptions {
            timeout: opts.wait.timeout,
            legacy: opts.wait.legacy,
            wait: opts.wait.resources,
            no_hooks: opts.no_hooks,
            ..Default::default()
        };
        if let Err(ue) = super::uninstall(cfg, &opts.name, &u) {
            return (
                Some(Box::new(rel)),
                ActionError(format!(
                    "an error occurred while uninstalling the release. original install error: {}: {}",
                    err.0, ue.0
                )),
            );
        }
        return (
            Some(Box::new(rel)),
            ActionError(format!(
                "release {} failed, and has been uninstalled due to rollback-on-failure being set: {}",
                opts.name, err.0
            )),
        );
    }
    cfg.record(&rel);
    (Some(Box::new(rel)), err)
}

/// `availableName`: a valid name not used by a live release.
fn available_name(cfg: &Config, opts: &InstallOptions) -> Result<(), ActionError> {
    super::validate_name(&opts.name).map_err(|e| {
        ActionError(e.0.strip_prefix(&format!("release name {:?}: ", opts.name)).unwrap_or(&e.0).to_string())
    })?;
    if opts.dry_run != DryRun::None {
        return Ok(());
    }
    if let Ok(h) = cfg.storage.history(&opts.name) {
        if let Some(last) = h.iter().max_by_key(|r| r.version) {
            let st = last.status();
            if !(opts.replace && (st == Status::Uninstalled || st == Status::Failed)) {
                let mut msg = "cannot reuse a name that is still in use".to_string();
                if st.is_pending() {
                    // Helm stops here; say how to get out of it.
                    msg = format!("{msg}: {}", super::upgrade::pending_error(last));
                }
                return Err(ActionError(msg));
            }
        }
    }
    Ok(())
}

fn create_release(cfg: &Config, chart: &Chart, opts: &InstallOptions) -> Release {
    let now = time::now();
    Release {
        name: opts.name.clone(),
        namespace: cfg.namespace.clone(),
        chart: Some(top_level(chart)),
        config: opts.user_values.clone(),
        info: Some(Info {
            first_deployed: Some(now.clone()),
            last_deployed: Some(now),
            status: Status::Unknown,
            ..Info::default()
        }),
        version: 1,
        labels: opts.labels.clone(),
        apply_method: apply_method(opts.server_side),
        ..Release::default()
    }
}

/// The chart as a release stores it: subcharts are not kept. Of the raw
/// files only values.yaml's entry stays, emptied: whether the chart had one
/// decides between `"values":{}` and `"values":null` in the record.
pub(crate) fn top_level(chart: &Chart) -> Chart {
    let raw = chart
        .raw
        .iter()
        .filter(|f| f.name == crate::chart_json::VALUES_FILE)
        .map(|f| rhelm_chart::File { data: Default::default(), ..f.clone() })
        .collect();
    Chart { dependencies: Vec::new(), raw, ..chart.clone() }
}

/// `--replace`: the last revision is superseded and the new one follows it.
fn replace_last(cfg: &Config, rel: &mut Release) {
    if let Ok(mut last) = cfg.storage.last(&rel.name) {
        rel.version = last.version + 1;
        if last.status() != Status::Failed {
            set_status(&mut last, Status::Superseded, "superseded by new release");
            cfg.record(&last);
        }
    }
}

/// A rendered hook as the release records it (never run yet).
pub(crate) fn to_model_hook(h: &rhelm_chart::manifest::Hook) -> Hook {
    Hook {
        name: h.name.clone(),
        kind: h.kind.clone(),
        path: h.path.clone(),
        manifest: h.manifest.clone(),
        events: h.events.iter().map(|e| e.as_str().to_string()).collect(),
        last_run: HookExecution::default(),
        weight: h.weight,
        delete_policies: h.delete_policies.clone(),
        output_log_policies: h.output_log_policies.clone(),
    }
}

/// `installCRDs`: every CRD of the enabled charts, one file at a time,
/// applied whether or not it exists (Helm 4 creates by server-side apply,
/// so a present CRD is updated, and a field someone else changed is a
/// conflict), then waited for until established. Client-side, a file is
/// created with POSTs, and one whose CRD already exists is skipped (not
/// updated, not waited for).
fn install_crds(cfg: &Config, chart: &Chart, opts: &InstallOptions) -> Result<(), ActionError> {
    let crds = chart.crd_objects(None);
    if crds.is_empty() {
        return Ok(());
    }
    let mode = WriteMode::new(opts.server_side, opts.force_conflicts, false);
    let apply = mode.apply_options();
    let mut all = Vec::new();
    // Helm names a CRD in its errors by the file's path inside its own
    // chart (`crds/x.yaml`), whichever chart it comes from.
    for (_, file) in crds {
        let name = &file.name;
        let text = String::from_utf8_lossy(&file.data);
        let rs = cfg.build(&text).map_err(|e| ActionError(format!("failed to install CRD {name}: {e}")))?;
        if rs.is_empty() {
            return Err(ActionError(format!("failed to install CRD {name}: resources are empty")));
        }
        if !opts.server_side && opts.force_conflicts {
            return Err(ActionError(format!(
                "failed to install CRD {name}: invalid client create option(s): forceConflicts enabled when serverSideApply disabled"
            )));
        }
        let writes: Vec<_> = rs.iter().map(|r| mode.create(r, &apply)).collect();
        let results = cfg.kube.write_all(&writes);
        if !opts.server_side && results.iter().any(|r| r.as_ref().is_err_and(|e| e.is_already_exists())) {
            cfg.debug(&format!("CRD is already present. Skipping crd={name}"));
            continue;
        }
        for res in results {
            res.map_err(|e| ActionError(format!("failed to install CRD {name}: {e}")))?;
        }
        all.extend(rs);
    }
    // Helm waits for them with the release's waiter, whatever the strategy.
    if opts.wait.legacy {
        cfg.kube.wait_established_legacy(&all, Duration::from_secs(60), &mut |msg, attrs| cfg.debug_kv(msg, attrs))?;
    } else {
        cfg.kube.wait_established(&all, Duration::from_secs(60))?;
    }
    Ok(())
}
