//! install and upgrade of charts from a chart repository (`repo/chart
//! --version`), by URL, and from an OCI registry, on the test cluster,
//! beside helm 4.3.1: the same output, the same release contents.

mod common;
mod repo_support;

use std::path::Path;
use std::process::Command;

use common::{same, Env, Tool};

#[test]
fn install_and_upgrade_from_repositories() {
    let env = Env::new();
    let served = env.home.join("served");
    std::fs::create_dir_all(&served).unwrap();
    let chart = common::release_chart("hello");
    for version in ["0.1.0", "0.2.0", "0.3.0-rc.1"] {
        let out = env.run(Tool::Helm, &["package", &chart, "--version", version, "-d", served.to_str().unwrap()]);
        assert!(out.out.status.success(), "{}", common::text(&out.out.stderr));
    }
    assert!(env.run(Tool::Helm, &["repo", "index", served.to_str().unwrap()]).out.status.success());
    let server = repo_support::RepoServer::start(&served, &env.home, None, None);
    assert!(env.run(Tool::Helm, &["repo", "add", "tutorial", &server.url]).out.status.success());

    let (hns, rns) = (env.namespace("repo-h"), env.namespace("repo-r"));
    same(&env, &hns, &rns, &["install", "hello", "tutorial/hello", "--version", "0.1.0", "-n", "{ns}", "--create-namespace"]);
    same(&env, &hns, &rns, &["upgrade", "hello", "tutorial/hello", "--version", "~0.2", "-n", "{ns}"]);
    same(&env, &hns, &rns, &["upgrade", "hello", "tutorial/hello", "--devel", "-n", "{ns}"]);
    same(&env, &hns, &rns, &["history", "hello", "-n", "{ns}"]);
    same(&env, &hns, &rns, &["get", "manifest", "hello", "-n", "{ns}"]);
    let url = format!("{}/hello-0.2.0.tgz", server.url);
    same(&env, &hns, &rns, &["upgrade", "hello", &url, "-n", "{ns}"]);
    same(&env, &hns, &rns, &["upgrade", "hello", "hello", "--repo", &server.url, "--version", "0.1.0", "-n", "{ns}"]);
    same(&env, &hns, &rns, &["list", "-n", "{ns}"]);

    // From a registry (Debian's docker-registry, started for this test).
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-registry");
    let reg_dir = env.home.join("registry");
    let up = Command::new(&script).arg("up").arg(&reg_dir).output().unwrap();
    // Stopped however the test ends.
    let _down = Down(script.clone(), reg_dir.clone());
    assert!(up.status.success(), "the OCI registry did not start: {}", common::text(&up.stderr));
    let host = common::text(&up.stdout).trim().to_string();
    let archive = served.join("hello-0.2.0.tgz");
    assert!(env.run(Tool::Helm, &["push", archive.to_str().unwrap(), &format!("oci://{host}/charts"), "--plain-http"]).out.status.success());
    let oci = format!("oci://{host}/charts/hello");
    same(&env, &hns, &rns, &["install", "from-oci", &oci, "--version", "0.2.0", "--plain-http", "-n", "{ns}"]);
    same(&env, &hns, &rns, &["get", "values", "from-oci", "-n", "{ns}", "--all"]);
}

struct Down(std::path::PathBuf, std::path::PathBuf);

impl Drop for Down {
    fn drop(&mut self) {
        let _ = Command::new(&self.0).arg("down").arg(&self.1).output();
    }
}
