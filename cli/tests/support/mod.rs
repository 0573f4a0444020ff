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
pub fn patch_status_later(
    env: &Env,
    ns: &str,
    what: &str,
    status: &str,
    delay: Duration,
) -> std::thread::JoinHandle<bool> {
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

/// Plays the Deployment controller for `deployment/NAME`: once it exists,
/// creates its new ReplicaSet `NAME-5d4f8c7b9` (its template plus the hash
/// label, owned by it) and, with `ready`, writes both statuses: observed,
/// with that many pods ready of the ReplicaSet's replicas. Without, neither
/// is observed yet and the test writes the statuses when it likes.
pub fn play_deployment_controller(
    env: &Env,
    ns: &str,
    name: &str,
    ready: Option<u32>,
) -> std::thread::JoinHandle<Result<(), String>> {
    let kubeconfig = env.kubeconfig.clone();
    let (ns, name) = (ns.to_string(), name.to_string());
    std::thread::spawn(move || {
        let kubectl = |args: &[&str], stdin: Option<&str>| -> Result<String, String> {
            use std::io::Write;
            let mut c = std::process::Command::new(common::kubectl_path());
            c.args(["-n", &ns]).args(args).env("KUBECONFIG", &kubeconfig);
            c.stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = c.spawn().map_err(|e| e.to_string())?;
            child.stdin.take().unwrap().write_all(stdin.unwrap_or("").as_bytes()).map_err(|e| e.to_string())?;
            let o = child.wait_with_output().map_err(|e| e.to_string())?;
            if o.status.success() {
                Ok(common::text(&o.stdout))
            } else {
                Err(format!("kubectl {}: {}", args.join(" "), common::text(&o.stderr)))
            }
        };
        let end = std::time::Instant::now() + Duration::from_secs(30);
        let dep = loop {
            match kubectl(&["get", "deployment", &name, "-o", "json"], None) {
                Ok(j) => break serde_json::from_str::<serde_json::Value>(&j).map_err(|e| e.to_string())?,
                Err(e) if std::time::Instant::now() > end => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        let mut template = dep["spec"]["template"].clone();
        template["metadata"]["labels"]["pod-template-hash"] = "5d4f8c7b9".into();
        let mut selector = dep["spec"]["selector"].clone();
        selector["matchLabels"]["pod-template-hash"] = "5d4f8c7b9".into();
        let rs = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": format!("{name}-5d4f8c7b9"), "labels": template["metadata"]["labels"].clone(),
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                    "uid": dep["metadata"]["uid"].clone(), "controller": true, "blockOwnerDeletion": true}]},
            "spec": {"replicas": dep["spec"]["replicas"].clone(), "selector": selector, "template": template},
        });
        kubectl(&["create", "-f", "-"], Some(&rs.to_string()))?;
        let Some(ready) = ready else {
            return Ok(());
        };
        let replicas = dep["spec"]["replicas"].as_u64().unwrap_or(1);
        let rs_status =
            format!(r#"{{"status":{{"observedGeneration":1,"replicas":{replicas},"readyReplicas":{ready}}}}}"#);
        kubectl(
            &["patch", "rs", &format!("{name}-5d4f8c7b9"), "--subresource=status", "--type=merge", "-p", &rs_status],
            None,
        )?;
        let dep_status = format!(
            r#"{{"status":{{"observedGeneration":1,"replicas":{replicas},"updatedReplicas":{replicas},"readyReplicas":{ready}}}}}"#
        );
        kubectl(&["patch", "deployment", &name, "--subresource=status", "--type=merge", "-p", &dep_status], None)?;
        Ok(())
    })
}

/// One status write of [`run_reacting`]: when a line of the tool's stderr
/// contains `after`, `status` (a JSON object) goes to `what` (`kind/name`)
/// through the status subresource.
pub struct Reaction<'a> {
    pub after: &'a str,
    pub what: &'a str,
    pub status: &'a str,
}

/// Runs `tool` with `args` and plays the controllers in step with what it
/// logs: each reaction, in order, waits for its line, so a status changes
/// between two of the waiter's checks whatever their timing. Panics if a
/// reaction's line never came or its write failed.
pub fn run_reacting(env: &Env, tool: Tool, args: &[&str], ns: &str, reactions: &[Reaction]) -> Run {
    use std::io::{BufRead, Read};
    use std::process::Stdio;
    let mut child = env.command(tool, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let mut stderr = Vec::new();
    let mut next = reactions.iter().peekable();
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).split(b'\n') {
        let line = line.expect("stderr");
        while let Some(r) = next.next_if(|r| common::text(&line).contains(r.after)) {
            let body = format!(r#"{{"status":{}}}"#, r.status);
            let args = ["-n", ns, "patch", r.what, "--subresource=status", "--type=merge", "-p", &body];
            env.kubectl_ok(&args);
        }
        stderr.extend(line);
        stderr.push(b'\n');
    }
    let status = child.wait().expect("wait");
    let stdout = reader.join().unwrap().expect("stdout");
    let left: Vec<&str> = next.map(|r| r.after).collect();
    assert!(left.is_empty(), "{tool:?} never logged {left:?}:\n{}", common::text(&stderr));
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        tool,
        out: std::process::Output { status, stdout, stderr },
    }
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
