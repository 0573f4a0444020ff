//! `install` and `upgrade` where no cluster answers, compared with Helm
//! 4.3.1 (`HELM`), the deploy time masked. A client dry run never reaches
//! the cluster and Helm never reads the kubeconfig for it: a missing or
//! unreadable one is no error, while a readable one still names the
//! namespace. Otherwise the first thing each command does is Helm's
//! reachability check, which fails with Helm's words and log line.

mod common;

use std::path::Path;
use std::process::Command;

use common::helm_path;

fn run(tool: &Path, kubeconfig: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts/web");
    let out = Command::new(tool)
        .args(args.iter().map(|a| if *a == "WEB" { web.as_os_str() } else { a.as_ref() }))
        .env("KUBECONFIG", kubeconfig)
        .env_remove("HELM_NAMESPACE")
        .env_remove("HELM_KUBECONTEXT")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("LAST DEPLOYED:"))
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code(), stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn client_dry_run_reads_no_kubeconfig() {
    let dir = std::env::temp_dir().join(format!("rhelm-client-dry-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken");
    std::fs::write(&broken, "{ not: [yaml").unwrap();
    let with_namespace = dir.join("team");
    std::fs::write(
        &with_namespace,
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://127.0.0.1:1\"}}]\n\
         users: [{name: u, user: {token: x}}]\n\
         contexts: [{name: x, context: {cluster: c, user: u, namespace: team}}]\ncurrent-context: x\n",
    )
    .unwrap();
    for (kubeconfig, namespace) in
        [(dir.join("missing"), "default"), (broken.clone(), "default"), (with_namespace.clone(), "team")]
    {
        let args = ["install", "rel", "WEB", "--dry-run=client"];
        let ours = run(Path::new(env!("CARGO_BIN_EXE_rhelm")), &kubeconfig, &args);
        let helms = run(&helm_path(), &kubeconfig, &args);
        assert_eq!(ours.0, Some(0), "{}: {}", kubeconfig.display(), ours.2);
        assert!(ours.1.contains(&format!("NAMESPACE: {namespace}")), "{}", ours.1);
        assert_eq!(ours, helms, "{}", kubeconfig.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unreachable_cluster_fails_first_as_in_helm() {
    let dir = std::env::temp_dir().join(format!("rhelm-unreachable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    // Port 1 on loopback: connection refused at once.
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://127.0.0.1:1\"}}]\n\
         users: [{name: u, user: {token: x}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n\
         current-context: x\n",
    )
    .unwrap();
    let cases: [&[&str]; 6] = [
        &["install", "rel", "WEB"],
        &["install", "bad_name", "WEB"],
        &["install", "rel", "WEB", "--hide-secret"],
        &["upgrade", "rel", "WEB"],
        &["upgrade", "rel", "WEB", "--dry-run=client"],
        &["upgrade", "--install", "rel", "WEB"],
    ];
    for args in cases {
        let ours = run(Path::new(env!("CARGO_BIN_EXE_rhelm")), &kubeconfig, args);
        assert_eq!(ours.0, Some(1), "{args:?}: {}", ours.2);
        assert!(ours.2.contains("kubernetes cluster unreachable: "), "{args:?}: {}", ours.2);
        assert_eq!(ours, run(&helm_path(), &kubeconfig, args), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
