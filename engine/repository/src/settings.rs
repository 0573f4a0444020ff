//! Where Helm keeps a user's repository and registry state, so rhelm reads
//! and writes the very same files (helm's `pkg/cli` and `pkg/helmpath`).
//!
//! Each path is `HELM_*` if set, else under the Helm home directories, which
//! are `HELM_{CONFIG,CACHE,DATA}_HOME`, else `XDG_*_HOME/helm`, else the XDG
//! defaults under `$HOME`. Command-line flags override the result.

use std::env;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// repositories.yaml (`--repository-config`, `HELM_REPOSITORY_CONFIG`).
    pub repository_config: PathBuf,
    /// Downloaded index files (`--repository-cache`, `HELM_REPOSITORY_CACHE`).
    pub repository_cache: PathBuf,
    /// Registry credentials, docker's config.json format
    /// (`--registry-config`, `HELM_REGISTRY_CONFIG`).
    pub registry_config: PathBuf,
    /// Helm 4's content-addressed chart cache (`--content-cache`, `HELM_CONTENT_CACHE`).
    pub content_cache: PathBuf,
}

impl Settings {
    /// Settings from the process environment.
    pub fn from_env() -> Settings {
        Settings::from_lookup(|name| env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from))
    }

    /// Settings from any variable lookup; tests pass their own.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<PathBuf>) -> Settings {
        let home = || lookup("HOME").unwrap_or_else(|| PathBuf::from("/"));
        let base = |helm_var: &str, xdg_var: &str, default: &[&str]| -> PathBuf {
            if let Some(p) = lookup(helm_var) {
                return p;
            }
            if let Some(p) = lookup(xdg_var) {
                return p.join("helm");
            }
            let mut p = home();
            p.extend(default);
            p.join("helm")
        };
        let config = base("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", &[".config"]);
        let cache = base("HELM_CACHE_HOME", "XDG_CACHE_HOME", &[".cache"]);
        let or = |var: &str, default: PathBuf| lookup(var).unwrap_or(default);
        Settings {
            repository_config: or("HELM_REPOSITORY_CONFIG", config.join("repositories.yaml")),
            repository_cache: or("HELM_REPOSITORY_CACHE", cache.join("repository")),
            registry_config: or("HELM_REGISTRY_CONFIG", config.join(Path::new("registry/config.json"))),
            content_cache: or("HELM_CONTENT_CACHE", cache.join("content")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let vars: HashMap<String, PathBuf> = vars.iter().map(|(k, v)| (k.to_string(), PathBuf::from(v))).collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_follow_xdg_under_home() {
        let s = settings(&[("HOME", "/home/u")]);
        assert_eq!(s.repository_config, PathBuf::from("/home/u/.config/helm/repositories.yaml"));
        assert_eq!(s.repository_cache, PathBuf::from("/home/u/.cache/helm/repository"));
        assert_eq!(s.registry_config, PathBuf::from("/home/u/.config/helm/registry/config.json"));
        assert_eq!(s.content_cache, PathBuf::from("/home/u/.cache/helm/content"));
    }

    #[test]
    fn helm_homes_beat_xdg_and_specific_variables_beat_both() {
        let s = settings(&[
            ("HOME", "/home/u"),
            ("XDG_CONFIG_HOME", "/x/config"),
            ("XDG_CACHE_HOME", "/x/cache"),
            ("HELM_CACHE_HOME", "/h/cache"),
            ("HELM_REPOSITORY_CONFIG", "/r.yaml"),
        ]);
        assert_eq!(s.repository_config, PathBuf::from("/r.yaml"));
        assert_eq!(s.registry_config, PathBuf::from("/x/config/helm/registry/config.json"));
        assert_eq!(s.repository_cache, PathBuf::from("/h/cache/repository"));
    }
}
