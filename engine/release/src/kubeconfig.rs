//! A kube-rs client from kubeconfig, for the storage drivers until the
//! rhelm-kube crate provides connections.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::runtime::Runtime;

pub struct Connection {
    pub client: kube::Client,
    pub runtime: Arc<Runtime>,
    /// `-n`, else the context's namespace, else "default".
    pub namespace: String,
}

pub fn runtime() -> Result<Arc<Runtime>, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map(Arc::new).map_err(|e| e.to_string())
}

/// Connects with `--kubeconfig` (else KUBECONFIG / ~/.kube/config) and
/// `--kube-context`.
pub fn connect(kubeconfig: Option<PathBuf>, context: Option<String>, namespace: Option<String>) -> Result<Connection, String> {
    let runtime = runtime()?;
    let opts = kube::config::KubeConfigOptions { context, cluster: None, user: None };
    let config = runtime.block_on(async {
        match kubeconfig {
            Some(path) => {
                let kc = kube::config::Kubeconfig::read_from(&path).map_err(|e| e.to_string())?;
                kube::Config::from_custom_kubeconfig(kc, &opts).await.map_err(|e| e.to_string())
            }
            None => kube::Config::from_kubeconfig(&opts).await.map_err(|e| e.to_string()),
        }
    })?;
    let ns = namespace.filter(|n| !n.is_empty()).unwrap_or_else(|| config.default_namespace.clone());
    let client = {
        let _guard = runtime.enter();
        kube::Client::try_from(config).map_err(|e| e.to_string())?
    };
    Ok(Connection { client, runtime, namespace: ns })
}
