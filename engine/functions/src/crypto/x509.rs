//! The parts of Go's `crypto/x509` that Sprig's certificate functions use:
//! `CreateCertificate` for Sprig's template (its extensions, their order and
//! criticality, the subject key id rule) and `ParseCertificate` with its
//! error texts. Also `net.ParseIP`.

use aws_lc_rs::agreement;

use super::der::{self, Reader};
use super::keys::{Curve, PrivateKey, PublicKey, OID_DSA, OID_EC, OID_ED25519, OID_RSA, OID_X25519};

const OID_CN: &[u64] = &[2, 5, 4, 3];
const OID_KEY_USAGE: &[u64] = &[2, 5, 29, 15];
const OID_EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
const OID_BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
const OID_SUBJECT_KEY_ID: &[u64] = &[2, 5, 29, 14];
const OID_AUTHORITY_KEY_ID: &[u64] = &[2, 5, 29, 35];
const OID_SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];
const OID_AUTHORITY_INFO_ACCESS: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 1];
const OID_SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
const OID_CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];

/// x509.KeyUsage bits.
pub(crate) const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 1;
pub(crate) const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 1 << 2;
pub(crate) const KEY_USAGE_CERT_SIGN: u16 = 1 << 5;

/// Sprig's certificate template (`getBaseCertTemplate`, with the CA
/// overrides where they apply).
pub(crate) struct Template {
    /// 16 random bytes: a serial below 2^128.
    pub serial: [u8; 16],
    pub common_name: String,
    /// 16-byte addresses, as `net.ParseIP` returns them.
    pub ips: Vec<[u8; 16]>,
    pub dns_names: Vec<String>,
    /// Nanoseconds since the Unix epoch.
    pub not_before: i128,
    pub not_after: i128,
    pub key_usage: u16,
    pub is_ca: bool,
}

/// The signing certificate: the template itself, or a parsed CA.
pub(crate) enum Parent<'a> {
    SelfSigned,
    Ca(&'a ParsedCert),
}

/// What `CreateCertificate` needs of a parsed parent certificate.
#[derive(Debug)]
pub(crate) struct ParsedCert {
    pub raw_subject: Vec<u8>,
    pub subject_key_id: Vec<u8>,
    /// `None` where Go leaves `PublicKey` nil (unknown algorithms).
    pub public_key: Option<PublicKey>,
}

/// `pkix.Name{CommonName: cn}.ToRDNSequence()` marshalled. Go's asn1 picks
/// PrintableString when every character allows it, else UTF8String.
fn subject_der(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let printable = cn.bytes().all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let tag = if printable { der::PRINTABLE_STRING } else { der::UTF8_STRING };
    let atv = der::seq(&[&der::oid(OID_CN), &der::tlv(tag, cn.as_bytes())]);
    der::seq(&[&der::tlv(der::SET, &atv)])
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Go's asn1 encoding of a `time.Time` in UTC: UTCTime for 1950..2049,
/// GeneralizedTime otherwise; fractions of a second are dropped.
fn time_der(nanos: i128) -> Result<Vec<u8>, String> {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let (days, tod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let hms = format!("{month:02}{day:02}{:02}{:02}{:02}Z", tod / 3600, tod / 60 % 60, tod % 60);
    if (1950..2050).contains(&year) {
        Ok(der::tlv(der::UTC_TIME, format!("{:02}{hms}", year % 100).as_bytes()))
    } else if (0..=9999).contains(&year) {
        Ok(der::tlv(der::GENERALIZED_TIME, format!("{year:04}{hms}").as_bytes()))
    } else {
        Err("asn1: structure error: cannot represent time as GeneralizedTime".into())
    }
}

fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let id = der::oid(oid);
    let value = der::octet_string(value);
    if critical {
        der::seq(&[&id, &[der::BOOLEAN, 1, 0xff], &value])
    } else {
        der::seq(&[&id, &value])
    }
}

/// `marshalKeyUsage`: the bits reversed into a minimal BIT STRING.
fn key_usage_value(ku: u16) -> Vec<u8> {
    let a = [(ku as u8).reverse_bits(), ((ku >> 8) as u8).reverse_bits()];
    let bytes = if a[1] != 0 { &a[..] } else { &a[..1] };
    let bit_len = bytes.len() * 8 - bytes.last().map_or(0, |b| b.trailing_zeros().min(8) as usize);
    let mut content = vec![(bytes.len() * 8 - bit_len) as u8];
    content.extend_from_slice(bytes);
    der::tlv(der::BIT_STRING, &content)
}

/// `isIA5String`: Go ranges over runes, so any non-ASCII byte fails.
fn check_ia5(s: &str) -> Result<(), String> {
    if s.is_ascii() {
        Ok(())
    } else {
        Err(format!("x509: {} cannot be encoded as an IA5String", rhelm_template::fmt::quote(s)))
    }
}

/// `buildCertExtensions` for Sprig's templates.
fn extensions(t: &Template, subject_is_empty: bool, aki: &[u8], ski: &[u8]) -> Result<Vec<u8>, String> {
    let mut exts = Vec::new();
    if t.key_usage != 0 {
        exts.push(extension(OID_KEY_USAGE, true, &key_usage_value(t.key_usage)));
    }
    exts.push(extension(
        OID_EXT_KEY_USAGE,
        false,
        &der::seq(&[&der::oid(OID_SERVER_AUTH), &der::oid(OID_CLIENT_AUTH)]),
    ));
    // BasicConstraintsValid with MaxPathLen 0 (not MaxPathLenZero): no path length.
    let bc = if t.is_ca { der::seq(&[&[der::BOOLEAN, 1, 0xff]]) } else { der::seq(&[]) };
    exts.push(extension(OID_BASIC_CONSTRAINTS, true, &bc));
    if !ski.is_empty() {
        exts.push(extension(OID_SUBJECT_KEY_ID, false, &der::octet_string(ski)));
    }
    if !aki.is_empty() {
        exts.push(extension(OID_AUTHORITY_KEY_ID, false, &der::seq(&[&der::tlv(der::context(0, false), aki)])));
    }
    if !t.dns_names.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for name in &t.dns_names {
            check_ia5(name)?;
            names.push(der::tlv(der::context(2, false), name.as_bytes()));
        }
        for ip in &t.ips {
            names.push(der::tlv(der::context(7, false), ip_bytes(ip)));
        }
        let san = der::seq(&names.iter().map(Vec::as_slice).collect::<Vec<_>>());
        // RFC 5280: with an empty subject, the SAN extension is critical.
        exts.push(extension(OID_SUBJECT_ALT_NAME, subject_is_empty, &san));
    }
    Ok(der::seq(&exts.iter().map(Vec::as_slice).collect::<Vec<_>>()))
}

/// `net.IP.To4` where possible: IPv4 (and IPv4-mapped) addresses take 4 bytes.
fn ip_bytes(ip: &[u8; 16]) -> &[u8] {
    if ip[..10].iter().all(|&b| b == 0) && ip[10] == 0xff && ip[11] == 0xff {
        &ip[12..]
    } else {
        ip
    }
}

/// `x509.CreateCertificate(rand, template, parent, pub, priv)`, DER out.
pub(crate) fn create_certificate(
    t: &Template,
    signee: &PublicKey,
    parent: Parent<'_>,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    if matches!(signer, PrivateKey::Dsa(_) | PrivateKey::X25519) {
        return Err("x509: certificate private key does not implement crypto.Signer".into());
    }
    let (spki, key_bits) = signee.spki()?;
    let subject = subject_der(&t.common_name);
    let issuer = match parent {
        Parent::SelfSigned => subject.clone(),
        Parent::Ca(ca) => ca.raw_subject.clone(),
    };
    let aki: &[u8] = match parent {
        Parent::Ca(ca) if issuer != subject => &ca.subject_key_id,
        _ => &[],
    };
    // Go 1.25+: a CA's key id is the first 20 bytes of SHA-256 of the key.
    let ski = if t.is_ca {
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &key_bits).as_ref()[..20].to_vec()
    } else {
        Vec::new()
    };
    if let Parent::Ca(ParsedCert { public_key: Some(ca_key), .. }) = parent {
        if *ca_key != signer.public() {
            return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
        }
    }
    let exts = extensions(t, subject == [der::SEQUENCE, 0], aki, &ski)?;
    let validity = der::seq(&[&time_der(t.not_before)?, &time_der(t.not_after)?]);
    let sig_alg = signer.signature_algorithm()?;
    let tbs = der::seq(&[
        &der::tlv(der::context(0, true), &der::small_int(2)),
        &der::uint(&t.serial),
        &sig_alg,
        &issuer,
        &validity,
        &subject,
        &spki,
        &der::tlv(der::context(3, true), &exts),
    ]);
    let signature = signer.sign(&tbs)?;
    Ok(der::seq(&[&tbs, &sig_alg, &der::bit_string(&signature)]))
}

// ---------------------------------------------------------------- parsing

fn err<T>(msg: &str) -> Result<T, String> {
    Err(msg.to_string())
}

/// `x509.ParseCertificate`, keeping what certificate creation needs.
pub(crate) fn parse_certificate(input: &[u8]) -> Result<ParsedCert, String> {
    let mut outer = Reader(input);
    let Some(raw) = outer.read_element(der::SEQUENCE) else { return err("x509: malformed certificate") };
    let mut cert = Reader(raw);
    let Some(body) = cert.read(der::SEQUENCE) else { return err("x509: malformed certificate") };
    let mut input = Reader(body);
    let Some(tbs_raw) = input.read_element(der::SEQUENCE) else { return err("x509: malformed tbs certificate") };
    let Some(tbs) = Reader(tbs_raw).read(der::SEQUENCE) else { return err("x509: malformed tbs certificate") };
    let mut tbs = Reader(tbs);

    let version = match tbs.read_optional(der::context(0, true)) {
        None => return err("x509: malformed version"),
        Some(None) => 0,
        Some(Some(v)) => {
            let mut v = Reader(v);
            match v.read_i64() {
                Some(n) if v.is_empty() => n,
                _ => return err("x509: malformed version"),
            }
        }
    };
    if version < 0 {
        return err("x509: malformed version");
    }
    let version = version + 1;
    if version > 3 {
        return err("x509: invalid version");
    }
    let Some(serial) = tbs.read_big_int() else { return err("x509: malformed serial number") };
    if serial[0] & 0x80 != 0 {
        return err("x509: negative serial number");
    }
    let Some(sig_ai_raw) = tbs.read_element(der::SEQUENCE) else {
        return err("x509: malformed signature algorithm identifier");
    };
    let Some(sig_ai) = Reader(sig_ai_raw).read(der::SEQUENCE) else {
        return err("x509: malformed signature algorithm identifier");
    };
    let Some(outer_sig_ai) = input.read(der::SEQUENCE) else { return err("x509: malformed algorithm identifier") };
    if outer_sig_ai != sig_ai {
        return err("x509: inner and outer signature algorithm identifiers don't match");
    }
    parse_ai(sig_ai)?;

    let Some(issuer) = tbs.read_element(der::SEQUENCE) else { return err("x509: malformed issuer") };
    parse_name(issuer)?;
    let Some(validity) = tbs.read(der::SEQUENCE) else { return err("x509: malformed validity") };
    let mut validity = Reader(validity);
    read_time(&mut validity)?;
    read_time(&mut validity)?;
    let Some(subject) = tbs.read_element(der::SEQUENCE) else { return err("x509: malformed issuer") };
    parse_name(subject)?;

    let Some(spki) = tbs.read_element(der::SEQUENCE) else { return err("x509: malformed spki") };
    let Some(spki) = Reader(spki).read(der::SEQUENCE) else { return err("x509: malformed spki") };
    let mut spki = Reader(spki);
    let Some(pk_ai) = spki.read(der::SEQUENCE) else { return err("x509: malformed public key algorithm identifier") };
    let (pk_oid, pk_params) = parse_ai(pk_ai)?;
    let Some((pk_bits, bit_len)) = spki.read_bit_string() else { return err("x509: malformed subjectPublicKey") };
    let public_key = parse_public_key(&pk_oid, pk_params, &right_align(pk_bits, bit_len))?;

    let mut subject_key_id = Vec::new();
    if version > 1 {
        if !tbs.skip_optional(der::context(1, false)) {
            return err("x509: malformed issuerUniqueID");
        }
        if !tbs.skip_optional(der::context(2, false)) {
            return err("x509: malformed subjectUniqueID");
        }
        if version == 3 {
            let Some(exts) = tbs.read_optional(der::context(3, true)) else { return err("x509: malformed extensions") };
            if let Some(exts) = exts {
                subject_key_id = parse_extensions(exts)?;
            }
        }
    }
    if input.read_bit_string().is_none() {
        return err("x509: malformed signature");
    }
    if !outer.is_empty() {
        return err("x509: trailing data");
    }
    Ok(ParsedCert { raw_subject: subject.to_vec(), subject_key_id, public_key })
}

/// `asn1.BitString.RightAlign`.
fn right_align(bytes: &[u8], bit_len: usize) -> Vec<u8> {
    let shift = (8 - bit_len % 8) % 8;
    if shift == 0 || bytes.is_empty() {
        return bytes.to_vec();
    }
    let mut out = vec![0u8; bytes.len()];
    out[0] = bytes[0] >> shift;
    for i in 1..bytes.len() {
        out[i] = bytes[i - 1] << (8 - shift) | bytes[i] >> shift;
    }
    out
}

/// `parseAI`: the algorithm OID and the raw parameters element.
fn parse_ai(der_bytes: &[u8]) -> Result<(Vec<u64>, &[u8]), String> {
    let mut r = Reader(der_bytes);
    let Some(oid) = r.read_oid() else { return err("x509: malformed OID") };
    if r.is_empty() {
        return Ok((oid, &[]));
    }
    match r.read_any_element() {
        Some((_, params)) => Ok((oid, params)),
        None => err("x509: malformed parameters"),
    }
}

fn parse_public_key(oid: &[u64], params: &[u8], data: &[u8]) -> Result<Option<PublicKey>, String> {
    match oid {
        OID_RSA => {
            if params != [der::NULL, 0] {
                return err("x509: RSA key missing NULL parameters");
            }
            let Some(seq) = Reader(data).read(der::SEQUENCE) else { return err("x509: invalid RSA public key") };
            let mut seq = Reader(seq);
            let Some(n) = seq.read_big_int() else { return err("x509: invalid RSA modulus") };
            let Some(e) = seq.read_i64() else { return err("x509: invalid RSA public exponent") };
            if der::non_positive(n) {
                return err("x509: RSA modulus is not a positive number");
            }
            if e <= 0 {
                return err("x509: RSA public exponent is not a positive number");
            }
            Ok(Some(PublicKey::Rsa { n: der::magnitude(n).to_vec(), e: der::magnitude(&e.to_be_bytes()).to_vec() }))
        }
        OID_EC => {
            let Some(curve_oid) = Reader(params).read_oid() else { return err("x509: invalid ECDSA parameters") };
            let curve = match curve_oid.as_slice() {
                [1, 3, 132, 0, 33] => Curve::P224,
                [1, 2, 840, 10045, 3, 1, 7] => Curve::P256,
                [1, 3, 132, 0, 34] => Curve::P384,
                [1, 3, 132, 0, 35] => Curve::P521,
                _ => return err("x509: unsupported elliptic curve"),
            };
            let alg = match curve {
                Curve::P224 => None,
                Curve::P256 => Some(&agreement::ECDH_P256),
                Curve::P384 => Some(&agreement::ECDH_P384),
                Curve::P521 => Some(&agreement::ECDH_P521),
            };
            if data.first() != Some(&4) {
                return err("ecdsa: invalid public key");
            }
            if let Some(alg) = alg {
                let parsed = agreement::ParsedPublicKey::try_from(&agreement::UnparsedPublicKey::new(alg, data));
                if parsed.is_err() {
                    return err("ecdsa: invalid public key");
                }
            }
            Ok(Some(PublicKey::Ec { curve, point: data.to_vec() }))
        }
        OID_ED25519 => {
            if !params.is_empty() {
                return err("x509: Ed25519 key encoded with illegal parameters");
            }
            if data.len() != 32 {
                return err("x509: wrong Ed25519 public key size");
            }
            Ok(Some(PublicKey::Ed25519(data.to_vec())))
        }
        OID_X25519 => {
            if !params.is_empty() {
                return err("x509: X25519 key encoded with illegal parameters");
            }
            if data.len() != 32 {
                return err("crypto/ecdh: invalid public key");
            }
            Ok(Some(PublicKey::X25519))
        }
        OID_DSA => {
            if Reader(data).read_big_int().is_none() {
                return err("x509: invalid DSA public key");
            }
            let ints = Reader(params).read(der::SEQUENCE).and_then(|p| {
                let mut p = Reader(p);
                Some([p.read_big_int()?, p.read_big_int()?, p.read_big_int()?])
            });
            let Some(ints) = ints else { return err("x509: invalid DSA parameters") };
            let y = Reader(data).read_big_int().unwrap_or(&[]);
            if ints.iter().chain([&y]).any(|v| der::non_positive(v)) {
                return err("x509: zero or negative DSA parameter");
            }
            Ok(Some(PublicKey::Dsa))
        }
        // Go leaves PublicKey nil for algorithms it does not know.
        _ => Ok(None),
    }
}

fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || (b'\''..=b')').contains(&b) || (b'+'..=b'/').contains(&b) || b" :=?*&".contains(&b)
}

/// Go's `parseASN1String` validity checks.
fn check_string(tag: u8, value: &[u8]) -> Result<(), &'static str> {
    match tag {
        20 => Ok(()), // T61String, read as Latin-1
        der::PRINTABLE_STRING => value.iter().all(|&b| is_printable(b)).then_some(()).ok_or("invalid PrintableString"),
        der::UTF8_STRING => std::str::from_utf8(value).map(|_| ()).map_err(|_| "invalid UTF-8 string"),
        30 => {
            if !value.len().is_multiple_of(2) {
                return Err("invalid BMPString");
            }
            let mut v = value;
            if v.len() >= 2 && v[v.len() - 1] == 0 && v[v.len() - 2] == 0 {
                v = &v[..v.len() - 2];
            }
            let bad = v.chunks(2).any(|c| {
                let p = u16::from(c[0]) << 8 | u16::from(c[1]);
                p == 0xfffe || p == 0xffff || (0xfdd0..=0xfdef).contains(&p) || (0xd800..=0xdfff).contains(&p)
            });
            if bad {
                Err("invalid BMPString")
            } else {
                Ok(())
            }
        }
        22 => value.is_ascii().then_some(()).ok_or("invalid IA5String"),
        18 => value.iter().all(|&b| b.is_ascii_digit() || b == b' ').then_some(()).ok_or("invalid NumericString"),
        _ => Ok(()),
    }
}

/// `readASN1Any` for attribute values: the error text after
/// "invalid attribute value: ".
fn check_any(r: &mut Reader<'_>) -> Result<(), String> {
    let Some((tag, whole)) = r.read_any_element() else { return err("invalid ASN.1 element") };
    let mut value = Reader(whole);
    match tag {
        20 | der::PRINTABLE_STRING | der::UTF8_STRING | 30 | 22 | 18 => {
            let Some(content) = value.read(tag) else { return err("invalid ASN.1 element") };
            check_string(tag, content).map_err(str::to_string)
        }
        der::INTEGER => value.read_i64().map(|_| ()).ok_or_else(|| "invalid ASN.1 integer".to_string()),
        der::BIT_STRING => value.read_bit_string().map(|_| ()).ok_or_else(|| "invalid ASN.1 BIT STRING".to_string()),
        der::OCTET_STRING => value.read(tag).map(|_| ()).ok_or_else(|| "invalid ASN.1 OCTET STRING".to_string()),
        der::OID => value.read_oid().map(|_| ()).ok_or_else(|| "invalid ASN.1 OBJECT IDENTIFIER".to_string()),
        der::UTC_TIME | der::GENERALIZED_TIME => read_time(&mut value),
        der::BOOLEAN => value.read_bool().map(|_| ()).ok_or_else(|| "invalid ASN.1 BOOLEAN".to_string()),
        _ => Ok(()),
    }
}

/// `parseName`: checks an RDNSequence.
fn parse_name(raw: &[u8]) -> Result<(), String> {
    let Some(seq) = Reader(raw).read(der::SEQUENCE) else { return err("x509: invalid RDNSequence") };
    let mut seq = Reader(seq);
    while !seq.is_empty() {
        let Some(set) = seq.read(der::SET) else { return err("x509: invalid RDNSequence") };
        let mut set = Reader(set);
        while !set.is_empty() {
            let Some(atv) = set.read(der::SEQUENCE) else { return err("x509: invalid RDNSequence: invalid attribute") };
            let mut atv = Reader(atv);
            if atv.read_oid().is_none() {
                return err("x509: invalid RDNSequence: invalid attribute type");
            }
            check_any(&mut atv).map_err(|e| format!("x509: invalid RDNSequence: invalid attribute value: {e}"))?;
        }
    }
    Ok(())
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Digits as a number, if all are ASCII digits.
fn digits(s: &[u8]) -> Option<i64> {
    s.iter().try_fold(0i64, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

/// A time string that Go's `time.Parse` accepts and `Format` reproduces:
/// `year` digits, MMDDhhmm, seconds if `seconds`, a fraction if `fraction`,
/// then `Z` or a non-zero `±hhmm` offset.
fn valid_time(s: &[u8], year_digits: usize, seconds: bool, fraction: bool) -> bool {
    let fixed = year_digits + 8 + if seconds { 2 } else { 0 };
    if s.len() < fixed + 1 {
        return false;
    }
    let Some(year) = digits(&s[..year_digits]) else { return false };
    let field = |i: usize| digits(&s[year_digits + 2 * i..year_digits + 2 * i + 2]);
    let (Some(month), Some(day), Some(hour), Some(min)) = (field(0), field(1), field(2), field(3)) else {
        return false;
    };
    let sec = if seconds { field(4) } else { Some(0) };
    let Some(sec) = sec else { return false };
    let year = if year_digits == 2 {
        if year >= 69 {
            1900 + year
        } else {
            2000 + year
        }
    } else {
        year
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > i64::from(days_in_month(year, month as u32))
        || hour > 23
        || min > 59
        || sec > 59
    {
        return false;
    }
    let mut rest = &s[fixed..];
    if fraction && rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        // Format drops trailing zeros, so the round trip needs none.
        if n == 0 || rest[n] == b'0' {
            return false;
        }
        rest = &rest[1 + n..];
    }
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', tz @ ..] if tz.len() == 4 => {
            matches!((digits(&tz[..2]), digits(&tz[2..])), (Some(h), Some(m)) if h <= 24 && m <= 60 && (h, m) != (0, 0))
        }
        _ => false,
    }
}

/// `readASN1Time`: a validity time (UTCTime or GeneralizedTime).
fn read_time(r: &mut Reader<'_>) -> Result<(), String> {
    if r.peek_tag(der::UTC_TIME) {
        let ok = r.read(der::UTC_TIME).is_some_and(|t| valid_time(t, 2, true, false) || valid_time(t, 2, false, false));
        if !ok {
            return err("x509: malformed UTCTime");
        }
    } else if r.peek_tag(der::GENERALIZED_TIME) {
        if !r.read(der::GENERALIZED_TIME).is_some_and(|t| valid_time(t, 4, true, true)) {
            return err("x509: malformed GeneralizedTime");
        }
    } else {
        return err("x509: unsupported time format");
    }
    Ok(())
}

/// Reads the extensions, checks the ones Go checks, and returns the subject
/// key id.
fn parse_extensions(exts: &[u8]) -> Result<Vec<u8>, String> {
    let Some(seq) = Reader(exts).read(der::SEQUENCE) else { return err("x509: malformed extensions") };
    let mut seq = Reader(seq);
    let mut seen: Vec<Vec<u64>> = Vec::new();
    let mut list = Vec::new();
    while !seq.is_empty() {
        let Some(ext) = seq.read(der::SEQUENCE) else { return err("x509: malformed extension") };
        let mut ext = Reader(ext);
        let Some(id) = ext.read_oid() else { return err("x509: malformed extension OID field") };
        let mut critical = false;
        if ext.peek_tag(der::BOOLEAN) {
            let Some(c) = ext.read_bool() else { return err("x509: malformed extension critical field") };
            critical = c;
        }
        let Some(value) = ext.read(der::OCTET_STRING) else { return err("x509: malformed extension value field") };
        if seen.contains(&id) {
            return Err(format!(
                "x509: certificate contains duplicate extension with OID {}",
                rhelm_template::fmt::quote(&der::oid_string(&id))
            ));
        }
        seen.push(id.clone());
        list.push((id, critical, value));
    }
    let mut ski = Vec::new();
    for (id, critical, value) in list {
        process_extension(&id, critical, value, &mut ski)?;
    }
    Ok(ski)
}

/// One extension's checks from Go's `processExtensions`.
fn process_extension(id: &[u64], critical: bool, value: &[u8], ski: &mut Vec<u8>) -> Result<(), String> {
    let mut v = Reader(value);
    match id {
        [2, 5, 29, 15] if v.read_bit_string().is_none() => return err("x509: invalid key usage"),
        [2, 5, 29, 19] => {
            let bad = || "x509: invalid basic constraints".to_string();
            let mut bc = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            if bc.peek_tag(der::BOOLEAN) && bc.read_bool().is_none() {
                return Err(bad());
            }
            if bc.peek_tag(der::INTEGER) {
                // An unsigned int: negative path lengths are rejected.
                match bc.read_big_int() {
                    Some(n) if n[0] & 0x80 == 0 && n.len() <= 8 => {}
                    _ => return Err(bad()),
                }
            }
        }
        [2, 5, 29, 17] => check_sans(value)?,
        [2, 5, 29, 35] => {
            if critical {
                return err("x509: authority key identifier incorrectly marked critical");
            }
            let bad = || "x509: invalid authority key identifier".to_string();
            let mut akid = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            if akid.peek_tag(der::context(0, false)) && akid.read(der::context(0, false)).is_none() {
                return Err(bad());
            }
        }
        [2, 5, 29, 37] => {
            let bad = || "x509: invalid extended key usages".to_string();
            let mut ekus = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            while !ekus.is_empty() {
                ekus.read_oid().ok_or_else(bad)?;
            }
        }
        [2, 5, 29, 14] => {
            if critical {
                return err("x509: subject key identifier incorrectly marked critical");
            }
            *ski = v.read(der::OCTET_STRING).ok_or("x509: invalid subject key identifier")?.to_vec();
        }
        [2, 5, 29, 31] => {
            let bad = || "x509: invalid CRL distribution point".to_string();
            let mut dps = Reader(v.read(der::SEQUENCE).ok_or("x509: invalid CRL distribution points")?);
            while !dps.is_empty() {
                let mut dp = Reader(dps.read(der::SEQUENCE).ok_or_else(bad)?);
                let Some(Some(name)) = dp.read_optional(der::context(0, true)).map(Some).ok_or_else(bad)? else {
                    continue;
                };
                let mut name = Reader(Reader(name).read(der::context(0, true)).ok_or_else(bad)?);
                while name.peek_tag(der::context(6, false)) {
                    name.read(der::context(6, false)).ok_or_else(bad)?;
                }
            }
        }
        [2, 5, 29, 32] => {
            let bad = || "x509: invalid certificate policies".to_string();
            let mut policies = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            let mut seen: Vec<&[u8]> = Vec::new();
            while !policies.is_empty() {
                let mut p = Reader(policies.read(der::SEQUENCE).ok_or_else(bad)?);
                let oid = p.read(der::OID).ok_or_else(bad)?;
                if seen.contains(&oid) || oid.is_empty() || oid.last().is_some_and(|b| b & 0x80 != 0) {
                    return Err(bad());
                }
                seen.push(oid);
            }
        }
        [2, 5, 29, 33] => {
            let bad = || "x509: invalid policy mappings extension".to_string();
            let mut maps = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            while !maps.is_empty() {
                let mut m = Reader(maps.read(der::SEQUENCE).ok_or_else(bad)?);
                m.read(der::OID).ok_or_else(bad)?;
                m.read(der::OID).ok_or_else(bad)?;
            }
        }
        [2, 5, 29, 36] => {
            let bad = || "x509: invalid policy constraints extension".to_string();
            let mut pc = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            for tag in [der::context(0, false), der::context(1, false)] {
                if pc.peek_tag(tag) {
                    let n = pc.read(tag).ok_or_else(bad)?;
                    if !der::valid_integer(n) || n.len() > 8 {
                        return Err(bad());
                    }
                }
            }
        }
        [2, 5, 29, 54] => {
            v.read_i64().ok_or("x509: invalid inhibit any policy extension")?;
        }
        [2, 5, 29, 30] => check_name_constraints(value)?,
        OID_AUTHORITY_INFO_ACCESS => {
            if critical {
                return err("x509: authority info access incorrectly marked critical");
            }
            let bad = || "x509: invalid authority info access".to_string();
            let mut aia = Reader(v.read(der::SEQUENCE).ok_or_else(bad)?);
            while !aia.is_empty() {
                let mut a = Reader(aia.read(der::SEQUENCE).ok_or_else(bad)?);
                a.read_oid().ok_or_else(bad)?;
                if a.peek_tag(der::context(6, false)) {
                    a.read(der::context(6, false)).ok_or_else(bad)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `parseSANExtension`'s checks.
fn check_sans(value: &[u8]) -> Result<(), String> {
    let Some(names) = Reader(value).read(der::SEQUENCE) else { return err("x509: invalid subject alternative names") };
    let mut names = Reader(names);
    while !names.is_empty() {
        let Some((tag, data)) = names.read_any() else { return err("x509: invalid subject alternative name") };
        match tag ^ 0x80 {
            1 if !data.is_ascii() => return err("x509: SAN rfc822Name is malformed"),
            2 if !data.is_ascii() => return err("x509: SAN dNSName is malformed"),
            6 if !data.is_ascii() => return err("x509: SAN uniformResourceIdentifier is malformed"),
            7 => match data.len() {
                4 => {}
                16 if data[..10].iter().all(|&b| b == 0) && data[10] == 0xff && data[11] == 0xff => {
                    return err("x509: SAN iPAddress contains IPv4-mapped IPv6 address");
                }
                16 => {}
                n => return Err(format!("x509: cannot parse IP address of length {n}")),
            },
            _ => {}
        }
    }
    Ok(())
}

/// The structural checks of `parseNameConstraintsExtension`.
fn check_name_constraints(value: &[u8]) -> Result<(), String> {
    let bad = || "x509: invalid NameConstraints extension".to_string();
    let mut outer = Reader(value);
    let mut top = Reader(outer.read(der::SEQUENCE).ok_or_else(bad)?);
    if !outer.is_empty() {
        return Err(bad());
    }
    let permitted = top.read_optional(der::context(0, true)).ok_or_else(bad)?;
    let excluded = top.read_optional(der::context(1, true)).ok_or_else(bad)?;
    if !top.is_empty() {
        return Err(bad());
    }
    if permitted.is_none() && excluded.is_none() {
        return err("x509: empty name constraints extension");
    }
    if permitted.is_some_and(<[u8]>::is_empty) || excluded.is_some_and(<[u8]>::is_empty) {
        return err("x509: empty name constraints subtree sequence");
    }
    for subtrees in [permitted, excluded].into_iter().flatten() {
        let mut subtrees = Reader(subtrees);
        while !subtrees.is_empty() {
            let mut seq = Reader(subtrees.read(der::SEQUENCE).ok_or_else(bad)?);
            let (tag, value) = seq.read_any().ok_or_else(bad)?;
            if tag == der::context(7, false) && value.len() != 8 && value.len() != 32 {
                return Err(format!("x509: IP constraint contained value of length {}", value.len()));
            }
        }
    }
    Ok(())
}

/// Go's `net.ParseIP` (through `netip.ParseAddr`, zones rejected): the
/// 16-byte form, IPv4 addresses mapped into IPv6.
pub(crate) fn parse_ip(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    match b.iter().find(|&&c| c == b'.' || c == b':' || c == b'%') {
        Some(b'.') => {
            let v4 = parse_ipv4(b)?;
            let mut ip = [0u8; 16];
            ip[10] = 0xff;
            ip[11] = 0xff;
            ip[12..].copy_from_slice(&v4);
            Some(ip)
        }
        Some(b':') => parse_ipv6(b),
        _ => None,
    }
}

fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut fields = [0u8; 4];
    let mut pos = 0;
    let (mut val, mut dig_len) = (0u32, 0);
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if dig_len == 1 && val == 0 {
                    return None; // leading zero
                }
                val = val * 10 + u32::from(c - b'0');
                dig_len += 1;
                if val > 255 {
                    return None;
                }
            }
            b'.' => {
                if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' || pos == 3 {
                    return None;
                }
                fields[pos] = val as u8;
                pos += 1;
                val = 0;
                dig_len = 0;
            }
            _ => return None,
        }
    }
    if pos < 3 {
        return None;
    }
    fields[3] = val as u8;
    Some(fields)
}

fn parse_ipv6(input: &[u8]) -> Option<[u8; 16]> {
    if input.contains(&b'%') {
        return None; // a zone: net.ParseIP refuses it
    }
    let mut s = input;
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0;
    while i < 16 {
        let off = s.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if off == 0 || off > 4 {
            return None;
        }
        let acc = s[..off].iter().fold(0u32, |a, &c| a << 4 | (c as char).to_digit(16).unwrap_or(0));
        if s.get(off) == Some(&b'.') {
            // A trailing embedded IPv4 address.
            if (ellipsis.is_none() && i != 12) || i + 4 > 16 {
                return None;
            }
            ip[i..i + 4].copy_from_slice(&parse_ipv4(s)?);
            s = &[];
            i += 4;
            break;
        }
        ip[i] = (acc >> 8) as u8;
        ip[i + 1] = acc as u8;
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        ip.copy_within(e..i, e + n);
        ip[e..e + n].fill(0);
    } else if ellipsis.is_some() {
        return None;
    }
    Some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ips_like_go() {
        let v4 = parse_ip("10.0.0.1").unwrap();
        assert_eq!(ip_bytes(&v4), &[10, 0, 0, 1]);
        assert_eq!(ip_bytes(&parse_ip("::ffff:1.2.3.4").unwrap()), &[1, 2, 3, 4]);
        assert_eq!(parse_ip("::1").unwrap()[15], 1);
        assert_eq!(parse_ip("2001:db8::").unwrap()[..4], [0x20, 0x01, 0x0d, 0xb8]);
        for bad in [
            "",
            "1.2.3",
            "1.2.3.04",
            "256.1.1.1",
            "1.2.3.4.5",
            "fe80::1%eth0",
            "::1::",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            "abc",
            "1.2.3.4:80",
            ":1",
            "1:2:3:4:5:6:7::8",
        ] {
            assert!(parse_ip(bad).is_none(), "{bad}");
        }
        assert!(parse_ip("1:2:3:4:5:6:1.2.3.4").is_some());
        assert!(parse_ip("::").is_some());
    }

    #[test]
    fn encodes_times_like_go() {
        assert_eq!(time_der(0).unwrap(), der::tlv(der::UTC_TIME, b"700101000000Z"));
        let y2050 = 2_524_608_000i128 * 1_000_000_000;
        assert_eq!(time_der(y2050).unwrap(), der::tlv(der::GENERALIZED_TIME, b"20500101000000Z"));
        assert_eq!(time_der(-1).unwrap(), der::tlv(der::UTC_TIME, b"691231235959Z"));
    }

    #[test]
    fn key_usage_bits() {
        // DigitalSignature|KeyEncipherment|CertSign: 03 02 02 a4, as Go writes it.
        let ku = KEY_USAGE_DIGITAL_SIGNATURE | KEY_USAGE_KEY_ENCIPHERMENT | KEY_USAGE_CERT_SIGN;
        assert_eq!(key_usage_value(ku), vec![3, 2, 2, 0xa4]);
        assert_eq!(key_usage_value(KEY_USAGE_DIGITAL_SIGNATURE | KEY_USAGE_KEY_ENCIPHERMENT), vec![3, 2, 5, 0xa0]);
    }

    #[test]
    fn printable_subjects() {
        assert_eq!(subject_der("my-ca")[11], der::PRINTABLE_STRING);
        assert_eq!(subject_der("*.example.com")[11], der::UTF8_STRING);
        assert_eq!(subject_der(""), vec![0x30, 0]);
    }
}
