//! The helm oracle, shared by the storage tests.

use std::path::PathBuf;
use std::process::Command;

/// helm 4.3.1: `$HELM`, else where scripts/get-helm-oracle caches it.
pub fn helm() -> PathBuf {
    let p = std::env::var("HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/rhelm-oracle/helm"));
    assert!(p.exists(), "helm 4.3.1 not found at {} (scripts/get-helm-oracle)", p.display());
    p
}

/// Runs helm with `env` added (and `TZ=UTC`, for the times it prints):
/// exit code, stdout, stderr.
pub fn run_helm(env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let out = Command::new(helm()).args(args).envs(env.iter().copied()).env("TZ", "UTC").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
