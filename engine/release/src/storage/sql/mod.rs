//! Helm's SQL driver (pkg/storage/driver/sql.go), PostgreSQL only:
//! `HELM_DRIVER=sql` with `HELM_DRIVER_SQL_CONNECTION_STRING`.
//!
//! The schema and the migration bookkeeping are the ones Helm's
//! rubenv/sql-migrate leaves behind, so Helm and rhelm share a database
//! either way round: table `gorp_migrations (id text primary key,
//! applied_at timestamptz)` with rows `custom_labels` and `init` (applied in
//! that order, sql-migrate sorts ids), `releases_v1` keyed by
//! (key, namespace) and `custom_labels_v1`.

use std::sync::Mutex;

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, GenericClient};

use super::{filter_system_labels, unix_now, Driver, Labels, StorageError};
use crate::codec;
use crate::model::Release;

mod settings;
mod tls;

const MIGRATIONS_TABLE: &str = "gorp_migrations";
const OWNER: &str = "helm";
const RELEASE_TYPE: &str = "helm.sh/release.v1";
/// Columns `query` may filter on (sql.go's labelMap).
const QUERY_COLUMNS: &[&str] = &["modifiedAt", "createdAt", "version", "status", "owner", "name"];

/// The column values `create` and `update` write for a release.
struct Row {
    ns: String,
    body: String,
    version: i32,
    status: String,
    /// createdAt on insert, modifiedAt on update.
    now: i32,
}

impl Row {
    fn of(rls: &Release) -> Result<Row, StorageError> {
        Ok(Row {
            ns: release_namespace(rls),
            body: codec::encode(rls).map_err(StorageError::Other)?,
            version: rls.version as i32,
            status: rls.status().to_string(),
            now: unix_now() as i32,
        })
    }
}

/// The two migrations, in the order sql-migrate applies them (by id).
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "custom_labels",
        "CREATE TABLE custom_labels_v1 (
            releaseKey VARCHAR(64),
            releaseNamespace VARCHAR(67),
            key VARCHAR(317),
            value VARCHAR(63)
        );
        CREATE INDEX ON custom_labels_v1 (releaseKey, releaseNamespace);
        GRANT ALL ON custom_labels_v1 TO PUBLIC;
        ALTER TABLE custom_labels_v1 ENABLE ROW LEVEL SECURITY;",
    ),
    (
        "init",
        "CREATE TABLE releases_v1 (
            key VARCHAR(90),
            type VARCHAR(64) NOT NULL,
            body TEXT NOT NULL,
            name VARCHAR(64) NOT NULL,
            namespace VARCHAR(64) NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            owner TEXT NOT NULL,
            createdAt INTEGER NOT NULL,
            modifiedAt INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY(key, namespace)
        );
        CREATE INDEX ON releases_v1 (key, namespace);
        CREATE INDEX ON releases_v1 (version);
        CREATE INDEX ON releases_v1 (status);
        CREATE INDEX ON releases_v1 (owner);
        CREATE INDEX ON releases_v1 (createdAt);
        CREATE INDEX ON releases_v1 (modifiedAt);
        GRANT ALL ON releases_v1 TO PUBLIC;
        ALTER TABLE releases_v1 ENABLE ROW LEVEL SECURITY;",
    ),
];

pub struct Sql {
    inner: Mutex<Inner>,
}

struct Inner {
    client: Client,
    /// "" reads every namespace (`list -A`). Like Helm, `create` and
    /// `update` switch it to the release's namespace.
    namespace: String,
}

fn other(e: impl std::fmt::Display) -> StorageError {
    StorageError::Other(e.to_string())
}

/// lib/pq 1.12's `Error.Error()`, which is what helm prints: the server's
/// message, then its SQLSTATE in parentheses.
fn pq_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("pq: {} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// lib/pq's wording for the errors users meet most, so messages read as Helm's.
fn connect_error(cfg: &postgres::Config, e: &postgres::Error) -> String {
    if let Some(text) = tls::failure_text(e) {
        return text;
    }
    let text = e.to_string();
    let refused = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
    if refused {
        let host = cfg
            .get_hosts()
            .first()
            .map(|h| match h {
                postgres::config::Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(p) => p.display().to_string(),
            })
            .unwrap_or_else(|| "localhost".into());
        let host = if host == "localhost" { "127.0.0.1".to_string() } else { host };
        let port = cfg.get_ports().first().copied().unwrap_or(5432);
        return format!("dial tcp {host}:{port}: connect: connection refused");
    }
    if e.as_db_error().is_some() {
        return pq_text(e);
    }
    text
}

impl Sql {
    /// `NewSQL`: connects and applies the migrations not yet recorded.
    /// The error text is what follows `unable to instantiate SQL driver: `.
    pub fn connect(conn: &str, namespace: &str) -> Result<Sql, String> {
        let parsed = settings::parse(conn, &|k| std::env::var(k).ok())?;
        // lib/pq defaults to localhost:5432 when the string names no host.
        let mut cfg: postgres::Config = parsed.rest.parse().map_err(|e: postgres::Error| e.to_string())?;
        if cfg.get_hosts().is_empty() {
            cfg.host("localhost");
        }
        if cfg.get_user().is_none() {
            if let Ok(u) = std::env::var("PGUSER").or_else(|_| std::env::var("USER")) {
                cfg.user(&u);
            }
        }
        #[cfg(unix)]
        let unix = matches!(cfg.get_hosts().first(), Some(postgres::config::Host::Unix(_)));
        #[cfg(not(unix))]
        let unix = false;
        let mut client = tls::connect(&mut cfg, &parsed.tls, unix).map_err(|f| match f {
            tls::Failure::Setup(text) => text,
            tls::Failure::Connect(e) => connect_error(&cfg, &e),
        })?;
        ensure_setup(&mut client).map_err(|e| pq_text(&e))?;
        Ok(Sql { inner: Mutex::new(Inner { client, namespace: namespace.to_string() }) })
    }

    /// The namespace reads use; "" reads all namespaces.
    pub fn set_namespace(&self, ns: &str) {
        self.lock().namespace = ns.to_string();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// sql-migrate's `Exec(Up)`: the bookkeeping table if missing, then each
/// migration not yet recorded, each in its own transaction with its row.
fn ensure_setup(client: &mut Client) -> Result<(), postgres::Error> {
    let applied: Vec<String> = match client.query(&format!("SELECT id FROM {MIGRATIONS_TABLE}"), &[]) {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(_) => Vec::new(),
    };
    if MIGRATIONS.iter().all(|(id, _)| applied.iter().any(|a| a == id)) {
        return Ok(());
    }
    client.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (id text NOT NULL PRIMARY KEY, applied_at timestamp with time zone)"
    ))?;
    for (id, up) in MIGRATIONS {
        let mut tx = client.transaction()?;
        let done = tx.query_opt(&format!("SELECT 1 FROM {MIGRATIONS_TABLE} WHERE id = $1 FOR UPDATE"), &[id])?;
        if done.is_some() {
            continue;
        }
        tx.batch_execute(up)?;
        tx.execute(&format!("INSERT INTO {MIGRATIONS_TABLE} (id, applied_at) VALUES ($1, now())"), &[id])?;
        tx.commit()?;
    }
    Ok(())
}

fn custom_labels(client: &mut impl GenericClient, key: &str, ns: &str) -> Result<Labels, StorageError> {
    let rows = client
        .query("SELECT key, value FROM custom_labels_v1 WHERE releaseKey = $1 AND releaseNamespace = $2", &[&key, &ns])
        .map_err(other)?;
    let mut lbs = Labels::new();
    for r in rows {
        let k: Option<String> = r.get(0);
        let v: Option<String> = r.get(1);
        lbs.insert(k.unwrap_or_default(), v.unwrap_or_default());
    }
    Ok(filter_system_labels(&lbs))
}

fn system_labels(rls: &Release) -> Labels {
    let mut lbs = Labels::new();
    lbs.insert("name".into(), rls.name.clone());
    lbs.insert("owner".into(), OWNER.into());
    lbs.insert("status".into(), rls.status().to_string());
    lbs.insert("version".into(), rls.version.to_string());
    lbs
}

fn release_namespace(rls: &Release) -> String {
    if rls.namespace.is_empty() {
        "default".into()
    } else {
        rls.namespace.clone()
    }
}

impl Driver for Sql {
    fn name(&self) -> &'static str {
        "SQL"
    }

    fn get(&self, key: &str) -> Result<Release, StorageError> {
        let mut g = self.lock();
        let ns = g.namespace.clone();
        let row = g
            .client
            .query_opt("SELECT body FROM releases_v1 WHERE key = $1 AND namespace = $2", &[&key, &ns])
            .map_err(|_| StorageError::NotFound)?
            .ok_or(StorageError::NotFound)?;
        let body: String = row.get(0);
        let mut rls = codec::decode(&body).map_err(StorageError::Other)?;
        rls.labels = custom_labels(&mut g.client, key, &ns)?;
        Ok(rls)
    }

    fn list(&self, filter: &dyn Fn(&Release) -> bool) -> Result<Vec<Release>, StorageError> {
        let mut g = self.lock();
        let ns = g.namespace.clone();
        let rows = if ns.is_empty() {
            g.client.query("SELECT key, body FROM releases_v1 WHERE owner = $1", &[&OWNER])
        } else {
            g.client.query("SELECT key, body FROM releases_v1 WHERE owner = $1 AND namespace = $2", &[&OWNER, &ns])
        }
        .map_err(other)?;
        let mut out = Vec::new();
        for r in rows {
            let key: String = r.get(0);
            let body: String = r.get(1);
            let Ok(mut rls) = codec::decode(&body) else { continue };
            // Helm reads the labels with the driver's namespace, not the row's.
            let mut lbs = custom_labels(&mut g.client, &key, &ns)?;
            lbs.extend(system_labels(&rls));
            rls.labels = lbs;
            if filter(&rls) {
                out.push(rls);
            }
        }
        Ok(out)
    }

    fn query(&self, labels: &Labels) -> Result<Vec<Release>, StorageError> {
        let mut g = self.lock();
        let ns = g.namespace.clone();
        let mut sql = String::from("SELECT key, body FROM releases_v1");
        let mut args: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut conds = Vec::new();
        for (k, v) in labels {
            if !QUERY_COLUMNS.contains(&k.as_str()) {
                return Err(StorageError::Other(format!("unknown label {k}")));
            }
            args.push(v);
            // Parameters bind as text, as lib/pq sends them untyped.
            conds.push(format!("{k}::text = ${}", args.len()));
        }
        if !ns.is_empty() {
            args.push(&ns);
            conds.push(format!("namespace = ${}", args.len()));
        }
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        let rows = g.client.query(&sql, &args).map_err(other)?;
        let mut out = Vec::new();
        for r in rows {
            let key: String = r.get(0);
            let body: String = r.get(1);
            let Ok(mut rls) = codec::decode(&body) else { continue };
            rls.labels = custom_labels(&mut g.client, &key, &ns)?;
            out.push(rls);
        }
        if out.is_empty() {
            return Err(StorageError::NotFound);
        }
        Ok(out)
    }

    fn create(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let mut g = self.lock();
        let Row { ns, body, version, status, now } = Row::of(rls)?;
        g.namespace = ns.clone();
        let mut tx = g.client.transaction().map_err(|e| other(format!("error beginning transaction: {e}")))?;
        let inserted = tx.execute(
            "INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdAt) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[&key, &RELEASE_TYPE, &body, &rls.name, &ns, &version, &status, &OWNER, &now],
        );
        if let Err(e) = inserted {
            // The primary key (key, namespace) is the revision claim: of two
            // concurrent creators the server lets exactly one insert. Helm
            // looks the row up again in the failed transaction, which
            // Postgres refuses, so it reports lib/pq's error, not
            // ErrReleaseExists.
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                return Err(StorageError::Claimed(pq_text(&e)));
            }
            return Err(other(pq_text(&e)));
        }
        for (k, v) in filter_system_labels(&rls.labels) {
            tx.execute(
                "INSERT INTO custom_labels_v1 (releaseKey, releaseNamespace, key, value) VALUES ($1, $2, $3, $4)",
                &[&key, &ns, &k, &v],
            )
            .map_err(other)?;
        }
        tx.commit().map_err(|e| {
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                StorageError::Claimed(pq_text(&e))
            } else {
                other(format!("error committing transaction: {e}"))
            }
        })
    }

    fn update(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let mut g = self.lock();
        let Row { ns, body, version, status, now } = Row::of(rls)?;
        g.namespace = ns.clone();
        g.client
            .execute(
                "UPDATE releases_v1 SET body = $1, name = $2, version = $3, status = $4, owner = $5, modifiedAt = $6 \
                 WHERE key = $7 AND namespace = $8",
                &[&body, &rls.name, &version, &status, &OWNER, &now, &key, &ns],
            )
            .map_err(other)?;
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<Release, StorageError> {
        let mut g = self.lock();
        let ns = g.namespace.clone();
        let mut tx = g.client.transaction().map_err(|e| other(format!("error beginning transaction: {e}")))?;
        let row = tx
            .query_opt("SELECT body FROM releases_v1 WHERE key = $1 AND namespace = $2", &[&key, &ns])
            .map_err(|_| StorageError::NotFound)?
            .ok_or(StorageError::NotFound)?;
        let body: String = row.get(0);
        let mut rls = codec::decode(&body).map_err(StorageError::Other)?;
        tx.execute("DELETE FROM releases_v1 WHERE key = $1 AND namespace = $2", &[&key, &ns]).map_err(other)?;
        rls.labels = custom_labels(&mut tx, key, &ns)?;
        tx.execute("DELETE FROM custom_labels_v1 WHERE releaseKey = $1 AND releaseNamespace = $2", &[&key, &ns])
            .map_err(other)?;
        tx.commit().map_err(|e| other(format!("error committing transaction: {e}")))?;
        Ok(rls)
    }
}
