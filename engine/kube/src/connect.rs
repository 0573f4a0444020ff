//! Building a client as Helm's `genericclioptions` does: kubeconfig (the
//! `--kubeconfig` file, else `KUBECONFIG`, else ~/.kube/config), context,
//! namespace, and the `--kube-*` overrides.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Mutex;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::discovery::Discovery;
use crate::error::KubeError;

/// Helm's global Kubernetes flags.
#[derive(Debug, Clone, Default)]
pub struct KubeOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub api_server: Option<String>,
    pub token: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub as_user: Option<String>,
    pub as_groups: Vec<String>,
}

/// `/version` of the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVersion {
    pub major: String,
    pub minor: String,
    pub git_version: String,
}

/// A connection to one cluster.
pub struct Kube {
    pub(crate) client: Client,
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
    namespace: String,
    /// The API server's URL, for Go-style transport errors and as the key
    /// of the discovery cache.
    pub(crate) server: String,
    pub(crate) discovery: Mutex<Option<Discovery>>,
    /// The server's OpenAPI document, read once when a client-side update
    /// first needs patch metadata.
    pub(crate) openapi: Mutex<Option<std::sync::Arc<crate::patch::OpenApi>>>,
    /// Whether the server takes `fieldValidation` for every kind (known
    /// from its version), asked once.
    pub(crate) validates_fields: std::sync::OnceLock<bool>,
    /// The server's `/version`, once known (see [`Kube::server_version`]).
    version: std::sync::OnceLock<ServerVersion>,
    retry_budget: crate::retry::Budget,
}

impl Kube {
    /// Reads the kubeconfig and builds a client. Nothing is sent to the
    /// server yet, so this succeeds for an unreachable cluster.
    pub fn connect(opts: &KubeOptions) -> Result<Kube, KubeError> {
        let runtime = new_runtime()?;
        let config = runtime.block_on(load_config(opts))?;
        Self::from_config(runtime, config, opts)
    }

    /// A client that reads no kubeconfig, for work that never reaches the
    /// cluster (`install --dry-run=client`), where Helm's lazily built
    /// client is never made: a missing or broken kubeconfig is no error
    /// there. It points at client-go's default server, localhost:8080.
    pub fn detached(namespace: &str) -> Result<Kube, KubeError> {
        let runtime = new_runtime()?;
        let config = Config::new(http::Uri::from_static("http://localhost:8080"));
        Self::from_config(
            runtime,
            config,
            &KubeOptions { namespace: Some(namespace.to_string()), ..Default::default() },
        )
    }

    fn from_config(runtime: tokio::runtime::Runtime, config: Config, opts: &KubeOptions) -> Result<Kube, KubeError> {
        let namespace = match &opts.namespace {
            Some(ns) if !ns.is_empty() => ns.clone(),
            _ => config.default_namespace.clone(),
        };
        let retry_budget = crate::retry::budget();
        let server = config.cluster_url.to_string().trim_end_matches('/').to_string();
        let client = runtime
            .block_on(async {
                kube::client::ClientBuilder::try_from(config)
                    .map(|b| b.with_layer(&crate::retry::RetryLayer(retry_budget.clone())).build())
            })
            .map_err(|e| KubeError::new(format!("kubernetes cluster unreachable: {e}")))?;
        Ok(Kube {
            client,
            runtime: std::sync::Arc::new(runtime),
            namespace,
            server,
            discovery: Mutex::new(None),
            openapi: Mutex::new(None),
            validates_fields: std::sync::OnceLock::new(),
            version: std::sync::OnceLock::new(),
            retry_budget,
        })
    }

    /// Caps how long a request is retried through connection failures (an
    /// API server restarting); actions pass their --timeout.
    pub fn limit_retries(&self, budget: std::time::Duration) {
        let ms = budget.min(crate::retry::BUDGET).as_millis() as u64;
        self.retry_budget.store(ms, std::sync::atomic::Ordering::Relaxed);
    }

    /// The namespace commands act in: `-n`, else the context's, else `default`.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The underlying client, for callers with their own typed requests
    /// (the release storage drivers).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The runtime calls run on, for callers that drive `client()` themselves.
    pub fn runtime(&self) -> std::sync::Arc<tokio::runtime::Runtime> {
        self.runtime.clone()
    }

    /// Runs a future on this connection's runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// `/version` of the server; a transport failure reads as Go's
    /// (`Get "https://host:port/version": dial tcp host:port: connect: connection refused`).
    /// Asked once per run: the reachability check and the capabilities
    /// both want it.
    pub fn server_version(&self) -> Result<ServerVersion, KubeError> {
        if let Some(v) = self.version.get() {
            return Ok(v.clone());
        }
        let info = self.block_on(self.client.apiserver_version()).map_err(|e| self.transport_error(e, "/version"))?;
        let v = ServerVersion { major: info.major, minor: info.minor, git_version: info.git_version };
        Ok(self.version.get_or_init(|| v).clone())
    }

    /// Helm's `IsReachable`: asks for the server version, and words a
    /// failure as `kubernetes cluster unreachable: <cause>`.
    pub fn is_reachable(&self) -> Result<(), KubeError> {
        self.server_version().map(|_| ()).map_err(|e| e.context("kubernetes cluster unreachable"))
    }

    /// The API server's base URL.
    pub fn server_url(&self) -> &str {
        &self.server
    }

    pub(crate) fn transport_error(&self, e: kube::Error, path: &str) -> KubeError {
        crate::error::transport_error(e, "Get", &format!("{}{path}", self.server))
    }
}

/// Requests in flight at once. The client speaks HTTP/1.1, so each needs
/// its own connection and TLS handshake; a pool of this size, reused through
/// a batch, beats one connection per object. RHELM_KUBE_CONCURRENCY tunes it.
fn concurrency() -> usize {
    std::env::var("RHELM_KUBE_CONCURRENCY").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(16)
}

/// Runs the futures with bounded concurrency; results in input order.
pub(crate) async fn in_order<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    use futures::StreamExt;
    futures::stream::iter(futures).buffered(concurrency()).collect().await
}

fn new_runtime() -> Result<tokio::runtime::Runtime, KubeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| KubeError::new(format!("cannot start the Kubernetes client: {e}")))?;
    // Both rustls back ends are compiled in (through different crates),
    // so rustls cannot pick one by itself; ring is the one kube's TLS uses.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(runtime)
}

async fn load_config(opts: &KubeOptions) -> Result<Config, KubeError> {
    let unreadable = |e: &dyn std::fmt::Display| KubeError::new(format!("kubernetes cluster unreachable: {e}"));
    let kubeconfig = match &opts.kubeconfig {
        Some(p) if !p.as_os_str().is_empty() => {
            if let Err(e) = std::fs::metadata(p) {
                return Err(unreadable(&format!("stat {}: {}", p.display(), go_io_error(&e))));
            }
            Kubeconfig::read_from(p).map_err(|e| unreadable(&e))?
        }
        _ => read_kubeconfig_env().map_err(|e| unreadable(&e))?,
    };
    let options = KubeConfigOptions { context: opts.context.clone().filter(|c| !c.is_empty()), ..Default::default() };
    let mut config = if kubeconfig.contexts.is_empty() && options.context.is_none() {
        // No kubeconfig at all: client-go falls back to http://localhost:8080
        // (which --kube-apiserver then replaces).
        Config::new(http::Uri::from_static("http://localhost:8080"))
    } else {
        Config::from_custom_kubeconfig(kubeconfig, &options).await.map_err(|e| unreadable(&e))?
    };
    if let Some(server) = opts.api_server.as_deref().filter(|s| !s.is_empty()) {
        config.cluster_url = server.parse().map_err(|e| unreadable(&e))?;
    }
    if let Some(token) = opts.token.as_deref().filter(|s| !s.is_empty()) {
        config.auth_info.token = Some(token.to_string().into());
        config.auth_info.client_certificate_data = None;
        config.auth_info.client_key_data = None;
    }
    if let Some(ca) = &opts.ca_file {
        let pem = std::fs::read(ca).map_err(|e| unreadable(&format!("{}: {e}", ca.display())))?;
        config.root_cert = Some(pem_certificates(&pem));
    }
    if opts.insecure_skip_tls_verify {
        config.accept_invalid_certs = true;
    }
    if let Some(name) = opts.tls_server_name.as_deref().filter(|s| !s.is_empty()) {
        config.tls_server_name = Some(name.to_string());
    }
    if let Some(user) = opts.as_user.as_deref().filter(|s| !s.is_empty()) {
        config.auth_info.impersonate = Some(user.to_string());
        if !opts.as_groups.is_empty() {
            config.auth_info.impersonate_groups = Some(opts.as_groups.clone());
        }
    }
    Ok(config)
}

/// `KUBECONFIG` as client-go reads it: a path list merged first-wins, with
/// files that do not exist skipped; unset, `~/.kube/config`.
fn read_kubeconfig_env() -> Result<Kubeconfig, kube::config::KubeconfigError> {
    let Some(value) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) else {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let default = home.join(".kube").join("config");
        return if default.exists() { Kubeconfig::read_from(default) } else { Ok(Kubeconfig::default()) };
    };
    let mut merged = Kubeconfig::default();
    for path in std::env::split_paths(&value).filter(|p| !p.as_os_str().is_empty() && p.exists()) {
        merged = merged.merge(Kubeconfig::read_from(&path)?)?;
    }
    Ok(merged)
}

/// Go's wording of the common file errors (`no such file or directory`).
fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_lowercase()
        }
    }
}

/// The DER bodies of the PEM certificates in `pem`.
fn pem_certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut body = String::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN CERTIFICATE") {
            inside = true;
            body.clear();
        } else if line.starts_with("-----END CERTIFICATE") {
            inside = false;
            if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&body) {
                out.push(der);
            }
        } else if inside {
            body.push_str(line);
        }
    }
    out
}
