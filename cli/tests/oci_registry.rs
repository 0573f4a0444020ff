//! OCI registries, rhelm beside helm 4.3.1 (`HELM`) against a real
//! registry: Debian's docker-registry (the CNCF distribution registry),
//! started by scripts/test-registry on loopback with a throw-away storage
//! directory, with and without htpasswd auth. A test fails when the
//! registry cannot be started.

mod local;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use local::{helm, rhelm, temp_dir};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-registry")
}

struct Registry {
    dir: PathBuf,
    host: String,
}

impl Registry {
    fn start(dir: &Path, creds: Option<&str>) -> Registry {
        let mut cmd = Command::new(script());
        cmd.arg("up").arg(dir);
        if let Some(c) = creds {
            cmd.args(["--htpasswd", c]);
        }
        let out = cmd.output().expect("scripts/test-registry runs");
        assert!(
            out.status.success(),
            "the OCI registry did not start (scripts/test-registry installs Debian's docker-registry): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Registry { dir: dir.to_path_buf(), host: String::from_utf8_lossy(&out.stdout).trim().to_string() }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("down").arg(&self.dir).output();
    }
}

struct Tools {
    root: PathBuf,
}

impl Tools {
    fn run(&self, tag: &str, args: &[&str]) -> Output {
        let tool = if tag == "h" { helm() } else { rhelm() };
        let home = self.root.join(format!("home-{tag}"));
        let work = self.root.join(format!("work-{tag}"));
        fs::create_dir_all(&work).unwrap();
        let args: Vec<String> = args.iter().map(|a| a.replace("TAG", tag)).collect();
        Command::new(tool)
            .args(&args)
            .current_dir(&work)
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_CACHE_HOME", home.join("cache"))
            .env("HELM_DATA_HOME", home.join("data"))
            .output()
            .unwrap()
    }

    fn show(&self, o: &Output, tag: &str) -> String {
        let text = format!(
            "exit {:?}\n{}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let text = text.replace(&format!("pulled-{tag}"), "pulled-TAG").replace(&format!("work-{tag}"), "work-TAG");
        regex::Regex::new(r"\.tgz[0-9]+:").unwrap().replace_all(&text, ".tgz:").into_owned()
    }

    fn same(&self, args: &[&str]) -> Output {
        let h = self.run("h", args);
        let r = self.run("r", args);
        assert_eq!(self.show(&r, "r"), self.show(&h, "h"), "rhelm and helm differ on {args:?}");
        r
    }

    fn ok(&self, tag: &str, args: &[&str]) -> String {
        let o = self.run(tag, args);
        assert!(o.status.success(), "{tag} {args:?}: {}", self.show(&o, tag));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

/// A manifest as the registry serves it, with the creation time masked.
fn manifest(host: &str, repo: &str, tag: &str) -> String {
    let out = Command::new("curl")
        .args(["-s", "-H", "Accept: application/vnd.oci.image.manifest.v1+json"])
        .arg(format!("http://{host}/v2/{repo}/manifests/{tag}"))
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    regex::Regex::new(r#""org.opencontainers.image.created":"[^"]*""#)
        .unwrap()
        .replace_all(&text, "CREATED")
        .into_owned()
}

fn package(root: &Path, chart: &str, version: Option<&str>) -> PathBuf {
    let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts");
    let mut cmd = Command::new(helm());
    cmd.arg("package").arg(charts.join(chart)).arg("-d").arg(root);
    if let Some(v) = version {
        cmd.args(["--version", v]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    PathBuf::from(text.trim().rsplit(": ").next().unwrap())
}

#[test]
fn push_and_pull_either_way() {
    let tmp = temp_dir("oci");
    let reg = Registry::start(&tmp.0.join("registry"), None);
    let t = Tools { root: tmp.0.clone() };
    let host = reg.host.clone();
    let web = package(&tmp.0, "web", None);
    let web2 = package(&tmp.0, "web", Some("0.4.0+build.7"));
    let shop = package(&tmp.0, "shop", None);
    for tag in ["h", "r"] {
        for archive in [&web, &web2, &shop] {
            let out =
                t.ok(tag, &["push", archive.to_str().unwrap(), &format!("oci://{host}/from-{tag}"), "--plain-http"]);
            assert!(out.starts_with(&format!("Pushed: {host}/from-{tag}/")), "{out}");
        }
    }
    // The same manifest (media types, layer and config digests, annotations), but for the time.
    for (repo, tag) in [("web", "0.3.1"), ("web", "0.4.0_build.7"), ("shop", "2.0.0")] {
        let h = manifest(&host, &format!("from-h/{repo}"), tag);
        let r = manifest(&host, &format!("from-r/{repo}"), tag);
        assert!(h.contains("application/vnd.cncf.helm.config.v1+json"), "{h}");
        assert_eq!(r, h, "{repo}:{tag}");
    }
    // Each tool reads what the other pushed, byte for byte.
    for (who, from) in [("h", "r"), ("r", "h")] {
        t.ok(who, &["pull", &format!("oci://{host}/from-{from}/web"), "--version", "0.3.1", "--plain-http"]);
        let got = fs::read(tmp.0.join(format!("work-{who}/web-0.3.1.tgz"))).unwrap();
        assert_eq!(got, fs::read(&web).unwrap());
    }
    for args in [
        &["pull", "oci://HOST/from-h/web", "--plain-http", "-d", "../pulled-TAG"][..],
        &["pull", "oci://HOST/from-r/web", "--version", "^0.3", "--plain-http", "--untar", "-d", "../pulled-TAG"],
        &["pull", "oci://HOST/from-r/web:0.4.0_build.7", "--plain-http", "-d", "../pulled-TAG"],
        &["pull", "oci://HOST/from-h/nothing", "--plain-http"],
        &["pull", "oci://HOST/from-h/web", "--version", "7.7.7", "--plain-http"],
        &["pull", "oci://HOST/from-h/web", "--version", "^7", "--plain-http"],
        &["template", "x", "oci://HOST/from-r/shop", "--plain-http"],
        &["template", "x", "oci://HOST/from-h/web", "--version", "0.3.1", "--plain-http", "--set", "replicaCount=3"],
        &["show", "chart", "oci://HOST/from-r/web", "--plain-http"],
        &["push", "../missing.tgz", "oci://HOST/x", "--plain-http"],
    ] {
        for tag in ["h", "r"] {
            fs::create_dir_all(tmp.0.join(format!("pulled-{tag}"))).unwrap();
        }
        let args: Vec<String> = args.iter().map(|a| a.replace("HOST", &host)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        t.same(&args);
    }
    let list = |tag: &str| {
        let mut v: Vec<String> = walk(&tmp.0.join(format!("pulled-{tag}")));
        v.sort();
        v
    };
    assert_eq!(list("r"), list("h"));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else { return out };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p).into_iter().map(|s| format!("{}/{s}", p.file_name().unwrap().to_string_lossy())));
        } else {
            out.push(format!("{} {}", p.file_name().unwrap().to_string_lossy(), fs::read(&p).unwrap().len()));
        }
    }
    out
}

#[test]
fn logins_work_across_tools() {
    let tmp = temp_dir("oci-auth");
    let reg = Registry::start(&tmp.0.join("registry"), Some("chart:s3cret"));
    let t = Tools { root: tmp.0.clone() };
    let host = reg.host.clone();
    let web = package(&tmp.0, "web", None);
    let web = web.to_str().unwrap();
    let remote = format!("oci://{host}/charts");
    t.same(&["push", web, &remote, "--plain-http"]);
    let wrong = t.same(&["registry", "login", &host, "-u", "chart", "-p", "wrong", "--plain-http"]);
    let wrong = String::from_utf8_lossy(&wrong.stderr);
    assert!(wrong.contains("response status code 401"), "a wrong password is a clear 401: {wrong}");
    t.same(&["registry", "login", &host, "-u", "chart", "-p", "s3cret", "--plain-http"]);
    let config = |tag: &str| fs::read_to_string(tmp.0.join(format!("home-{tag}/config/registry/config.json"))).unwrap();
    assert_eq!(config("r"), config("h"), "the same registry config file");
    // A login by one tool serves the other: swap the config files.
    let (hc, rc) = (tmp.0.join("home-h/config/registry/config.json"), tmp.0.join("home-r/config/registry/config.json"));
    fs::copy(&hc, tmp.0.join("saved.json")).unwrap();
    fs::copy(&rc, &hc).unwrap();
    fs::copy(tmp.0.join("saved.json"), &rc).unwrap();
    t.ok("h", &["push", web, &remote, "--plain-http"]);
    // and rhelm pushes with helm's login.
    t.ok("r", &["push", web, &format!("{remote}/by-r"), "--plain-http"]);
    t.ok("h", &["pull", &format!("{remote}/by-r/web"), "--version", "0.3.1", "--plain-http", "-d", "."]);
    t.same(&["pull", &format!("{remote}/web"), "--version", "0.3.1", "--plain-http", "-d", "."]);
    t.same(&["registry", "logout", &host]);
    assert_eq!(config("r"), config("h"));
    t.same(&["pull", &format!("{remote}/web"), "--version", "0.3.1", "--plain-http", "-d", "."]);
}

#[test]
fn oci_dependencies_lock_as_helm() {
    let tmp = temp_dir("oci-deps");
    let reg = Registry::start(&tmp.0.join("registry"), None);
    let t = Tools { root: tmp.0.clone() };
    let host = reg.host.clone();
    for v in [None, Some("0.3.7"), Some("0.5.0")] {
        let a = package(&tmp.0, "web", v);
        t.ok("h", &["push", a.to_str().unwrap(), &format!("oci://{host}/deps"), "--plain-http"]);
    }
    for tag in ["h", "r"] {
        let dir = tmp.0.join(format!("work-{tag}/parent"));
        fs::create_dir_all(dir.join("templates")).unwrap();
        fs::write(
            dir.join("Chart.yaml"),
            format!("apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n- name: web\n  version: ~0.3.0\n  repository: oci://{host}/deps\n"),
        )
        .unwrap();
    }
    t.same(&["dependency", "update", "parent", "--plain-http"]);
    let lock = |tag: &str| {
        let text = fs::read_to_string(tmp.0.join(format!("work-{tag}/parent/Chart.lock"))).unwrap();
        text.lines().filter(|l| !l.starts_with("generated:")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(lock("r"), lock("h"));
    assert!(lock("r").contains("version: 0.3.7"), "{}", lock("r"));
    assert_eq!(
        fs::read(tmp.0.join("work-r/parent/charts/web-0.3.7.tgz")).unwrap(),
        fs::read(tmp.0.join("work-h/parent/charts/web-0.3.7.tgz")).unwrap()
    );
    t.same(&["dependency", "build", "parent", "--plain-http"]);
}

/// The manifest exactly as the registry serves it.
fn raw_manifest(host: &str, repo: &str, tag: &str) -> String {
    let out = Command::new("curl")
        .args(["-sf", "-H", "Accept: application/vnd.oci.image.manifest.v1+json"])
        .arg(format!("http://{host}/v2/{repo}/manifests/{tag}"))
        .output()
        .expect("curl runs");
    assert!(out.status.success(), "no manifest {repo}:{tag} on {host}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Helm dates the artifact by the archive's mtime and adds `CHART.tgz.prov`
/// as a third layer (layers ordered by digest): pushing the same files
/// with either tool gives the same manifest, byte for byte, and the same
/// digest, which either tool can then pull by.
#[test]
fn same_files_push_the_same_manifest_with_provenance() {
    let tmp = temp_dir("oci-prov");
    let reg = Registry::start(&tmp.0.join("registry"), None);
    let t = Tools { root: tmp.0.clone() };
    let host = reg.host.clone();
    let web = package(&tmp.0, "web", None);
    // helm push does not check the signature, only carries the file.
    fs::write(format!("{}.prov", web.display()), "-----BEGIN PGP SIGNED MESSAGE-----\nnot checked on push\n").unwrap();
    let shop = package(&tmp.0, "shop", None);
    let mut digests = Vec::new();
    for (archive, repo, tag) in [(&web, "web", "0.3.1"), (&shop, "shop", "2.0.0")] {
        let pushed: Vec<String> = ["h", "r"]
            .iter()
            .map(|who| {
                let out = t
                    .ok(who, &["push", archive.to_str().unwrap(), &format!("oci://{host}/from-{who}"), "--plain-http"]);
                out.replace(&format!("from-{who}"), "from-WHO")
            })
            .collect();
        assert_eq!(pushed[1], pushed[0], "push reports for {repo}");
        let h = raw_manifest(&host, &format!("from-h/{repo}"), tag);
        let r = raw_manifest(&host, &format!("from-r/{repo}"), tag);
        assert_eq!(r, h, "{repo}:{tag}");
        let layers = h.matches("\"mediaType\":\"application/vnd.cncf.helm.chart").count();
        assert_eq!(layers, if repo == "web" { 2 } else { 1 }, "{h}");
        digests.push(pushed[0].lines().find_map(|l| l.strip_prefix("Digest: ")).unwrap().to_string());
    }
    assert!(raw_manifest(&host, "from-r/web", "0.3.1").contains("application/vnd.cncf.helm.chart.provenance.v1.prov"));
    // By digest: Helm names the file after the reference (`web@sha256-HEX.tgz`).
    for who in ["h", "r"] {
        fs::create_dir_all(tmp.0.join(format!("pulled-{who}"))).unwrap();
    }
    t.same(&["pull", &format!("oci://{host}/from-h/web@{}", digests[0]), "--plain-http", "-d", "../pulled-TAG"]);
    let hex = digests[0].trim_start_matches("sha256:");
    assert_eq!(fs::read(tmp.0.join(format!("pulled-r/web@sha256-{hex}.tgz"))).unwrap(), fs::read(&web).unwrap());
    assert_eq!(fs::read(tmp.0.join(format!("pulled-h/web@sha256-{hex}.tgz"))).unwrap(), fs::read(&web).unwrap());
    t.same(&["template", "x", &format!("oci://{host}/from-r/shop@{}", digests[1]), "--plain-http"]);
}
