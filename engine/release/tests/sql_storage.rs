//! The SQL driver (HELM_DRIVER=sql) on a real PostgreSQL server, and
//! interoperability with helm 4.3.1 through it. Needs a server:
//! `scripts/test-postgres up DIR` prints a connection string; put it in
//! RHELM_TEST_POSTGRES (scripts/test does). Without one the tests fail and
//! say how to start one. Each test works in a database of its own.

use std::sync::{Arc, Barrier};

use rhelm_release::model::{Release, Status};
use rhelm_release::storage::{make_key, Driver, Labels, Sql, StorageError};

mod support;

const REL1_V3: &str = include_str!("rel1.v3.json");

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
    let db = format!("rhelm_{tag}_{}", std::process::id());
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

fn psql(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

fn sample(name: &str, version: i64, status: Status) -> Release {
    let mut r = Release::from_json(REL1_V3).unwrap();
    r.name = name.into();
    r.version = version;
    r.namespace = "default".into();
    r.info_mut().status = status;
    r
}

fn migrations(url: &str) -> Vec<(String, String)> {
    psql(url)
        .query("SELECT id, applied_at::text FROM gorp_migrations ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn driver_operations() {
    let url = fresh_database("ops");
    let d = Sql::connect(&url, "default").expect("connect");
    // The bookkeeping sql-migrate keeps, as helm 4.3.1 leaves it.
    let m = migrations(&url);
    assert_eq!(m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["custom_labels", "init"]);
    // A second connection applies nothing again.
    drop(Sql::connect(&url, "default").unwrap());
    assert_eq!(migrations(&url), m);

    let mut r1 = sample("sqlrel", 1, Status::Superseded);
    r1.labels.insert("team".into(), "blue".into());
    let r2 = sample("sqlrel", 2, Status::Deployed);
    d.create(&make_key("sqlrel", 1), &r1).unwrap();
    d.create(&make_key("sqlrel", 2), &r2).unwrap();
    let dup = d.create(&make_key("sqlrel", 2), &r2).unwrap_err();
    assert_eq!(dup.to_string(), r#"pq: duplicate key value violates unique constraint "releases_v1_pkey" (23505)"#);

    let got = d.get(&make_key("sqlrel", 1)).unwrap();
    assert_eq!(got.version, 1);
    assert_eq!(got.labels.get("team").map(String::as_str), Some("blue"));
    assert_eq!(d.get(&make_key("sqlrel", 9)).err(), Some(StorageError::NotFound));

    let mut q = Labels::new();
    q.insert("name".into(), "sqlrel".into());
    q.insert("owner".into(), "helm".into());
    assert_eq!(d.query(&q).unwrap().len(), 2);
    q.insert("status".into(), "deployed".into());
    let dep = d.query(&q).unwrap();
    assert_eq!(dep.len(), 1);
    assert_eq!(dep[0].version, 2);
    q.insert("version".into(), "1".into());
    assert_eq!(d.query(&q).err(), Some(StorageError::NotFound));
    let mut bad = Labels::new();
    bad.insert("team".into(), "blue".into());
    assert_eq!(d.query(&bad).err(), Some(StorageError::Other("unknown label team".into())));

    let all = d.list(&|_| true).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|r| r.labels.get("owner").map(String::as_str) == Some("helm")));

    let mut r2u = r2.clone();
    r2u.info_mut().status = Status::Superseded;
    d.update(&make_key("sqlrel", 2), &r2u).unwrap();
    assert_eq!(d.get(&make_key("sqlrel", 2)).unwrap().status(), Status::Superseded);
    let modified: i32 = psql(&url)
        .query_one("SELECT modifiedAt FROM releases_v1 WHERE key = $1", &[&make_key("sqlrel", 2)])
        .unwrap()
        .get(0);
    assert!(modified > 0);

    let gone = d.delete(&make_key("sqlrel", 1)).unwrap();
    assert_eq!(gone.labels.get("team").map(String::as_str), Some("blue"));
    assert_eq!(d.get(&make_key("sqlrel", 1)).err(), Some(StorageError::NotFound));
    let labels: i64 = psql(&url).query_one("SELECT count(*) FROM custom_labels_v1", &[]).unwrap().get(0);
    assert_eq!(labels, 0);
}

#[test]
fn concurrent_claims_of_one_revision_have_one_winner() {
    let url = fresh_database("claims");
    drop(Sql::connect(&url, "default").unwrap());
    for round in 1..=5i64 {
        let n = 6;
        let barrier = Arc::new(Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let url = url.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let d = Sql::connect(&url, "default").unwrap();
                    let mut r = sample("race", round, Status::PendingUpgrade);
                    r.info_mut().description = format!("writer {i}");
                    barrier.wait();
                    d.create(&make_key("race", round), &r)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let wins = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "round {round}: {results:?}");
        // Each loser's error is lib/pq's text, as helm 4.3.1 prints it when
        // its insert of an existing revision fails (cli/tests/release_sql.rs
        // compares the two commands).
        let lost = Err(StorageError::Claimed(
            r#"pq: duplicate key value violates unique constraint "releases_v1_pkey" (23505)"#.into(),
        ));
        assert!(results.iter().filter(|r| r.is_err()).all(|r| *r == lost), "{results:?}");
    }
}

#[test]
fn connection_errors_read_as_helms() {
    // Nothing listens on port 1.
    let e = Sql::connect("postgres://helm@127.0.0.1:1/postgres?sslmode=disable", "default").err().unwrap();
    assert_eq!(e, "dial tcp 127.0.0.1:1: connect: connection refused");
    // lib/pq 1.12 ends a server's error with its SQLSTATE; helm 4.3.1 says
    // `unable to instantiate SQL driver: pq: database "..." does not exist (3D000)`.
    let url = server_url();
    let base = url.split_once('?').map_or(url.as_str(), |(b, _)| b);
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    let e = Sql::connect(&format!("{base}/rhelm_no_such_db?sslmode=disable"), "default").err().unwrap();
    assert_eq!(e, r#"pq: database "rhelm_no_such_db" does not exist (3D000)"#);
}

/// helm 4.3.1 migrates a fresh database, rhelm uses it without migrating
/// again; rhelm's rows are then read by helm and helm's by rhelm.
#[test]
fn helm_reads_what_rhelm_stores_and_back() {
    let url = fresh_database("interop");
    let kc = std::env::var("RHELM_TEST_KUBECONFIG").unwrap_or_else(|_| {
        panic!("no test cluster: run `scripts/test-cluster up` and set RHELM_TEST_KUBECONFIG to the path it prints")
    });
    let helm_cmd = |args: &[&str]| {
        support::run_helm(
            &[("KUBECONFIG", &kc), ("HELM_DRIVER", "sql"), ("HELM_DRIVER_SQL_CONNECTION_STRING", &url)],
            args,
        )
    };
    // helm creates the tables and its bookkeeping.
    let (code, _, err) = helm_cmd(&["list", "-A"]);
    assert_eq!(code, 0, "{err}");
    let before = migrations(&url);
    assert_eq!(before.len(), 2);

    let d = Sql::connect(&url, "default").unwrap();
    assert_eq!(migrations(&url), before, "rhelm re-applied helm's migrations");
    let mut r1 = sample("fromrhelm", 1, Status::Superseded);
    r1.labels.insert("team".into(), "blue".into());
    d.create(&make_key("fromrhelm", 1), &r1).unwrap();
    d.create(&make_key("fromrhelm", 2), &sample("fromrhelm", 2, Status::Deployed)).unwrap();

    let (code, out, err) = helm_cmd(&["list", "-n", "default", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed[0]["name"], "fromrhelm");
    assert_eq!(listed[0]["revision"], "2");
    let (code, out, err) = helm_cmd(&["history", "fromrhelm", "-n", "default", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let hist: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(hist.as_array().unwrap().len(), 2);
    let (code, out, err) = helm_cmd(&["get", "values", "fromrhelm", "-n", "default", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let values: serde_json::Value = serde_json::from_str(&out).unwrap();
    let stored: serde_json::Value = serde_json::from_str(REL1_V3).unwrap();
    let want = if stored["config"].is_null() { serde_json::json!({}) } else { stored["config"].clone() };
    assert_eq!(values, want);
    let (code, out, _) = helm_cmd(&["get", "manifest", "fromrhelm", "-n", "default"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim_end(), sample("fromrhelm", 2, Status::Deployed).manifest.trim_end());

    // helm writes a row (uninstall --keep-history of a release with nothing
    // in the cluster updates it), rhelm reads helm's encoding back.
    let (code, _, err) = helm_cmd(&["uninstall", "fromrhelm", "-n", "default", "--keep-history"]);
    assert_eq!(code, 0, "{err}");
    let back = d.get(&make_key("fromrhelm", 2)).unwrap();
    assert_eq!(back.status(), Status::Uninstalled);
    assert_eq!(d.get(&make_key("fromrhelm", 1)).unwrap().labels.get("team").map(String::as_str), Some("blue"));
}
