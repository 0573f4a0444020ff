//! Provenance files as Helm writes and checks them (`pkg/provenance`): an
//! OpenPGP cleartext-signed message (SHA-512) holding the chart's metadata
//! as YAML, a `...` separator, and the sha256 of the archive:
//!
//! ```text
//! apiVersion: v2
//! name: hello
//! version: 0.1.0
//!
//! ...
//! files:
//!   hello-0.1.0.tgz: sha256:<hex>
//! ```
//!
//! Keys come from GnuPG keyring files in their binary form (`pubring.gpg`,
//! or `gpg --export-secret-keys > secring.gpg` to sign), as Helm reads them.

use std::fmt;
use std::path::Path;

use pgp::composed::{ArmorOptions, CleartextSignedMessage, PublicOrSecret, SignedPublicKey, SignedSecretKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{SignatureConfig, SignatureType, Subpacket, SubpacketData};
use pgp::types::{KeyDetails, Password, Timestamp};
use sha2::{Digest as _, Sha256};

#[derive(Debug)]
pub struct ProvenanceError(pub String);

impl fmt::Display for ProvenanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProvenanceError {}

type Result<T> = std::result::Result<T, ProvenanceError>;

fn err(e: impl fmt::Display) -> ProvenanceError {
    ProvenanceError(e.to_string())
}

/// What a successful verification establishes.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The signer's user ids (`Name <email>`).
    pub signed_by: Vec<String>,
    /// The signing key's primary fingerprint, upper-case hex.
    pub fingerprint: String,
    /// `sha256:<hex>` of the archive.
    pub file_hash: String,
    pub file_name: String,
}

impl Verification {
    /// `helm verify`'s report.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for id in &self.signed_by {
            out.push_str(&format!("Signed by: {id}\n"));
        }
        out.push_str(&format!("Using Key With Fingerprint: {}\n", self.fingerprint));
        out.push_str(&format!("Chart Hash Verified: {}\n", self.file_hash));
        out
    }
}

/// The keys of a binary keyring file (public and secret).
pub struct Keyring {
    entries: Vec<PublicOrSecret>,
}

impl Keyring {
    pub fn load(path: &Path) -> Result<Keyring> {
        let data = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ProvenanceError(format!("open {}: no such file or directory", path.display())),
            _ => ProvenanceError(format!("open {}: {e}", path.display())),
        })?;
        Keyring::parse(&data)
    }

    /// Binary keyrings (what GnuPG 1 kept and `gpg --export` writes), or
    /// ASCII-armored ones.
    pub fn parse(data: &[u8]) -> Result<Keyring> {
        let entries: Vec<PublicOrSecret> = if data.starts_with(b"-----BEGIN PGP") {
            let (iter, _) = PublicOrSecret::from_armor_many(std::io::Cursor::new(data)).map_err(|e| ProvenanceError(format!("openpgp: invalid data: {e}")))?;
            iter.filter_map(|k| k.ok()).collect()
        } else {
            PublicOrSecret::from_bytes_many(std::io::Cursor::new(data))
                .map_err(|e| ProvenanceError(format!("openpgp: invalid data: {e}")))?
                .filter_map(|k| k.ok())
                .collect()
        };
        if entries.is_empty() {
            return Err(ProvenanceError("openpgp: invalid argument: no armored data found".into()));
        }
        Ok(Keyring { entries })
    }

    fn users(e: &PublicOrSecret) -> Vec<String> {
        let details = match e {
            PublicOrSecret::Public(k) => &k.details,
            PublicOrSecret::Secret(k) => &k.details,
        };
        details.users.iter().map(|u| String::from_utf8_lossy(u.id.id()).into_owned()).collect()
    }

    /// Helm's `NewFromKeyring`: the key whose user id is `id`, else the one
    /// whose user id contains it (an error when several do).
    fn secret_key(&self, id: &str) -> Result<&SignedSecretKey> {
        let mut candidate: Option<&PublicOrSecret> = None;
        let mut vague = false;
        for e in &self.entries {
            let users = Keyring::users(e);
            if users.iter().any(|u| u == id) {
                candidate = Some(e);
                vague = false;
                break;
            }
            if users.iter().any(|u| u.contains(id)) {
                if candidate.is_some() {
                    vague = true;
                }
                candidate = Some(e);
            }
        }
        if vague {
            return Err(ProvenanceError(format!("more than one key contain the id {id:?}")));
        }
        match candidate {
            None => Err(ProvenanceError("private key not found".into())),
            Some(PublicOrSecret::Public(_)) => Err(ProvenanceError("provided key is not a private key. Try providing a keyring with secret keys".into())),
            Some(PublicOrSecret::Secret(k)) => Ok(k),
        }
    }

    fn public_keys(&self) -> Vec<(SignedPublicKey, Vec<String>)> {
        self.entries
            .iter()
            .map(|e| {
                let public = match e {
                    PublicOrSecret::Public(k) => k.clone(),
                    PublicOrSecret::Secret(k) => k.to_public_key(),
                };
                (public, Keyring::users(e))
            })
            .collect()
    }
}

/// `sha256:<hex>` of `data`.
pub fn digest(data: &[u8]) -> String {
    let sum = Sha256::digest(data);
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The signed text: the metadata YAML, `...`, and the archive's digest.
pub fn message_block(archive: &[u8], file_name: &str, metadata_yaml: &str) -> String {
    format!("{metadata_yaml}\n...\nfiles:\n  {file_name}: {}\n", digest(archive))
}

/// `helm package --sign`: the provenance text for `archive` signed by the
/// key `key_id` of `keyring` (its passphrase, if it has one, in `passphrase`).
pub fn sign(archive: &Path, keyring: &Path, key_id: &str, passphrase: &str) -> Result<String> {
    let data = std::fs::read(archive).map_err(|e| ProvenanceError(format!("{}: {e}", archive.display())))?;
    let chart = rhelm_chart::load::load_archive(&data).map_err(|e| ProvenanceError(format!("failed to load chart for signing: {e}")))?;
    let meta = rhelm_chart::show::metadata_yaml(&chart.metadata).map_err(err)?;
    let file_name = archive.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let text = message_block(&data, file_name, &meta);
    let ring = Keyring::load(keyring)?;
    let key = ring.secret_key(key_id)?;
    let password = Password::from(passphrase);
    let mut config = SignatureConfig::from_key(rand::thread_rng(), &key.primary_key, SignatureType::Text).map_err(err)?;
    // Helm signs with SHA-512, and says so in the armor's `Hash:` header.
    config.hash_alg = HashAlgorithm::Sha512;
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now())).map_err(err)?,
        Subpacket::regular(SubpacketData::IssuerFingerprint(key.primary_key.fingerprint())).map_err(err)?,
    ];
    config.unhashed_subpackets = vec![Subpacket::regular(SubpacketData::IssuerKeyId(key.primary_key.legacy_key_id())).map_err(err)?];
    let msg = CleartextSignedMessage::new(&text, config, &key.primary_key, &password)
        .map_err(|e| ProvenanceError(format!("failed to either sign or armor message block: {e}")))?;
    msg.to_armored_string(ArmorOptions::default()).map_err(|e| ProvenanceError(format!("failed to either sign or armor message block: {e}")))
}

/// `helm verify`: the signature checked against `keyring`, and the archive
/// against the digest the signed text records for its file name.
pub fn verify(archive: &Path, prov: &Path, keyring: &Path) -> Result<Verification> {
    let data = std::fs::read(archive).map_err(|e| ProvenanceError(format!("{}: {e}", archive.display())))?;
    let prov_text = std::fs::read_to_string(prov).map_err(|e| ProvenanceError(format!("could not load provenance file {}: {e}", prov.display())))?;
    let ring = Keyring::load(keyring)?;
    let (msg, _) = CleartextSignedMessage::from_string(&prov_text).map_err(|_| ProvenanceError("signature block not found".into()))?;
    let mut signer = None;
    'keys: for (public, users) in ring.public_keys() {
        if msg.verify(&public.primary_key).is_ok() {
            signer = Some((public.primary_key.fingerprint(), users));
            break;
        }
        for sub in &public.public_subkeys {
            if msg.verify(&sub.key).is_ok() {
                signer = Some((public.primary_key.fingerprint(), users));
                break 'keys;
            }
        }
    }
    let (fingerprint, users) = signer.ok_or_else(|| ProvenanceError("openpgp: signature made by unknown entity".into()))?;
    let plain = msg.signed_text().replace("\r\n", "\n");
    let files = plain.split("\n...\n").nth(1).ok_or_else(|| ProvenanceError("message block must have at least two parts".into()))?;
    let file_name = archive.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let recorded = files
        .lines()
        .filter_map(|l| l.trim().split_once(": "))
        .find(|(name, _)| name.trim_matches('"') == file_name)
        .map(|(_, sum)| sum.trim().trim_matches('"').to_string())
        .ok_or_else(|| ProvenanceError(format!("provenance does not contain a SHA for a file named {file_name:?}")))?;
    let sum = digest(&data);
    if recorded != sum {
        return Err(ProvenanceError(format!("sha256 sum does not match for {file_name}: {recorded:?} != {sum:?}")));
    }
    Ok(Verification { signed_by: users, fingerprint: format!("{fingerprint:X}"), file_hash: sum, file_name })
}
