//! Faults on the test cluster: concurrent upgrades of one release, rhelm
//! killed (-9) after claiming a revision and in the middle of applying, and
//! the API server restarted during an install. What must hold each time:
//! history has every revision from 1 up with none twice, at most one is
//! deployed, nothing earlier is lost, and the user can recover with rhelm
//! commands alone.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{repo_root, text, unique, write_chart, Env, Tool};

const PENDING: &str = "another operation (install/upgrade/rollback) is in progress";

/// Writes a chart `name` with the given templates into a fresh directory.
fn chart(name: &str, values: &str, templates: &[(&str, &str)]) -> PathBuf {
    write_chart(&std::env::temp_dir().join(unique("rhelm-faults")), name, values, templates)
}

const ONE_CM: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  val: {{ .Values.num | quote }}
"#;

const MANY_CMS: &str = r#"{{- range $i := until (int .Values.count) }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
data:
  val: {{ $.Values.num | quote }}
{{- end }}
"#;

/// Applied as a batch before the ConfigMaps (Helm's install order), so a
/// kill once the first of these changed lands mid-apply.
const MANY_SAS: &str = r#"{{- range $i := until (int .Values.count) }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
  annotations:
    val: {{ $.Values.num | quote }}
{{- end }}
"#;

/// A pre-upgrade Job no kubelet ever runs: the upgrade waits on it until
/// its --timeout, holding its claimed revision in pending-upgrade.
const BLOCKING_HOOK: &str = r#"{{- if .Values.block }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-pre
  annotations:
    "helm.sh/hook": pre-upgrade
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["true"]
{{- end }}
"#;

fn rhelm(env: &Env, args: &[&str]) -> common::Run {
    env.run(Tool::Rhelm, args)
}

fn spawn_rhelm(env: &Env, args: &[&str]) -> Child {
    env.command(Tool::Rhelm, args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn rhelm")
}

/// Revision -> (status label, decoded record) of every stored revision.
fn history(env: &Env, ns: &str, name: &str) -> Vec<(u32, String, serde_json::Value)> {
    let out = env.kubectl_ok(&["-n", ns, "get", "secrets", "-l", &format!("owner=helm,name={name}"), "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut revs: Vec<(u32, String)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let l = &i["metadata"]["labels"];
            (l["version"].as_str().unwrap().parse().unwrap(), l["status"].as_str().unwrap().to_string())
        })
        .collect();
    revs.sort();
    revs.into_iter()
        .map(|(rev, status)| {
            let rec = env.release_record(ns, name, rev);
            assert_eq!(
                rec["info"]["status"].as_str(),
                Some(status.as_str()),
                "revision {rev}: label and record disagree"
            );
            (rev, status, rec)
        })
        .collect()
}

/// Revisions 1..=N each once, exactly one deployed (the newest deployed
/// one); returns the deployed record.
fn consistent(env: &Env, ns: &str, name: &str) -> (Vec<(u32, String, serde_json::Value)>, serde_json::Value) {
    let h = history(env, ns, name);
    let revs: Vec<u32> = h.iter().map(|(r, _, _)| *r).collect();
    let want: Vec<u32> = (1..=h.len() as u32).collect();
    assert_eq!(revs, want, "revisions must be 1..=N with none missing or doubled");
    let deployed: Vec<&(u32, String, serde_json::Value)> = h.iter().filter(|(_, s, _)| s == "deployed").collect();
    let statuses: Vec<(u32, &str)> = h.iter().map(|(r, s, _)| (*r, s.as_str())).collect();
    assert_eq!(deployed.len(), 1, "exactly one deployed revision: {statuses:?}");
    let d = deployed[0].2.clone();
    (h, d)
}

fn live_n(env: &Env, ns: &str, cm: &str) -> String {
    env.kubectl_ok(&["-n", ns, "get", "configmap", cm, "-o", "jsonpath={.data.val}"])
}

/// Every ConfigMap `NAME-i` of the many-object chart: name -> data.n.
fn live_many(env: &Env, ns: &str) -> std::collections::BTreeMap<String, String> {
    let out = env.kubectl_ok(&["-n", ns, "get", "configmaps", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["metadata"]["name"] != "kube-root-ca.crt")
        .map(|i| {
            (i["metadata"]["name"].as_str().unwrap().to_string(), i["data"]["val"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// Every ServiceAccount `NAME-i`: name -> its `val` annotation.
fn live_sas(env: &Env, ns: &str) -> std::collections::BTreeMap<String, String> {
    let out = env.kubectl_ok(&["-n", ns, "get", "serviceaccounts", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["metadata"]["name"] != "default")
        .map(|i| {
            let name = i["metadata"]["name"].as_str().unwrap().to_string();
            (name, i["metadata"]["annotations"]["val"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

fn no_panic(r: &common::Run) {
    assert!(!r.stderr().contains("panicked"), "rhelm panicked: {}", r.stderr());
}

fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn status_of(env: &Env, ns: &str, name: &str, rev: u32) -> Option<String> {
    let o = env.kubectl(&[
        "-n",
        ns,
        "get",
        "secret",
        &format!("sh.helm.release.v1.{name}.v{rev}"),
        "-o",
        "jsonpath={.metadata.labels.status}",
    ]);
    o.status.success().then(|| text(&o.stdout))
}

fn kill9(child: &mut Child) {
    child.kill().expect("kill -9");
    let st = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(st.signal(), Some(9), "rhelm ended before it was killed: {st:?}");
}

/// Ten `rhelm upgrade` processes of one release, the i-th started after
/// `stagger * i`; each either wins or fails naming the conflict. Returns
/// how many won.
fn upgrade_round(env: &Env, ns: &str, c: &str, round: u32, stagger: Duration) -> usize {
    let runs: Vec<common::Run> = std::thread::scope(|s| {
        let hs: Vec<_> = (1..=10u32)
            .map(|i| {
                s.spawn(move || {
                    std::thread::sleep(stagger * i);
                    let v = format!("num=r{round}u{i}");
                    rhelm(env, &["upgrade", "cc", c, "-n", ns, "--history-max", "0", "--set-string", &v])
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut won = 0;
    for r in &runs {
        no_panic(r);
        match r.code() {
            0 => won += 1,
            1 => assert!(
                r.stderr().starts_with("Error: UPGRADE FAILED: ") && r.stderr().contains(PENDING),
                "a losing upgrade must name the conflict: {}",
                r.stderr()
            ),
            c => panic!("exit {c}: {}", r.stderr()),
        }
    }
    won
}

#[test]
fn ten_concurrent_upgrades_keep_history_consistent() {
    let env = Env::new();
    let ns = env.namespace("fc");
    let dir = chart("cc", "num: \"0\"\n", &[("cm.yaml", ONE_CM)]);
    let c = dir.display().to_string();
    rhelm(&env, &["install", "cc", &c, "-n", &ns, "--create-namespace"]).ok();
    let mut total = 1;
    // All at once, then spread out so that several win one after another.
    for (round, stagger) in [(1, Duration::ZERO), (2, Duration::from_millis(800))] {
        let won = upgrade_round(&env, &ns, &c, round, stagger);
        assert!(won >= 1, "no upgrade succeeded");
        total += won;
        let (h, deployed) = consistent(&env, &ns, "cc");
        eprintln!(
            "round {round}: 10 upgrades {}ms apart, {won} succeeded; history {:?}",
            stagger.as_millis(),
            h.iter().map(|(r, s, _)| (*r, s.clone())).collect::<Vec<_>>()
        );
        assert_eq!(h.len(), total, "one revision per successful upgrade, none for a loser");
        assert_eq!(deployed["version"].as_u64(), Some(h.len() as u64), "the newest revision is the deployed one");
        for (_, s, _) in &h[..h.len() - 1] {
            assert_eq!(s, "superseded");
        }
        let want = deployed["config"]["num"].as_str().unwrap().to_string();
        assert!(deployed["manifest"].as_str().unwrap().contains(&format!("val: \"{want}\"")));
        assert_eq!(live_n(&env, &ns, "cc-cm"), want, "the live object is the deployed revision's");
    }
}

#[test]
fn killed_after_claiming_then_rollback_recovers() {
    let env = Env::new();
    let ns = env.namespace("fk");
    let dir = chart("kh", "num: \"0\"\nblock: false\n", &[("cm.yaml", ONE_CM), ("hook.yaml", BLOCKING_HOOK)]);
    let c = dir.display().to_string();
    rhelm(&env, &["install", "kh", &c, "-n", &ns, "--create-namespace"]).ok();
    let mut child = spawn_rhelm(
        &env,
        &["upgrade", "kh", &c, "-n", &ns, "--set", "block=true", "--set-string", "num=v2", "--timeout", "10m"],
    );
    // The hook Job exists only once revision 2 is claimed and its hooks run.
    wait_for("the pre-upgrade hook of revision 2", Duration::from_secs(60), || {
        env.kubectl(&["-n", &ns, "get", "job", "kh-pre"]).status.success()
    });
    assert_eq!(status_of(&env, &ns, "kh", 2).as_deref(), Some("pending-upgrade"));
    kill9(&mut child);
    assert_eq!(status_of(&env, &ns, "kh", 1).as_deref(), Some("deployed"));

    let r = rhelm(&env, &["upgrade", "kh", &c, "-n", &ns, "--set-string", "num=v3"]);
    no_panic(&r);
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains(PENDING), "{}", r.stderr());
    assert!(r.stderr().contains(&format!("rhelm rollback kh -n {ns}")), "the error names the recovery: {}", r.stderr());
    assert_eq!(history(&env, &ns, "kh").len(), 2, "a refused upgrade claims nothing");

    let r = rhelm(&env, &["rollback", "kh", "-n", &ns]).ok();
    assert!(r.stdout().contains("Rollback was a success!"));
    let (h, d) = consistent(&env, &ns, "kh");
    let st: Vec<(u32, &str)> = h.iter().map(|(r, s, _)| (*r, s.as_str())).collect();
    assert_eq!(st, vec![(1, "superseded"), (2, "pending-upgrade"), (3, "deployed")]);
    assert_eq!(d["info"]["description"], "Rollback to 1");
    assert_eq!(live_n(&env, &ns, "kh-cm"), "0");

    rhelm(&env, &["upgrade", "kh", &c, "-n", &ns, "--set-string", "num=v4"]).ok();
    let (h, d) = consistent(&env, &ns, "kh");
    assert_eq!(h.len(), 4);
    assert_eq!(d["version"], 4);
    assert_eq!(live_n(&env, &ns, "kh-cm"), "v4");
    // Revision 1's content survived everything.
    assert!(h[0].2["manifest"].as_str().unwrap().contains("val: \"0\""));
}

#[test]
fn killed_during_apply_then_rollback_recovers() {
    let env = Env::new();
    let ns = env.namespace("fa");
    let count = 300;
    let dir = chart("ka", &format!("num: a\ncount: {count}\n"), &[("sas.yaml", MANY_SAS), ("cms.yaml", MANY_CMS)]);
    let c = dir.display().to_string();
    rhelm(&env, &["install", "ka", &c, "-n", &ns, "--create-namespace"]).ok();
    // Kill as soon as the claimed revision shows; if the upgrade was faster
    // than the poll, try again from the next revision.
    let mut killed_at = None;
    for attempt in 0..5u32 {
        let rev = 2 + attempt;
        let v = format!("num=b{attempt}");
        let mut child = spawn_rhelm(&env, &["upgrade", "ka", &c, "-n", &ns, "--set-string", &v]);
        let mut seen = None;
        let end = Instant::now() + Duration::from_secs(60);
        while seen.is_none() && Instant::now() < end {
            seen = status_of(&env, &ns, "ka", rev);
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        // Then until the first object of the new revision is live: the
        // apply is under way.
        let want = format!("b{attempt}");
        while child.try_wait().unwrap().is_none() && Instant::now() < end {
            let o = env.kubectl(&[
                "-n",
                &ns,
                "get",
                "serviceaccount",
                "ka-0",
                "-o",
                "jsonpath={.metadata.annotations.val}",
            ]);
            if text(&o.stdout) == want {
                break;
            }
        }
        if child.try_wait().unwrap().is_some() {
            continue;
        }
        kill9(&mut child);
        if status_of(&env, &ns, "ka", rev).as_deref() == Some("pending-upgrade") {
            killed_at = Some((rev, format!("b{attempt}")));
            break;
        }
    }
    let (rev, new_n) = killed_at.expect("could not kill rhelm before its upgrade finished");
    let live = live_many(&env, &ns);
    let sas = live_sas(&env, &ns);
    let cms_new = live.values().filter(|n| **n == new_n).count();
    let sas_new = sas.values().filter(|n| **n == new_n).count();
    eprintln!(
        "killed during revision {rev}: {} of {} objects had been applied ({sas_new} ServiceAccounts, {cms_new} ConfigMaps)",
        sas_new + cms_new,
        2 * count
    );
    assert_eq!(live.len(), count);
    assert_eq!(sas.len(), count);

    let r = rhelm(&env, &["upgrade", "ka", &c, "-n", &ns, "--set-string", "num=c"]);
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains("rhelm rollback ka"), "{}", r.stderr());

    rhelm(&env, &["rollback", "ka", "-n", &ns]).ok();
    let (h, d) = consistent(&env, &ns, "ka");
    assert_eq!(h.len() as u32, rev + 1);
    assert_eq!(h[rev as usize - 1].1, "pending-upgrade", "the interrupted revision stays in history");
    let want = d["config"]["num"].as_str().unwrap_or("a").to_string();
    let live = live_many(&env, &ns);
    assert_eq!(live.len(), count);
    let wrong: Vec<_> = live.iter().filter(|(_, n)| **n != want).collect();
    assert!(wrong.is_empty(), "after rollback every object is the deployed revision's ({want}): {wrong:?}");
    let sas = live_sas(&env, &ns);
    assert_eq!(sas.len(), count);
    assert!(sas.values().all(|n| *n == want), "after rollback every ServiceAccount is the deployed revision's");

    rhelm(&env, &["upgrade", "ka", &c, "-n", &ns, "--set-string", "num=d"]).ok();
    consistent(&env, &ns, "ka");
    assert!(live_many(&env, &ns).values().all(|n| n == "d"));
    assert!(live_sas(&env, &ns).values().all(|n| n == "d"));
}

/// A first revision left pending-install by a killed install: upgrade
/// refuses and names `rhelm uninstall`, which clears it; installing again
/// works.
#[test]
fn killed_install_then_uninstall_recovers() {
    let env = Env::new();
    let ns = env.namespace("fi");
    let hook = BLOCKING_HOOK.replace("pre-upgrade", "pre-install");
    let dir = chart("ki", "num: \"0\"\nblock: true\n", &[("cm.yaml", ONE_CM), ("hook.yaml", &hook)]);
    let c = dir.display().to_string();
    let mut child = spawn_rhelm(&env, &["install", "ki", &c, "-n", &ns, "--create-namespace", "--timeout", "10m"]);
    wait_for("the pre-install hook", Duration::from_secs(60), || {
        env.kubectl(&["-n", &ns, "get", "job", "ki-pre"]).status.success()
    });
    assert_eq!(status_of(&env, &ns, "ki", 1).as_deref(), Some("pending-install"));
    kill9(&mut child);

    let r = rhelm(&env, &["upgrade", "ki", &c, "-n", &ns, "--set", "block=false"]);
    no_panic(&r);
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains(PENDING), "{}", r.stderr());
    assert!(r.stderr().contains(&format!("rhelm uninstall ki -n {ns}")), "{}", r.stderr());
    let r = rhelm(&env, &["install", "ki", &c, "-n", &ns, "--set", "block=false"]);
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains("cannot reuse a name that is still in use"), "{}", r.stderr());
    assert!(r.stderr().contains(&format!("recover with `rhelm uninstall ki -n {ns}`")), "{}", r.stderr());

    rhelm(&env, &["uninstall", "ki", "-n", &ns, "--timeout", "30s"]).ok();
    assert!(history(&env, &ns, "ki").is_empty());
    rhelm(&env, &["install", "ki", &c, "-n", &ns, "--set", "block=false"]).ok();
    let (h, _) = consistent(&env, &ns, "ki");
    assert_eq!(h.len(), 1);
    assert_eq!(live_n(&env, &ns, "ki-cm"), "0");
}

/// A cluster of the test's own, stopped when the test ends.
struct OwnCluster {
    dir: PathBuf,
}

impl OwnCluster {
    fn up() -> OwnCluster {
        let dir = std::env::temp_dir().join(unique("rhelm-own-cluster"));
        let o = Command::new(script()).args(["up", &dir.display().to_string()]).output().unwrap();
        assert!(o.status.success(), "test-cluster up: {}", text(&o.stderr));
        OwnCluster { dir }
    }

    fn kubeconfig(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    fn restart_apiserver(&self) -> std::process::Output {
        Command::new(script()).args(["restart-apiserver", &self.dir.display().to_string()]).output().unwrap()
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = Command::new(script()).args(["down", &self.dir.display().to_string()]).output();
    }
}

fn script() -> PathBuf {
    repo_root().join("scripts/test-cluster")
}

/// An install with the API server restarted after its revision is
/// claimed. Returns the exit code, stderr, and whether rhelm was still at
/// work when the server came back (so it went through the outage).
fn restart_during_install(
    env: &Env,
    cluster: &OwnCluster,
    count: usize,
    delay_after_claim: Duration,
) -> (i32, String, bool) {
    let ns = env.namespace("fr");
    let dir = chart("ri", &format!("num: a\ncount: {count}\n"), &[("cms.yaml", MANY_CMS)]);
    let c = dir.display().to_string();
    let child = spawn_rhelm(env, &["install", "ri", &c, "-n", &ns, "--create-namespace", "--timeout", "2m"]);
    let pid = child.id();
    let waiter = std::thread::spawn(move || {
        let out = child.wait_with_output().unwrap();
        (Instant::now(), out)
    });
    wait_for("revision 1 of the install", Duration::from_secs(60), || {
        status_of(env, &ns, "ri", 1).is_some() || waiter.is_finished()
    });
    std::thread::sleep(delay_after_claim);
    let running_at_restart = !waiter.is_finished();
    let restart = cluster.restart_apiserver();
    let back = Instant::now();
    assert!(restart.status.success(), "restart-apiserver: {}", text(&restart.stderr));
    let (ended, out) = waiter.join().unwrap();
    let through = running_at_restart && ended > back;
    eprintln!("install (pid {pid}): running when the restart began: {running_at_restart}; ended after the server was back: {}", ended > back);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "rhelm panicked: {stderr}");
    let code = out.status.code().unwrap_or(-1);
    let h = history(env, &ns, "ri");
    let statuses: Vec<(u32, String)> = h.iter().map(|(r, s, _)| (*r, s.clone())).collect();
    match code {
        0 => {
            assert_eq!(statuses, vec![(1, "deployed".to_string())]);
            assert_eq!(live_many(env, &ns).len(), count, "a completed install has every object");
        }
        1 => {
            assert!(stderr.starts_with("Error: INSTALLATION FAILED: "), "{stderr}");
            // Never half-recorded: the record says failed (the objects that
            // were applied are the release's and uninstall removes them), or
            // there is none and nothing was applied.
            match statuses.as_slice() {
                [] => assert!(live_many(env, &ns).is_empty()),
                [(1, s)] => assert_eq!(s, "failed", "{stderr}"),
                other => panic!("unexpected history {other:?}"),
            }
        }
        c => panic!("exit {c}: {stderr}"),
    }
    (code, stderr, through)
}

#[test]
fn api_server_restart_during_install() {
    // A cluster of its own: restarting the shared one would fail the other
    // tests running at the same time.
    let cluster = OwnCluster::up();
    let env = Env::with_kubeconfig(cluster.kubeconfig());
    // An install that finishes before the server goes down shows nothing
    // about retries; when neither of the first two straddles the restart,
    // a larger install is tried, which takes longer than the restart does.
    let mut outcomes = Vec::new();
    for (count, delay) in [(800, 0), (800, 300), (2400, 0)] {
        outcomes.push(restart_during_install(&env, &cluster, count, Duration::from_millis(delay)));
        if outcomes.iter().any(|(c, _, through)| *c == 0 && *through) {
            break;
        }
    }
    eprintln!("install outcomes across an API server restart: {outcomes:?}");
    assert!(
        outcomes.iter().any(|(c, _, through)| *c == 0 && *through),
        "retries should carry an install through a restart: {outcomes:?}"
    );
}
