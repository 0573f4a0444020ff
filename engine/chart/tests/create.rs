//! `create`: the scaffold must lint clean and render under the real Helm
//! exactly as the chart `helm create` writes does.

use std::path::{Path, PathBuf};
use std::process::Command;

use rhelm_chart::create::{create, scaffold, validate_chart_name};

fn helm() -> PathBuf {
    let path =
        std::env::var_os("HELM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root/.cache/rhelm-oracle/helm"));
    assert!(path.exists(), "the Helm oracle is missing at {}: run scripts/get-helm-oracle", path.display());
    path
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rhelm-create-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (String, String, bool) {
    let out = Command::new(helm()).args(args).current_dir(dir).output().expect("running helm");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

const ALL_ON: &str = "ingress.enabled=true,httpRoute.enabled=true,autoscaling.enabled=true";

#[test]
fn scaffold_lints_clean_and_renders_like_helms() {
    let ours = temp_dir("ours");
    let theirs = temp_dir("theirs");
    let mut warn = Vec::new();
    let dir = create("mychart", &ours, &mut warn).unwrap();
    assert_eq!(dir, ours.join("mychart"));
    assert!(warn.is_empty());
    assert!(dir.join("charts").is_dir());
    let (_, err, ok) = run(&theirs, &["create", "mychart"]);
    assert!(ok, "{err}");

    for extra in [&[][..], &["--set", ALL_ON][..], &["--strict", "--set", ALL_ON][..]] {
        let mut args = vec!["lint", "mychart"];
        args.extend_from_slice(extra);
        let (out, err, ok) = run(&ours, &args);
        assert!(ok, "helm lint {extra:?} failed:\n{out}{err}");
        assert_eq!(
            out,
            "==> Linting mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n"
        );
    }

    let sets = [
        "",
        ALL_ON,
        "service.type=NodePort,ingress.tls[0].hosts[0]=a",
        "fullnameOverride=x,serviceAccount.create=false",
    ];
    for set in sets {
        let mut args = vec!["template", "rel", "mychart"];
        if !set.is_empty() {
            args.extend(["--set", set]);
        }
        let (a, err, ok) = run(&ours, &args);
        assert!(ok, "{err}");
        let (b, _, _) = run(&theirs, &args);
        assert_eq!(a, b, "helm template --set {set}");
    }

    let (out, _, _) = run(&ours, &["template", "rel", "mychart"]);
    let kinds: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("kind: ")).collect();
    assert_eq!(kinds, ["ServiceAccount", "Service", "Deployment", "Pod"]);
    assert!(out.contains("\"helm.sh/hook\": test"));
    let (out, _, _) = run(&ours, &["template", "rel", "mychart", "--set", ALL_ON]);
    let kinds: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("kind: ")).collect();
    assert_eq!(
        kinds,
        ["ServiceAccount", "Service", "Deployment", "HorizontalPodAutoscaler", "Ingress", "HTTPRoute", "Pod"]
    );

    // rhelm's own `template` prints what helm prints for it.
    for set in sets {
        let mut user = rhelm_chart::Values::new();
        if !set.is_empty() {
            rhelm_chart::strvals::parse_into(set, &mut user).unwrap();
        }
        let req = rhelm_chart::action::TemplateRequest {
            chart_path: dir.clone(),
            user_values: user,
            release: rhelm_chart::render::ReleaseOptions { name: "rel".into(), ..Default::default() },
            ..Default::default()
        };
        let got = rhelm_chart::action::template(&req);
        assert_eq!(got.error, None, "rhelm template --set {set}");
        let mut args = vec!["template", "rel", "mychart"];
        if !set.is_empty() {
            args.extend(["--set", set]);
        }
        let (want, _, _) = run(&ours, &args);
        assert_eq!(got.stdout, want, "rhelm template --set {set}");
    }

    // Our loader reads it, with every template.
    let chart = rhelm_chart::load::load(&dir).unwrap();
    assert_eq!(chart.name(), "mychart");
    assert_eq!(chart.templates.len(), 9);
    assert_eq!(chart.metadata.app_version, "1.16.0");

    let _ = std::fs::remove_dir_all(&ours);
    let _ = std::fs::remove_dir_all(&theirs);
}

#[test]
fn same_files_as_helm() {
    let ours: Vec<&str> = scaffold("x").into_iter().map(|(p, _)| p).collect();
    let theirs = temp_dir("files");
    let (_, err, ok) = run(&theirs, &["create", "x"]);
    assert!(ok, "{err}");
    for p in &ours {
        assert!(theirs.join("x").join(p).is_file(), "helm create writes no {p}");
    }
    let count = walk(&theirs.join("x"));
    assert_eq!(count, ours.len());
    let _ = std::fs::remove_dir_all(&theirs);
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn errors_and_overwrites_as_helm() {
    let dir = temp_dir("errors");
    let mut warn = Vec::new();
    assert_eq!(
        create("Bad!", &dir, &mut warn).unwrap_err().to_string(),
        "chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\""
    );
    assert!(validate_chart_name(&"a".repeat(251)).is_err());
    std::fs::write(dir.join("afile"), "").unwrap();
    assert_eq!(
        create("afile", &dir, &mut warn).unwrap_err().to_string(),
        format!("file {}/afile already exists and is not a directory", dir.display())
    );
    assert_eq!(
        create("a/b/c", &dir, &mut warn).unwrap_err().to_string(),
        format!("stat {}/a/b: no such file or directory", dir.display())
    );
    // The parent is cleaned before it is looked at, as filepath.Abs does.
    create("nosub/../again", &dir, &mut warn).unwrap();
    assert!(warn.is_empty());
    create("again", &dir, &mut warn).unwrap();
    let text = String::from_utf8(warn).unwrap();
    assert_eq!(text.lines().count(), 12);
    assert_eq!(
        text.lines().next().unwrap(),
        format!("WARNING: File \"{}/again/Chart.yaml\" already exists. Overwriting.", dir.display())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn starter_copies_as_helm_does() {
    let base = temp_dir("starter");
    let starter = base.join("data/helm/starters/st");
    let write = |rel: &str, text: &str| {
        let p = starter.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("Chart.yaml", "apiVersion: v2\nname: st\nversion: 1.0.0\nkeywords: [a]\n");
    write("values.yaml", "a: 1 # kept as written\nname: <CHARTNAME>\n");
    write("values.schema.json", "{\"type\":\"object\"}");
    write("templates/a.yaml", "x: {{ include \"<CHARTNAME>.x\" . }}\n");
    write("README.md", "<CHARTNAME> stays in plain files\n");
    write("crds/c.yaml", "kind: X\n");
    let (ours, theirs) = (base.join("ours"), base.join("theirs"));
    std::fs::create_dir_all(&ours).unwrap();
    std::fs::create_dir_all(&theirs).unwrap();

    rhelm_chart::create::create_from_starter("newc", "st", &base.join("data/helm/starters"), &ours).unwrap();
    let out = Command::new(helm())
        .args(["create", "newc", "--starter", "st"])
        .env("HELM_DATA_HOME", base.join("data/helm"))
        .current_dir(&theirs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files_under(&ours.join("newc")), files_under(&theirs.join("newc")));

    let err = rhelm_chart::create::create_from_starter("x", "/nonexistent-starter", &base, &ours).unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not load /nonexistent-starter: stat /nonexistent-starter: no such file or directory"
    );
    let _ = std::fs::remove_dir_all(&base);
}
