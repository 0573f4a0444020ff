//! README's quick start, run as written: every `rhelm` line of its first
//! shell block, on the test cluster (`RHELM_TEST_KUBECONFIG`; a cluster
//! test fails when it is missing), in a namespace of its own instead of
//! `dev`, with the package directory in a temporary place. The registry
//! push at the end needs a login to ghcr.io and is left out.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn quick_start_commands() -> Vec<String> {
    let readme = fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let section = readme.split("## Quick start").nth(1).expect("README has a quick start");
    let block = section.split("```sh").nth(1).expect("a shell block").split("```").next().unwrap();
    block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("rhelm ") && !l.starts_with("rhelm push"))
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_quick_start_runs() {
    let kubeconfig = common::kubeconfig();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let ns = format!("qs-{}-{}", std::process::id(), nanos % 100_000);
    let repo: PathBuf = std::env::temp_dir().join(format!("rhelm-quickstart-{ns}"));
    let commands = quick_start_commands();
    for expected in ["rhelm template", "rhelm lint", "rhelm install", "rhelm upgrade", "rhelm history", "rhelm rollback", "rhelm list", "rhelm package", "rhelm repo index"] {
        assert!(commands.iter().any(|c| c.starts_with(expected)), "the quick start shows `{expected}`: {commands:?}");
    }
    let mut outputs = Vec::new();
    for line in &commands {
        let line = line.replace("-n dev", &format!("-n {ns}")).replace("/tmp/repo", repo.to_str().unwrap());
        let words: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_rhelm"))
            .args(&words)
            .current_dir(common::repo_root())
            .env("KUBECONFIG", &kubeconfig)
            .env("HELM_CONFIG_HOME", repo.join("config"))
            .env("HELM_CACHE_HOME", repo.join("cache"))
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "`{line}` failed:\n{text}");
        outputs.push((line, text));
    }
    let find = |prefix: &str| outputs.iter().find(|(l, _)| l.starts_with(prefix)).map(|(_, t)| t.clone()).unwrap();
    assert!(find("rhelm template").contains("value: \"It works with rhelm values-dev.yaml!\""));
    assert!(find("rhelm history").contains("2       \t"), "two revisions before the rollback:\n{}", find("rhelm history"));
    assert!(find("rhelm rollback").contains("Rollback was a success! Happy Helming!"));
    let index = fs::read_to_string(repo.join("index.yaml")).unwrap();
    assert!(index.contains("hello-0.1.0.tgz"), "{index}");
    let _ = Command::new(env!("CARGO_BIN_EXE_rhelm")).args(["uninstall", "hello", "-n", &ns]).env("KUBECONFIG", &kubeconfig).output();
    let _ = fs::remove_dir_all(&repo);
}
