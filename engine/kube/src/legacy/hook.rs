//! Hooks under `--wait=legacy` (`legacyWaiter.WatchUntilReady`): only
//! Jobs and Pods are awaited, until they complete, and a failure is logged
//! and named the way Helm 3's watch did.
//!
//! Helm watches and logs a line or two per watch event; rhelm polls, and
//! takes a new resourceVersion for an event (ADDED the first time the
//! object is seen, MODIFIED after), so changes between two polls make one
//! event where Helm may see several. What each event logs is Helm's.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::deadline;
use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;
use crate::wait::{go_duration, DebugLog};

/// What a hook watch that ends with its context reports (`wait.ErrWaitTimeout`).
const WATCH_TIMEOUT: &str = "timed out waiting for the condition";

/// The first hook poll comes quickly (most hooks finish fast); later ones
/// back off. Helm watches instead; only the timing differs.
const HOOK_FIRST_POLL: Duration = Duration::from_millis(100);
const HOOK_MAX_POLL: Duration = Duration::from_secs(1);

/// Hears a slog error record: its message and attributes.
type ErrorLog<'a> = dyn FnMut(&str, &[(&str, &str)]) + 'a;

/// Where the watches, which run side by side, log: debug lines, and the
/// error records Helm logs whatever the flags.
struct Logs<'l, 'a, 'b> {
    debug: &'l mut DebugLog<'a>,
    error: &'l mut ErrorLog<'b>,
}

impl Kube {
    /// `legacyWaiter.WatchUntilReady` for hooks: Jobs until complete (a
    /// failed one: `job NAME failed: REASON`), Pods until they succeed
    /// (`pod NAME failed`); other kinds are not awaited. Like Helm's
    /// `perform`, runs of one kind are awaited together, one run after the
    /// other, and every object is awaited; the errors are joined one per
    /// line as `errors.Join` does. `log_error` hears the slog error Helm
    /// logs for a failure (message, attributes), which it prints whatever
    /// the flags; `log` hears the watches' debug lines.
    pub fn wait_hook_legacy(
        &self,
        rs: &[Resource],
        timeout: Duration,
        log: &mut DebugLog,
        log_error: &mut ErrorLog,
    ) -> Result<(), KubeError> {
        let logs = RefCell::new(Logs { debug: log, error: log_error });
        let mut errors = Vec::new();
        for run in rs.chunk_by(|a, b| a.kind == b.kind) {
            let ends =
                self.block_on(futures::future::join_all(run.iter().map(|r| self.watch_until_ready(r, timeout, &logs))));
            for (r, end) in run.iter().zip(ends) {
                match end {
                    HookEnd::Ready => {}
                    HookEnd::TimedOut => errors.push(WATCH_TIMEOUT.to_string()),
                    HookEnd::Error(e) => errors.push(e),
                    HookEnd::PodFailed => errors.push(format!("pod {} failed", r.name)),
                    HookEnd::JobFailed(reason) => errors.push(format!("job {} failed: {reason}", r.name)),
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(KubeError::new(errors.join("\n")))
        }
    }

    async fn watch_until_ready(&self, r: &Resource, timeout: Duration, logs: &RefCell<Logs<'_, '_, '_>>) -> HookEnd {
        if !matches!(r.kind.as_str(), "Job" | "Pod") {
            return HookEnd::Ready;
        }
        let debug = |msg: &str, attrs: &[(&str, &str)]| (logs.borrow_mut().debug)(msg, attrs);
        let error = |msg: &str, attrs: &[(&str, &str)]| (logs.borrow_mut().error)(msg, attrs);
        let name = r.name.as_str();
        debug(
            "watching for resource changes",
            &[("kind", r.kind.as_str()), ("resource", name), ("timeout", &go_duration(timeout))],
        );
        let end = deadline(timeout);
        // The resourceVersion last seen: a new one is an event.
        let mut seen: Option<String> = None;
        let mut pause = HOOK_FIRST_POLL;
        loop {
            match r.api(self).get_opt(&r.name).await {
                Err(e) => return HookEnd::Error(KubeError::from(e).to_string()),
                // A watch that sees the object deleted stops there, content.
                Ok(None) if seen.is_some() => {
                    debug("deleted event received", &[("resource", name)]);
                    return HookEnd::Ready;
                }
                Ok(None) => {}
                Ok(Some(obj)) if seen.is_some() && obj.metadata.resource_version == seen => {}
                Ok(Some(obj)) => {
                    let event = if seen.is_some() { "MODIFIED" } else { "ADDED" };
                    seen = Some(obj.metadata.resource_version.clone().unwrap_or_default());
                    debug("add/modify event received", &[("resource", name), ("eventType", event)]);
                    let live = serde_json::to_value(obj).unwrap_or_default();
                    match hook_state(&r.kind, &live) {
                        HookState::Running if r.kind == "Job" => {
                            let count = |f: &str| live.pointer(f).and_then(Value::as_i64).unwrap_or(0).to_string();
                            let (active, failed, succeeded) =
                                (count("/status/active"), count("/status/failed"), count("/status/succeeded"));
                            let attrs =
                                [("job", name), ("active", &active), ("failed", &failed), ("succeeded", &succeeded)];
                            debug("job status update", &attrs);
                        }
                        HookState::Running => {
                            // waitForPodSuccess names the phases it knows; an
                            // empty or unknown one passes silently.
                            let line = match live.pointer("/status/phase").and_then(Value::as_str) {
                                Some("Pending") => Some("pod pending"),
                                Some("Running") => Some("pod running"),
                                Some("Unknown") => Some("pod unknown"),
                                _ => None,
                            };
                            if let Some(line) = line {
                                debug(line, &[("pod", name)]);
                            }
                        }
                        HookState::Done => {
                            if r.kind == "Pod" {
                                debug("pod succeeded", &[("pod", name)]);
                            }
                            return HookEnd::Ready;
                        }
                        HookState::PodFailed => {
                            error("pod failed", &[("pod", name)]);
                            return HookEnd::PodFailed;
                        }
                        HookState::JobFailed(reason) => {
                            error("job failed", &[("job", name), ("reason", &reason)]);
                            return HookEnd::JobFailed(reason);
                        }
                    }
                }
            }
            let now = Instant::now();
            match end {
                Some(end) if now + pause >= end => {
                    tokio::time::sleep(end.saturating_duration_since(now)).await;
                    return HookEnd::TimedOut;
                }
                _ => tokio::time::sleep(pause).await,
            }
            pause = (pause * 2).min(HOOK_MAX_POLL);
        }
    }
}

/// How the watch of one hook object ended.
enum HookEnd {
    Ready,
    /// Its context's deadline passed.
    TimedOut,
    PodFailed,
    /// The Failed condition's reason.
    JobFailed(String),
    /// The API call failed.
    Error(String),
}

/// Where a hook Job or Pod stands.
enum HookState {
    Running,
    Done,
    PodFailed,
    /// The Failed condition's reason.
    JobFailed(String),
}

/// `waitForJob` and `waitForPodSuccess`.
fn hook_state(kind: &str, live: &Value) -> HookState {
    if kind == "Pod" {
        return match live.pointer("/status/phase").and_then(Value::as_str) {
            Some("Succeeded") => HookState::Done,
            Some("Failed") => HookState::PodFailed,
            _ => HookState::Running,
        };
    }
    for c in live.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten() {
        let field = |f: &str| c.get(f).and_then(Value::as_str).unwrap_or("");
        match (field("type"), field("status")) {
            ("Complete", "True") => return HookState::Done,
            ("Failed", "True") => return HookState::JobFailed(field("reason").to_string()),
            _ => {}
        }
    }
    HookState::Running
}
