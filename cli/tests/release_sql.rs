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

/// The certificates `scripts/test-postgres` made beside the server
/// (RHELM_TEST_POSTGRES_TLS): ca.crt, other-ca.crt, client.crt/.key.
fn tls_dir() -> std::path::PathBuf {
    std::env::var_os("RHELM_TEST_POSTGRES_TLS").map(Into::into).unwrap_or_else(|| {
        panic!("no TLS files for the test PostgreSQL: set RHELM_TEST_POSTGRES_TLS to the tls folder `scripts/test-postgres up DIR` made (DIR/tls)")
    })
}

/// lib/pq's TLS rules, through every `sslmode` and the certificate
/// settings: which strings connect and which fail, with what words. Each
/// string is given to both tools against the same database (the server
/// speaks TLS; its certificate names localhost only; the role tlsuser may
/// only log in over TLS with its client certificate).
#[test]
fn tls_settings_connect_or_fail_as_in_helm() {
    let env = Env::new();
    let db = fresh_database("tls");
    let t = tls_dir();
    let t = |f: &str| t.join(f).display().to_string();
    let plain = db.split_once('?').map_or(db.as_str(), |(b, _)| b).to_string();
    let (ca, other, cert, key) = (t("ca.crt"), t("other-ca.crt"), t("client.crt"), t("client.key"));
    let by_name = plain.replace("127.0.0.1", "localhost");
    let tlsuser = plain.replace("helm@", "tlsuser@");
    let certs = format!("sslcert={cert}&sslkey={key}");
    // A key others may read, which lib/pq refuses to use.
    let scratch = env.home.join("tls");
    std::fs::create_dir_all(&scratch).unwrap();
    let open_key = scratch.join("open.key");
    std::fs::copy(&key, &open_key).unwrap();
    std::fs::set_permissions(&open_key, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    // ~/.postgresql holding the defaults: root.crt, postgresql.crt/.key.
    let home = scratch.join("home");
    std::fs::create_dir_all(home.join(".postgresql")).unwrap();
    for (from, to) in [(&ca, "root.crt"), (&cert, "postgresql.crt"), (&key, "postgresql.key")] {
        std::fs::copy(from, home.join(".postgresql").join(to)).unwrap();
    }
    let home = home.display().to_string();
    let (port, dbname) = {
        let rest = plain.rsplit_once(':').unwrap().1;
        let (p, d) = rest.split_once('/').unwrap();
        (p.to_string(), d.to_string())
    };

    let sql =
        |conn: &str| vec![("HELM_DRIVER", "sql".to_string()), ("HELM_DRIVER_SQL_CONNECTION_STRING", conn.to_string())];
    // helm migrates the new database over plain TCP.
    let setup = sql(&db);
    let setup: Vec<(&str, &str)> = setup.iter().map(|(k, v)| (*k, v.as_str())).collect();
    must(&env, Tool::Helm, &["list", "-A"], &setup);

    let cases: Vec<(Vec<(&str, String)>, bool)> = vec![
        // No sslmode is `require`: TLS, any certificate.
        (sql(&plain), true),
        (sql(&format!("{plain}?sslmode=verify-full&sslrootcert={ca}")), false),
        (sql(&format!("{by_name}?sslmode=verify-full&sslrootcert={ca}")), true),
        (sql(&format!("{by_name}?sslmode=verify-full&sslrootcert={other}")), false),
        (sql(&format!("{by_name}?sslmode=verify-full")), false),
        (sql(&format!("{by_name}?sslmode=verify-ca&sslrootcert={other}")), false),
        (sql(&format!("{plain}?sslmode=verify-ca&sslrootcert={ca}")), true),
        // `require` with a root certificate checks the chain ...
        (sql(&format!("{plain}?sslmode=require&sslrootcert={other}")), false),
        // ... unless the file is not there.
        (sql(&format!("{plain}?sslmode=require&sslrootcert=/nonexistent/ca.crt")), true),
        (sql(&format!("{by_name}?sslrootcert=system&sslmode=require")), false),
        (sql(&format!("{plain}?sslmode=bogus")), false),
        (sql(&format!("{plain}?sslmode=require&ssl_min_protocol_version=TLSv9")), false),
        (sql(&format!("{tlsuser}?sslmode=require")), false),
        (sql(&format!("{tlsuser}?sslmode=require&{certs}")), true),
        (sql(&format!("{tlsuser}?sslmode=require&sslcert={cert}&sslkey={}", open_key.display())), false),
        (sql(&format!("{tlsuser}?sslmode=require&sslcert={cert}&sslkey={key}.missing")), false),
        (sql(&format!("{tlsuser}?sslmode=disable&{certs}")), false),
        // `allow` tries without TLS first; pg_hba refuses, so TLS it is.
        (sql(&format!("{tlsuser}?sslmode=allow&{certs}")), true),
        (sql(&format!("{tlsuser}?sslmode=prefer&{certs}")), true),
        (
            sql(&format!(
                "host=localhost port={port} user=helm dbname={dbname} sslmode=verify-full sslrootcert='{ca}'"
            )),
            true,
        ),
        (
            sql(&format!(
                "host=127.0.0.1 port={port} user=tlsuser dbname={dbname} sslmode=verify-full sslrootcert='{ca}'"
            )),
            false,
        ),
        // The defaults from ~/.postgresql: the root certificate turns
        // `require` into a chain check, the client certificate logs in.
        ([sql(&format!("{tlsuser}?sslmode=verify-ca")), vec![("HOME", home.clone())]].concat(), true),
        (
            [
                sql(&format!("{}?sslmode=verify-full", tlsuser.replace("127.0.0.1", "localhost"))),
                vec![("HOME", home.clone())],
            ]
            .concat(),
            true,
        ),
        ([sql(&plain), vec![("PGSSLMODE", "verify-full".to_string()), ("PGSSLROOTCERT", ca.clone())]].concat(), false),
    ];
    let ns = env.namespace("sqltls");
    let mut d = Diffs::default();
    for (vars, ok) in &cases {
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut probe = env.command(Tool::Helm, &["list", "-A"]);
        probe.envs(vars.iter().copied());
        let o = probe.output().unwrap();
        assert_eq!(o.status.success(), *ok, "helm with {vars:?}: {}", common::text(&o.stderr));
        both(&mut d, &env, &ns, &["list", "-A"], &vars);
    }

    // A release installed by rhelm over verified TLS with a client
    // certificate is helm's to read and remove over the same string.
    let conn = format!("{}?sslmode=verify-full&sslrootcert={ca}&{certs}", tlsuser.replace("127.0.0.1", "localhost"));
    let vars = [("HELM_DRIVER", "sql"), ("HELM_DRIVER_SQL_CONNECTION_STRING", conn.as_str())];
    must(
        &env,
        Tool::Rhelm,
        &["install", "overtls", &release_chart("features"), "-n", &ns, "--create-namespace"],
        &vars,
    );
    reads_agree(&mut d, &env, &ns, "overtls", &["1"], &vars);
    must(&env, Tool::Helm, &["uninstall", "overtls", "-n", &ns], &vars);
    both(&mut d, &env, &ns, &["list", "-A", "-a"], &vars);
    d.assert_none();
}

/// A server that answers lib/pq's TLS request with `N` (one without TLS):
/// with no sslmode both tools stop there, in lib/pq's words.
#[test]
fn a_server_without_tls_is_refused_as_in_helm() {
    let env = Env::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            use std::io::{Read, Write};
            // The 8-byte SSLRequest, then "no TLS here".
            let mut request = [0u8; 8];
            if conn.read_exact(&mut request).is_ok() {
                let _ = conn.write_all(b"N");
            }
        }
    });
    let conn = format!("postgres://helm@127.0.0.1:{port}/postgres");
    let vars = [("HELM_DRIVER", "sql"), ("HELM_DRIVER_SQL_CONNECTION_STRING", conn.as_str())];
    let ns = env.namespace("sqlnotls");
    let mut d = Diffs::default();
    let (h, _, diff) = compare_env(&env, &ns, &ns, &["list", "-A"], &vars, &|s| s.to_string());
    assert!(h.stderr().contains("pq: SSL is not enabled on the server"), "helm: {}", h.stderr());
    d.0.extend(diff);
    d.assert_none();
}
