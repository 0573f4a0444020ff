//! Sprig's `encryptAES`/`decryptAES`: AES-256-CBC with the password copied
//! into a zeroed 32-byte key, PKCS #7-style padding, a random IV in front,
//! base64 around it all.
//!
//! `decryptAES` checks nothing: Go panics on short or misaligned input and
//! on a padding byte larger than the data, and the template reports the
//! panic. Those texts are reproduced here.

use aws_lc_rs::cipher::{
    DecryptingKey, DecryptionContext, EncryptingKey, EncryptionContext, UnboundCipherKey, AES_256,
};
use aws_lc_rs::iv::FixedLength;

use super::base64;

const BLOCK: usize = 16;

fn key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    key
}

pub(crate) fn encrypt(password: &str, plaintext: &str) -> Result<String, String> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let fail = |_| "crypto/aes: encryption failed".to_string();
    let mut iv = [0u8; BLOCK];
    getrandom::fill(&mut iv).map_err(|_| "crypto/aes: encryption failed".to_string())?;
    let padding = BLOCK - plaintext.len() % BLOCK;
    let mut content = plaintext.as_bytes().to_vec();
    content.resize(plaintext.len() + padding, padding as u8);
    let cipher = EncryptingKey::cbc(UnboundCipherKey::new(&AES_256, &key(password)).map_err(fail)?).map_err(fail)?;
    cipher.less_safe_encrypt(&mut content, EncryptionContext::Iv128(FixedLength::from(iv))).map_err(fail)?;
    let mut out = iv.to_vec();
    out.extend_from_slice(&content);
    Ok(base64::encode(&out))
}

pub(crate) fn decrypt(password: &str, crypt64: &str) -> Result<String, String> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = base64::decode(crypt64.as_bytes()).map_err(|e| e.to_string())?;
    if crypt.len() < BLOCK {
        // Go slices `crypt[:16]` within the decode buffer's capacity, which
        // counts the newlines it skipped; past it, `crypt[16:]` fails.
        let capacity = crypt64.len() / 4 * 3;
        return Err(if capacity < BLOCK {
            format!("runtime error: slice bounds out of range [:16] with capacity {capacity}")
        } else {
            format!("runtime error: slice bounds out of range [16:{}]", crypt.len())
        });
    }
    let (iv, body) = crypt.split_at(BLOCK);
    if body.len() % BLOCK != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let Some(&pad) = body.last() else { return Err("runtime error: index out of range [-1]".into()) };
    let fail = |_| "crypto/aes: decryption failed".to_string();
    let cipher = DecryptingKey::cbc(UnboundCipherKey::new(&AES_256, &key(password)).map_err(fail)?).map_err(fail)?;
    let iv: [u8; BLOCK] = iv.try_into().map_err(|_| "crypto/aes: bad IV".to_string())?;
    let mut data = body.to_vec();
    let plain = cipher.decrypt(&mut data, DecryptionContext::Iv128(FixedLength::from(iv))).map_err(fail)?;
    let pad = usize::from(plain.last().copied().unwrap_or(pad));
    if pad > plain.len() {
        return Err(format!("runtime error: slice bounds out of range [:{}]", plain.len() as i64 - pad as i64));
    }
    // Go returns the bytes as they are; a wrong password yields bytes that
    // need not be UTF-8, which a Rust string cannot hold.
    Ok(String::from_utf8_lossy(&plain[..plain.len() - pad]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in ["a", "exactly sixteen!", "üñíçødé ✓", &"x".repeat(100)] {
            let c = encrypt("secret", text).unwrap();
            assert_eq!(decrypt("secret", &c).unwrap(), text);
        }
        assert_eq!(encrypt("k", "").unwrap(), "");
        // Only the first 32 bytes of the password count.
        let long = "0123456789abcdef0123456789abcdef";
        let c = encrypt(&format!("{long}XYZ"), "hi").unwrap();
        assert_eq!(decrypt(long, &c).unwrap(), "hi");
        assert_eq!(base64::decode(c.as_bytes()).unwrap().len(), 32);
    }

    #[test]
    fn go_panics() {
        assert_eq!(decrypt("k", "YWJj").unwrap_err(), "runtime error: slice bounds out of range [:16] with capacity 3");
        assert_eq!(decrypt("k", "AAAAAAAAAAAAAAAAAAAAAA==").unwrap_err(), "runtime error: index out of range [-1]");
        assert_eq!(decrypt("k", "abc").unwrap_err(), "illegal base64 data at input byte 0");
        assert_eq!(decrypt("k", &"A".repeat(28)).unwrap_err(), "crypto/cipher: input not full blocks");
    }
}
