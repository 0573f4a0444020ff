//! HELM_DRIVER=sql through the command line: helm 4.3.1 and rhelm share one
//! PostgreSQL database, and each continues the releases the other stored.
//! Needs the test cluster (installs reach an API server) and the test
//! PostgreSQL (`scripts/test-postgres up DIR`, URL in RHELM_TEST_POSTGRES);
//! without them the tests fail and say how to start them.

mod common;
mod support;

use common::{release_chart, Env, Tool};
use support::{compare_env, Diffs};

fn server_url() -> String {
    std::env::var("RHELM_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "no test PostgreSQL: run `scripts/test-postgres up DIR` and set RHELM_TEST_POSTGRES to the connection string it prints"
        )
    })
}

/// A fresh database on the test server; the URL for it.
fn fresh_database(tag: &str) -> String {
    let url = server_url();
    let db = format!("rhelm_cli_{tag}_{}", std::process::id());
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test PostgreSQL");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    if query.is_empty() {
        format!("{base}/{db}")
    } else {
        format!("{base}/{db}?{query}")
    }
}

/// Runs one command with both tools on the same release (same namespace,
/// same database): what they print must be the same.
fn both(d: &mut Diffs, env: &Env, ns: &str, args: &[&str], vars: &[(&str, &str)]) -> String {
    let (h, _, diff) = compare_env(env, ns, ns, args, vars, &|s| s.to_string());
    if let Some(diff) = diff {
        d.0.push(diff);
    }
    h.stdout()
}

fn must(env: &Env, tool: Tool, args: &[&str], vars: &[(&str, &str)]) {
    let mut c = env.command(tool, args);
    c.envs(vars.iter().copied());
    let o = c.output().unwrap();
    assert!(o.status.success(), "{tool:?} {}: {}{}", args.join(" "), common::text(&o.stdout), common::text(&o.stderr));
}

/// The commands that read a release, by both tools.
fn reads_agree(d: &mut Diffs, env: &Env, ns: &str, name: &str, revs: &[&str], vars: &[(&str, &str)]) {
    let listed = both(d, env, ns, &["list", "-n", "{ns}"], vars);
    assert!(listed.contains(name), "helm does not list {name}: {listed}");
    both(d, env, ns, &["list", "-n", "{ns}", "-o", "json"], vars);
    let history = both(d, env, ns, &["history", name, "-n", "{ns}"], vars);
    assert_eq!(history.lines().count(), revs.len() + 1, "helm history: {history}");
    for rev in revs {
        both(d, env, ns, &["get", "manifest", name, "-n", "{ns}", "--revision", rev], vars);
        both(d, env, ns, &["get", "values", name, "-n", "{ns}", "--revision", rev], vars);
        both(d, env, ns, &["get", "values", name, "-n", "{ns}", "--revision", rev, "--all"], vars);
    }
}

#[test]
fn each_tool_continues_the_others_sql_release() {
    let env = Env::new();
    let db = fresh_database("interop");
    let sql = &[("HELM_DRIVER", "sql"), ("HELM_DRIVER_SQL_CONNECTION_STRING", db.as_str())];
    let chart = release_chart("features");
    let mut d = Diffs::default();

    // rhelm installs first, so rhelm also creates the tables helm then uses.
    let ns = env.namespace("sqlr");
    must(&env, Tool::Rhelm, &["install", "fromr", &chart, "-n", &ns, "--create-namespace", "--labels", "team=x"], sql);
    reads_agree(&mut d, &env, &ns, "fromr", &["1"], sql);
    must(&env, Tool::Helm, &["upgrade", "fromr", &chart, "-n", &ns, "--set", "data=two"], sql);
    reads_agree(&mut d, &env, &ns, "fromr", &["1", "2"], sql);
    both(&mut d, &env, &ns, &["status", "fromr", "-n", "{ns}"], sql);

    // helm installs, rhelm upgrades, rolls back and uninstalls.
    let ns = env.namespace("sqlh");
    must(&env, Tool::Helm, &["install", "fromh", &chart, "-n", &ns, "--create-namespace"], sql);
    reads_agree(&mut d, &env, &ns, "fromh", &["1"], sql);
    must(&env, Tool::Rhelm, &["upgrade", "fromh", &chart, "-n", &ns, "--set", "data=two"], sql);
    reads_agree(&mut d, &env, &ns, "fromh", &["1", "2"], sql);
    must(&env, Tool::Rhelm, &["rollback", "fromh", "1", "-n", &ns], sql);
    reads_agree(&mut d, &env, &ns, "fromh", &["1", "2", "3"], sql);
    assert_eq!(env.kubectl_ok(&["-n", &ns, "get", "configmap", "fromh-cm", "-o", "jsonpath={.data.data}"]), "one");
    must(&env, Tool::Rhelm, &["uninstall", "fromh", "-n", &ns], sql);
    both(&mut d, &env, &ns, &["list", "-n", "{ns}", "-a"], sql);
    both(&mut d, &env, &ns, &["history", "fromh", "-n", "{ns}"], sql);
    both(&mut d, &env, &ns, &["list", "-A", "-o", "json"], sql);
    d.assert_none();
}

/// A revision someone else already holds: helm's insert fails on the
/// primary key and it prints lib/pq's error; rhelm prints the same.
#[test]
fn install_onto_a_taken_revision_reads_as_helms() {
    let env = Env::new();
    let db = fresh_database("dup");
    let sql = &[("HELM_DRIVER", "sql"), ("HELM_DRIVER_SQL_CONNECTION_STRING", db.as_str())];
    let chart = release_chart("features");
    let hns = env.namespace("duph");
    let rns = env.namespace("dupr");
    // helm migrates the new database.
    must(&env, Tool::Helm, &["list", "-A"], sql);
    let mut c = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
        // Another owner's row is invisible to history, so both tools pick
        // revision 1 and collide with it.
        c.execute(
            "INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdAt) \
             VALUES ('sh.helm.release.v1.dup.v1', 'helm.sh/release.v1', 'x', 'dup', $1, 1, 'deployed', 'other', 0)",
            &[ns],
        )
        .unwrap();
    }
    let mut d = Diffs::default();
    let (h, _) = d.step_env(&env, &hns, &rns, &["install", "dup", &chart, "-n", "{ns}"], sql);
    assert!(h.stderr().contains("pq: duplicate key value violates unique constraint"), "helm: {}", h.stderr());
    d.assert_none();
}
