//! `dependency list|update|build` and `package --dependency-update`, rhelm
//! beside helm 4.3.1 (`HELM`) on the same chart and the same real chart
//! repository (tests/repo_support): the same output, the same Chart.lock
//! (its `generated` time masked) and the same archives in charts/.

mod local;
mod repo_support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use repo_support::RepoServer;
use local::{copy_dir, gunzip, helm, rhelm, temp_dir, TempDir};

/// A repository of helm-packaged charts and, per tool, a copy of a parent
/// chart whose dependencies come from it, from a local directory, by alias
/// and by URL.
struct World {
    tmp: TempDir,
    server: RepoServer,
}

impl World {
    fn new(name: &str) -> World {
        let tmp = temp_dir(name);
        let served = tmp.0.join("served");
        fs::create_dir_all(&served).unwrap();
        let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts");
        for (chart, version) in [("web", None), ("web", Some("0.3.9")), ("web", Some("0.4.0-rc.1")), ("shop", None), ("database", None)] {
            let mut cmd = Command::new(helm());
            cmd.arg("package").arg(charts.join(chart)).arg("-d").arg(&served);
            if let Some(v) = version {
                cmd.args(["--version", v]);
            }
            assert!(cmd.output().unwrap().status.success());
        }
        assert!(Command::new(helm()).args(["repo", "index"]).arg(&served).output().unwrap().status.success());
        let server = RepoServer::start(&served, &tmp.0, None, None);
        let base = tmp.0.join("base");
        fs::create_dir_all(base.join("sub1")).unwrap();
        fs::write(base.join("sub1/Chart.yaml"), "apiVersion: v2\nname: sub1\nversion: 1.2.3\n").unwrap();
        fs::create_dir_all(base.join("parent/templates")).unwrap();
        let url = &server.url;
        fs::write(
            base.join("parent/Chart.yaml"),
            format!(
                "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: sub1\n  version: ~1.2.0\n  repository: file://../sub1\n- name: web\n  version: ^0.3.0\n  repository: {url}\n- name: shop\n  version: \">=1.0.0 <3.0.0\"\n  repository: \"@charts\"\n- name: database\n  version: \"*\"\n  repository: {url}/\n  alias: db\n"
            ),
        )
        .unwrap();
        for tag in ["h", "r"] {
            copy_dir(&base, &tmp.0.join(tag));
        }
        let w = World { tmp, server };
        for tag in ["h", "r"] {
            let o = w.run(tag, &["repo", "add", "charts", &w.server.url]);
            assert!(o.status.success(), "{}", w.show(&o, tag));
        }
        w
    }

    fn run(&self, tag: &str, args: &[&str]) -> Output {
        let tool = if tag == "h" { helm() } else { rhelm() };
        let home = self.tmp.0.join(format!("home-{tag}"));
        let args: Vec<String> = args.iter().map(|a| a.replace("PARENT", &format!("{tag}/parent"))).collect();
        Command::new(tool)
            .args(&args)
            .current_dir(&self.tmp.0)
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_CACHE_HOME", home.join("cache"))
            .env("HELM_DATA_HOME", home.join("data"))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap()
    }

    fn show(&self, o: &Output, tag: &str) -> String {
        format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
            .replace(&format!("{tag}/parent"), "PARENT")
            .replace(self.tmp.0.join(tag).to_str().unwrap(), "BASE")
    }

    fn same(&self, args: &[&str]) -> Output {
        let h = self.run("h", args);
        let r = self.run("r", args);
        assert_eq!(self.show(&r, "r"), self.show(&h, "h"), "rhelm and helm differ on {args:?}");
        r
    }

    fn lock(&self, tag: &str) -> String {
        let text = fs::read_to_string(self.tmp.0.join(tag).join("parent/Chart.lock")).unwrap();
        text.lines().filter(|l| !l.starts_with("generated:")).collect::<Vec<_>>().join("\n")
    }

    /// The archives in charts/, byte for byte: downloaded ones are the
    /// repository's, and each tool packages the `file://` ones itself (the
    /// same bytes as helm's, gzip included).
    fn charts(&self, tag: &str) -> Vec<(String, Vec<u8>)> {
        let dir = self.tmp.0.join(tag).join("parent/charts");
        let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tgz"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
            .collect();
        v.sort();
        v
    }
}

#[test]
fn update_build_and_list_as_helm() {
    let w = World::new("deps");
    w.same(&["dependency", "list", "PARENT"]);
    // No lock yet: build runs an update.
    w.same(&["dependency", "build", "PARENT"]);
    assert_eq!(w.lock("r"), w.lock("h"));
    assert_eq!(w.charts("r"), w.charts("h"));
    let names: Vec<String> = w.charts("r").into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["database-2.1.0.tgz", "shop-2.0.0.tgz", "sub1-1.2.3.tgz", "web-0.3.9.tgz"]);
    w.same(&["dependency", "list", "PARENT"]);
    w.same(&["dependency", "update", "PARENT", "--skip-refresh"]);
    w.same(&["dependency", "build", "PARENT"]);
    assert_eq!(w.charts("r"), w.charts("h"));

    // A stale archive is removed, a stray one reported by list.
    for tag in ["h", "r"] {
        fs::write(w.tmp.0.join(tag).join("parent/charts/notes.txt"), "x").unwrap();
    }
    w.same(&["dependency", "list", "PARENT"]);

    // Chart.yaml changes: the lock is out of sync until updated.
    for tag in ["h", "r"] {
        let p = w.tmp.0.join(tag).join("parent/Chart.yaml");
        let text = fs::read_to_string(&p).unwrap().replace("^0.3.0", "~0.3.1");
        fs::write(&p, text).unwrap();
    }
    let o = w.same(&["dependency", "build", "PARENT"]);
    assert!(!o.status.success());
    w.same(&["dependency", "update", "PARENT"]);
    assert_eq!(w.lock("r"), w.lock("h"));
    assert_eq!(w.charts("r"), w.charts("h"));
}

#[test]
fn bad_dependencies_fail_as_helm_and_leave_charts_alone() {
    let w = World::new("deps-bad");
    w.same(&["dependency", "update", "PARENT"]);
    let before = w.charts("r");
    for (from, to) in [("^0.3.0", "^9.0.0"), ("\"@charts\"", "\"@nope\""), ("~1.2.0", "~2.0.0"), ("\"*\"", "\"not a constraint\"")] {
        for tag in ["h", "r"] {
            let p = w.tmp.0.join(tag).join("parent/Chart.yaml");
            let text = fs::read_to_string(&p).unwrap();
            fs::write(&p, text.replacen(from, to, 1)).unwrap();
        }
        let o = w.same(&["dependency", "update", "PARENT", "--skip-refresh"]);
        assert!(!o.status.success(), "{from} -> {to}");
        assert_eq!(w.charts("r"), before, "charts/ unchanged after a failed update ({to})");
        for tag in ["h", "r"] {
            let p = w.tmp.0.join(tag).join("parent/Chart.yaml");
            let text = fs::read_to_string(&p).unwrap();
            fs::write(&p, text.replacen(to, from, 1)).unwrap();
        }
    }
    assert!(!fs::read_dir(w.tmp.0.join("r/parent")).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with("tmpcharts")));
}

#[test]
fn package_with_dependency_update() {
    let w = World::new("deps-package");
    for tag in ["h", "r"] {
        fs::create_dir_all(w.tmp.0.join(format!("out-{tag}"))).unwrap();
    }
    let h = w.run("h", &["package", "PARENT", "-u", "-d", "out-h"]);
    let r = w.run("r", &["package", "PARENT", "-u", "-d", "out-r"]);
    assert_eq!(w.show(&r, "r").replace("out-r", "out-h"), w.show(&h, "h"));
    let file = |tag: &str| w.tmp.0.join(format!("out-{tag}/parent-0.1.0.tgz"));
    // The archive holds Chart.lock, whose generated time differs run to run;
    // everything else must match.
    let strip = |b: Vec<u8>| String::from_utf8_lossy(&b).lines().filter(|l| !l.contains("generated:")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(gunzip(&file("r"))).len(), strip(gunzip(&file("h"))).len());
    assert_eq!(w.charts("r"), w.charts("h"));
}

#[test]
fn repository_constraints_resolve_as_helm() {
    let w = World::new("deps-constraints");
    let mut current = "^0.3.0".to_string();
    let mut failed = Vec::new();
    for c in ["x", "~0.3.0", "^0", ">=0.1.0 <0.4.0", "0.3.9", ">=0.4.0-0", "9.9.9", "~1.2.0"] {
        for tag in ["h", "r"] {
            let p = w.tmp.0.join(tag).join("parent/Chart.yaml");
            let text = fs::read_to_string(&p).unwrap();
            fs::write(&p, text.replacen(&format!("version: {current}\n"), &format!("version: \"{c}\"\n"), 1)).unwrap();
        }
        current = format!("\"{c}\"");
        let o = w.same(&["dependency", "update", "PARENT", "--skip-refresh"]);
        if o.status.success() {
            assert_eq!(w.lock("r"), w.lock("h"), "Chart.lock for {c}");
            assert_eq!(w.charts("r"), w.charts("h"), "charts/ for {c}");
        } else {
            failed.push(c);
        }
    }
    assert_eq!(failed, ["9.9.9", "~1.2.0"]);
}

/// A kubeconfig naming a server nothing listens on.
fn unreachable_kubeconfig(w: &World) -> String {
    let path = w.tmp.0.join("unreachable.kubeconfig");
    fs::write(
        &path,
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://127.0.0.1:1\n  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user:\n    token: t\n",
    )
    .unwrap();
    path.display().to_string()
}

/// `--dependency-update` on `template` and on a client dry run of
/// `install`: the missing dependencies are fetched first and the manager's
/// lines printed ahead of the output, as helm does; neither command needs
/// a cluster (a client dry run renders with Helm's default capabilities).
#[test]
fn template_and_install_update_missing_dependencies() {
    let w = World::new("deps-render");
    for tag in ["h", "r"] {
        let t = w.tmp.0.join(tag).join("parent/templates/caps.yaml");
        fs::write(
            t,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  batch: {{ .Capabilities.APIVersions.Has \"batch/v1\" | quote }}\n",
        )
        .unwrap();
    }
    // Without the flag, the missing dependencies stop both.
    let o = w.same(&["template", "rel", "PARENT"]);
    assert!(!o.status.success());
    let o = w.same(&["template", "rel", "PARENT", "--dependency-update"]);
    assert!(o.status.success(), "{}", w.show(&o, "r"));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("Hang tight while we grab the latest"),
        "{}",
        w.show(&o, "r")
    );
    assert_eq!(w.charts("r"), w.charts("h"));

    for tag in ["h", "r"] {
        fs::remove_dir_all(w.tmp.0.join(tag).join("parent/charts")).unwrap();
    }
    let kubeconfig = unreachable_kubeconfig(&w);
    let install = ["install", "rel", "PARENT", "--dependency-update", "--dry-run=client", "--kubeconfig", &kubeconfig];
    let (h, r) = (w.run("h", &install), w.run("r", &install));
    let masked = |o: &Output, tag: &str| {
        w.show(o, tag).lines().filter(|l| !l.starts_with("LAST DEPLOYED:")).collect::<Vec<_>>().join("\n")
    };
    assert!(h.status.success(), "{}", w.show(&h, "h"));
    assert_eq!(masked(&r, "r"), masked(&h, "h"));
    assert_eq!(w.charts("r"), w.charts("h"));
}
