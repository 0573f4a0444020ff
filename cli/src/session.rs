//! A command's connection to a cluster: the Kubernetes client from Helm's
//! global flags and the release storage on top of it (`HELM_DRIVER`).

use std::path::PathBuf;

use rhelm_kube::{Kube, KubeOptions};
use rhelm_release::action::Config;
use rhelm_release::storage::{choose_driver, DriverChoice, KubeDriver, Memory, Storage};

use crate::releases::{self, Failure, Global, Result};

pub struct Session {
    pub kube: Kube,
    progress: Box<dyn Fn(&str)>,
    pub storage: Storage,
    pub namespace: String,
    debug: bool,
    /// The memory driver's PrintingKubeClient (see `Config::printing`).
    printing: bool,
}

fn kube_options(g: &Global, namespace: &str) -> KubeOptions {
    KubeOptions {
        // Only --kubeconfig names a file that must exist; $KUBECONFIG is a
        // list that client-go merges, skipping missing files (rhelm-kube
        // reads it the same way).
        kubeconfig: g.kubeconfig.clone(),
        context: g.kube_context.clone().or_else(|| std::env::var("HELM_KUBECONTEXT").ok()),
        namespace: Some(namespace.to_string()),
        api_server: g.kube_apiserver.clone().or_else(|| std::env::var("HELM_KUBEAPISERVER").ok()),
        token: g.kube_token.clone().or_else(|| std::env::var("HELM_KUBETOKEN").ok()),
        ca_file: g.kube_ca_file.clone().or_else(|| std::env::var_os("HELM_KUBECAFILE").map(PathBuf::from)),
        insecure_skip_tls_verify: g.kube_insecure_skip_tls_verify
            || std::env::var("HELM_KUBEINSECURE_SKIP_TLS_VERIFY").is_ok_and(|v| v == "true"),
        tls_server_name: g.kube_tls_server_name.clone(),
        as_user: g.kube_as_user.clone().or_else(|| std::env::var("HELM_KUBEASUSER").ok()),
        as_groups: g.kube_as_group.clone(),
    }
}

impl Session {
    pub fn open(g: &Global) -> Result<Session> {
        Self::open_with(g, false)
    }

    /// A session for a client-side dry run, which never reaches the
    /// cluster: Helm builds its Kubernetes client lazily and so never
    /// reads the kubeconfig, and a missing or broken one is no error.
    pub fn open_client_only(g: &Global) -> Result<Session> {
        Self::open_with(g, true)
    }

    fn open_with(g: &Global, client_only: bool) -> Result<Session> {
        let namespace = releases::namespace(g);
        let kube = if client_only {
            Kube::detached(&namespace)
        } else {
            Kube::connect(&kube_options(g, &namespace))
        }
        .map_err(|e| Failure::Error(e.to_string()))?;
        let driver = std::env::var("HELM_DRIVER").unwrap_or_default();
        let storage = match choose_driver(&driver) {
            DriverChoice::Memory => {
                let mem = Memory::new();
                // Helm reads HELM_MEMORY_DRIVER_DATA whenever the driver is
                // memory; unset, it is one empty path, which fails to read.
                let data = std::env::var("HELM_MEMORY_DRIVER_DATA").unwrap_or_default();
                mem.load_files(&data, &namespace).map_err(|e| releases::slog_info(&e))?;
                mem.set_namespace(&namespace);
                Storage::new(Box::new(mem))
            }
            DriverChoice::ConfigMaps => {
                Storage::new(Box::new(KubeDriver::config_maps(kube.client(), kube.runtime(), &namespace)))
            }
            DriverChoice::Secrets => {
                Storage::new(Box::new(KubeDriver::secrets(kube.client(), kube.runtime(), &namespace)))
            }
            DriverChoice::Sql => Storage::new(Box::new(releases::open_sql(&namespace)?)),
            _ => return Err(Failure::Raw(format!("level=INFO msg=\"unknown driver \\\"{driver}\\\"\"\n"))),
        };
        let progress = crate::progress::Progress::new();
        let printing = matches!(choose_driver(&driver), DriverChoice::Memory);
        Ok(Session {
            kube,
            storage,
            namespace,
            debug: g.debug,
            printing,
            progress: Box::new(move |l: &str| progress.show(l)),
        })
    }

    pub fn config(&self) -> Config<'_> {
        Config {
            kube: &self.kube,
            storage: &self.storage,
            namespace: self.namespace.clone(),
            log: if self.debug { &|l: &str| eprintln!("{l}") } else { &|_: &str| {} },
            progress: &*self.progress,
            warn: &|l: &str| eprintln!("{l}"),
            printing: self.printing,
        }
    }
}
