//! Downloads as Helm's HTTP getter makes them (`pkg/getter/httpgetter.go`):
//! User-Agent `Helm/4.3.1`, basic auth only towards the repository's own
//! host unless credentials may go everywhere, a repository's CA bundle in
//! place of the system roots, client certificates, and the proxies the
//! environment names (never for loopback, as Go's `ProxyFromEnvironment`).

use std::time::Duration;

/// How to reach one repository.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    pub username: String,
    pub password: String,
    /// The repository URL whose host receives the credentials.
    pub credentials_url: String,
    pub pass_credentials_all: bool,
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
    pub insecure_skip_tls_verify: bool,
    pub timeout: Option<Duration>,
}

impl HttpOptions {
    pub fn from_entry(e: &crate::repo_file::Entry) -> HttpOptions {
        HttpOptions {
            username: e.username.clone(),
            password: e.password.clone(),
            credentials_url: e.url.clone(),
            pass_credentials_all: e.pass_credentials_all,
            ca_file: e.ca_file.clone(),
            cert_file: e.cert_file.clone(),
            key_file: e.key_file.clone(),
            insecure_skip_tls_verify: e.insecure_skip_tls_verify,
            timeout: None,
        }
    }
}

/// GETs `url`; a non-200 answer is `failed to fetch URL : STATUS`.
pub fn get(url: &str, opts: &HttpOptions) -> Result<Vec<u8>, String> {
    let client = client(url, opts)?;
    let mut req = client.get(url);
    if !opts.username.is_empty() || !opts.password.is_empty() {
        if opts.pass_credentials_all || same_host(url, &opts.credentials_url) {
            req = req.basic_auth(&opts.username, Some(&opts.password));
        }
    }
    let resp = req.send().map_err(|e| transport_error(url, &e))?;
    let status = resp.status();
    if status != reqwest::StatusCode::OK {
        // The server's own reason phrase, as Go prints resp.Status.
        let reason = resp
            .extensions()
            .get::<hyper::ext::ReasonPhrase>()
            .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
            .or_else(|| status.canonical_reason().map(str::to_string))
            .unwrap_or_default();
        return Err(format!("failed to fetch {url} : {} {reason}", status.as_u16()));
    }
    resp.bytes().map(|b| b.to_vec()).map_err(|e| transport_error(url, &e))
}

fn client(url: &str, opts: &HttpOptions) -> Result<reqwest::blocking::Client, String> {
    let mut b = reqwest::blocking::Client::builder()
        .user_agent("Helm/4.3.1")
        .timeout(opts.timeout.unwrap_or(Duration::from_secs(120)));
    if is_loopback(url) {
        b = b.no_proxy();
    }
    if !opts.ca_file.is_empty() {
        let pem = std::fs::read(&opts.ca_file).map_err(|e| format!("can't read CA file: {}: {}", opts.ca_file, crate::go_io_error(&e)))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| format!("failed to append certificates from file: {}: {e}", opts.ca_file))?;
        // Go's tls.Config.RootCAs replaces the system pool.
        b = b.tls_built_in_root_certs(false);
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if !opts.cert_file.is_empty() || !opts.key_file.is_empty() {
        let mut pem = std::fs::read(&opts.cert_file).map_err(|e| format!("can't load key pair from cert {} and key {}: {}", opts.cert_file, opts.key_file, crate::go_io_error(&e)))?;
        pem.push(b'\n');
        pem.extend(std::fs::read(&opts.key_file).map_err(|e| format!("can't load key pair from cert {} and key {}: {}", opts.cert_file, opts.key_file, crate::go_io_error(&e)))?);
        let id = reqwest::Identity::from_pem(&pem).map_err(|e| format!("can't load key pair from cert {} and key {}: {e}", opts.cert_file, opts.key_file))?;
        b = b.identity(id);
    }
    if opts.insecure_skip_tls_verify {
        b = b.danger_accept_invalid_certs(true);
    }
    b.build().map_err(|e| format!("Get {}: {e}", rhelm_template::fmt::quote(url)))
}

fn host_port(url: &str) -> Option<(String, Option<u16>)> {
    let u = reqwest::Url::parse(url).ok()?;
    Some((u.host_str()?.to_ascii_lowercase(), u.port_or_known_default()))
}

fn same_host(a: &str, b: &str) -> bool {
    matches!((host_port(a), host_port(b)), (Some(x), Some(y)) if x == y)
}

fn is_loopback(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else { return false };
    let Some(host) = u.host_str() else { return false };
    host.eq_ignore_ascii_case("localhost") || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Go's wording: `Get "URL": dial tcp HOST:PORT: connect: connection refused`,
/// `tls: failed to verify certificate: ...`.
fn transport_error(url: &str, e: &reqwest::Error) -> String {
    let quoted = rhelm_template::fmt::quote(url);
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut chain = Vec::new();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                let host = host_port(url).map(|(h, p)| format!("{h}:{}", p.unwrap_or(0))).unwrap_or_default();
                return format!("Get {quoted}: dial tcp {host}: connect: connection refused");
            }
        }
        let text = s.to_string();
        if !chain.iter().any(|c: &String| c.contains(&text)) {
            chain.push(text);
        }
        source = s.source();
    }
    let joined = chain.join(": ");
    if joined.contains("certificate") || joined.contains("UnknownIssuer") {
        return format!("Get {quoted}: tls: failed to verify certificate: {}", chain.last().cloned().unwrap_or_default());
    }
    format!("Get {quoted}: {joined}")
}

/// The last path segment of a URL (query and fragment dropped): the name
/// a downloaded archive is saved under.
pub fn file_name(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default().rsplit('/').next().unwrap_or_default()
}

/// Helm's `ResolveReferenceURL`: `ref` relative to the repository URL taken
/// as a directory (a trailing `/` added), its query kept.
pub fn resolve_reference(base: &str, reference: &str) -> Result<String, String> {
    let mut u = reqwest::Url::parse(base).map_err(|e| format!("failed to parse {base} as URL: {e}"))?;
    if reference.contains("://") {
        return Ok(reference.to_string());
    }
    let query = u.query().map(str::to_string);
    u.set_query(None);
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    let mut r = u.join(reference).map_err(|e| format!("failed to parse {reference} as URL: {e}"))?;
    if r.query().is_none() {
        r.set_query(query.as_deref());
    }
    Ok(r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_under_the_repository() {
        assert_eq!(resolve_reference("https://h/charts", "index.yaml").unwrap(), "https://h/charts/index.yaml");
        assert_eq!(resolve_reference("https://h/charts/", "index.yaml").unwrap(), "https://h/charts/index.yaml");
        assert_eq!(resolve_reference("https://h/charts?x=1", "a-1.tgz").unwrap(), "https://h/charts/a-1.tgz?x=1");
        assert_eq!(resolve_reference("https://h/charts", "https://o/x.tgz").unwrap(), "https://o/x.tgz");
        assert!(same_host("http://127.0.0.1:80/a", "http://127.0.0.1/b"));
        assert!(!same_host("http://a/", "http://b/"));
    }
}
