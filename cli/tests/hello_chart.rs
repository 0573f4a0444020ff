//! charts/hello, the tutorial chart this repository publishes: it lints clean
//! and renders byte for byte as helm 4.3.1 renders it, with the default values,
//! the development environment's values file, and the tutorial's `--set`s.
//!
//! Helm is the 4.3.1 oracle from `HELM` (scripts/test exports it).

mod local;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use local::helm;

fn charts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../charts").canonicalize().expect("charts/ exists")
}

fn run(tool: &Path, args: &[&str]) -> Output {
    Command::new(tool)
        .args(args)
        .current_dir(charts_dir())
        // Nothing of the user's own Helm configuration may change the result.
        .env("HELM_CONFIG_HOME", "/nonexistent/config")
        .env("HELM_CACHE_HOME", "/nonexistent/cache")
        .env("HELM_DATA_HOME", "/nonexistent/data")
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", tool.display()))
}

fn same_as_helm(args: &[&str]) -> Output {
    let h = run(&helm(), args);
    let r = run(Path::new(env!("CARGO_BIN_EXE_rhelm")), args);
    let show = |o: &Output| format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(show(&r), show(&h), "rhelm and helm differ on {args:?}");
    r
}

#[test]
fn renders_as_helm_does() {
    let cases: &[&[&str]] = &[
        &["template", "hello", "./hello"],
        &["template", "hello", "./hello", "-f", "hello/values-dev.yaml", "-n", "dev"],
        &["template", "my-hellok8s", "./hello", "--set", "hellok8s.replicas=5,nginx.enabled=false,ingress.host=hello.example.com"],
        &["template", "hello", "./hello", "--set", "ingress.enabled=false", "--set-string", "hellok8s.image.tag=v7", "--show-only", "templates/hellok8s-deployment.yaml"],
        &["template", "hello", "./hello", "-f", "hello/values-dev.yaml", "--show-only", "templates/tests/test-connection.yaml"],
        &["show", "chart", "./hello"],
        &["show", "values", "./hello"],
    ];
    for args in cases {
        let out = same_as_helm(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn lints_clean() {
    for args in [&["lint", "hello", "--strict"][..], &["lint", "hello", "--strict", "-f", "hello/values-dev.yaml"]] {
        let out = same_as_helm(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {stdout}");
        assert!(!stdout.contains("[INFO]") && !stdout.contains("[WARNING]") && !stdout.contains("[ERROR]"), "{args:?} has findings:\n{stdout}");
        assert!(stdout.contains("1 chart(s) linted, 0 chart(s) failed"), "{stdout}");
    }
}

#[test]
fn the_application_reads_its_settings_as_the_tutorial_says() {
    let out = run(Path::new(env!("CARGO_BIN_EXE_rhelm")), &["template", "hello", "./hello", "-f", "hello/values-dev.yaml", "-n", "dev"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "value: \"It works with rhelm values-dev.yaml!\"",
        "- name: NAMESPACE\n              value: \"dev\"",
        "configMapKeyRef:\n                  name: hello-hellok8s-config",
        "secretKeyRef:\n                  name: hello-hellok8s-secret",
        // base64 of db_password_dev, as b64enc writes it.
        "DB_PASSWORD: ZGJfcGFzc3dvcmRfZGV2",
        "DB_URL: \"http://DB_ADDRESS_DEV\"",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}
