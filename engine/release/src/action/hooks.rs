//! Running a release's hooks for one event (pkg/action/hooks.go): weight
//! then name order, the delete policies, the release record updated as each
//! hook starts, and Jobs and Pods waited for.

use std::time::Duration;

use rhelm_kube::{ApplyOptions, Propagation, Resource, WaitKind, Write};

use super::{ActionError, Config};
use crate::model::{delete_policy, HookExecution, Release};
use crate::time;

/// How a hook and its deletion are awaited.
#[derive(Clone, Copy)]
struct HookWait {
    timeout: Duration,
    legacy: bool,
}

fn has_policy(policies: &[String], p: &str) -> bool {
    policies.iter().any(|x| x == p)
}

/// Runs the hooks of `event` in order; the first failure stops them and is
/// returned as Helm words it. Hooks are created by server-side apply, or
/// with a POST when the operation applies client-side (`server_side`).
/// `legacy` (`--wait=legacy`) awaits them and their deletion with Helm 3's
/// waiter, as Helm passes the strategy on.
pub(crate) fn exec_hook(
    cfg: &Config,
    rel: &mut Release,
    event: &str,
    timeout: Duration,
    server_side: bool,
    legacy: bool,
) -> Result<(), ActionError> {
    let w = HookWait { timeout, legacy };
    let mut order: Vec<usize> =
        (0..rel.hooks.len()).filter(|&i| rel.hooks[i].events.iter().any(|e| e == event)).collect();
    order.sort_by(|&a, &b| {
        let (ha, hb) = (&rel.hooks[a], &rel.hooks[b]);
        ha.weight.cmp(&hb.weight).then_with(|| ha.name.cmp(&hb.name))
    });
    for (n, &i) in order.iter().enumerate() {
        if rel.hooks[i].delete_policies.is_empty() {
            rel.hooks[i].delete_policies.push(delete_policy::BEFORE_HOOK_CREATION.to_string());
        }
        let path = rel.hooks[i].path.clone();
        // Helm validates hooks whatever --disable-openapi-validation says.
        let resources = cfg
            .build_validated(&rel.hooks[i].manifest, true)
            .map_err(|e| ActionError(format!("unable to build kubernetes object for {event} hook {path}: {e}")))?;
        if has_policy(&rel.hooks[i].delete_policies, delete_policy::BEFORE_HOOK_CREATION) {
            delete_hook_objects(cfg, &resources, w)?;
        }
        rel.hooks[i].last_run =
            HookExecution { started_at: Some(time::now()), completed_at: None, phase: "Running".into() };
        cfg.record(rel);
        rel.hooks[i].last_run.phase = "Unknown".into();
        let outcome = apply_and_wait(cfg, &resources, w, server_side).map_err(|(applying, e)| {
            if applying {
                format!("warning: Hook {event} {path} failed: {e}")
            } else {
                e
            }
        });
        rel.hooks[i].last_run.completed_at = Some(time::now());
        if let Err(e) = outcome {
            rel.hooks[i].last_run.phase = "Failed".into();
            // Delayed shutdown: this hook per `hook-failed`, the ones that
            // already succeeded per `hook-succeeded`.
            if has_policy(&rel.hooks[i].delete_policies, delete_policy::FAILED) {
                let _ = delete_hook_objects(cfg, &resources, w);
            }
            for &j in order[..n].iter().rev() {
                delete_by_policy(cfg, rel, j, delete_policy::SUCCEEDED, w);
            }
            return Err(ActionError(e));
        }
        rel.hooks[i].last_run.phase = "Succeeded".into();
    }
    for &i in order.iter().rev() {
        delete_by_policy(cfg, rel, i, delete_policy::SUCCEEDED, w);
    }
    Ok(())
}

/// Creates the hook's objects and waits for them; the error says whether
/// it came from creating (`true`) or from waiting.
fn apply_and_wait(cfg: &Config, resources: &[Resource], w: HookWait, server_side: bool) -> Result<(), (bool, String)> {
    let apply = ApplyOptions::default();
    let writes: Vec<_> =
        resources.iter().map(|r| if server_side { Write::Apply(r, &apply) } else { Write::Create(r) }).collect();
    for res in cfg.kube.write_all(&writes) {
        res.map_err(|e| (true, e.to_string()))?;
    }
    let waited = if w.legacy {
        cfg.kube.wait_hook_legacy(
            resources,
            w.timeout,
            &mut |msg, attrs| cfg.debug_kv(msg, attrs),
            &mut |msg, attrs| cfg.log_error(msg, attrs),
        )
    } else {
        cfg.kube.wait_ready(resources, WaitKind::Hook, w.timeout, &mut |line| cfg.progress(line), &mut |msg, attrs| {
            cfg.debug_kv(msg, attrs)
        })
    };
    cfg.progress("");
    waited.map_err(|e| (false, e.to_string()))
}

fn delete_by_policy(cfg: &Config, rel: &Release, i: usize, policy: &str, w: HookWait) {
    let h = &rel.hooks[i];
    if !has_policy(&h.delete_policies, policy) || h.kind == "CustomResourceDefinition" {
        return;
    }
    if let Ok(rs) = cfg.build(&h.manifest) {
        if let Err(e) = delete_hook_objects(cfg, &rs, w) {
            cfg.debug(&format!("failed to delete hook {}: {e}", h.path));
        }
    }
}

/// Deletes hook objects (CRDs excepted) and waits until they are gone.
fn delete_hook_objects(cfg: &Config, rs: &[Resource], w: HookWait) -> Result<(), ActionError> {
    let rs: Vec<Resource> = rs.iter().filter(|r| r.kind != "CustomResourceDefinition").cloned().collect();
    for res in cfg.kube.delete_all(&rs, Propagation::Background) {
        res?;
    }
    if w.legacy {
        cfg.kube.wait_deleted_legacy(&rs, w.timeout, &mut |msg, attrs| cfg.debug_kv(msg, attrs))?;
    } else {
        cfg.kube.wait_deleted(&rs, w.timeout, &mut |msg, attrs| cfg.debug_kv(msg, attrs))?;
    }
    Ok(())
}
