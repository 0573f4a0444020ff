//! The renderer against Helm 4.3.1: each case of testdata/chart/render/cases.txt
//! (`CHART VARIANT [FLAGS...]`) runs `helm template rel CHART FLAGS` through
//! `action::template` and compares stdout, stderr and the exit code with the
//! goldens scripts/gen-render-golden recorded from the real Helm.

use std::fs;
use std::path::{Path, PathBuf};

use rhelm_chart::action::{self, TemplateRequest};
use rhelm_chart::render::{Capabilities, KubeVersion};
use rhelm_chart::strvals::{self, SetKind};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/render")
}

struct Outcome {
    stdout: String,
    stderr: String,
    rc: i32,
}

fn run(chart: &str, flags: &[&str]) -> Outcome {
    let mut req = TemplateRequest { chart_path: data_dir().join(chart), ..TemplateRequest::default() };
    req.release.name = "rel".into();
    req.output.render.release_name = "rel".into();
    let mut kube: Option<String> = None;
    let mut apis = Vec::new();
    let mut it = flags.iter();
    let mut err = None;
    while let Some(f) = it.next() {
        match *f {
            "--set" => {
                if let Err(e) = strvals::merge_flag(SetKind::Set, it.next().unwrap(), &mut req.user_values, None) {
                    err.get_or_insert(e.message().to_string());
                }
            }
            "--kube-version" => kube = Some(it.next().unwrap().to_string()),
            "-a" | "--api-versions" => apis.extend(it.next().unwrap().split(',').map(String::from)),
            "-n" | "--namespace" => req.release.namespace = it.next().unwrap().to_string(),
            "--is-upgrade" => {
                req.release.is_upgrade = true;
                req.release.is_install = false;
            }
            "--debug" => req.debug = true,
            "--include-crds" => req.output.render.include_crds = true,
            "--no-hooks" => req.output.no_hooks = true,
            "--skip-tests" => req.output.skip_tests = true,
            "-s" | "--show-only" => req.output.show_only.push(it.next().unwrap().to_string()),
            other => panic!("unsupported flag {other}"),
        }
    }
    let kv = match kube.as_deref().map(KubeVersion::parse) {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(e)) => {
            return Outcome {
                stdout: String::new(),
                stderr: format!("Error: invalid kube version '{}': {e}\n", kube.unwrap()),
                rc: 1,
            }
        }
    };
    if let Some(e) = err {
        return Outcome { stdout: String::new(), stderr: format!("Error: {e}\n"), rc: 1 };
    }
    req.capabilities = Capabilities::for_template(kv, &apis);
    let out = action::template(&req);
    let mut stderr: String = out.notices.iter().map(|n| format!("{n}\n")).collect();
    let rc = match &out.error {
        Some(e) => {
            stderr.push_str(&format!("Error: {e}\n"));
            1
        }
        None => 0,
    };
    Outcome { stdout: out.stdout, stderr, rc }
}

#[test]
fn render_goldens() {
    let dir = data_dir();
    let cases = fs::read_to_string(dir.join("cases.txt")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (chart, variant, flags) = (parts[0], parts[1], &parts[2..]);
        let base = dir.join("golden").join(chart).join(variant);
        let read = |ext: &str| fs::read_to_string(base.with_extension(ext)).unwrap();
        let got = run(chart, flags);
        n += 1;
        let want_rc: i32 = read("rc").trim().parse().unwrap();
        let mut what = Vec::new();
        if got.stdout != read("stdout") {
            what.push(format!("stdout:\n--- helm\n{}\n--- rhelm\n{}", read("stdout"), got.stdout));
        }
        if got.stderr != read("stderr") {
            what.push(format!("stderr:\n--- helm\n{}\n--- rhelm\n{}", read("stderr"), got.stderr));
        }
        if got.rc != want_rc {
            what.push(format!("rc: helm {want_rc}, rhelm {}", got.rc));
        }
        if !what.is_empty() {
            failures.push(format!("== {chart} {variant}\n{}", what.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases differ:\n{}", failures.len(), failures.join("\n"));
}

mod api {
    use rhelm_chart::render::{self, RenderOptions};
    use rhelm_chart::{Chart, File, Values};
    use rhelm_template::Value;
    use std::sync::Arc;

    fn chart(name: &str, templates: &[(&str, &str)]) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = name.into();
        c.metadata.version = "0.1.0".into();
        c.metadata.api_version = "v2".into();
        c.templates = templates.iter().map(|(n, t)| File::new(*n, t.as_bytes())).collect();
        c
    }

    fn values(pairs: &[(&str, Value)]) -> Values {
        pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect()
    }

    #[test]
    fn keys_scopes_and_partials() {
        let mut lib = chart("lib", &[("templates/_l.tpl", r#"{{ define "l" }}L{{ end }}"#), ("templates/x.yaml", "x")]);
        lib.metadata.chart_type = "library".into();
        let sub = chart("sub", &[("templates/s.yaml", "{{ .Values }} {{ .Template.BasePath }}")]);
        let mut top =
            chart("top", &[("templates/t.yaml", r#"{{ include "l" . }} {{ .Values.a }}"#), ("templates/_p.tpl", "p")]);
        top.dependencies = vec![lib, sub];
        // A subchart whose key is not a table gets an empty one.
        let vals = values(&[("a", Value::Int(1)), ("sub", Value::str("scalar"))]);
        let out = render::render(&top, &vals, &RenderOptions::default()).unwrap();
        let keys: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(keys, ["top/charts/sub/templates/s.yaml", "top/templates/t.yaml"]);
        assert_eq!(out["top/templates/t.yaml"], "L 1");
        assert_eq!(out["top/charts/sub/templates/s.yaml"], "map[] top/charts/sub/templates");
    }

    #[test]
    fn kube_version_and_errors() {
        let mut c = chart("k", &[("templates/a.yaml", "{{ .Values.x.y }}")]);
        c.metadata.kube_version = "<1.20".into();
        let e = render::render(&c, &Values::new(), &RenderOptions::default()).unwrap_err();
        assert_eq!(e.message, "chart requires kubeVersion: <1.20 which is incompatible with Kubernetes v1.37.0");
        c.metadata.kube_version.clear();
        let e = render::render(&c, &Values::new(), &RenderOptions::default()).unwrap_err();
        assert_eq!(
            e.message,
            "k/templates/a.yaml:1:10\n  executing \"k/templates/a.yaml\" at <.Values.x.y>:\n    nil pointer evaluating interface {}.y"
        );
    }

    #[test]
    fn lint_mode_lets_required_pass() {
        let c = chart("l", &[("templates/a.yaml", r#"a{{ required "x" .Values.x }}b"#)]);
        let opts = RenderOptions { lint_mode: true, ..RenderOptions::default() };
        assert_eq!(render::render(&c, &Values::new(), &opts).unwrap()["l/templates/a.yaml"], "ab");
    }
}
