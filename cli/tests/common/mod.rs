//! What the cluster tests share: the test cluster, the real helm, and
//! running both binaries the same way so their outputs can be compared.
//!
//! The cluster is the one `scripts/test-cluster up` starts; its kubeconfig
//! comes from `RHELM_TEST_KUBECONFIG`. Helm is the 4.3.1 oracle from `HELM`
//! (scripts/test sets both). A test never passes without them: it fails and
//! says how to start them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn repo_root() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    dir.canonicalize().unwrap_or(dir)
}

pub fn release_chart(name: &str) -> String {
    repo_root().join("testdata/release-charts").join(name).display().to_string()
}

/// Writes a chart `name` (apiVersion v2, version 0.1.0) with `values.yaml`
/// and the given templates into `parent/name`; its path.
pub fn write_chart(parent: &Path, name: &str, values: &str, templates: &[(&str, &str)]) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("Chart.yaml"), format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n")).unwrap();
    std::fs::write(dir.join("values.yaml"), values).unwrap();
    for (file, body) in templates {
        std::fs::write(dir.join("templates").join(file), body).unwrap();
    }
    dir
}

/// The test cluster's kubeconfig, checked to answer `/readyz`.
pub fn kubeconfig() -> PathBuf {
    let hint = "no test cluster: start one with `scripts/test-cluster up` and set \
                RHELM_TEST_KUBECONFIG to the kubeconfig path it prints (scripts/test does both)";
    let path = std::env::var_os("RHELM_TEST_KUBECONFIG").map(PathBuf::from).unwrap_or_else(|| panic!("{hint}"));
    assert!(path.is_file(), "{hint} ({} does not exist)", path.display());
    let ready = kubectl_at(&path, &["get", "--raw", "/readyz"]);
    assert!(ready.status.success(), "{hint}: the cluster at {} is not ready: {}", path.display(), text(&ready.stderr));
    path
}

/// The real helm 4.3.1.
pub fn helm_path() -> PathBuf {
    let hint = "no helm oracle: set HELM to helm 4.3.1 (scripts/get-helm-oracle fetches it)";
    let p = std::env::var_os("HELM").map(PathBuf::from).unwrap_or_else(|| panic!("{hint}"));
    assert!(p.is_file(), "{hint} ({} does not exist)", p.display());
    p
}

pub fn kubectl_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KUBECTL") {
        return PathBuf::from(p);
    }
    PathBuf::from("kubectl")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn kubectl_at(kubeconfig: &Path, args: &[&str]) -> Output {
    Command::new(kubectl_path())
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run kubectl ({}): {e}; set KUBECTL", kubectl_path().display()))
}

/// Which binary a step runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Helm,
    Rhelm,
}

/// One test's view of the cluster: a kubeconfig and a private Helm home, so
/// repositories and caches of the developer are never touched.
pub struct Env {
    pub kubeconfig: PathBuf,
    pub home: PathBuf,
    pub helm: PathBuf,
    namespaces: std::sync::Mutex<Vec<String>>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name unique to this process and call: `<prefix>-<pid><n><time>`, at
/// most 30 characters, valid as a namespace.
pub fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() % 100_000).unwrap_or(0);
    format!("{prefix}-{}{n}{t}", std::process::id() % 10_000)
}

impl Env {
    pub fn new() -> Env {
        let kubeconfig = kubeconfig();
        let helm = helm_path();
        let home = std::env::temp_dir().join(unique("rhelm-home"));
        std::fs::create_dir_all(&home).unwrap();
        Env { kubeconfig, home, helm, namespaces: Default::default() }
    }

    /// An Env on another cluster than the shared one (a test's own).
    pub fn with_kubeconfig(kubeconfig: PathBuf) -> Env {
        let home = std::env::temp_dir().join(unique("rhelm-home"));
        std::fs::create_dir_all(&home).unwrap();
        Env { kubeconfig, home, helm: helm_path(), namespaces: Default::default() }
    }

    /// A fresh namespace name, deleted (without waiting) when the test ends.
    pub fn namespace(&self, prefix: &str) -> String {
        let ns = unique(prefix);
        self.namespaces.lock().unwrap().push(ns.clone());
        ns
    }

    pub fn command(&self, tool: Tool, args: &[&str]) -> Command {
        let bin = match tool {
            Tool::Helm => self.helm.clone(),
            Tool::Rhelm => PathBuf::from(env!("CARGO_BIN_EXE_rhelm")),
        };
        let mut c = Command::new(bin);
        c.args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("HELM_CONFIG_HOME", self.home.join("config"))
            .env("HELM_CACHE_HOME", self.home.join("cache"))
            .env("HELM_DATA_HOME", self.home.join("data"))
            .env("TZ", "UTC")
            .env_remove("HELM_NAMESPACE")
            .env_remove("HELM_DRIVER")
            .env_remove("HELM_KUBECONTEXT")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, tool: Tool, args: &[&str]) -> Run {
        let out = self.command(tool, args).output().expect("run");
        Run { args: args.iter().map(|s| s.to_string()).collect(), tool, out }
    }

    pub fn kubectl(&self, args: &[&str]) -> Output {
        kubectl_at(&self.kubeconfig, args)
    }

    /// Creates the CRD `name` from `yaml` (once per cluster: tests share it)
    /// and waits until it is established.
    pub fn create_crd(&self, name: &str, yaml: &str) {
        let path = self.home.join(format!("{name}.yaml"));
        std::fs::write(&path, yaml).unwrap();
        let out = self.kubectl(&["create", "-f", &path.display().to_string()]);
        assert!(out.status.success() || text(&out.stderr).contains("AlreadyExists"), "{}", text(&out.stderr));
        self.kubectl_ok(&["wait", "--for=condition=established", "--timeout=60s", &format!("crd/{name}")]);
    }

    /// `kubectl` that must succeed; its stdout.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let o = self.kubectl(args);
        assert!(o.status.success(), "kubectl {}: {}", args.join(" "), text(&o.stderr));
        text(&o.stdout)
    }

    /// The decoded release record `sh.helm.release.v1.NAME.vREV` (JSON).
    pub fn release_record(&self, ns: &str, name: &str, rev: u32) -> serde_json::Value {
        let secret = format!("sh.helm.release.v1.{name}.v{rev}");
        let b64 = self.kubectl_ok(&["-n", ns, "get", "secret", &secret, "-o", "jsonpath={.data.release}"]);
        let once = decode_b64(b64.trim());
        let twice = decode_b64(std::str::from_utf8(&once).unwrap().trim());
        let mut json = Vec::new();
        use std::io::Read;
        flate2::read::GzDecoder::new(&twice[..]).read_to_end(&mut json).unwrap();
        serde_json::from_slice(&json).unwrap()
    }

    /// The labels of a release Secret.
    pub fn record_labels(&self, ns: &str, name: &str, rev: u32) -> serde_json::Value {
        let secret = format!("sh.helm.release.v1.{name}.v{rev}");
        let j = self.kubectl_ok(&["-n", ns, "get", "secret", &secret, "-o", "json"]);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        v["metadata"]["labels"].clone()
    }

    /// Waits until `kubectl get` of the object fails with NotFound.
    pub fn wait_gone(&self, ns: &str, what: &str, timeout: Duration) -> bool {
        let end = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < end {
            let o = self.kubectl(&["-n", ns, "get", what]);
            if !o.status.success() && text(&o.stderr).contains("NotFound") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for ns in self.namespaces.lock().unwrap().iter() {
            let _ = kubectl_at(&self.kubeconfig, &["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
        }
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

pub fn decode_b64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// One finished command.
pub struct Run {
    pub args: Vec<String>,
    pub tool: Tool,
    pub out: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        text(&self.out.stdout)
    }
    pub fn stderr(&self) -> String {
        text(&self.out.stderr)
    }
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    /// Panics with both streams unless the command succeeded.
    pub fn ok(self) -> Run {
        assert!(
            self.out.status.success(),
            "{:?} {} failed ({}):\nstdout:\n{}\nstderr:\n{}",
            self.tool,
            self.args.join(" "),
            self.code(),
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Masks what differs between two runs of the same step by design: times
/// (ANSIC, RFC3339 and Go's default time format, unix seconds) and the
/// namespace names given.
pub fn normalize(s: &str, namespaces: &[&str]) -> String {
    // rhelm's `--wait` progress lines (stderr, not a terminal) are its own addition.
    let mut out: String = s.split_inclusive('\n').filter(|l| !l.starts_with("waiting: ")).collect();
    for (i, ns) in namespaces.iter().enumerate() {
        out = out.replace(ns, &format!("NS{i}"));
    }
    let patterns = [
        // Mon Nov 23 03:20:11 2026
        r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]\d \d\d:\d\d:\d\d \d{4}",
        // 2026-11-23 03:20:11.123456789 +0000 UTC
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} [A-Z]+",
        // 2026-11-23T03:20:11.123Z / +00:00
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
    ];
    for p in patterns {
        out = regex::Regex::new(p).unwrap().replace_all(&out, "TIME").into_owned();
    }
    // Table columns are as wide as their widest cell, and times vary in
    // width (Go trims trailing zeros of nanoseconds); the exact layout is
    // checked offline against helm by the release_readonly goldens.
    let ws = regex::Regex::new(r"[ \t]+").unwrap();
    out = out
        .split_inclusive('\n')
        .map(|l| if l.contains('\t') { ws.replace_all(l, " ").into_owned() } else { l.to_string() })
        .collect();
    resources_block_normalized(&out)
}

/// `helm status` prints its RESOURCES groups in Go map order (random), with
/// ages and cluster IPs that differ between runs and change the column
/// widths: the groups are sorted and those cells masked, spaces collapsed.
fn resources_block_normalized(s: &str) -> String {
    let Some(start) = s.find("RESOURCES:\n") else { return s.to_string() };
    let body_start = start + "RESOURCES:\n".len();
    let end = s[body_start..].find("\nTEST SUITE").map_or(s.len(), |e| body_start + e);
    let age = regex::Regex::new(r"(?m)\b\d+(s|m|h|d)(\d+(s|m|h))?$").unwrap();
    let ip = regex::Regex::new(r"\b10\.0\.0\.\d+\b").unwrap();
    let spaces = regex::Regex::new(r" {2,}").unwrap();
    let mut groups: Vec<String> = s[body_start..end]
        .split("==> ")
        .filter(|g| !g.trim().is_empty())
        .map(|g| {
            let g = age.replace_all(g, "AGE");
            let g = ip.replace_all(&g, "IP");
            spaces.replace_all(&g, " ").into_owned()
        })
        .collect();
    groups.sort();
    format!("{}{}{}", &s[..body_start], groups.join("==> "), &s[end..])
}

/// Runs the same step with helm in one namespace and rhelm in another and
/// requires the same exit code and, once normalised, the same output.
pub fn same(env: &Env, hns: &str, rns: &str, args: &[&str]) -> (Run, Run) {
    let (h, r, diff) = compare(env, hns, rns, args);
    if let Some(d) = diff {
        panic!("{d}");
    }
    (h, r)
}

/// [`same`], returning the difference instead of failing.
pub fn compare(env: &Env, hns: &str, rns: &str, args: &[&str]) -> (Run, Run, Option<String>) {
    let with = |ns: &str| -> Vec<String> { args.iter().map(|a| a.replace("{ns}", ns)).collect() };
    let ha = with(hns);
    let ra = with(rns);
    let h = env.run(Tool::Helm, &ha.iter().map(String::as_str).collect::<Vec<_>>());
    let r = env.run(Tool::Rhelm, &ra.iter().map(String::as_str).collect::<Vec<_>>());
    let nss = [hns, rns];
    let hs = normalize(&h.stdout(), &nss).replace("NS1", "NS0");
    let rs = normalize(&r.stdout(), &nss).replace("NS1", "NS0");
    let he = normalize(&h.stderr(), &nss).replace("NS1", "NS0");
    let re = normalize(&r.stderr(), &nss).replace("NS1", "NS0");
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
