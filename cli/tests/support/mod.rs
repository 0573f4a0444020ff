//! What the feature tests (release_ownership, release_crds, ...) share on
//! top of `common`: collecting differences instead of stopping at the
//! first, and comparing what a step leaves behind (release records, their
//! storage labels, live objects) with times and server-set fields masked.

#![allow(dead_code)]

use std::time::Duration;

use crate::common::{self, normalize, Env, Run, Tool};

/// The differences a test has found so far; the test fails at the end with
/// all of them.
#[derive(Default)]
pub struct Diffs(pub Vec<String>);

impl Diffs {
    /// One step with helm in `hns` and rhelm in `rns` (`{ns}` in `args` is
    /// replaced by each namespace).
    pub fn step(&mut self, env: &Env, hns: &str, rns: &str, args: &[&str]) -> (Run, Run) {
        self.step_env(env, hns, rns, args, &[])
    }

    /// [`Diffs::step`] with environment variables for both tools.
    pub fn step_env(&mut self, env: &Env, hns: &str, rns: &str, args: &[&str], vars: &[(&str, &str)]) -> (Run, Run) {
        let (h, r, d) = compare_env(env, hns, rns, args, vars, &|s| s.to_string());
        if let Some(d) = d {
            self.0.push(d);
        }
        (h, r)
    }

    pub fn equal(&mut self, what: &str, helm: &str, rhelm: &str) {
        if helm != rhelm {
            self.0.push(format!("{what} differs:\n--- helm\n{helm}\n--- rhelm\n{rhelm}"));
        }
    }

    /// The stored records of revisions `revs` of `name` (Secrets driver).
    pub fn records(&mut self, env: &Env, hns: &str, rns: &str, name: &str, revs: &[u32]) {
        for &rev in revs {
            let (h, r) = (record(env, hns, name, rev), record(env, rns, name, rev));
            self.equal(&format!("release record {name} v{rev}"), &h, &r);
        }
    }

    /// The record Secrets' names and labels (times masked).
    pub fn record_labels(&mut self, env: &Env, hns: &str, rns: &str, name: &str) {
        let (h, r) = (storage_labels(env, hns, name, "secret"), storage_labels(env, rns, name, "secret"));
        self.equal(&format!("record Secrets of {name}"), &h, &r);
    }

    /// A live object (`kind/name`), server-set fields masked.
    pub fn live(&mut self, env: &Env, hns: &str, rns: &str, what: &str) {
        let (h, r) = (live(env, hns, what), live(env, rns, what));
        self.equal(&format!("live {what}"), &h, &r);
    }

    pub fn assert_none(self) {
        assert!(self.0.is_empty(), "{} differences:\n{}", self.0.len(), self.0.join("\n\n"));
    }
}

/// `common::compare` with environment variables and an extra mask applied
/// to both outputs after normalising.
pub fn compare_env(
    env: &Env,
    hns: &str,
    rns: &str,
    args: &[&str],
    vars: &[(&str, &str)],
    mask: &dyn Fn(&str) -> String,
) -> (Run, Run, Option<String>) {
    let run = |tool: Tool, ns: &str| -> Run {
        let a: Vec<String> = args.iter().map(|a| a.replace("{ns}", ns)).collect();
        let mut c = env.command(tool, &a.iter().map(String::as_str).collect::<Vec<_>>());
        for (k, v) in vars {
            c.env(k, v);
        }
        Run { args: a, tool, out: c.output().expect("run") }
    };
    let h = run(Tool::Helm, hns);
    let r = run(Tool::Rhelm, rns);
    let nss = [hns, rns];
    let norm = |s: String| mask(&normalize(&s, &nss).replace("NS1", "NS0"));
    let (hs, rs, he, re) = (norm(h.stdout()), norm(r.stdout()), norm(h.stderr()), norm(r.stderr()));
    let diff = if (h.code(), &hs, &he) == (r.code(), &rs, &re) {
        None
    } else {
        Some(format!(
            "`{}`: rhelm differs from helm\n--- helm (exit {}):\n{hs}{he}\n--- rhelm (exit {}):\n{rs}{re}",
            args.join(" "),
            h.code(),
            r.code()
        ))
    };
    (h, r, diff)
}

/// Server-set values that differ between any two objects: uids, resource
/// versions, generated names' suffixes are not used by these charts.
pub fn mask_server_fields(s: &str) -> String {
    let uid = regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let rv = regex::Regex::new(r#"("?resourceVersion"?: ?)"\d+""#).unwrap();
    let s = uid.replace_all(s, "UID");
    rv.replace_all(&s, r#"$1"RV""#).into_owned()
}

/// A decoded release record (Secrets driver), pretty, times masked.
pub fn record(env: &Env, ns: &str, name: &str, rev: u32) -> String {
    let o = env.kubectl(&["-n", ns, "get", "secret", &format!("sh.helm.release.v1.{name}.v{rev}")]);
    if !o.status.success() {
        return format!("(no record: {})", common::text(&o.stderr).replace(ns, "NS"));
    }
    normalize(&serde_json::to_string_pretty(&env.release_record(ns, name, rev)).unwrap(), &[ns])
}

/// A decoded release record of the ConfigMaps driver.
pub fn configmap_record(env: &Env, ns: &str, name: &str, rev: u32) -> String {
    let cm = format!("sh.helm.release.v1.{name}.v{rev}");
    let o = env.kubectl(&["-n", ns, "get", "configmap", &cm, "-o", "jsonpath={.data.release}"]);
    if !o.status.success() {
        return format!("(no record: {})", common::text(&o.stderr).replace(ns, "NS"));
    }
    let gz = common::decode_b64(common::text(&o.stdout).trim());
    let mut json = Vec::new();
    use std::io::Read;
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    normalize(&serde_json::to_string_pretty(&v).unwrap(), &[ns])
}

/// The release's storage objects (`secret` or `configmap`): names, types
/// and labels, with the time labels' values masked.
pub fn storage_labels(env: &Env, ns: &str, name: &str, kind: &str) -> String {
    let out = env.kubectl_ok(&["-n", ns, "get", kind, "-l", &format!("name={name},owner=helm"), "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut lines = Vec::new();
    for item in v["items"].as_array().cloned().unwrap_or_default() {
        let mut labels: Vec<String> = item["metadata"]["labels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| match k.as_str() {
                        "createdAt" | "modifiedAt" => format!("{k}=T"),
                        _ => format!("{k}={}", v.as_str().unwrap_or("")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        labels.sort();
        lines.push(format!(
            "{} type={} data={:?} labels={}",
            item["metadata"]["name"].as_str().unwrap_or(""),
            item["type"].as_str().unwrap_or("-"),
            item["data"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
            labels.join(",")
        ));
    }
    lines.sort();
    lines.join("\n")
}

/// A live object as JSON with what the server sets per object masked, or
/// `absent`.
pub fn live(env: &Env, ns: &str, what: &str) -> String {
    let o = env.kubectl(&["-n", ns, "get", what, "-o", "json"]);
    if !o.status.success() {
        let e = common::text(&o.stderr);
        return if e.contains("NotFound") { "absent".into() } else { format!("error: {e}") };
    }
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    if let Some(m) = v["metadata"].as_object_mut() {
        m.remove("creationTimestamp");
        m.remove("selfLink");
        if let Some(mf) = m.get_mut("managedFields").and_then(|f| f.as_array_mut()) {
            for f in mf {
                f.as_object_mut().map(|f| f.remove("time"));
            }
        }
    }
    mask_server_fields(&normalize(&serde_json::to_string_pretty(&v).unwrap(), &[ns]))
}

/// Whether `kind/name` exists in `ns`.
pub fn exists(env: &Env, ns: &str, what: &str) -> bool {
    env.kubectl(&["-n", ns, "get", what]).status.success()
}

/// Plays a controller: after `delay`, keeps trying to write `status` (a
/// JSON object) to `kind/name` through the status subresource until it
/// works or 30 s have passed.
pub fn patch_status_later(env: &Env, ns: &str, what: &str, status: &str, delay: Duration) -> std::thread::JoinHandle<bool> {
    let kubeconfig = env.kubeconfig.clone();
    let (ns, what, body) = (ns.to_string(), what.to_string(), format!(r#"{{"status":{status}}}"#));
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let end = std::time::Instant::now() + Duration::from_secs(30);
        while std::time::Instant::now() < end {
            let ok = std::process::Command::new(common::kubectl_path())
                .args(["-n", &ns, "patch", &what, "--subresource=status", "--type=merge", "-p", &body])
                .env("KUBECONFIG", &kubeconfig)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if ok {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    })
}

/// The status of a ready one-replica Deployment of generation `generation`
/// (what kstatus requires of a Deployment).
pub fn ready_deployment_status(generation: u32) -> String {
    format!(
        r#"{{"observedGeneration":{generation},"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,"conditions":[{{"type":"Available","status":"True","reason":"MinimumReplicasAvailable","message":"ok"}},{{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable","message":"ok"}}]}}"#
    )
}

/// A failed Job's status.
pub const FAILED_JOB_STATUS: &str = r#"{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}"#;

/// A completed Job's status.
pub const COMPLETE_JOB_STATUS: &str = r#"{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}"#;
