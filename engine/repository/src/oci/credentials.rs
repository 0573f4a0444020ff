//! `registry login/logout`: docker's config.json as Helm keeps it.

use super::*;

/// `helm registry login`: checks the credentials against `/v2/`, then stores them.
pub(super) fn login_inner(host: &str, username: &str, password: &str, opts: &OciOptions) -> Result<(), String> {
    let scheme = if opts.plain_http { "http" } else { "https" };
    let url = format!("{scheme}://{host}/v2/");
    let mut b = reqwest::blocking::Client::builder().user_agent("Helm/4.3.1").no_proxy();
    if opts.insecure_skip_tls_verify {
        b = b.danger_accept_invalid_certs(true);
    }
    if !opts.ca_file.is_empty() {
        let pem = std::fs::read(&opts.ca_file)
            .map_err(|e| format!("can't read CA file: {}: {}", opts.ca_file, crate::go_io_error(&e)))?;
        for c in reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string())? {
            b = b.add_root_certificate(c);
        }
    }
    let resp = b
        .build()
        .map_err(|e| e.to_string())?
        .get(&url)
        .basic_auth(username, Some(password))
        .send()
        .map_err(|e| format!("authenticating to {host:?}: Get {url:?}: {e}"))?;
    let status = resp.status();
    if !status.is_success() {
        let body: serde_json::Value = resp.json().unwrap_or(serde_json::Value::Null);
        let detail = body["errors"][0]["message"]
            .as_str()
            .map(|m| format!(": {}: {m}", body["errors"][0]["code"].as_str().unwrap_or("").to_lowercase()))
            .unwrap_or_default();
        return Err(format!(
            "authenticating to {host:?}: GET {url:?}: response status code {}{detail}",
            status.as_u16()
        ));
    }
    store_credentials(&opts.registry_config, host, Some((username, password)))
}

/// `helm registry logout`: forgets the stored credentials of `host`.
pub(super) fn logout_inner(host: &str, registry_config: &Path) -> Result<(), String> {
    if stored_credentials(registry_config, host).is_none() {
        // Helm says the same whether or not there was anything to remove.
        return Ok(());
    }
    store_credentials(registry_config, host, None)
}

pub(super) fn read_config(path: &Path) -> serde_json::Map<String, serde_json::Value> {
    std::fs::read(path)
        .ok()
        .and_then(|d| serde_json::from_slice::<serde_json::Value>(&d).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

/// The user and password stored for `host` (docker's `auth`: base64 of `user:pass`).
pub fn stored_credentials(path: &Path, host: &str) -> Option<(String, String)> {
    let cfg = read_config(path);
    let entry = cfg.get("auths")?.get(host)?;
    if let Some(a) = entry.get("auth").and_then(|a| a.as_str()) {
        let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, a).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (u, p) = text.split_once(':')?;
        return Some((u.to_string(), p.to_string()));
    }
    let u = entry.get("username")?.as_str()?.to_string();
    let p = entry.get("password")?.as_str()?.to_string();
    Some((u, p))
}

/// Writes (or with None removes) `host`'s credentials, keeping every other
/// key of the file; tab-indented as Helm's credential store writes it.
pub(super) fn store_credentials(path: &Path, host: &str, creds: Option<(&str, &str)>) -> Result<(), String> {
    let mut cfg = read_config(path);
    let auths = cfg.entry("auths").or_insert_with(|| serde_json::Value::Object(Default::default()));
    let Some(auths) = auths.as_object_mut() else {
        return Err(format!("{}: \"auths\" is not an object", path.display()));
    };
    match creds {
        Some((u, p)) => {
            let token = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{u}:{p}"));
            auths.insert(host.to_string(), serde_json::json!({ "auth": token }));
        }
        None => {
            auths.remove(host);
        }
    }
    let value = J::value(
        &rhelm_functions::json::from_str(&serde_json::Value::Object(cfg).to_string()).map_err(|e| e.to_string())?,
    );
    let text = value.pretty_with("\t");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::atomic_write(path, text.as_bytes(), 0o600)
}
