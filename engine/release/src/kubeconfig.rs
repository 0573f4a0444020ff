//! A cluster connection for the storage drivers, made by rhelm-kube (which
//! reads kubeconfig, contexts and the `--kube-*` overrides).

use std::sync::Arc;

use tokio::runtime::Runtime;

pub use rhelm_kube::KubeOptions;

pub struct Connection {
    pub client: kube::Client,
    pub runtime: Arc<Runtime>,
    /// `-n`, else the context's namespace, else "default".
    pub namespace: String,
}

pub fn runtime() -> Result<Arc<Runtime>, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map(Arc::new).map_err(|e| e.to_string())
}

pub fn connect_with(opts: &KubeOptions) -> Result<Connection, String> {
    let kube = rhelm_kube::Kube::connect(opts).map_err(|e| e.to_string())?;
    Ok(Connection { client: kube.client(), runtime: kube.runtime(), namespace: kube.namespace().to_string() })
}

/// Connects with `--kubeconfig` (else KUBECONFIG / ~/.kube/config),
/// `--kube-context` and `-n`.
pub fn connect(
    kubeconfig: Option<std::path::PathBuf>,
    context: Option<String>,
    namespace: Option<String>,
) -> Result<Connection, String> {
    connect_with(&KubeOptions {
        kubeconfig,
        context,
        namespace,
        api_server: None,
        token: None,
        ca_file: None,
        insecure_skip_tls_verify: false,
        tls_server_name: None,
        as_user: None,
        as_groups: Vec::new(),
    })
}
