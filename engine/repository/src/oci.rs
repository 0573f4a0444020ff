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
        } else if message.contains(": not found") || message.contains("status code 404") || message.contains("could not locate a version") {
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

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the OCI client: {e}"))
}

fn client(opts: &OciOptions) -> Result<Client, String> {
    if !opts.cert_file.is_empty() || !opts.key_file.is_empty() {
        return Err("client certificates for OCI registries are not supported by rhelm yet".into());
    }
    let mut certs = Vec::new();
    if !opts.ca_file.is_empty() {
        let data = std::fs::read(&opts.ca_file).map_err(|e| format!("can't read CA file: {}: {}", opts.ca_file, crate::go_io_error(&e)))?;
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
fn host_of(reference: &str) -> &str {
    let r = reference.trim_start_matches("oci://");
    r.split('/').next().unwrap_or(r)
}

/// The credentials for `host`: explicit ones, else those `registry login` stored.
fn auth(host: &str, opts: &OciOptions) -> RegistryAuth {
    if !opts.username.is_empty() || !opts.password.is_empty() {
        return RegistryAuth::Basic(opts.username.clone(), opts.password.clone());
    }
    match stored_credentials(&opts.registry_config, host) {
        Some((u, p)) => RegistryAuth::Basic(u, p),
        None => RegistryAuth::Anonymous,
    }
}

fn parse_reference(r: &str) -> Result<Reference, String> {
    r.trim_start_matches("oci://").parse::<Reference>().map_err(|e| format!("invalid reference {r:?}: {e}"))
}

/// `helm push CHART.tgz oci://host/path`: pushes to `host/path/NAME:VERSION`.
fn push_inner(archive: &Path, remote: &str, opts: &OciOptions) -> Result<PushResult, String> {
    if !is_oci(remote) {
        return Err(format!("scheme prefix missing from remote (e.g. \"oci://\"): {remote}"));
    }
    let data = std::fs::read(archive).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{}: no such file", archive.display()),
        _ => format!("{}: {}", archive.display(), crate::go_io_error(&e)),
    })?;
    let chart = rhelm_chart::load::load_archive(&data).map_err(|e| e.to_string())?;
    let meta = &chart.metadata;
    let tag = meta.version.replace('+', "_");
    let reference = format!("{}/{}:{tag}", remote.trim_start_matches("oci://").trim_end_matches('/'), meta.name);
    let config = J::Obj(crate::json_out::metadata_fields(meta)).compact().into_bytes();
    // Helm dates the artifact by the archive's modification time, so pushing
    // the same file twice (with either tool) gives the same manifest.
    let created = created_at(archive);
    let prov_path = PathBuf::from(format!("{}.prov", archive.display()));
    let prov = match std::fs::read(&prov_path) {
        Ok(p) => Some(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {}", prov_path.display(), crate::go_io_error(&e))),
    };
    let manifest = manifest_json(&config, &data, prov.as_deref(), &annotations(meta, &created));
    let manifest_digest = format!("sha256:{}", digest(manifest.as_bytes()));
    let parsed = parse_reference(&reference)?;
    let client = client(opts)?;
    let auth = auth(host_of(remote), opts);
    if matches!(auth, RegistryAuth::Anonymous) {
        check_anonymous_push(&reference, &manifest_digest, opts)?;
    }
    runtime()?.block_on(async {
        client.store_auth_if_needed(parsed.resolve_registry(), &auth).await;
        client
            .auth(&parsed, &auth, oci_client::RegistryOperation::Push)
            .await
            .map_err(|e| registry_error(&reference, &e))?;
        for blob in [Some(&config), Some(&data), prov.as_ref()].into_iter().flatten() {
            let d = format!("sha256:{}", digest(blob));
            client.push_blob(&parsed, blob, &d).await.map_err(|e| registry_error(&reference, &e))?;
        }
        client
            .push_manifest_raw(&parsed, manifest.clone().into_bytes(), MANIFEST_MEDIA_TYPE.parse().expect("a valid header value"))
            .await
            .map_err(|e| registry_error(&reference, &e))?;
        Ok::<(), String>(())
    })?;
    Ok(PushResult { reference, digest: manifest_digest })
}

/// oras-go's wording of a failed manifest fetch.
fn fetch_error(reference: &str, e: &oci_client::errors::OciDistributionError, anonymous: bool) -> String {
    use oci_client::errors::OciDistributionError as E;
    let prefix = "failed to perform \"FetchReference\" on source";
    match e {
        E::RegistryError { envelope, .. }
            if envelope.errors.iter().any(|x| serde_json::to_value(&x.code).ok().and_then(|v| v.as_str().map(str::to_string)).as_deref() == Some("MANIFEST_UNKNOWN")) =>
        {
            format!("{prefix}: {reference}: not found")
        }
        E::UnauthorizedError { url } if anonymous => format!("{prefix}: GET {url:?}: basic credential not found"),
        other => format!("{prefix}: {}", registry_error(reference, other)),
    }
}

/// oras-go's wording of a registry's error document:
/// `GET "URL": response status code 404: name unknown: MESSAGE: DETAIL`.
fn registry_error(reference: &str, e: &oci_client::errors::OciDistributionError) -> String {
    use oci_client::errors::OciDistributionError as E;
    match e {
        E::RegistryError { envelope, url } => {
            let parts: Vec<String> = envelope
                .errors
                .iter()
                .map(|err| {
                    let code = serde_json::to_value(&err.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                    let mut s = format!("{}: {}", code.to_lowercase().replace('_', " "), err.message);
                    if let Some(m) = err.detail.as_object() {
                        let kv: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect();
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
        E::UnauthorizedError { url } => format!("GET {url:?}: response status code 401: unauthorized: authentication required"),
        other => format!("{reference}: {other}"),
    }
}

/// Helm asks first whether the manifest exists; a registry that wants
/// credentials nobody gave ends the push there, in oras-go's words.
fn check_anonymous_push(reference: &str, manifest_digest: &str, opts: &OciOptions) -> Result<(), String> {
    let (repo, _) = split_tag(reference);
    let host = host_of(repo);
    let path = &repo[host.len()..];
    let scheme = if opts.plain_http { "http" } else { "https" };
    let url = format!("{scheme}://{host}/v2{path}/manifests/{manifest_digest}");
    let client = reqwest::blocking::Client::builder().danger_accept_invalid_certs(opts.insecure_skip_tls_verify).no_proxy().build().map_err(|e| e.to_string())?;
    match client.head(&url).send() {
        Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => {
            Err(format!("failed to perform \"Exists\" on destination: HEAD {url:?}: basic credential not found"))
        }
        _ => Ok(()),
    }
}

/// The archive's modification time as RFC 3339 (Helm formats it in local
/// time; rhelm writes UTC, the same on machines running in UTC).
fn created_at(archive: &Path) -> String {
    let modified = std::fs::metadata(archive).and_then(|m| m.modified()).unwrap_or_else(|_| std::time::SystemTime::now());
    let secs = modified.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    rhelm_chart::package::format_rfc3339_utc(secs as i64)
}

/// Helm's `generateOCIAnnotations`: the image annotations from the chart,
/// then the chart's own annotations (never overriding title or version).
fn annotations(meta: &rhelm_chart::metadata::Metadata, created: &str) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        if !v.trim().is_empty() {
            a.insert(k.to_string(), v.to_string());
        }
    };
    put("org.opencontainers.image.description", &meta.description);
    put("org.opencontainers.image.title", &meta.name);
    put("org.opencontainers.image.version", &meta.version);
    put("org.opencontainers.image.url", &meta.home);
    put("org.opencontainers.image.created", created);
    if let Some(s) = meta.sources.first() {
        put("org.opencontainers.image.source", s);
    }
    if !meta.maintainers.is_empty() {
        let authors: Vec<String> = meta
            .maintainers
            .iter()
            .map(|m| {
                let mut s = m.name.clone();
                if !m.email.is_empty() {
                    s.push_str(&format!(" ({})", m.email));
                }
                s
            })
            .collect();
        put("org.opencontainers.image.authors", &authors.join(", "));
    }
    for (k, v) in &meta.annotations {
        if k != "org.opencontainers.image.version" && k != "org.opencontainers.image.title" {
            a.insert(k.clone(), v.clone());
        }
    }
    a
}

/// The manifest as Go marshals `ocispec.Manifest` for Helm.
fn manifest_json(config: &[u8], chart: &[u8], prov: Option<&[u8]>, annotations: &BTreeMap<String, String>) -> String {
    let descriptor = |media: &str, data: &[u8]| {
        J::Obj(vec![
            ("mediaType".into(), J::str(media)),
            ("digest".into(), J::Str(format!("sha256:{}", digest(data)))),
            ("size".into(), J::Raw(data.len().to_string())),
        ])
    };
    let mut layers = vec![(digest(chart), CHART_LAYER_MEDIA_TYPE, chart)];
    if let Some(p) = prov {
        layers.push((digest(p), PROV_LAYER_MEDIA_TYPE, p));
    }
    // Helm orders the layers by digest.
    layers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut fields = vec![
        ("schemaVersion".to_string(), J::Raw("2".into())),
        ("config".into(), descriptor(CONFIG_MEDIA_TYPE, config)),
        ("layers".into(), J::List(layers.into_iter().map(|(_, m, d)| descriptor(m, d)).collect())),
    ];
    if !annotations.is_empty() {
        fields.push(("annotations".into(), J::Obj(annotations.iter().map(|(k, v)| (k.clone(), J::str(v))).collect())));
    }
    J::Obj(fields).compact()
}

/// `helm pull oci://host/path/name --version V`: the tag named (or the
/// newest tag matching V), its chart layer checked against its digest.
fn pull_inner(reference: &str, version: &str, opts: &OciOptions) -> Result<Pulled, String> {
    let bare = reference.trim_start_matches("oci://");
    let as_given = bare;
    // `name@sha256:...` (or `name:tag@sha256:...`) names one manifest: no tag to resolve.
    let (bare, pinned) = match bare.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (bare, None),
    };
    let (repo_part, tag_in_ref) = split_tag(bare);
    let tag = match (tag_in_ref, version.trim()) {
        _ if pinned.is_some() => String::new(),
        // Helm reads a tag in the reference as a version constraint.
        (Some(t), _) if Version::parse_strict(t).is_ok() => t.to_string(),
        (Some(t), _) => {
            Constraints::parse(t).map_err(|_| format!("improper constraint: {t:?}"))?;
            resolve_tag(repo_part, t, opts)?
        }
        (None, v) if !v.is_empty() && Version::parse_strict(v).is_ok() => v.replace('+', "_"),
        (None, v) => resolve_tag(repo_part, v, opts)?,
    };
    let full = match pinned {
        Some(d) => format!("{repo_part}@{d}"),
        None => format!("{repo_part}:{tag}"),
    };
    let parsed = parse_reference(&full)?;
    let client = client(opts)?;
    let auth = auth(host_of(bare), opts);
    let (manifest, manifest_digest, data) = runtime()?.block_on(async {
        let anonymous = matches!(auth, RegistryAuth::Anonymous);
        let (raw, d) = client.pull_manifest_raw(&parsed, &auth, &[MANIFEST_MEDIA_TYPE]).await.map_err(|e| fetch_error(&full, &e, anonymous))?;
        let manifest: serde_json::Value = serde_json::from_slice(&raw).map_err(|e| format!("{full}: the manifest is not JSON: {e}"))?;
        let layer = manifest["layers"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["mediaType"] == CHART_LAYER_MEDIA_TYPE || l["mediaType"] == LEGACY_CHART_LAYER_MEDIA_TYPE))
            .cloned()
            .ok_or_else(|| format!("manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}"))?;
        let want = layer["digest"].as_str().unwrap_or_default().to_string();
        let descriptor = oci_client::manifest::OciDescriptor {
            media_type: layer["mediaType"].as_str().unwrap_or_default().to_string(),
            digest: want.clone(),
            size: layer["size"].as_i64().unwrap_or(0),
            ..Default::default()
        };
        let mut data = Vec::new();
        client.pull_blob(&parsed, &descriptor, &mut data).await.map_err(|e| registry_error(&full, &e))?;
        if format!("sha256:{}", digest(&data)) != want {
            return Err(format!("{full}: the chart layer does not match its digest {want}"));
        }
        Ok::<_, String>((manifest, d, data))
    })?;
    if let Some(d) = pinned {
        if d != manifest_digest {
            return Err(format!("{full}: the registry sent a manifest with digest {manifest_digest}"));
        }
    }
    let _ = manifest;
    let name = repo_part.rsplit('/').next().unwrap_or(repo_part);
    let file_name = match pinned {
        // Helm names the file after the reference's last segment, its last
        // `:` made `-` (`web@sha256-HEX.tgz`), not after the chart.
        Some(_) => {
            let last = as_given.rsplit('/').next().unwrap_or(as_given);
            match last.rsplit_once(':') {
                Some((a, b)) => format!("{a}-{b}.tgz"),
                None => format!("{last}.tgz"),
            }
        }
        // The chart version: `_` back to `+`.
        None => format!("{name}-{}.tgz", tag.replace('_', "+")),
    };
    Ok(Pulled { reference: full.clone(), digest: manifest_digest, data, file_name })
}

/// `name:tag` split off a reference whose last segment may hold a tag.
fn split_tag(r: &str) -> (&str, Option<&str>) {
    let last_slash = r.rfind('/').unwrap_or(0);
    match r[last_slash..].find(':') {
        Some(i) => (&r[..last_slash + i], Some(&r[last_slash + i + 1..])),
        None => (r, None),
    }
}

/// The newest tag satisfying `constraint` (any version when empty).
fn resolve_tag(repo: &str, constraint: &str, opts: &OciOptions) -> Result<String, String> {
    let tags = tags_inner(repo, opts)?;
    let c = Constraints::parse(if constraint.is_empty() { "*" } else { constraint }).map_err(|e| e.message().to_string())?;
    let mut best: Option<(Version, String)> = None;
    for t in tags {
        let Ok(v) = Version::parse(&t.replace('_', "+")) else { continue };
        if c.check(&v) && best.as_ref().is_none_or(|(b, _)| v > *b) {
            best = Some((v, t));
        }
    }
    best.map(|(_, t)| t).ok_or_else(|| format!("could not locate a version matching provided version string {constraint}"))
}

/// Every tag of a repository.
fn tags_inner(repo: &str, opts: &OciOptions) -> Result<Vec<String>, String> {
    let bare = repo.trim_start_matches("oci://");
    let parsed = parse_reference(&format!("{bare}:latest"))?;
    let client = client(opts)?;
    let auth = auth(host_of(bare), opts);
    let resp = runtime()?.block_on(client.list_tags(&parsed, &auth, None, None)).map_err(|e| registry_error(bare, &e))?;
    Ok(resp.tags)
}

/// `helm registry login`: checks the credentials against `/v2/`, then stores them.
fn login_inner(host: &str, username: &str, password: &str, opts: &OciOptions) -> Result<(), String> {
    let scheme = if opts.plain_http { "http" } else { "https" };
    let url = format!("{scheme}://{host}/v2/");
    let mut b = reqwest::blocking::Client::builder().user_agent("Helm/4.3.1").no_proxy();
    if opts.insecure_skip_tls_verify {
        b = b.danger_accept_invalid_certs(true);
    }
    if !opts.ca_file.is_empty() {
        let pem = std::fs::read(&opts.ca_file).map_err(|e| format!("can't read CA file: {}: {}", opts.ca_file, crate::go_io_error(&e)))?;
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
        let detail = body["errors"][0]["message"].as_str().map(|m| format!(": {}: {m}", body["errors"][0]["code"].as_str().unwrap_or("").to_lowercase())).unwrap_or_default();
        return Err(format!("authenticating to {host:?}: GET {url:?}: response status code {}{detail}", status.as_u16()));
    }
    store_credentials(&opts.registry_config, host, Some((username, password)))
}

/// `helm registry logout`: forgets the stored credentials of `host`.
fn logout_inner(host: &str, registry_config: &Path) -> Result<(), String> {
    if stored_credentials(registry_config, host).is_none() {
        // Helm says the same whether or not there was anything to remove.
        return Ok(());
    }
    store_credentials(registry_config, host, None)
}

fn read_config(path: &Path) -> serde_json::Map<String, serde_json::Value> {
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
fn store_credentials(path: &Path, host: &str, creds: Option<(&str, &str)>) -> Result<(), String> {
    let mut cfg = read_config(path);
    let auths = cfg.entry("auths").or_insert_with(|| serde_json::Value::Object(Default::default()));
    let Some(auths) = auths.as_object_mut() else { return Err(format!("{}: \"auths\" is not an object", path.display())) };
    match creds {
        Some((u, p)) => {
            let token = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{u}:{p}"));
            auths.insert(host.to_string(), serde_json::json!({ "auth": token }));
        }
        None => {
            auths.remove(host);
        }
    }
    let value = J::value(&rhelm_functions::json::from_str(&serde_json::Value::Object(cfg).to_string()).map_err(|e| e.to_string())?);
    let text = value.pretty_with("\t");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::atomic_write(path, text.as_bytes(), 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_from_the_last_segment() {
        assert_eq!(split_tag("127.0.0.1:5000/charts/web:0.3.1"), ("127.0.0.1:5000/charts/web", Some("0.3.1")));
        assert_eq!(split_tag("127.0.0.1:5000/charts/web"), ("127.0.0.1:5000/charts/web", None));
        assert_eq!(host_of("oci://127.0.0.1:5000/charts/web"), "127.0.0.1:5000");
    }
}
