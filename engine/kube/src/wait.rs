//! Waiting for objects: readiness as kstatus judges it (`--wait`), hook
//! Jobs and Pods running to completion, and CRDs becoming established.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;
use crate::status::{self, Judgement, Status};

/// The first poll comes quickly (most objects are ready at once); later
/// ones back off so a long wait does not hammer the API server.
const FIRST_POLL: Duration = Duration::from_millis(100);
const MAX_POLL: Duration = Duration::from_secs(1);

/// Helm's `DefaultStatusWatcherTimeout`, used when the timeout is zero.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a waiter's slog debug lines go: the message and its attributes.
pub type DebugLog<'a> = dyn FnMut(&str, &[(&str, &str)]) + 'a;

/// Which objects a readiness wait covers and by which rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitKind {
    /// `--wait` (kstatus); with `jobs` (`--wait-for-jobs`) Jobs must complete.
    Resources { jobs: bool },
    /// A hook (`WatchUntilReady`): Jobs must complete and Pods succeed;
    /// every other kind is ready at once.
    Hook,
}

impl Kube {
    /// Waits until every object is ready (kstatus `Current`) or `timeout`
    /// passes, as Helm's status waiter does: a failed object ends the wait
    /// early, and the error names every object that is not ready, one per
    /// line (`resource Kind/ns/name not ready. status: S, message: M`),
    /// then `context deadline exceeded` on a timeout. `progress` hears each
    /// change of the first object still awaited (by name, as Helm logs it);
    /// `log` hears the status waiter's debug lines (message and attributes).
    pub fn wait_ready(
        &self,
        rs: &[Resource],
        kind: WaitKind,
        timeout: Duration,
        progress: &mut dyn FnMut(&str),
        log: &mut DebugLog,
    ) -> Result<(), KubeError> {
        let timeout = if timeout.is_zero() { DEFAULT_TIMEOUT } else { timeout };
        log("waiting for resources", &[("count", &rs.len().to_string()), ("timeout", &go_duration(timeout))]);
        let mut observed = Observer::new(Status::Current);
        let end = Instant::now() + timeout;
        // A paused Deployment never rolls out; Helm leaves it out.
        let watched: Vec<&Resource> = rs
            .iter()
            .filter(|r| !(r.kind == "Deployment" && r.object.pointer("/spec/paused") == Some(&Value::Bool(true))))
            .collect();
        let mut judged: Vec<Judgement> = vec![status::not_found(); watched.len()];
        let mut pending: Vec<usize> = (0..watched.len()).collect();
        let mut last = String::new();
        let mut pause = FIRST_POLL;
        loop {
            let lives = self.block_on(crate::connect::in_order(
                pending.iter().map(|&i| watched[i]).map(|r| async move { r.api(self).get_opt(&r.name).await }),
            ));
            let mut still = Vec::new();
            for (&i, live) in pending.iter().zip(lives) {
                let r = watched[i];
                judged[i] = match live? {
                    None => status::not_found(),
                    Some(obj) => judge(r, kind, &serde_json::to_value(obj).unwrap_or_default()),
                };
                // Failed is terminal: waiting longer cannot help.
                if !matches!(judged[i].status, Status::Current | Status::Failed) {
                    still.push(i);
                }
            }
            pending = still;
            observed.observe(watched.iter().zip(&judged).map(|(r, j)| (*r, Some(j.status))).collect(), log);
            let timed_out = Instant::now() >= end;
            if pending.is_empty() || timed_out {
                let mut lines: Vec<String> = watched
                    .iter()
                    .zip(&judged)
                    .filter(|(_, j)| j.status != Status::Current)
                    .map(|(r, j)| {
                        format!(
                            "resource {}/{}/{} not ready. status: {}, message: {}",
                            r.kind,
                            r.namespace.as_deref().unwrap_or(""),
                            r.name,
                            j.status.as_str(),
                            j.message
                        )
                    })
                    .collect();
                if !pending.is_empty() {
                    lines.push("context deadline exceeded".into());
                }
                return if lines.is_empty() { Ok(()) } else { Err(KubeError::new(lines.join("\n"))) };
            }
            if let Some(&first) = pending.iter().min_by_key(|&&i| &watched[i].name) {
                let r = watched[first];
                let now = format!(
                    "Waiting for {} {}{}: {} ({} of {} ready)",
                    r.kind,
                    r.namespace.as_deref().map(|n| format!("{n}/")).unwrap_or_default(),
                    r.name,
                    judged[first].message,
                    watched.len() - pending.len(),
                    watched.len()
                );
                if now != last {
                    progress(&now);
                    last = now;
                }
            }
            std::thread::sleep(pause.min(end.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(MAX_POLL);
        }
    }

    /// Waits for one hook object: a Job to complete or a Pod to succeed.
    pub fn wait_hook(&self, r: &Resource, timeout: Duration) -> Result<(), KubeError> {
        self.wait_ready(std::slice::from_ref(r), WaitKind::Hook, timeout, &mut |_| {}, &mut |_, _| {})
    }

    /// Waits for CRDs to be established (kstatus: Established=True, a
    /// refused name fails at once), then forgets discovery so their kinds map.
    pub fn wait_established(&self, crds: &[Resource], timeout: Duration) -> Result<(), KubeError> {
        let res = self.wait_ready(crds, WaitKind::Resources { jobs: false }, timeout, &mut |_| {}, &mut |_, _| {});
        self.invalidate_discovery();
        res
    }

    /// [`Kube::wait_established`] with Helm 3's rules (`--wait=legacy`):
    /// polled every 2 s, and a refused name lets the install go on. `log`
    /// hears the waiter's debug lines.
    pub fn wait_established_legacy(
        &self,
        crds: &[Resource],
        timeout: Duration,
        log: &mut DebugLog,
    ) -> Result<(), KubeError> {
        let res = self.wait_ready_legacy(crds, false, timeout, log);
        self.invalidate_discovery();
        res
    }

    /// One log of a pod. With no container the server picks the only one
    /// (and refuses a pod with several), which is how `helm test --logs` asks.
    pub fn pod_log(&self, namespace: &str, pod: &str, container: Option<&str>) -> Result<String, KubeError> {
        use k8s_openapi::api::core::v1::Pod;
        use kube::api::{Api, LogParams};
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let lp = LogParams { container: container.map(str::to_string), ..LogParams::default() };
        Ok(self.block_on(api.logs(pod, &lp))?)
    }

    /// The logs of a pod's containers, as `helm test --logs` prints them.
    pub fn pod_logs(&self, namespace: &str, pod: &str) -> Result<Vec<(String, String)>, KubeError> {
        use k8s_openapi::api::core::v1::Pod;
        use kube::api::{Api, LogParams};
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let p = self.block_on(api.get(pod))?;
        let containers: Vec<String> =
            p.spec.map(|s| s.containers.into_iter().map(|c| c.name).collect()).unwrap_or_default();
        let mut out = Vec::new();
        for c in containers {
            let lp = LogParams { container: Some(c.clone()), ..LogParams::default() };
            let text = self.block_on(api.logs(pod, &lp))?;
            out.push((c, text));
        }
        Ok(out)
    }
}

fn judge(r: &Resource, kind: WaitKind, live: &Value) -> Judgement {
    match kind {
        WaitKind::Hook => status::hook(r.group(), &r.kind, live),
        WaitKind::Resources { jobs: true } if r.group() == "batch" && r.kind == "Job" => status::job_complete(live),
        WaitKind::Resources { .. } => status::compute(r.group(), &r.kind, live),
    }
}

/// Go's `time.Duration.String`, as slog prints a timeout.
pub(crate) fn go_duration(d: Duration) -> String {
    rhelm_functions::dates::Duration(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)).to_string()
}

/// The debug lines of Helm's `statusObserver`, which it logs on every watch
/// event. Polls stand in for events here, so a line is logged when it
/// differs from the previous one: Helm's repeats of one line carry nothing.
pub(crate) struct Observer {
    desired: Status,
    last: String,
    done: bool,
}

impl Observer {
    pub(crate) fn new(desired: Status) -> Observer {
        Observer { desired, last: String::new(), done: false }
    }

    /// `statuses`: each awaited object with its status, `None` for one
    /// Helm's watcher reports as Unknown (an object already gone before a
    /// wait for deletion began).
    pub(crate) fn observe(&mut self, statuses: Vec<(&Resource, Option<Status>)>, log: &mut DebugLog) {
        if self.done {
            return;
        }
        // Unknown while deleting means gone already, and Failed while
        // awaiting readiness is terminal: Helm leaves both out.
        let counted: Vec<(&Resource, Status)> = statuses
            .into_iter()
            .filter_map(|(r, s)| s.map(|s| (r, s)))
            .filter(|(_, s)| !(*s == Status::Failed && self.desired == Status::Current))
            .collect();
        let desired = self.desired.as_str();
        let Some((r, s)) = counted.iter().filter(|(_, s)| *s != self.desired).min_by_key(|(r, _)| &r.name) else {
            self.done = true;
            log(
                "all resources achieved desired status",
                &[("desiredStatus", desired), ("resourceCount", &counted.len().to_string())],
            );
            return;
        };
        let attrs = [
            ("namespace", r.namespace.as_deref().unwrap_or("")),
            ("name", r.name.as_str()),
            ("kind", r.kind.as_str()),
            ("expectedStatus", desired),
            ("actualStatus", s.as_str()),
        ];
        let line = format!("{attrs:?}");
        if line != self.last {
            log("waiting for resource", &attrs);
            self.last = line;
        }
    }
}
