//! The registry connection: oci-client on a small tokio runtime of its own
//! (the crate is async, rhelm's API blocking), credentials, and oras-go's
//! wording of what a registry answers.

use super::*;

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the OCI client: {e}"))
}

pub(super) fn client(opts: &OciOptions) -> Result<Client, String> {
    if !opts.cert_file.is_empty() || !opts.key_file.is_empty() {
        return Err("client certificates for OCI registries are not supported by rhelm yet".into());
    }
    let mut certs = Vec::new();
    if !opts.ca_file.is_empty() {
        let data = std::fs::read(&opts.ca_file)
            .map_err(|e| format!("can't read CA file: {}: {}", opts.ca_file, crate::go_io_error(&e)))?;
        certs.push(Certificate { encoding: CertificateEncoding::Pem, data });
    }
    let config = ClientConfig {
        protocol: if opts.plain_http { ClientProtocol::Http } else { ClientProtocol::Https },
        accept_invalid_certificates: opts.insecure_skip_tls_verify,
        extra_root_certificates: certs,
        user_agent: "Helm/4.3.1",
        ..ClientConfig::default()
    };
    Ok(Client::new(config))
}

/// `host[:port]` of a reference (`oci://` optional).
pub(super) fn host_of(reference: &str) -> &str {
    let r = reference.trim_start_matches("oci://");
    r.split('/').next().unwrap_or(r)
}

/// The credentials for `host`: explicit ones, else those `registry login` stored.
pub(super) fn auth(host: &str, opts: &OciOptions) -> RegistryAuth {
    if !opts.username.is_empty() || !opts.password.is_empty() {
        return RegistryAuth::Basic(opts.username.clone(), opts.password.clone());
    }
    match stored_credentials(&opts.registry_config, host) {
        Some((u, p)) => RegistryAuth::Basic(u, p),
        None => RegistryAuth::Anonymous,
    }
}

pub(super) fn parse_reference(r: &str) -> Result<Reference, String> {
    r.trim_start_matches("oci://").parse::<Reference>().map_err(|e| format!("invalid reference {r:?}: {e}"))
}

/// oras-go's wording of a failed manifest fetch.
pub(super) fn fetch_error(reference: &str, e: &oci_client::errors::OciDistributionError, anonymous: bool) -> String {
    use oci_client::errors::OciDistributionError as E;
    let prefix = "failed to perform \"FetchReference\" on source";
    match e {
        E::RegistryError { envelope, .. }
            if envelope.errors.iter().any(|x| {
                serde_json::to_value(&x.code).ok().and_then(|v| v.as_str().map(str::to_string)).as_deref()
                    == Some("MANIFEST_UNKNOWN")
            }) =>
        {
            format!("{prefix}: {reference}: not found")
        }
        E::UnauthorizedError { url } if anonymous => format!("{prefix}: GET {url:?}: basic credential not found"),
        other => format!("{prefix}: {}", registry_error(reference, other)),
    }
}

/// oras-go's wording of a registry's error document:
/// `GET "URL": response status code 404: name unknown: MESSAGE: DETAIL`.
pub(super) fn registry_error(reference: &str, e: &oci_client::errors::OciDistributionError) -> String {
    use oci_client::errors::OciDistributionError as E;
    match e {
        E::RegistryError { envelope, url } => {
            let parts: Vec<String> = envelope
                .errors
                .iter()
                .map(|err| {
                    let code = serde_json::to_value(&err.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let mut s = format!("{}: {}", code.to_lowercase().replace('_', " "), err.message);
                    if let Some(m) = err.detail.as_object() {
                        let kv: Vec<String> = m
                            .iter()
                            .map(|(k, v)| {
                                format!("{k}:{}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                            })
                            .collect();
                        s.push_str(&format!(": map[{}]", kv.join(" ")));
                    }
                    (code, s)
                })
                .map(|(_, s)| s)
                .collect();
            let status = envelope.errors.first().map(|err| {
                match serde_json::to_value(&err.code).ok().and_then(|v| v.as_str().map(str::to_string)).as_deref() {
                    Some("NAME_UNKNOWN" | "MANIFEST_UNKNOWN" | "BLOB_UNKNOWN" | "NOT_FOUND") => 404,
                    Some("UNAUTHORIZED") => 401,
                    Some("DENIED") => 403,
                    Some("UNSUPPORTED") => 405,
                    Some("TOOMANYREQUESTS") => 429,
                    _ => 400,
                }
            });
            format!("GET {url:?}: response status code {}: {}", status.unwrap_or(400), parts.join("; "))
        }
        E::UnauthorizedError { url } => {
            format!("GET {url:?}: response status code 401: unauthorized: authentication required")
        }
        other => format!("{reference}: {other}"),
    }
}

/// Helm asks first whether the manifest exists; a registry that wants
/// credentials nobody gave ends the push there, in oras-go's words.
pub(super) fn check_anonymous_push(reference: &str, manifest_digest: &str, opts: &OciOptions) -> Result<(), String> {
    let (repo, _) = split_tag(reference);
    let host = host_of(repo);
    let path = &repo[host.len()..];
    let scheme = if opts.plain_http { "http" } else { "https" };
    let url = format!("{scheme}://{host}/v2{path}/manifests/{manifest_digest}");
    let client = reqwest::blocking::Client::builder()
        .danger_accept_invalid_certs(opts.insecure_skip_tls_verify)
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    match client.head(&url).send() {
        Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => {
            Err(format!("failed to perform \"Exists\" on destination: HEAD {url:?}: basic credential not found"))
        }
        _ => Ok(()),
    }
}
