use std::fmt;

/// A failed Kubernetes call. `Display` is the text Helm users see.
#[derive(Debug, Clone)]
pub struct KubeError {
    message: String,
    /// The API status code, when the server answered with one.
    pub code: Option<u16>,
    /// The API status reason (`AlreadyExists`, `Conflict`, `NotFound`, ...).
    pub reason: String,
}

impl KubeError {
    pub fn new(message: impl Into<String>) -> KubeError {
        KubeError { message: message.into(), code: None, reason: String::new() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn is_not_found(&self) -> bool {
        self.code == Some(404)
    }

    pub fn is_already_exists(&self) -> bool {
        self.code == Some(409) && self.reason == "AlreadyExists"
    }

    pub fn is_conflict(&self) -> bool {
        self.code == Some(409) && self.reason != "AlreadyExists"
    }

    /// The same error with `context: ` in front, as Go's `%w` wrapping reads.
    pub fn context(mut self, context: impl fmt::Display) -> KubeError {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for KubeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KubeError {}

impl From<kube::Error> for KubeError {
    fn from(e: kube::Error) -> KubeError {
        match e {
            kube::Error::Api(s) => {
                KubeError { message: s.message.clone(), code: Some(s.code), reason: s.reason.clone() }
            }
            other => KubeError::new(other.to_string()),
        }
    }
}

/// How Go's net/http reports a request that never got an answer, which is
/// what Helm prints after `kubernetes cluster unreachable: `:
/// `Get "URL": dial tcp HOST:PORT: connect: connection refused` and the like.
/// Causes without a Go counterpart keep the Rust client's wording.
pub(crate) fn transport_error(e: kube::Error, method: &str, url: &str) -> KubeError {
    if let kube::Error::Api(_) = e {
        return KubeError::from(e);
    }
    let mut chain: Vec<String> = Vec::new();
    let mut refused = false;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        chain.push(s.to_string());
        source = s.source();
    }
    let text = chain.join(": ");
    let (host, port) = host_port(url);
    let cause = if refused || text.contains("Connection refused") {
        // Go names the address it dialled, so a host name shows resolved.
        let addr = format!("{host}:{port}");
        let dialled = std::net::ToSocketAddrs::to_socket_addrs(&addr)
            .ok()
            .and_then(|a| {
                let all: Vec<std::net::SocketAddr> = a.collect();
                all.iter().find(|a| a.is_ipv4()).or(all.first()).copied()
            })
            .map(|a| a.to_string())
            .unwrap_or(addr);
        format!("dial tcp {dialled}: connect: connection refused")
    } else if text.contains("failed to lookup address") || text.contains("dns error") {
        match first_nameserver() {
            Some(ns) => format!("dial tcp: lookup {host} on {ns}:53: no such host"),
            None => format!("dial tcp: lookup {host}: no such host"),
        }
    } else if text.contains("UnknownIssuer") || text.contains("unknown issuer") {
        "tls: failed to verify certificate: x509: certificate signed by unknown authority".to_string()
    } else if text.contains("NotValidForName") || text.contains("not valid for name") {
        format!("tls: failed to verify certificate: x509: certificate is not valid for {host}")
    } else {
        return KubeError::new(e.to_string());
    };
    KubeError::new(format!("{method} \"{url}\": {cause}"))
}

/// The host and port Go dials for a URL (443 for https, 80 for http).
fn host_port(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split('/').next().unwrap_or("");
    let authority = authority.rsplit_once('@').map(|(_, a)| a).unwrap_or(authority);
    let default = if scheme == "http" { "80" } else { "443" };
    // `[::1]:6443`: the port follows the bracket; a bare IPv6 host has none.
    let port_at = if authority.starts_with('[') { authority.find("]:").map(|i| i + 1) } else { authority.rfind(':') };
    match port_at {
        Some(i) => (authority[..i].to_string(), authority[i + 1..].to_string()),
        None => (authority.to_string(), default.to_string()),
    }
}

/// Go's resolver names the DNS server it asked.
fn first_nameserver() -> Option<String> {
    let conf = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    conf.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        (words.next() == Some("nameserver")).then(|| words.next().map(str::to_string)).flatten()
    })
}
