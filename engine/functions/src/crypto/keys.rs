//! Private keys as Sprig handles them: generation (`genPrivateKey`), the PEM
//! forms Go's x509 marshalling produces, parsing with Go's error texts
//! (`parsePrivateKeyPEM`), public keys, and certificate signing.

use aws_lc_rs::encoding::AsBigEndian;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _};

use super::asn1::{self, Field, Kind, StructDef, Val};
use super::der;
use super::ffi;
use super::pem;

// ---------------------------------------------------------------- OIDs

pub(crate) const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
pub(crate) const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
pub(crate) const OID_ED25519: &[u64] = &[1, 3, 101, 112];
pub(crate) const OID_X25519: &[u64] = &[1, 3, 101, 110];
pub(crate) const OID_DSA: &[u64] = &[1, 2, 840, 10040, 4, 1];
const OID_SHA256_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 11];
const OID_ECDSA_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
const OID_ECDSA_SHA384: &[u64] = &[1, 2, 840, 10045, 4, 3, 3];
const OID_ECDSA_SHA512: &[u64] = &[1, 2, 840, 10045, 4, 3, 4];

/// The NIST curves Go's x509 knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    fn from_oid(oid: &[u64]) -> Option<Curve> {
        match oid {
            [1, 3, 132, 0, 33] => Some(Curve::P224),
            [1, 2, 840, 10045, 3, 1, 7] => Some(Curve::P256),
            [1, 3, 132, 0, 34] => Some(Curve::P384),
            [1, 3, 132, 0, 35] => Some(Curve::P521),
            _ => None,
        }
    }

    pub(crate) fn oid(self) -> &'static [u64] {
        match self {
            Curve::P224 => &[1, 3, 132, 0, 33],
            Curve::P256 => &[1, 2, 840, 10045, 3, 1, 7],
            Curve::P384 => &[1, 3, 132, 0, 34],
            Curve::P521 => &[1, 3, 132, 0, 35],
        }
    }

    /// The group order, big-endian.
    fn order(self) -> Vec<u8> {
        let hex = match self {
            Curve::P224 => "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d",
            Curve::P256 => "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
            Curve::P384 => {
                "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"
            }
            Curve::P521 => {
                "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                 fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"
            }
        };
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)).collect()
    }

    /// Bytes of a private scalar: `(N.BitLen()+7)/8`.
    fn scalar_len(self) -> usize {
        match self {
            Curve::P224 => 28,
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    fn signing_alg(self) -> Option<&'static signature::EcdsaSigningAlgorithm> {
        match self {
            Curve::P224 => None,
            Curve::P256 => Some(&signature::ECDSA_P256_SHA256_ASN1_SIGNING),
            Curve::P384 => Some(&signature::ECDSA_P384_SHA384_ASN1_SIGNING),
            Curve::P521 => Some(&signature::ECDSA_P521_SHA512_ASN1_SIGNING),
        }
    }
}

// ---------------------------------------------------------------- keys

/// An RSA key as Go's PKCS #1 fields (two's-complement integer bytes).
#[derive(Clone, Debug)]
pub(crate) struct RsaKey {
    n: Vec<u8>,
    e: i64,
    /// d, p, q, dp, dq, qinv
    private: [Vec<u8>; 6],
}

impl RsaKey {
    /// `x509.MarshalPKCS1PrivateKey`.
    fn pkcs1(&self) -> Vec<u8> {
        let mut parts = vec![der::small_int(0), der::uint(der::magnitude(&self.n)), der::small_int(self.e)];
        parts.extend(self.private.iter().map(|v| der::uint(der::magnitude(v))));
        der::seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }
}

#[derive(Debug)]
pub(crate) struct EcKey {
    curve: Curve,
    /// The scalar, left-padded to the curve size.
    scalar: Vec<u8>,
    /// The uncompressed public point.
    point: Vec<u8>,
}

impl EcKey {
    /// SEC 1 `ECPrivateKey` as Go's `MarshalECPrivateKey` writes it.
    fn sec1(&self, with_public: bool) -> Vec<u8> {
        let mut parts = vec![
            der::small_int(1),
            der::octet_string(&self.scalar),
            der::tlv(der::context(0, true), &der::oid(self.curve.oid())),
        ];
        if with_public {
            parts.push(der::tlv(der::context(1, true), &der::bit_string(&self.point)));
        }
        der::seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    fn key_pair(&self) -> Option<EcdsaKeyPair> {
        EcdsaKeyPair::from_private_key_der(self.curve.signing_alg()?, &self.sec1(false)).ok()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct DsaKey {
    /// p, q, g, y, x
    values: [Vec<u8>; 5],
}

/// A private key of one of the types Go's x509 can parse.
#[derive(Debug)]
pub(crate) enum PrivateKey {
    Rsa(RsaKey),
    Ec(EcKey),
    Ed25519 {
        seed: [u8; 32],
        public: Vec<u8>,
    },
    Dsa(DsaKey),
    /// An X25519 key from PKCS #8 (`*ecdh.PrivateKey`): parseable, but it
    /// cannot sign, and x509 cannot put its public key in a certificate.
    X25519,
}

/// A public key, compared as Go's `Equal` methods do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// Modulus magnitude and exponent.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ec {
        curve: Curve,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    Dsa,
    X25519,
}

impl PrivateKey {
    /// Sprig's `generatePrivateKey` key types; `None` for an unknown type.
    pub(crate) fn generate(kind: &str) -> Option<Result<PrivateKey, String>> {
        Some(match kind {
            "" | "rsa" => generate_rsa(4096),
            "dsa" => ffi::dsa_generate()
                .map(|k| PrivateKey::Dsa(DsaKey { values: [k.p, k.q, k.g, k.y, k.x] }))
                .ok_or_else(|| "failed to generate dsa params: DSA parameter generation failed".to_string()),
            "ecdsa" => generate_ecdsa(),
            "ed25519" => Ed25519KeyPair::generate()
                .ok()
                .and_then(|k| ed25519_from_pair(&k))
                .ok_or_else(|| "failed to generate private key: ed25519 key generation failed".to_string()),
            _ => return None,
        })
    }

    /// Sprig's `pemBlockForKey`, PEM-encoded.
    pub(crate) fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa(k) => pem::encode("RSA PRIVATE KEY", &k.pkcs1()),
            PrivateKey::Ec(k) => pem::encode("EC PRIVATE KEY", &k.sec1(true)),
            PrivateKey::Ed25519 { seed, .. } => {
                pem::encode("PRIVATE KEY", &pkcs8(OID_ED25519, &der::octet_string(seed)))
            }
            PrivateKey::Dsa(k) => {
                let mut parts = vec![der::small_int(0)];
                parts.extend(k.values.iter().map(|v| der::uint(der::magnitude(v))));
                pem::encode("DSA PRIVATE KEY", &der::seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>()))
            }
            // Not reachable from Sprig: certificate creation fails first.
            PrivateKey::X25519 => pem::encode("PRIVATE KEY", &[]),
        }
    }

    /// The public half, as Sprig's `getPublicKey` returns it.
    pub(crate) fn public(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(k) => {
                PublicKey::Rsa { n: der::magnitude(&k.n).to_vec(), e: der::magnitude(&k.e.to_be_bytes()).to_vec() }
            }
            PrivateKey::Ec(k) => PublicKey::Ec { curve: k.curve, point: k.point.clone() },
            PrivateKey::Ed25519 { public, .. } => PublicKey::Ed25519(public.clone()),
            PrivateKey::Dsa(_) => PublicKey::Dsa,
            PrivateKey::X25519 => PublicKey::X25519,
        }
    }

    /// `signingParamsForKey`: the signature AlgorithmIdentifier (DER).
    pub(crate) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        let oid = match self {
            PrivateKey::Rsa(_) => return Ok(der::seq(&[&der::oid(OID_SHA256_RSA), &[der::NULL, 0]])),
            PrivateKey::Ec(k) => match k.curve {
                Curve::P224 | Curve::P256 => OID_ECDSA_SHA256,
                Curve::P384 => OID_ECDSA_SHA384,
                Curve::P521 => OID_ECDSA_SHA512,
            },
            PrivateKey::Ed25519 { .. } => OID_ED25519,
            PrivateKey::Dsa(_) | PrivateKey::X25519 => {
                return Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        };
        Ok(der::seq(&[&der::oid(oid)]))
    }

    /// `key.Sign` over the hash the signature algorithm names.
    pub(crate) fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, String> {
        let failed = || "x509: signing failed".to_string();
        match self {
            PrivateKey::Rsa(k) => {
                let bits = bit_len(der::magnitude(&k.n));
                if bits < 1024 {
                    return Err(format!(
                        "crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
                    ));
                }
                let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, tbs);
                ffi::rsa_sign(&k.pkcs1(), ffi::RsaHash::Sha256, digest.as_ref())
                    .ok_or_else(|| "crypto/rsa: invalid private key".to_string())
            }
            PrivateKey::Ec(k) if k.curve == Curve::P224 => {
                let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, tbs);
                ffi::P224::new(&k.scalar).and_then(|key| key.sign(digest.as_ref())).ok_or_else(failed)
            }
            PrivateKey::Ec(k) => {
                let pair = k.key_pair().ok_or_else(failed)?;
                let sig = pair.sign(&SystemRandom::new(), tbs).map_err(|_| failed())?;
                Ok(sig.as_ref().to_vec())
            }
            PrivateKey::Ed25519 { seed, .. } => {
                let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|_| failed())?;
                Ok(pair.sign(tbs).as_ref().to_vec())
            }
            PrivateKey::Dsa(_) | PrivateKey::X25519 => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

impl PublicKey {
    /// `marshalPublicKey`: the SubjectPublicKeyInfo DER, or Go's error for
    /// key types a certificate cannot carry.
    pub(crate) fn spki(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        let (alg, key) = match self {
            PublicKey::Rsa { n, e } => {
                (der::seq(&[&der::oid(OID_RSA), &[der::NULL, 0]]), der::seq(&[&der::uint(n), &der::uint(e)]))
            }
            PublicKey::Ec { curve, point } => (der::seq(&[&der::oid(OID_EC), &der::oid(curve.oid())]), point.clone()),
            PublicKey::Ed25519(k) => (der::seq(&[&der::oid(OID_ED25519)]), k.clone()),
            PublicKey::Dsa => return Err("x509: unsupported public key type: *dsa.PublicKey".into()),
            PublicKey::X25519 => return Err("x509: unsupported public key type: *ecdh.PublicKey".into()),
        };
        let spki = der::seq(&[&alg, &der::bit_string(&key)]);
        Ok((spki, key))
    }
}

/// The bit length of a big-endian magnitude without leading zeros.
fn bit_len(magnitude: &[u8]) -> usize {
    magnitude.first().map_or(0, |&b| magnitude.len() * 8 - b.leading_zeros() as usize)
}

fn pkcs8(alg: &[u64], private: &[u8]) -> Vec<u8> {
    der::seq(&[&der::small_int(0), &der::seq(&[&der::oid(alg)]), &der::octet_string(private)])
}

fn generate_rsa(bits: usize) -> Result<PrivateKey, String> {
    let key = super::ffi::rsa_generate(bits)
        .ok_or_else(|| "failed to generate private key: RSA key generation failed".to_string())?;
    Ok(PrivateKey::Rsa(RsaKey { n: key.n, e: 65537, private: key.private }))
}

pub(crate) fn generate_rsa_2048() -> Result<PrivateKey, String> {
    generate_rsa(2048).map_err(|e| e.replace("failed to generate private key", "error generating rsa key"))
}

fn generate_ecdsa() -> Result<PrivateKey, String> {
    let fail = || "failed to generate private key: ecdsa key generation failed".to_string();
    let pair = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_ASN1_SIGNING).map_err(|_| fail())?;
    let scalar = pair.private_key().as_be_bytes().map_err(|_| fail())?;
    Ok(PrivateKey::Ec(EcKey {
        curve: Curve::P256,
        scalar: scalar.as_ref().to_vec(),
        point: pair.public_key().as_ref().to_vec(),
    }))
}

fn ed25519_from_pair(pair: &Ed25519KeyPair) -> Option<PrivateKey> {
    let seed = pair.seed().ok()?.as_be_bytes().ok()?;
    Some(PrivateKey::Ed25519 { seed: seed.as_ref().try_into().ok()?, public: pair.public_key().as_ref().to_vec() })
}

// ---------------------------------------------------------------- parsing

const fn f(kind: Kind) -> Field {
    Field::plain(kind)
}

static ALGORITHM_IDENTIFIER: StructDef =
    StructDef { name: "AlgorithmIdentifier", fields: &[f(Kind::Oid), Field::optional(Kind::Raw)] };

static PKCS8: StructDef =
    StructDef { name: "pkcs8", fields: &[f(Kind::Int), f(Kind::Struct(&ALGORITHM_IDENTIFIER)), f(Kind::Bytes)] };

static RSA_PRIME: StructDef =
    StructDef { name: "pkcs1AdditionalRSAPrime", fields: &[f(Kind::BigInt), f(Kind::BigInt), f(Kind::BigInt)] };

static PKCS1: StructDef = StructDef {
    name: "pkcs1PrivateKey",
    fields: &[
        f(Kind::Int),
        f(Kind::BigInt),
        f(Kind::Int),
        f(Kind::BigInt),
        f(Kind::BigInt),
        f(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field { kind: Kind::SeqOf(&RSA_PRIME), optional: true, explicit: false, tag: None, omit_empty: true },
    ],
};

static EC_PRIVATE_KEY: StructDef = StructDef {
    name: "ecPrivateKey",
    fields: &[f(Kind::Int), f(Kind::Bytes), Field::explicit(Kind::Oid, 0), Field::explicit(Kind::BitString, 1)],
};

static DSA_KEY_FORMAT: StructDef = StructDef {
    name: "DSAKeyFormat",
    fields: &[f(Kind::Int), f(Kind::BigInt), f(Kind::BigInt), f(Kind::BigInt), f(Kind::BigInt), f(Kind::BigInt)],
};

static OCTETS: Field = Field::plain(Kind::Bytes);

fn big<'a>(v: &Val<'a>) -> &'a [u8] {
    match v {
        Val::BigInt(b) => b,
        _ => &[],
    }
}

fn int(v: &Val<'_>) -> i64 {
    match v {
        Val::Int(i) => *i,
        _ => 0,
    }
}

/// `x509.ParsePKCS1PrivateKey`.
fn parse_pkcs1(der_bytes: &[u8]) -> Result<RsaKey, String> {
    let fields = match asn1::unmarshal(&PKCS1, der_bytes) {
        Ok((_, rest)) if !rest.is_empty() => return Err("asn1: syntax error: trailing data".into()),
        Ok((fields, _)) => fields,
        Err(e) => {
            if asn1::unmarshal(&EC_PRIVATE_KEY, der_bytes).is_ok() {
                return Err(
                    "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into()
                );
            }
            if asn1::unmarshal(&PKCS8, der_bytes).is_ok() {
                return Err(
                    "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into()
                );
            }
            return Err(e.to_string());
        }
    };
    if int(&fields[0]) > 1 {
        return Err("x509: unsupported private key version".into());
    }
    // N, D, P, Q must be positive, and so must the CRT values if present.
    if [1, 3, 4, 5].iter().any(|&i| der::non_positive(big(&fields[i])))
        || [6, 7, 8].iter().any(|&i| fields[i] != Val::Absent && der::non_positive(big(&fields[i])))
    {
        return Err("x509: private key contains zero or negative value".into());
    }
    if let Val::List(primes) = &fields[9] {
        if !primes.is_empty() {
            // Go supports multi-prime keys; AWS-LC does not.
            return Err("crypto/rsa: multi-prime RSA keys are not supported".into());
        }
    }
    let [d, p, q] = [3, 4, 5].map(|i| big(&fields[i]).to_vec());
    // Go's Precompute fills in CRT values the key leaves out.
    let crt = match [6, 7, 8].map(|i| big(&fields[i]).to_vec()) {
        [dp, dq, qinv] if !dp.is_empty() && !dq.is_empty() && !qinv.is_empty() => [dp, dq, qinv],
        _ => {
            let [dp, dq, qinv] = ffi::rsa_crt(der::magnitude(&d), der::magnitude(&p), der::magnitude(&q))
                .ok_or("crypto/rsa: invalid prime")?;
            [dp, dq, qinv]
        }
    };
    let [dp, dq, qinv] = crt;
    let key = RsaKey { n: big(&fields[1]).to_vec(), e: int(&fields[2]), private: [d, p, q, dp, dq, qinv] };
    if key.e <= 0 || key.e > i64::from(i32::MAX) {
        return Err("crypto/rsa: invalid public exponent".into());
    }
    Ok(key)
}

/// `x509.ParseECPrivateKey` (with the curve from PKCS #8 when given).
fn parse_ec(named_curve: Option<&[u64]>, der_bytes: &[u8], from_sec1: bool) -> Result<EcKey, String> {
    let fields = match asn1::unmarshal(&EC_PRIVATE_KEY, der_bytes) {
        Ok((fields, _)) => fields,
        Err(e) => {
            if from_sec1 {
                if asn1::unmarshal(&PKCS8, der_bytes).is_ok() {
                    return Err(
                        "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
                            .into(),
                    );
                }
                if asn1::unmarshal(&PKCS1, der_bytes).is_ok() {
                    return Err(
                        "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
                            .into(),
                    );
                }
            }
            return Err(format!("x509: failed to parse EC private key: {e}"));
        }
    };
    let version = int(&fields[0]);
    if version != 1 {
        return Err(format!("x509: unknown EC private key version {version}"));
    }
    let embedded = match &fields[2] {
        Val::Oid(o) => Some(o.as_slice()),
        _ => None,
    };
    let curve = named_curve.or(embedded).and_then(Curve::from_oid).ok_or("x509: unknown elliptic curve")?;
    let Val::Bytes(mut k) = fields[1] else { return Err("x509: unknown elliptic curve".into()) };
    // Leading zero padding beyond the curve size is tolerated, as are
    // missing leading zeros.
    let size = curve.scalar_len();
    while k.len() > size {
        if k[0] != 0 {
            return Err("x509: invalid private key length".into());
        }
        k = &k[1..];
    }
    let mut scalar = vec![0u8; size - k.len()];
    scalar.extend_from_slice(k);
    // Go 1.27 derives the public key from the scalar (ignoring the one in
    // the file): a scalar past the order overflows, and one that is zero
    // modulo the order gives the point at infinity.
    let order = curve.order();
    if scalar > order {
        return Err("input overflows the modulus".into());
    }
    if scalar == order || scalar.iter().all(|&b| b == 0) {
        return Err("ecdsa: invalid public key encoding".into());
    }
    let point = match curve {
        Curve::P224 => ffi::P224::new(&scalar).map(|k| k.point),
        _ => EcKey { curve, scalar: scalar.clone(), point: Vec::new() }
            .key_pair()
            .map(|pair| pair.public_key().as_ref().to_vec()),
    };
    let point = point.ok_or("ecdsa: invalid public key encoding")?;
    Ok(EcKey { curve, scalar, point })
}

/// `x509.ParsePKCS8PrivateKey`.
fn parse_pkcs8(der_bytes: &[u8]) -> Result<PrivateKey, String> {
    let fields = match asn1::unmarshal(&PKCS8, der_bytes) {
        Ok((fields, _)) => fields,
        Err(e) => {
            if asn1::unmarshal(&EC_PRIVATE_KEY, der_bytes).is_ok() {
                return Err(
                    "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into()
                );
            }
            if asn1::unmarshal(&PKCS1, der_bytes).is_ok() {
                return Err(
                    "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into()
                );
            }
            return Err(e.to_string());
        }
    };
    let (Val::Struct(algo), Val::Bytes(private)) = (&fields[1], &fields[2]) else {
        return Err("x509: malformed PKCS#8".into());
    };
    let oid: &[u64] = match &algo[0] {
        Val::Oid(o) => o,
        _ => &[],
    };
    let params: &[u8] = match &algo[1] {
        Val::Raw(r) => r,
        _ => &[],
    };
    match oid {
        OID_RSA => parse_pkcs1(private)
            .map(PrivateKey::Rsa)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")),
        OID_EC => {
            let curve = match asn1::unmarshal_field(&Field::plain(Kind::Oid), params) {
                Ok((Val::Oid(o), _)) => Some(o),
                _ => None,
            };
            parse_ec(curve.as_deref(), private, false)
                .map(PrivateKey::Ec)
                .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"))
        }
        OID_ED25519 => {
            if !params.is_empty() {
                return Err("x509: invalid Ed25519 private key parameters".into());
            }
            let seed = match asn1::unmarshal_field(&OCTETS, private) {
                Ok((Val::Bytes(s), _)) => s,
                Ok(_) => &[][..],
                Err(e) => return Err(format!("x509: invalid Ed25519 private key: {e}")),
            };
            let seed: [u8; 32] =
                seed.try_into().map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
            let pair = Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| "x509: invalid Ed25519 private key")?;
            Ok(PrivateKey::Ed25519 { seed, public: pair.public_key().as_ref().to_vec() })
        }
        OID_X25519 => {
            if !params.is_empty() {
                return Err("x509: invalid X25519 private key parameters".into());
            }
            match asn1::unmarshal_field(&OCTETS, private) {
                Ok((Val::Bytes(k), _)) if k.len() == 32 => Ok(PrivateKey::X25519),
                Ok(_) => Err("crypto/ecdh: invalid private key size".into()),
                Err(e) => Err(format!("x509: invalid X25519 private key: {e}")),
            }
        }
        _ => {
            Err(format!("x509: PKCS#8 wrapping contained private key with unknown algorithm: {}", der::oid_string(oid)))
        }
    }
}

/// Sprig's `parsePrivateKeyPEM`.
pub(crate) fn parse_private_key_pem(text: &str) -> Result<PrivateKey, String> {
    let block = pem::decode(text.as_bytes()).ok_or("no PEM data in input")?;
    if block.kind == "PRIVATE KEY" {
        return parse_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {}", block.kind));
    };
    match prefix {
        "RSA" => {
            parse_pkcs1(&block.bytes).map(PrivateKey::Rsa).map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => parse_ec(None, &block.bytes, true)
            .map(PrivateKey::Ec)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => {
            let (fields, _) = asn1::unmarshal(&DSA_KEY_FORMAT, &block.bytes)
                .map_err(|e| format!("parsing DSA private key from PEM: {e}"))?;
            Ok(PrivateKey::Dsa(DsaKey { values: [1, 2, 3, 4, 5].map(|i| big(&fields[i]).to_vec()) }))
        }
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reparse(key: &PrivateKey) -> PrivateKey {
        parse_private_key_pem(&key.to_pem()).unwrap()
    }

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let ec = PrivateKey::generate("ecdsa").unwrap().unwrap();
        assert!(ec.to_pem().starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        assert_eq!(reparse(&ec).public(), ec.public());

        let ed = PrivateKey::generate("ed25519").unwrap().unwrap();
        let pem_text = ed.to_pem();
        assert!(pem_text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        // Go's PKCS #8 for Ed25519 is 48 bytes: no public key, no attributes.
        assert_eq!(pem::decode(pem_text.as_bytes()).unwrap().bytes.len(), 48);
        assert_eq!(reparse(&ed).public(), ed.public());

        let rsa = generate_rsa_2048().unwrap();
        assert!(rsa.to_pem().starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert_eq!(reparse(&rsa).public(), rsa.public());
        let PublicKey::Rsa { n, e } = rsa.public() else { panic!("not RSA") };
        assert_eq!((n.len(), e.as_slice()), (256, &[1, 0, 1][..]));
    }

    #[test]
    fn unknown_types() {
        assert!(PrivateKey::generate("RSA").is_none());
        assert_eq!(parse_private_key_pem("junk").unwrap_err(), "no PEM data in input");
    }
}
