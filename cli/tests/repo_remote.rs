//! Chart repositories over HTTP, rhelm beside helm 4.3.1 (`HELM`): each
//! tool has Helm homes of its own, runs the same commands against the same
//! real server (tests/repo_support: Python's HTTP server on loopback, with
//! basic auth or TLS), and must print the same and leave the same files.

mod local;
mod repo_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use repo_support::{make_tls, RepoServer};
use local::{helm, rhelm, temp_dir};

/// A directory of archives helm packaged and indexed (relative URLs).
fn chart_dir(root: &Path) -> PathBuf {
    let dir = root.join("served");
    fs::create_dir_all(dir.join("sub")).unwrap();
    let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts");
    for (chart, dest, version) in [("web", "served", None), ("web", "served", Some("0.4.0-rc.1")), ("shop", "served", None), ("database", "served/sub", None), ("store", "served", None)] {
        let mut cmd = Command::new(helm());
        cmd.arg("package").arg(charts.join(chart)).arg("-d").arg(root.join(dest)).env("SOURCE_DATE_EPOCH", "1700000000");
        if let Some(v) = version {
            cmd.args(["--version", v]);
        }
        assert!(cmd.output().unwrap().status.success());
    }
    for d in [dir.join("sub"), dir.clone()] {
        let out = Command::new(helm()).args(["repo", "index"]).arg(&d).output().unwrap();
        assert!(out.status.success());
    }
    dir
}

struct Tools {
    root: PathBuf,
}

impl Tools {
    fn home(&self, tag: &str) -> PathBuf {
        self.root.join(format!("home-{tag}"))
    }

    fn run(&self, tool: &Path, tag: &str, args: &[&str]) -> Output {
        let h = self.home(tag);
        let work = self.root.join(format!("work-{tag}"));
        fs::create_dir_all(&work).unwrap();
        Command::new(tool)
            .args(args)
            .current_dir(&work)
            .env("HELM_CONFIG_HOME", h.join("config"))
            .env("HELM_CACHE_HOME", h.join("cache"))
            .env("HELM_DATA_HOME", h.join("data"))
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .output()
            .unwrap()
    }

    /// Both tools; outputs must agree (home paths masked). Returns rhelm's.
    fn same(&self, args: &[&str]) -> Output {
        let h = self.run(&helm(), "h", args);
        let r = self.run(&rhelm(), "r", args);
        assert_eq!(self.show(&r, "r"), self.show(&h, "h"), "rhelm and helm differ on {args:?}");
        r
    }

    fn show(&self, o: &Output, tag: &str) -> String {
        let text = format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        let text = text.replace(self.home(tag).to_str().unwrap(), "HOME").replace(self.root.join(format!("work-{tag}")).to_str().unwrap(), "WORK");
        // Go's temporary file names end in a random number.
        regex::Regex::new(r"\.tgz[0-9]+:").unwrap().replace_all(&text, ".tgz:").into_owned()
    }

    fn file(&self, tag: &str, rel: &str) -> Vec<u8> {
        fs::read(self.home(tag).join(rel)).unwrap_or_else(|e| panic!("{tag} {rel}: {e}"))
    }
}

#[test]
fn repositories_as_helm_keeps_them() {
    let tmp = temp_dir("repo-remote");
    let served = chart_dir(&tmp.0);
    let server = RepoServer::start(&served, &tmp.0, None, None);
    let t = Tools { root: tmp.0.clone() };
    let url = server.url.clone();

    t.same(&["repo", "list"]);
    t.same(&["repo", "add", "charts", &url]);
    t.same(&["repo", "add", "charts", &url]);
    t.same(&["repo", "add", "charts", &format!("{url}/other")]);
    t.same(&["repo", "add", "a/b", &url]);
    t.same(&["repo", "add", "missing", &format!("{url}/nothing-here")]);
    t.same(&["repo", "add", "unreachable", "http://127.0.0.1:1"]);
    t.same(&["repo", "add", "second", &format!("{url}/")]);
    assert_eq!(t.file("r", "config/repositories.yaml"), t.file("h", "config/repositories.yaml"));
    for repo in ["charts", "second"] {
        let rel = format!("cache/repository/{repo}-index.yaml");
        assert_eq!(t.file("r", &rel), t.file("h", &rel), "{rel}");
    }
    for args in [
        &["repo", "list"][..],
        &["repo", "list", "-o", "json"],
        &["repo", "list", "-o", "yaml"],
        &["repo", "update", "charts"],
        &["repo", "update", "nope"],
        &["search", "repo", "web"],
        &["search", "repo"],
        &["search", "repo", "-l"],
        &["search", "repo", "--devel", "web"],
        &["search", "repo", "--version", "^0.3", "-l"],
        &["search", "repo", "-r", "sh.p"],
        &["search", "repo", "-o", "json", "web"],
        &["search", "repo", "-o", "yaml", "shop"],
        &["search", "repo", "nothing-matches"],
        &["search", "repo", "--max-col-width", "12"],
        &["template", "x", "charts/web"],
        &["template", "x", "charts/web", "--version", "0.3.1", "--set", "replicaCount=2"],
        &["template", "x", "charts/web", "--devel"],
        &["template", "x", "charts/web", "--version", "9.9.9"],
        &["template", "x", "charts/absent"],
        &["template", "x", "nowhere/web"],
        &["template", "x", "web", "--repo", &url],
        &["template", "x", &format!("{url}/shop-2.0.0.tgz")],
        &["show", "chart", "charts/shop"],
        &["show", "values", "second/web", "--version", "0.4.0-rc.1"],
        &["pull", "charts/web"],
        &["pull", "charts/database", "--untar", "--untardir", "expanded"],
        &["pull", "charts/database", "--untar", "--untardir", "expanded"],
        &["pull", "charts/web", "-d", "no-such-dir"],
        &["repo", "remove", "second"],
        &["repo", "remove", "second"],
        &["repo", "list"],
    ] {
        t.same(args);
    }
    let work = |tag: &str| tmp.0.join(format!("work-{tag}"));
    assert_eq!(fs::read(work("r").join("web-0.3.1.tgz")).unwrap(), fs::read(work("h").join("web-0.3.1.tgz")).unwrap());
    let expanded = |tag: &str| {
        let mut files: Vec<String> = walk(&work(tag).join("expanded"));
        files.sort();
        files
    };
    assert_eq!(expanded("r"), expanded("h"));
    assert!(!t.home("r").join("cache/repository/second-index.yaml").exists());
    for seen in server.requests() {
        assert!(seen.user_agent == "Helm/4.3.1", "{seen:?}");
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(format!("{} {}", p.strip_prefix(dir).unwrap_or(&p).display(), fs::read(&p).unwrap().len()));
        }
    }
    out
}

#[test]
fn basic_auth_and_tls() {
    let tmp = temp_dir("repo-auth");
    let served = chart_dir(&tmp.0);
    let t = Tools { root: tmp.0.clone() };

    let server = RepoServer::start(&served, &tmp.0, Some("chart:s3cret"), None);
    let url = server.url.clone();
    t.same(&["repo", "add", "locked", &url]);
    t.same(&["repo", "add", "locked", &url, "--username", "chart", "--password", "wrong"]);
    t.same(&["repo", "add", "locked", &url, "--username", "chart", "--password", "s3cret"]);
    t.same(&["template", "x", "locked/web"]);
    assert_eq!(t.file("r", "config/repositories.yaml"), t.file("h", "config/repositories.yaml"));
    let authorized: Vec<_> = server.requests().into_iter().filter(|s| !s.authorization.is_empty()).collect();
    assert!(authorized.iter().any(|s| s.path.ends_with(".tgz")), "the archive download carried the credentials");

    let (ca, cert, key) = make_tls(&tmp.0.join("pki"));
    let tls = RepoServer::start(&served, &tmp.0, None, Some((&cert, &key)));
    let url = tls.url.clone();
    for tag in ["h", "r"] {
        let tool = if tag == "h" { helm() } else { rhelm() };
        let o = t.run(&tool, tag, &["repo", "add", "tls", &url]);
        assert!(!o.status.success(), "{tag}: an unknown CA must fail");
        assert!(String::from_utf8_lossy(&o.stderr).contains("certificate"), "{tag}: {}", t.show(&o, tag));
    }
    t.same(&["repo", "add", "tls", &url, "--ca-file", ca.to_str().unwrap()]);
    t.same(&["repo", "add", "tls-insecure", &url, "--insecure-skip-tls-verify"]);
    t.same(&["template", "x", "tls/web"]);
    t.same(&["search", "repo", "tls-insecure/"]);
}

#[test]
fn bad_downloads_leave_nothing_behind() {
    let tmp = temp_dir("repo-bad");
    let served = chart_dir(&tmp.0);
    let server = RepoServer::start(&served, &tmp.0, None, None);
    let t = Tools { root: tmp.0.clone() };
    let ok = |o: Output| assert!(o.status.success(), "{}", t.show(&o, "r"));
    ok(t.run(&rhelm(), "r", &["repo", "add", "charts", &server.url]));
    ok(t.run(&rhelm(), "r", &["repo", "add", "other", &format!("{}/sub/", server.url)]));

    // An archive changed after it was indexed: its digest no longer matches.
    let archive = served.join("shop-2.0.0.tgz");
    let mut bytes = fs::read(&archive).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 0xff;
    fs::write(&archive, &bytes).unwrap();
    let o = t.run(&rhelm(), "r", &["template", "x", "charts/shop"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not match the repository index"), "{}", t.show(&o, "r"));
    let o = t.run(&rhelm(), "r", &["pull", "charts/shop"]);
    assert!(!o.status.success());
    assert!(!tmp.0.join("work-r/shop-2.0.0.tgz").exists(), "a bad archive is not kept");
    let cached: Vec<String> = walk(&t.home("r").join("cache/content"));
    assert!(cached.iter().all(|f| !f.contains("shop")), "{cached:?}");

    // A repository whose index breaks keeps its previous cache on update;
    // the good one still updates.
    let before = t.file("r", "cache/repository/other-index.yaml");
    fs::write(served.join("sub/index.yaml"), "apiVersion: v1\nentries: [not, a, map]\n").unwrap();
    let o = t.run(&rhelm(), "r", &["repo", "update"]);
    assert!(!o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("...Successfully got an update from the \"charts\" chart repository"), "{out}");
    assert!(out.contains("...Unable to get an update from the \"other\" chart repository"), "{out}");
    assert_eq!(t.file("r", "cache/repository/other-index.yaml"), before);
}
