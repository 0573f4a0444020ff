//! install and upgrade flags on the test cluster, helm 4.3.1 against
//! rhelm: dry runs (client and server, with HOOKS and MANIFEST),
//! `--hide-secret`, `--description`, `--labels`, `--generate-name`,
//! `--no-hooks`, `--replace`; and rhelm's own `--app-version`.

mod common;
mod support;

use common::{release_chart, Env, Tool};
use support::Diffs;

#[test]
fn dry_runs_match_helm() {
    let env = Env::new();
    let hns = env.namespace("yh");
    let rns = env.namespace("yr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    let all = ["--set", "secret=true,hookConfigMap=true,extra=x-extra"];
    let with = |base: &[&'static str]| -> Vec<String> {
        base.iter().map(|s| s.to_string()).chain([chart.clone()]).chain(all.iter().map(|s| s.to_string())).collect()
    };
    let steps: Vec<Vec<String>> = vec![
        with(&["install", "dr", "-n", "{ns}", "--dry-run"]),
        with(&["install", "dr", "-n", "{ns}", "--dry-run=client"]),
        with(&["install", "dr", "-n", "{ns}", "--dry-run=server"]),
        with(&["install", "dr", "-n", "{ns}", "--dry-run=server", "--hide-secret"]),
        with(&["install", "dr", "-n", "{ns}", "--dry-run", "--hide-secret", "--description", "text"]),
        with(&["install", "dr", "-n", "{ns}", "--hide-secret"]),
        with(&["install", "dr", "-n", "{ns}", "--create-namespace"]),
        with(&["upgrade", "dr", "-n", "{ns}", "--dry-run"]),
        with(&["upgrade", "dr", "-n", "{ns}", "--dry-run=server", "--set", "data=two"]),
        with(&["upgrade", "dr", "-n", "{ns}", "--dry-run=server", "--hide-secret"]),
        with(&["upgrade", "dr", "-n", "{ns}", "--dry-run=client", "--description", "upgraded"]),
        with(&["upgrade", "dr2", "-n", "{ns}", "--install", "--dry-run"]),
        with(&["history", "dr", "-n", "{ns}"]),
    ];
    for s in &steps {
        d.step(&env, &hns, &rns, &s.iter().map(String::as_str).collect::<Vec<_>>());
    }
    d.records(&env, &hns, &rns, "dr", &[1, 2]);
    d.assert_none();
}

#[test]
fn install_flags_match_helm() {
    let env = Env::new();
    let hns = env.namespace("ih");
    let rns = env.namespace("ir");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step(&env, &hns, &rns, &["install", "ds", &chart, "-n", "{ns}", "--create-namespace", "--description", "my text", "--labels", "team=x,tier=web"]);
    d.record_labels(&env, &hns, &rns, "ds");
    d.records(&env, &hns, &rns, "ds", &[1]);
    d.step(&env, &hns, &rns, &["upgrade", "ds", &chart, "-n", "{ns}", "--labels", "team=null,env=prod", "--description", "second"]);
    d.record_labels(&env, &hns, &rns, "ds");
    d.step(&env, &hns, &rns, &["history", "ds", "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["install", "bad", &chart, "-n", "{ns}", "--labels", "owner=me"]);
    // --no-hooks: the post-install hook never runs.
    d.step(&env, &hns, &rns, &["install", "nh", &chart, "-n", "{ns}", "--no-hooks", "--set", "hookConfigMap=true"]);
    d.live(&env, &hns, &rns, "configmap/nh-post-install");
    d.records(&env, &hns, &rns, "nh", &[1]);
    d.step(&env, &hns, &rns, &["uninstall", "nh", "-n", "{ns}", "--no-hooks"]);
    // --replace: a name whose last revision is uninstalled (history kept).
    d.step(&env, &hns, &rns, &["install", "rp", &chart, "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["install", "rp", &chart, "-n", "{ns}", "--replace"]);
    d.step(&env, &hns, &rns, &["uninstall", "rp", "-n", "{ns}", "--keep-history"]);
    d.step(&env, &hns, &rns, &["install", "rp", &chart, "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["install", "rp", &chart, "-n", "{ns}", "--replace", "--set", "data=two"]);
    d.step(&env, &hns, &rns, &["history", "rp", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "rp", &[1, 2]);
    d.record_labels(&env, &hns, &rns, "rp");
    // --generate-name: <chart>-<unix seconds>.
    let gen = regex::Regex::new(r"features-\d{10}").unwrap();
    let mask = |s: &str| gen.replace_all(s, "features-GENERATED").into_owned();
    let (_, _, diff) = support::compare_env(&env, &hns, &rns, &["install", &chart, "-n", "{ns}", "--generate-name"], &[], &mask);
    d.0.extend(diff);
    let (_, _, diff) = support::compare_env(&env, &hns, &rns, &["install", &chart, "-n", "{ns}"], &[], &mask);
    d.0.extend(diff);
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a", "-o", "json"]);
    d.assert_none();
}

/// `--app-version` is rhelm's own: the release's chart carries it, and
/// `list`, `status` and the notes show it.
#[test]
fn app_version_overrides_the_charts() {
    let env = Env::new();
    let ns = env.namespace("av");
    let chart = release_chart("features");
    let run = env.run(Tool::Rhelm, &["install", "av", &chart, "-n", &ns, "--create-namespace", "--app-version", "9.9.9"]).ok();
    assert!(run.stdout().contains("av rev 1 of features 9.9.9"), "{}", run.stdout());
    let rec = env.release_record(&ns, "av", 1);
    assert_eq!(rec["chart"]["metadata"]["appVersion"], "9.9.9");
    let list = env.run(Tool::Rhelm, &["list", "-n", &ns, "-o", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&list.stdout()).unwrap();
    assert_eq!(v[0]["app_version"], "9.9.9");
    let table = env.run(Tool::Rhelm, &["list", "-n", &ns]).ok().stdout();
    assert!(table.lines().nth(1).is_some_and(|l| l.split_whitespace().last() == Some("9.9.9")), "{table}");
    // helm reads it as the release's appVersion too.
    let h = env.run(Tool::Helm, &["list", "-n", &ns, "-o", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&h.stdout()).unwrap();
    assert_eq!(v[0]["app_version"], "9.9.9");
    // An upgrade without the flag goes back to the chart's.
    env.run(Tool::Rhelm, &["upgrade", "av", &chart, "-n", &ns]).ok();
    assert_eq!(env.release_record(&ns, "av", 2)["chart"]["metadata"]["appVersion"], "1.0");
    env.run(Tool::Rhelm, &["upgrade", "av", &chart, "-n", &ns, "--app-version", "2.0"]).ok();
    assert_eq!(env.release_record(&ns, "av", 3)["chart"]["metadata"]["appVersion"], "2.0");
}
