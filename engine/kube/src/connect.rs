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
    /// The API server's URL (keys the discovery cache).
    pub(crate) server: String,
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
    namespace: String,
    pub(crate) discovery: Mutex<Option<Discovery>>,
}

impl Kube {
    /// Reads the kubeconfig and builds a client. Nothing is sent to the
    /// server yet, so this succeeds for an unreachable cluster.
    pub fn connect(opts: &KubeOptions) -> Result<Kube, KubeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| KubeError::new(format!("cannot start the Kubernetes client: {e}")))?;
        // Both rustls back ends are compiled in (through different crates),
        // so rustls cannot pick one by itself; ring is the one kube's TLS uses.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = runtime.block_on(load_config(opts))?;
        let namespace = match &opts.namespace {
            Some(ns) if !ns.is_empty() => ns.clone(),
            _ => config.default_namespace.clone(),
        };
        let server = config.cluster_url.to_string();
        let client = runtime
            .block_on(async { Client::try_from(config) })
            .map_err(|e| KubeError::new(format!("kubernetes cluster unreachable: {e}")))?;
        Ok(Kube {
            client,
            server,
            runtime: std::sync::Arc::new(runtime),
            namespace,
            discovery: Mutex::new(None),
        })
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

    pub fn server_version(&self) -> Result<ServerVersion, KubeError> {
        let info = self
            .block_on(self.client.apiserver_version())
            .map_err(|e| KubeError::from(e).context("kubernetes cluster unreachable"))?;
        Ok(ServerVersion { major: info.major, minor: info.minor, git_version: info.git_version })
    }
}

async fn load_config(opts: &KubeOptions) -> Result<Config, KubeError> {
    let unreadable = |e: &dyn std::fmt::Display| KubeError::new(format!("kubernetes cluster unreachable: {e}"));
    let kubeconfig = match &opts.kubeconfig {
        Some(p) if !p.as_os_str().is_empty() => Kubeconfig::read_from(p).map_err(|e| unreadable(&e))?,
        _ => match Kubeconfig::read() {
            Ok(k) => k,
            // No kubeconfig at all: client-go falls back to localhost:8080.
            Err(_) if opts.api_server.is_some() => Kubeconfig::default(),
            Err(e) => return Err(unreadable(&e)),
        },
    };
    let options = KubeConfigOptions { context: opts.context.clone().filter(|c| !c.is_empty()), ..Default::default() };
    let mut config = if kubeconfig.contexts.is_empty() && opts.api_server.is_some() {
        let url = opts.api_server.as_deref().unwrap_or_default();
        Config::new(url.parse().map_err(|e| unreadable(&e))?)
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
