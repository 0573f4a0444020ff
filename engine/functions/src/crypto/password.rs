//! `bcrypt`, `htpasswd` and `derivePassword` (the Master Password
//! algorithm, deterministic).

use aws_lc_rs::hmac;

use super::ffi;

/// golang.org/x/crypto/bcrypt's `DefaultCost`.
const BCRYPT_COST: u32 = 10;

/// Sprig's `bcrypt`: a `$2a$10$` hash, or the error as the result text.
pub(crate) fn bcrypt(input: &str) -> String {
    // x/crypto refuses what C bcrypt would silently truncate.
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".into();
    }
    // The OS source, as Go's crypto/rand: aws-lc's generator seeds itself
    // with CPU jitter entropy first, ~60 ms per process.
    let mut salt = [0u8; 16];
    if getrandom::fill(&mut salt).is_err() {
        return "failed to encrypt string with bcrypt: crypto/rand: read failed".into();
    }
    match ::bcrypt::hash_with_salt(input, BCRYPT_COST, salt) {
        Ok(parts) => parts.format_for_version(::bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

pub(crate) fn htpasswd(username: &str, password: &str) -> String {
    if username.contains(':') {
        return format!("invalid username: {username}");
    }
    format!("{username}:{}", bcrypt(password))
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Master Password: scrypt(password, seed‖len(user)‖user) keys an HMAC of
/// seed‖len(site)‖site‖counter, whose bytes pick a template and characters.
pub(crate) fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    // Go writes the lengths as uint32; longer strings wrap.
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    if ffi::scrypt(password.as_bytes(), &salt, 32768, 8, 2, &mut key).is_none() {
        return "failed to derive password: scrypt: parameters are too large".into();
    }
    let mut message = MASTER_PASSWORD_SEED.to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let seed = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), &message);
    let seed = seed.as_ref();
    let template = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &class)| {
            let chars = template_characters(class);
            chars[usize::from(seed[i + 1]) % chars.len()] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_password_matches_helm() {
        // Helm 4.3.1: derivePassword 1 "long" "password" "user" "example.com"
        assert_eq!(derive_password(1, "long", "password", "user", "example.com"), "ZedaFaxcZaso9*");
        assert_eq!(derive_password(1, "bogus", "p", "u", "s"), "cannot find password template bogus");
    }

    #[test]
    fn bcrypt_hashes_verify() {
        let h = bcrypt("s3cret");
        assert!(h.starts_with("$2a$10$") && h.len() == 60, "{h}");
        assert!(::bcrypt::verify("s3cret", &h).unwrap());
        assert!(!::bcrypt::verify("other", &h).unwrap());
        assert!(bcrypt(&"a".repeat(73)).ends_with("password length exceeds 72 bytes"));
        let max = "a".repeat(72);
        assert!(::bcrypt::verify(&max, &bcrypt(&max)).unwrap());
        assert!(::bcrypt::verify("", &bcrypt("")).unwrap());
    }

    #[test]
    fn htpasswd_format() {
        let line = htpasswd("admin", "pw");
        let (user, hash) = line.split_once(':').unwrap();
        assert_eq!(user, "admin");
        assert!(::bcrypt::verify("pw", hash).unwrap());
        assert_eq!(htpasswd("a:b", "x"), "invalid username: a:b");
    }
}
