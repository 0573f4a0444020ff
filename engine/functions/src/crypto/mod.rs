//! Sprig's crypto.go as Helm 4.3.1 runs it: password hashing (`bcrypt`,
//! `htpasswd`, `derivePassword`), keys (`genPrivateKey`), certificates
//! (`genCA`, `genSelfSignedCert`, `genSignedCert`, their `WithKey` variants,
//! `buildCustomCert`), `encryptAES`/`decryptAES` and `randBytes`.
//!
//! Outputs match Go's byte formats (PEM, DER, base64) and error texts; the
//! random parts (keys, serials, IVs, salts) are random here too. The
//! primitives come from AWS-LC (see Cargo.toml for why).

mod aes;
mod asn1;
mod base64;
mod der;
mod ffi;
mod keys;
mod password;
mod pem;
mod x509;

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rhelm_template::{Error, FuncMap, Function, Object, Type, Value};

use keys::PrivateKey;
use x509::{Parent, Template};

/// Sprig's `certificate` struct: PEM text of a certificate and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("sprig.certificate")
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::str(&self.cert)),
            "Key" => Some(Value::str(&self.key)),
            _ => None,
        }
    }

    /// `%v` of a Go struct: `{field field}`.
    fn format(&self, out: &mut String) {
        out.push('{');
        out.push_str(&self.cert);
        out.push(' ');
        out.push_str(&self.key);
        out.push('}');
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn cert_value(c: Certificate) -> Value {
    Value::Object(Arc::new(c))
}

// ---------------------------------------------------------------- arguments

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

fn list_arg(v: &Value) -> &[Value] {
    match v {
        Value::List(l) => &l.items,
        _ => &[],
    }
}

/// A `sprig.certificate` parameter. The engine has no parameter type for
/// it, so the check Go's reflection makes is repeated here (the message is
/// Go's, though it arrives wrapped as a function error).
fn certificate_arg(v: &Value) -> Result<&Certificate, Error> {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<Certificate>() {
            Some(c) => Ok(c),
            None => Err(Error::msg(format!("wrong type for value; expected sprig.certificate; got {}", v.type_name()))),
        },
        Value::Nil => Err(Error::msg("invalid value; expected sprig.certificate")),
        _ => Err(Error::msg(format!("wrong type for value; expected sprig.certificate; got {}", v.type_name()))),
    }
}

/// Go's `uint32` parameter of `derivePassword`. Template literals arrive as
/// `int`; reflect's SetUint keeps the low 32 bits.
fn uint32_arg(v: &Value) -> Result<u32, Error> {
    match v {
        Value::Int(i) if *i >= 0 => Ok(*i as u32),
        Value::Int(i) => Err(Error::msg(format!("expected unsigned integer; found {i}"))),
        _ => Err(Error::msg(format!(
            "wrong type for value; expected uint32; got {}",
            if v.is_nil() { Cow::Borrowed("interface {}") } else { v.type_name() }
        ))),
    }
}

fn go_value_text(v: &Value) -> String {
    let mut s = String::new();
    rhelm_template::fmt::write_value(&mut s, v);
    s
}

/// `getNetIPs`.
fn net_ips(ips: &[Value]) -> Result<Vec<[u8; 16]>, String> {
    ips.iter()
        .map(|ip| {
            let s = ip.as_str().ok_or_else(|| format!("error parsing ip: {} is not a string", go_value_text(ip)))?;
            x509::parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}"))
        })
        .collect()
}

/// `getAlternateDNSStrs`.
fn dns_names(names: &[Value]) -> Result<Vec<String>, String> {
    names
        .iter()
        .map(|n| {
            n.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("error processing alternate dns name: {} is not a string", go_value_text(n)))
        })
        .collect()
}

fn now_nanos() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// `getBaseCertTemplate`.
fn base_template(cn: &str, ips: &[Value], dns: &[Value], days_valid: i64) -> Result<Template, String> {
    let ips = net_ips(ips)?;
    let dns_names = dns_names(dns)?;
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|_| "crypto/rand: read failed".to_string())?;
    let not_before = now_nanos();
    // time.Hour * 24 * time.Duration(daysValid): int64 nanoseconds, wrapping.
    let validity = 86_400_000_000_000i64.wrapping_mul(days_valid);
    Ok(Template {
        serial,
        common_name: cn.to_string(),
        ips,
        dns_names,
        not_before,
        not_after: now_nanos() + i128::from(validity),
        key_usage: x509::KEY_USAGE_KEY_ENCIPHERMENT | x509::KEY_USAGE_DIGITAL_SIGNATURE,
        is_ca: false,
    })
}

/// `getCertAndKey`: signs `template` for `signee` and PEM-encodes both.
fn cert_and_key(
    template: &Template,
    signee: &PrivateKey,
    parent: Parent<'_>,
    signer: &PrivateKey,
) -> Result<Certificate, String> {
    let der_bytes = x509::create_certificate(template, &signee.public(), parent, signer)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate { cert: pem::encode("CERTIFICATE", &der_bytes), key: signee.to_pem() })
}

/// A key from a PEM argument, with Sprig's "parsing private key: " prefix.
fn key_from_pem(text: &str) -> Result<PrivateKey, String> {
    keys::parse_private_key_pem(text).map_err(|e| format!("parsing private key: {e}"))
}

// ---------------------------------------------------------------- functions

fn gen_ca(cn: &str, days: i64, key: Option<&str>) -> Result<Certificate, String> {
    // Go generates the key first; the order cannot be observed, and
    // validating first saves a key generation on error.
    let key = match key {
        Some(text) => key_from_pem(text)?,
        None => keys::generate_rsa_2048()?,
    };
    let mut template = base_template(cn, &[], &[], days)?;
    template.key_usage |= x509::KEY_USAGE_CERT_SIGN;
    template.is_ca = true;
    cert_and_key(&template, &key, Parent::SelfSigned, &key)
}

fn gen_self_signed(
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days: i64,
    key: Option<&str>,
) -> Result<Certificate, String> {
    let parsed = key.map(key_from_pem).transpose()?;
    let template = base_template(cn, ips, dns, days)?;
    let key = match parsed {
        Some(k) => k,
        None => keys::generate_rsa_2048()?,
    };
    cert_and_key(&template, &key, Parent::SelfSigned, &key)
}

fn gen_signed(
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days: i64,
    ca: &Certificate,
    key: Option<&str>,
) -> Result<Certificate, String> {
    let parsed = key.map(key_from_pem).transpose()?;
    let block = pem::decode(ca.cert.as_bytes()).ok_or("unable to decode certificate")?;
    let signer_cert = x509::parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer_key = keys::parse_private_key_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let template = base_template(cn, ips, dns, days)?;
    let key = match parsed {
        Some(k) => k,
        None => keys::generate_rsa_2048()?,
    };
    cert_and_key(&template, &key, Parent::Ca(&signer_cert), &signer_key)
}

/// `buildCustomCertificate`: checks and returns the decoded PEM texts.
fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Certificate, String> {
    let cert = base64::decode(b64cert.as_bytes()).map_err(|_| "unable to decode base64 certificate")?;
    let key = base64::decode(b64key.as_bytes()).map_err(|_| "unable to decode base64 private key")?;
    let block = pem::decode(&cert).ok_or("unable to decode certificate")?;
    x509::parse_certificate(&block.bytes).map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    let key_text = String::from_utf8_lossy(&key).into_owned();
    keys::parse_private_key_pem(&key_text).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate { cert: String::from_utf8_lossy(&cert).into_owned(), key: key_text })
}

fn rand_bytes(count: i64) -> Result<String, String> {
    let n = usize::try_from(count).map_err(|_| "runtime error: makeslice: len out of range".to_string())?;
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|_| "crypto/rand: read failed".to_string())?;
    Ok(base64::encode(&buf))
}

fn gen_private_key(kind: &str) -> String {
    match PrivateKey::generate(kind) {
        None => format!("Unknown type {kind}"),
        Some(Ok(key)) => key.to_pem(),
        Some(Err(e)) => e,
    }
}

fn to_value(r: Result<Certificate, String>) -> Result<Value, Error> {
    r.map(cert_value).map_err(Error::msg)
}

pub(crate) fn register(m: &mut FuncMap) {
    use Type::{Int, List, String as Str};

    m.insert("bcrypt", Function::new(&[Str], None, |a| Ok(Value::string(password::bcrypt(str_arg(&a[0]))))));
    m.insert(
        "htpasswd",
        Function::new(&[Str, Str], None, |a| Ok(Value::string(password::htpasswd(str_arg(&a[0]), str_arg(&a[1]))))),
    );
    m.insert("genPrivateKey", Function::new(&[Str], None, |a| Ok(Value::string(gen_private_key(str_arg(&a[0]))))));
    m.insert(
        "derivePassword",
        Function::new(&[Type::Any, Str, Str, Str, Str], None, |a| {
            let counter = uint32_arg(&a[0])?;
            let [kind, pw, user, site] = [&a[1], &a[2], &a[3], &a[4]].map(str_arg);
            Ok(Value::string(password::derive_password(counter, kind, pw, user, site)))
        }),
    );
    m.insert(
        "buildCustomCert",
        Function::new(&[Str, Str], None, |a| to_value(build_custom_cert(str_arg(&a[0]), str_arg(&a[1])))),
    );
    m.insert("genCA", Function::new(&[Str, Int], None, |a| to_value(gen_ca(str_arg(&a[0]), int_arg(&a[1]), None))));
    m.insert(
        "genCAWithKey",
        Function::new(&[Str, Int, Str], None, |a| {
            to_value(gen_ca(str_arg(&a[0]), int_arg(&a[1]), Some(str_arg(&a[2]))))
        }),
    );
    m.insert(
        "genSelfSignedCert",
        Function::new(&[Str, List, List, Int], None, |a| {
            to_value(gen_self_signed(str_arg(&a[0]), list_arg(&a[1]), list_arg(&a[2]), int_arg(&a[3]), None))
        }),
    );
    m.insert(
        "genSelfSignedCertWithKey",
        Function::new(&[Str, List, List, Int, Str], None, |a| {
            let key = Some(str_arg(&a[4]));
            to_value(gen_self_signed(str_arg(&a[0]), list_arg(&a[1]), list_arg(&a[2]), int_arg(&a[3]), key))
        }),
    );
    m.insert(
        "genSignedCert",
        Function::new(&[Str, List, List, Int, Type::Any], None, |a| {
            let ca = certificate_arg(&a[4])?;
            to_value(gen_signed(str_arg(&a[0]), list_arg(&a[1]), list_arg(&a[2]), int_arg(&a[3]), ca, None))
        }),
    );
    m.insert(
        "genSignedCertWithKey",
        Function::new(&[Str, List, List, Int, Type::Any, Str], None, |a| {
            let ca = certificate_arg(&a[4])?;
            let key = Some(str_arg(&a[5]));
            to_value(gen_signed(str_arg(&a[0]), list_arg(&a[1]), list_arg(&a[2]), int_arg(&a[3]), ca, key))
        }),
    );
    m.insert(
        "encryptAES",
        Function::new(&[Str, Str], None, |a| {
            aes::encrypt(str_arg(&a[0]), str_arg(&a[1])).map(Value::string).map_err(Error::msg)
        }),
    );
    m.insert(
        "decryptAES",
        Function::new(&[Str, Str], None, |a| {
            aes::decrypt(str_arg(&a[0]), str_arg(&a[1])).map(Value::string).map_err(Error::msg)
        }),
    );
    m.insert(
        "randBytes",
        Function::new(&[Int], None, |a| rand_bytes(int_arg(&a[0])).map(Value::string).map_err(Error::msg)),
    );
}

#[cfg(test)]
mod tests;
