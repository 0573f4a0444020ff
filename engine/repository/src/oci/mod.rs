//! Charts in OCI registries, laid out as Helm 4 lays them out
//! (`pkg/registry`): a manifest whose config blob is the chart metadata as
//! JSON (`application/vnd.cncf.helm.config.v1+json`) and whose layer is the
//! archive (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`), with
//! Helm's `org.opencontainers.image.*` annotations, tagged with the chart
//! version (`+` written `_`). The manifest bytes are Helm's own (Go's JSON
//! of the struct, no media type field), so either tool reads what the
//! other pushed.
//!
//! Transport is the ORAS project's oci-client (0.15, the release on
//! reqwest 0.12, so rhelm keeps one HTTP stack). Credentials live in
//! Helm's registry config, docker's config.json format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use rhelm_functions::semver::{Constraints, Version};

use crate::index::digest;
use crate::json_out::J;

mod credentials;
mod manifest;
mod transfer;
mod transport;

pub use credentials::stored_credentials;
pub use transfer::newest_tag;
use credentials::*;
use manifest::*;
use transfer::*;
use transport::*;

pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
pub const CHART_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
pub const LEGACY_CHART_LAYER_MEDIA_TYPE: &str = "application/tar+gzip";
pub const PROV_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.provenance.v1.prov";
const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";

#[derive(Debug, Clone, Default)]
pub struct OciOptions {
    pub plain_http: bool,
    pub insecure_skip_tls_verify: bool,
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
    /// Helm's registry config (credentials from `registry login`).
    pub registry_config: PathBuf,
    /// Explicit credentials (`--username/--password`), else the config's.
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct PushResult {
    /// `host/path/name:tag`.
    pub reference: String,
    /// The manifest's digest.
    pub digest: String,
}

#[derive(Debug, Clone)]
pub struct Pulled {
    pub reference: String,
    pub digest: String,
    pub data: Vec<u8>,
    /// `name-version.tgz`.
    pub file_name: String,
    /// The provenance layer, when the chart was pushed with its `.prov`
    /// (what `helm pull --prov` writes as `FILE_NAME.prov`).
    pub prov: Option<Vec<u8>>,
}

/// What Helm prints after pushing or pulling a tag with an underscore.
pub const UNDERSCORE_MESSAGE: &str = "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\nstoring semantic versions, Helm adopts the convention of changing plus (+) to\nan underscore (_) in chart version tags when pushing to a registry and back to\na plus (+) when pulling from a registry.\n";

impl Pulled {
    /// Helm's report of a pull: `Pulled:`, `Digest:`, and the underscore notice.
    pub fn report(&self) -> String {
        report("Pulled", &self.reference, &self.digest)
    }
}

impl PushResult {
    pub fn report(&self) -> String {
        report("Pushed", &self.reference, &self.digest)
    }
}

fn report(verb: &str, reference: &str, digest: &str) -> String {
    let mut s = format!("{verb}: {reference}\nDigest: {digest}\n");
    let tag = reference.rsplit_once(':').map(|(_, t)| t).unwrap_or_default();
    if tag.contains('_') {
        s.push_str(&format!("{reference} contains an underscore.\n{UNDERSCORE_MESSAGE}"));
    }
    s
}

/// Why an OCI operation failed; the message is Helm's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciError {
    pub kind: OciErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OciErrorKind {
    /// The registry refused the credentials (or wanted some).
    Unauthorized,
    /// No such repository, tag or matching version.
    NotFound,
    /// Everything else: bad reference, unreadable file, network.
    Other,
}

impl OciError {
    fn from_message(message: String) -> OciError {
        let kind = if message.contains("status code 401") || message.contains("basic credential not found") {
            OciErrorKind::Unauthorized
        } else if message.contains(": not found")
            || message.contains("status code 404")
            || message.contains("could not locate a version")
        {
            OciErrorKind::NotFound
        } else {
            OciErrorKind::Other
        };
        OciError { kind, message }
    }
}

impl std::fmt::Display for OciError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OciError {}

impl From<OciError> for String {
    fn from(e: OciError) -> String {
        e.message
    }
}

/// `helm push CHART.tgz oci://host/path`: pushes the archive (and
/// `CHART.tgz.prov` beside it, if any) to `host/path/NAME:VERSION`.
pub fn push(archive: &Path, remote: &str, opts: &OciOptions) -> Result<PushResult, OciError> {
    push_inner(archive, remote, opts).map_err(OciError::from_message)
}

/// `helm pull oci://host/path/name[:tag|@digest] [--version V]`: the tag
/// named, or the newest tag satisfying the constraint V (any when None).
pub fn pull(reference: &str, version: Option<&str>, opts: &OciOptions) -> Result<Pulled, OciError> {
    pull_inner(reference, version.unwrap_or(""), opts).map_err(OciError::from_message)
}

/// Every tag of `oci://host/path/name`.
pub fn tags(repo: &str, opts: &OciOptions) -> Result<Vec<String>, OciError> {
    tags_inner(repo, opts).map_err(OciError::from_message)
}

/// `helm registry login HOST`: checks the credentials against the registry,
/// then stores them in `opts.registry_config`.
pub fn login(host: &str, username: &str, password: &str, opts: &OciOptions) -> Result<(), OciError> {
    login_inner(host, username, password, opts).map_err(OciError::from_message)
}

/// `helm registry logout HOST`.
pub fn logout(host: &str, registry_config: &Path) -> Result<(), OciError> {
    logout_inner(host, registry_config).map_err(OciError::from_message)
}

/// Whether a chart reference names an OCI registry.
pub fn is_oci(name: &str) -> bool {
    name.starts_with("oci://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_by_what_the_registry_said() {
        let e = OciError::from_message(
            "authenticating to \"h\": GET \"http://h/v2/\": response status code 401: unauthorized".into(),
        );
        assert_eq!(e.kind, OciErrorKind::Unauthorized);
        let e = OciError::from_message("failed to perform \"FetchReference\" on source: h/web:9.9.9: not found".into());
        assert_eq!(e.kind, OciErrorKind::NotFound);
        assert_eq!(OciError::from_message("x".into()).kind, OciErrorKind::Other);
        assert_eq!(String::from(OciError::from_message("x".into())), "x");
    }
}
