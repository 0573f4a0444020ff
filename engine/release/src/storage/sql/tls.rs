//! TLS for the SQL driver, with lib/pq 1.12.3's rules (ssl.go, conn.go),
//! which is what helm 4.3.1's `HELM_DRIVER=sql` links: a connection string
//! that works with helm connects the same way with rhelm, and one helm
//! refuses is refused with helm's words.
//!
//! lib/pq differs from libpq and from tokio-postgres in ways users see:
//! - no `sslmode` means `require` without certificate checks, so a server
//!   without TLS fails with `pq: SSL is not enabled on the server`;
//! - `require` and `prefer` check the chain (not the name) once a root
//!   certificate is given or `~/.postgresql/root.crt` exists;
//! - `verify-ca` checks the chain only, `verify-full` chain and name;
//! - `sslrootcert=system` means the system's roots and demands
//!   `verify-full`;
//! - a client certificate comes from `sslcert`/`sslkey` or
//!   `~/.postgresql/postgresql.{crt,key}`, and a key others can read is
//!   refused.
//!
//! tokio-postgres knows only `disable`, `prefer` and `require`, so the
//! settings ([`super::settings`]) are carried out with a rustls
//! configuration of our own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode;
use postgres::{Client, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::settings::{Mode, Settings};

/// What went wrong on the way to a connection: lib/pq's words for a
/// setting it refuses, or the driver's error.
pub(super) enum Failure {
    Setup(String),
    Connect(postgres::Error),
}

/// Connects as lib/pq's `open` does: `allow` tries without TLS first,
/// `prefer` falls back to no TLS when TLS fails, the others demand it.
pub(super) fn connect(cfg: &mut postgres::Config, tls: &Settings, unix: bool) -> Result<Client, Failure> {
    // TLS is neither needed nor possible over a UNIX socket.
    let mode = if unix { Mode::Disable } else { tls.mode };
    match mode {
        Mode::Disable => plain(cfg),
        Mode::Allow => match plain(cfg) {
            Err(Failure::Connect(e)) if e.as_db_error().is_some() => secure(cfg, tls, Mode::Require),
            other => other,
        },
        Mode::Prefer => match secure(cfg, tls, Mode::Prefer) {
            Err(Failure::Connect(e)) if is_tls_failure(&e) => plain(cfg),
            other => other,
        },
        _ => secure(cfg, tls, mode),
    }
}

fn plain(cfg: &mut postgres::Config) -> Result<Client, Failure> {
    cfg.ssl_mode(SslMode::Disable);
    cfg.connect(NoTls).map_err(Failure::Connect)
}

fn secure(cfg: &mut postgres::Config, tls: &Settings, mode: Mode) -> Result<Client, Failure> {
    let config = client_config(tls, mode).map_err(Failure::Setup)?;
    cfg.ssl_mode(SslMode::Require);
    cfg.connect(MakeRustlsConnect::new(config)).map_err(Failure::Connect)
}

fn is_tls_failure(e: &postgres::Error) -> bool {
    e.to_string().starts_with("error performing TLS handshake")
}

/// lib/pq's text for a failed TLS step, if `e` is one: the server that
/// answers `N` to the TLS request, or the certificate check's message in
/// Go's words (set by [`Verifier`]).
pub(super) fn failure_text(e: &postgres::Error) -> Option<String> {
    if !is_tls_failure(e) {
        return None;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.to_string() == "server does not support TLS" {
            return Some("pq: SSL is not enabled on the server".into());
        }
        let found = s.downcast_ref::<rustls::Error>().or_else(|| {
            s.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        match found {
            Some(rustls::Error::General(text)) => return Some(text.clone()),
            Some(rustls::Error::AlertReceived(alert)) => {
                return Some(format!("remote error: tls: {}", alert_text(*alert)));
            }
            Some(other) => return Some(format!("tls: {other}")),
            None => source = s.source(),
        }
    }
    None
}

/// Go's names of the TLS alerts a PostgreSQL server sends.
fn alert_text(alert: rustls::AlertDescription) -> String {
    use rustls::AlertDescription as A;
    match alert {
        A::HandshakeFailure => "handshake failure".into(),
        A::BadCertificate => "bad certificate".into(),
        A::UnknownCA => "unknown certificate authority".into(),
        A::CertificateRequired => "certificate required".into(),
        A::ProtocolVersion => "protocol version not supported".into(),
        A::DecryptError => "error decrypting message".into(),
        A::InternalError => "internal error".into(),
        A::AccessDenied => "access denied".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// What the server's certificate must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Go's InsecureSkipVerify: any certificate (handshake signatures are
    /// still checked).
    Nothing,
    /// lib/pq's verifyCaOnly: a chain to the roots, any name.
    Chain,
    /// Chain and the host's name.
    Full,
}

/// The directory lib/pq reads default files from: `~/.postgresql`.
fn pg_home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| Path::new(&h).join(".postgresql"))
}

fn client_config(tls: &Settings, mode: Mode) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let home = pg_home();
    let mut root_cert = tls.root_cert.clone();
    if !tls.inline && root_cert.is_empty() {
        if let Some(f) = home.as_ref().map(|h| h.join("root.crt")).filter(|f| f.exists()) {
            root_cert = f.display().to_string();
        }
    }
    let check = match mode {
        Mode::VerifyFull => Check::Full,
        Mode::VerifyCa => Check::Chain,
        _ if root_cert.is_empty() => Check::Nothing,
        _ if tls.inline || Path::new(&root_cert).exists() => Check::Chain,
        _ => {
            // A root certificate that does not exist is forgotten.
            if root_cert != "system" {
                root_cert.clear();
            }
            Check::Nothing
        }
    };
    let roots = root_store(&root_cert, tls.inline, check)?;
    let webpki = match roots {
        Some(roots) if !roots.is_empty() => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("pq: {e}"))?,
        ),
        _ => None,
    };
    let verifier = Verifier { check, webpki, provider: provider.clone() };
    let versions = protocol_versions(tls)?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| format!("tls: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let mut config = match client_identity(tls, home.as_deref())? {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| format!("tls: {e}"))?,
        None => builder.with_no_client_auth(),
    };
    // lib/pq names the host for SNI unless `sslsni=0`; verify-full always
    // needs the name.
    config.enable_sni = tls.sni || mode == Mode::VerifyFull;
    Ok(config)
}

/// The roots a chain must lead to: `sslrootcert`'s certificates, or the
/// system's when it is empty or `system`. `None` when nothing is checked.
fn root_store(root_cert: &str, inline: bool, check: Check) -> Result<Option<RootCertStore>, String> {
    if check == Check::Nothing {
        return Ok(None);
    }
    let mut roots = RootCertStore::empty();
    if root_cert.is_empty() || root_cert == "system" {
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
        return Ok(Some(roots));
    }
    let pem = if inline {
        root_cert.as_bytes().to_vec()
    } else {
        std::fs::read(root_cert).map_err(|e| go_io_error("open", root_cert, &e))?
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok).collect();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err("pq: couldn't parse pem from sslrootcert".into());
    }
    Ok(Some(roots))
}

/// Go's TLS versions between the minimum (1.2 by default) and maximum;
/// rustls has nothing older than 1.2.
fn protocol_versions(tls: &Settings) -> Result<Vec<&'static rustls::SupportedProtocolVersion>, String> {
    let (min, max) = (tls.min_version.unwrap_or(12), tls.max_version.unwrap_or(13));
    let versions: Vec<_> = [(13, &rustls::version::TLS13), (12, &rustls::version::TLS12)]
        .into_iter()
        .filter(|(v, _)| (min..=max).contains(v))
        .map(|(_, p)| p)
        .collect();
    if versions.is_empty() {
        return Err("tls: no supported versions satisfy MinVersion and MaxVersion".into());
    }
    Ok(versions)
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

/// The client certificate: `sslcert`/`sslkey`, or the defaults in
/// `~/.postgresql` when those exist (sslClientCertificates).
fn client_identity(tls: &Settings, home: Option<&Path>) -> Result<Option<Identity>, String> {
    if tls.inline {
        if tls.cert.is_empty() && tls.key.is_empty() {
            return Err("tls: failed to find any PEM data in certificate input".into());
        }
        return key_pair(tls.cert.as_bytes(), tls.key.as_bytes()).map(Some);
    }
    let mut cert = tls.cert.clone();
    if cert.is_empty() {
        if let Some(h) = home {
            cert = h.join("postgresql.crt").display().to_string();
        }
    }
    if cert.is_empty() {
        return Ok(None);
    }
    match std::fs::metadata(&cert) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return Ok(None)
        }
        Err(e) => return Err(go_io_error("stat", &cert, &e)),
    }
    let mut key = tls.key.clone();
    if key.is_empty() {
        if let Some(h) = home {
            key = h.join("postgresql.key").display().to_string();
        }
    }
    if !key.is_empty() {
        key_permissions(&key)?;
    }
    let cert_pem = std::fs::read(&cert).map_err(|e| go_io_error("open", &cert, &e))?;
    let key_pem = std::fs::read(&key).map_err(|e| go_io_error("open", &key, &e))?;
    key_pair(&cert_pem, &key_pem).map(Some)
}

fn key_pair(cert_pem: &[u8], key_pem: &[u8]) -> Result<Identity, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem).filter_map(Result::ok).collect();
    if chain.is_empty() {
        return Err("tls: failed to find any PEM data in certificate input".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|_| "tls: failed to find any PEM data in key input".to_string())?;
    Ok((chain, key))
}

/// pqutil.SSLKeyPermissions: u=rw at most, or u=rw,g=r for a key root owns.
fn key_permissions(key: &str) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(key).map_err(|e| go_io_error("stat", key, &e))?;
    let perm = meta.mode() & 0o777;
    if perm & !0o600 == 0 || (meta.uid() == 0 && perm & !0o640 == 0) {
        return Ok(());
    }
    Err("pq: private key has world access; permissions should be u=rw,g=r (0640) if owned by root, or u=rw (0600), or less".into())
}

/// Go's `*PathError` text: `open /x: no such file or directory`.
fn go_io_error(op: &str, path: &str, e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    let text = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{op} {path}: {text}")
}

/// Checks the server's certificate as lib/pq's mode asks, failing with Go's
/// message (crypto/x509's texts; `tls: failed to verify certificate: ` in
/// front when the check is part of Go's handshake, i.e. verify-full).
#[derive(Debug)]
struct Verifier {
    check: Check,
    webpki: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.check == Check::Nothing {
            return Ok(ServerCertVerified::assertion());
        }
        let prefix = if self.check == Check::Full { "tls: failed to verify certificate: " } else { "" };
        let Some(webpki) = &self.webpki else {
            return Err(rustls::Error::General(format!("{prefix}x509: certificate signed by unknown authority")));
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.check == Check::Chain => Ok(ServerCertVerified::assertion()),
            Err(rustls::Error::InvalidCertificate(e)) => {
                Err(rustls::Error::General(format!("{prefix}{}", x509_text(&e, server_name))))
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// crypto/x509's wording of a failed check.
fn x509_text(e: &CertificateError, server_name: &ServerName<'_>) -> String {
    let rfc3339 = |t: &UnixTime| {
        chrono::DateTime::from_timestamp(t.as_secs() as i64, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    match e {
        CertificateError::UnknownIssuer => "x509: certificate signed by unknown authority".into(),
        CertificateError::ExpiredContext { time, not_after } => format!(
            "x509: certificate has expired or is not yet valid: current time {} is after {}",
            rfc3339(time),
            rfc3339(not_after)
        ),
        CertificateError::NotValidYetContext { time, not_before } => format!(
            "x509: certificate has expired or is not yet valid: current time {} is before {}",
            rfc3339(time),
            rfc3339(not_before)
        ),
        CertificateError::Expired | CertificateError::NotValidYet => {
            "x509: certificate has expired or is not yet valid".into()
        }
        CertificateError::NotValidForNameContext { presented, .. } => hostname_text(server_name, presented),
        CertificateError::NotValidForName => hostname_text(server_name, &[]),
        other => format!("x509: {other:?}"),
    }
}

/// crypto/x509's HostnameError: the certificate's names of the kind that
/// was wanted (IP addresses for an IP, DNS names otherwise).
fn hostname_text(server_name: &ServerName<'_>, presented: &[String]) -> String {
    let host = server_name.to_str();
    let ip = matches!(server_name, ServerName::IpAddress(_));
    let names: Vec<&str> = presented
        .iter()
        .filter_map(|p| {
            if ip {
                p.strip_prefix("IpAddress(")?.strip_suffix(')')
            } else {
                p.strip_prefix("DnsName(\"")?.strip_suffix("\")")
            }
        })
        .collect();
    if ip && names.is_empty() {
        return format!("x509: cannot validate certificate for {host} because it doesn't contain any IP SANs");
    }
    if names.is_empty() {
        return format!("x509: certificate is not valid for any names, but wanted to match {host}");
    }
    format!("x509: certificate is valid for {}, not {host}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostname_errors_read_as_go_writes_them() {
        let ip = ServerName::try_from("127.0.0.1").unwrap();
        let dns = ServerName::try_from("db.example").unwrap();
        let names = vec!["DnsName(\"localhost\")".to_string(), "IpAddress(10.0.0.1)".to_string()];
        assert_eq!(hostname_text(&ip, &names), "x509: certificate is valid for 10.0.0.1, not 127.0.0.1");
        assert_eq!(hostname_text(&dns, &names), "x509: certificate is valid for localhost, not db.example");
        assert_eq!(
            hostname_text(&ip, &names[..1]),
            "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"
        );
        assert_eq!(
            hostname_text(&dns, &names[1..]),
            "x509: certificate is not valid for any names, but wanted to match db.example"
        );
    }
}
