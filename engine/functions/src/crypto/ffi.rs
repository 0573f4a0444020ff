//! Safe wrappers over the few AWS-LC functions that aws-lc-rs does not
//! expose: scrypt, DSA key generation, RSA key generation on two threads,
//! and RSA PKCS #1 v1.5 signing with keys of any size (aws-lc-rs only signs
//! with 2048..8192-bit keys; Go signs with any key of at least 1024 bits).

use std::os::raw::{c_int, c_uint, c_void};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_lc_sys as sys;

/// scrypt (RFC 7914); `None` if AWS-LC rejects the parameters.
pub(crate) fn scrypt(password: &[u8], salt: &[u8], n: u64, r: u64, p: u64, out: &mut [u8]) -> Option<()> {
    // Enough for N=2^15, r=8 (32 MiB) with room to spare.
    let max_mem = 128 * r as usize * (n as usize + p as usize + 2) + (1 << 20);
    // SAFETY: every pointer/length pair describes a live slice; AWS-LC
    // writes exactly out.len() bytes to out.
    let ok = unsafe {
        sys::EVP_PBE_scrypt(
            password.as_ptr().cast(),
            password.len(),
            salt.as_ptr(),
            salt.len(),
            n,
            r,
            p,
            max_mem,
            out.as_mut_ptr(),
            out.len(),
        )
    };
    (ok == 1).then_some(())
}

/// A big-endian magnitude from a BIGNUM owned by someone else.
///
/// # Safety
/// `bn` must be a valid BIGNUM pointer.
unsafe fn bn_bytes(bn: *const sys::BIGNUM) -> Vec<u8> {
    let mut out = vec![0u8; sys::BN_num_bytes(bn) as usize];
    sys::BN_bn2bin(bn, out.as_mut_ptr());
    out
}

/// DSA parameters and key, as big-endian magnitudes.
pub(crate) struct DsaKey {
    pub p: Vec<u8>,
    pub q: Vec<u8>,
    pub g: Vec<u8>,
    pub y: Vec<u8>,
    pub x: Vec<u8>,
}

struct Dsa(*mut sys::DSA);

impl Drop for Dsa {
    fn drop(&mut self) {
        // SAFETY: the pointer came from DSA_new and is freed once.
        unsafe { sys::DSA_free(self.0) }
    }
}

/// A fresh DSA key with 2048-bit p and 256-bit q, like Go's
/// `dsa.GenerateParameters(.., dsa.L2048N256)` + `dsa.GenerateKey`.
pub(crate) fn dsa_generate() -> Option<DsaKey> {
    // SAFETY: DSA_new returns an owned object (or null); the getters borrow
    // BIGNUMs that live as long as it does, and are copied out before drop.
    unsafe {
        let dsa = Dsa(sys::DSA_new());
        if dsa.0.is_null() {
            return None;
        }
        let (counter, h, cb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        if sys::DSA_generate_parameters_ex(dsa.0, 2048, ptr::null(), 0, counter, h, cb) != 1
            || sys::DSA_generate_key(dsa.0) != 1
        {
            return None;
        }
        let (mut p, mut q, mut g) = (ptr::null(), ptr::null(), ptr::null());
        sys::DSA_get0_pqg(dsa.0, &mut p, &mut q, &mut g);
        let (mut y, mut x) = (ptr::null(), ptr::null());
        sys::DSA_get0_key(dsa.0, &mut y, &mut x);
        if [p, q, g, y, x].iter().any(|b| b.is_null()) || sys::BN_num_bits(q) != 256 {
            return None;
        }
        Some(DsaKey { p: bn_bytes(p), q: bn_bytes(q), g: bn_bytes(g), y: bn_bytes(y), x: bn_bytes(x) })
    }
}

/// Owned BIGNUMs and a BN_CTX, freed together.
struct Bns {
    ctx: *mut sys::BN_CTX,
    nums: Vec<*mut sys::BIGNUM>,
}

impl Bns {
    fn new() -> Option<Bns> {
        // SAFETY: BN_CTX_new returns an owned context or null.
        let ctx = unsafe { sys::BN_CTX_new() };
        (!ctx.is_null()).then(|| Bns { ctx, nums: Vec::new() })
    }

    /// A new BIGNUM holding `bytes` (big-endian), or zero.
    fn num(&mut self, bytes: &[u8]) -> Option<*mut sys::BIGNUM> {
        // SAFETY: BN_bin2bn reads exactly bytes.len() bytes and returns an
        // owned BIGNUM (or null), which Drop frees.
        let bn = unsafe { sys::BN_bin2bn(bytes.as_ptr(), bytes.len(), ptr::null_mut()) };
        if bn.is_null() {
            return None;
        }
        self.nums.push(bn);
        Some(bn)
    }
}

impl Drop for Bns {
    fn drop(&mut self) {
        // SAFETY: every pointer was allocated by BN_bin2bn/BN_CTX_new and is freed once.
        unsafe {
            for &bn in &self.nums {
                sys::BN_free(bn);
            }
            sys::BN_CTX_free(self.ctx);
        }
    }
}

/// The CRT values d mod (p-1), d mod (q-1) and q⁻¹ mod p, as Go's
/// `Precompute` derives them for keys that omit them.
pub(crate) fn rsa_crt(d: &[u8], p: &[u8], q: &[u8]) -> Option<[Vec<u8>; 3]> {
    let mut b = Bns::new()?;
    let (d, p, q) = (b.num(d)?, b.num(p)?, b.num(q)?);
    let (p1, q1, dp, dq, qinv) = (b.num(&[])?, b.num(&[])?, b.num(&[])?, b.num(&[])?, b.num(&[])?);
    // SAFETY: all BIGNUMs and the context are live and owned by `b`.
    unsafe {
        let ok = sys::BN_sub(p1, p, sys::BN_value_one()) == 1
            && sys::BN_sub(q1, q, sys::BN_value_one()) == 1
            && sys::BN_div(ptr::null_mut(), dp, d, p1, b.ctx) == 1
            && sys::BN_div(ptr::null_mut(), dq, d, q1, b.ctx) == 1
            && !sys::BN_mod_inverse(qinv, q, p, b.ctx).is_null();
        if !ok {
            sys::ERR_clear_error();
            return None;
        }
        Some([bn_bytes(dp), bn_bytes(dq), bn_bytes(qinv)])
    }
}

struct EcKey(*mut sys::EC_KEY);

impl Drop for EcKey {
    fn drop(&mut self) {
        // SAFETY: the pointer came from EC_KEY_new_by_curve_name and is freed once.
        unsafe { sys::EC_KEY_free(self.0) }
    }
}

struct EcPoint(*mut sys::EC_POINT);

impl Drop for EcPoint {
    fn drop(&mut self) {
        // SAFETY: the pointer came from EC_POINT_new and is freed once.
        unsafe { sys::EC_POINT_free(self.0) }
    }
}

/// A P-224 key (which aws-lc-rs cannot sign with, and Go can) from its
/// scalar: the uncompressed public point, and a signer over SHA-256 digests.
pub(crate) struct P224 {
    key: EcKey,
    pub point: Vec<u8>,
}

// SAFETY: the EC_KEY is only read after construction (ECDSA_sign does not
// mutate it), so sharing it between threads is sound.
unsafe impl Send for P224 {}
unsafe impl Sync for P224 {}

impl P224 {
    pub(crate) fn new(scalar: &[u8]) -> Option<P224> {
        let mut b = Bns::new()?;
        let d = b.num(scalar)?;
        // SAFETY: the key, point and BIGNUMs are owned by guards; the output
        // buffer is sized by a first EC_POINT_point2oct call.
        unsafe {
            let key = EcKey(sys::EC_KEY_new_by_curve_name(sys::NID_secp224r1));
            if key.0.is_null() {
                return None;
            }
            let group = sys::EC_KEY_get0_group(key.0);
            let point = EcPoint(sys::EC_POINT_new(group));
            if point.0.is_null()
                || sys::EC_KEY_set_private_key(key.0, d) != 1
                || sys::EC_POINT_mul(group, point.0, d, ptr::null(), ptr::null(), b.ctx) != 1
                || sys::EC_KEY_set_public_key(key.0, point.0) != 1
            {
                sys::ERR_clear_error();
                return None;
            }
            let form = sys::point_conversion_form_t::POINT_CONVERSION_UNCOMPRESSED;
            let len = sys::EC_POINT_point2oct(group, point.0, form, ptr::null_mut(), 0, b.ctx);
            let mut out = vec![0u8; len];
            if len == 0 || sys::EC_POINT_point2oct(group, point.0, form, out.as_mut_ptr(), len, b.ctx) != len {
                sys::ERR_clear_error();
                return None;
            }
            Some(P224 { key, point: out })
        }
    }

    /// An ASN.1 ECDSA signature of `digest`.
    pub(crate) fn sign(&self, digest: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: the key is live; the buffer has ECDSA_size bytes, the most
        // ECDSA_sign writes.
        unsafe {
            let mut sig = vec![0u8; sys::ECDSA_size(self.key.0)];
            let mut len: c_uint = 0;
            if sys::ECDSA_sign(0, digest.as_ptr(), digest.len(), sig.as_mut_ptr(), &mut len, self.key.0) != 1 {
                sys::ERR_clear_error();
                return None;
            }
            sig.truncate(len as usize);
            Some(sig)
        }
    }
}

struct Rsa(*mut sys::RSA);

impl Drop for Rsa {
    fn drop(&mut self) {
        // SAFETY: the pointer came from RSA_private_key_from_bytes and is freed once.
        unsafe { sys::RSA_free(self.0) }
    }
}

/// The hash of an RSA PKCS #1 v1.5 signature.
#[derive(Clone, Copy)]
pub(crate) enum RsaHash {
    Sha256,
}

/// Signs `digest` with the PKCS #1 `RSAPrivateKey` in `der`. `None` if
/// AWS-LC rejects the key (it checks its consistency) or the signing fails.
pub(crate) fn rsa_sign(der: &[u8], hash: RsaHash, digest: &[u8]) -> Option<Vec<u8>> {
    let nid = match hash {
        RsaHash::Sha256 => sys::NID_sha256,
    };
    // SAFETY: the key is owned by the guard; the output buffer has
    // RSA_size bytes, the most RSA_sign writes.
    unsafe {
        let rsa = Rsa(sys::RSA_private_key_from_bytes(der.as_ptr(), der.len()));
        if rsa.0.is_null() {
            sys::ERR_clear_error();
            return None;
        }
        let mut sig = vec![0u8; sys::RSA_size(rsa.0) as usize];
        let mut len: c_uint = 0;
        if sys::RSA_sign(nid, digest.as_ptr(), digest.len(), sig.as_mut_ptr(), &mut len, rsa.0) != 1 {
            sys::ERR_clear_error();
            return None;
        }
        sig.truncate(len as usize);
        Some(sig)
    }
}

/// An RSA private key's numbers (big-endian magnitudes) with e = 65537.
pub(crate) struct RsaNumbers {
    pub n: Vec<u8>,
    /// d, p, q, d mod (p-1), d mod (q-1), q⁻¹ mod p
    pub private: [Vec<u8>; 6],
}

const RSA_E: u64 = 65537;

/// A new `bits`-bit RSA key with e = 65537, as FIPS 186-5 A.1.3 and Go's
/// `GenerateKey` make one: two random primes of `bits/2` bits with the top
/// two bits set (so n has exactly `bits` bits), neither ≡ 1 mod e, at least
/// 2^(bits/2-100) apart; d = e⁻¹ mod λ(n).
///
/// Why not aws-lc's own RSA_generate_key_ex: finding a prime is a memoryless
/// search (random candidates until one passes), so two threads racing for
/// each prime find it in half the expected time, where aws-lc searches on
/// one core. A 4096-bit key went from about 3 s to 1.5 s on two cores.
pub(crate) fn rsa_generate(bits: usize) -> Option<RsaNumbers> {
    let half = bits / 2;
    loop {
        let p = race_prime(half)?;
        let q = race_prime(half)?;
        match rsa_from_primes(&p, &q, bits) {
            Ok(key) => return Some(key),
            Err(Retry::Primes) => continue,
            Err(Retry::Failed) => return None,
        }
    }
}

enum Retry {
    /// The primes do not make a good key: draw new ones.
    Primes,
    /// AWS-LC failed.
    Failed,
}

/// A random `bits`-bit prime with the top two bits set, searched for by
/// this thread and one more; the first to find one stops the other.
fn race_prime(bits: usize) -> Option<Vec<u8>> {
    let found = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || prime_unless_found(bits, &found));
        let mine = prime_unless_found(bits, &found);
        let theirs = helper.ok().and_then(|h| h.join().ok().flatten());
        mine.or(theirs)
    })
}

/// BN_generate_prime_ex, abandoned once `found` is set (by the other
/// searcher); sets `found` when it finds one.
fn prime_unless_found(bits: usize, found: &AtomicBool) -> Option<Vec<u8>> {
    /// Called by AWS-LC for each candidate and each primality round; a zero
    /// return abandons the search.
    unsafe extern "C" fn keep_going(_event: c_int, _n: c_int, cb: *mut sys::BN_GENCB) -> c_int {
        // SAFETY: the argument is the `found` flag, which outlives the search.
        let found = unsafe { &*(sys::BN_GENCB_get_arg(cb) as *const AtomicBool) };
        c_int::from(!found.load(Ordering::Relaxed))
    }
    let mut b = Bns::new()?;
    let prime = b.num(&[])?;
    // SAFETY: the callback is freed before `found` goes out of scope, and
    // BN_generate_prime_ex writes only to the BIGNUM it is given.
    unsafe {
        let cb = sys::BN_GENCB_new();
        if cb.is_null() {
            return None;
        }
        sys::BN_GENCB_set(cb, Some(keep_going), found as *const AtomicBool as *mut c_void);
        let ok = sys::BN_generate_prime_ex(prime, bits as c_int, 0, ptr::null(), ptr::null(), cb);
        sys::BN_GENCB_free(cb);
        if ok != 1 {
            sys::ERR_clear_error();
            return None;
        }
        found.store(true, Ordering::Relaxed);
        Some(bn_bytes(prime))
    }
}

fn rsa_from_primes(p: &[u8], q: &[u8], bits: usize) -> Result<RsaNumbers, Retry> {
    let mut b = Bns::new().ok_or(Retry::Failed)?;
    let ctx = b.ctx;
    let mut num = |bytes: &[u8]| b.num(bytes).ok_or(Retry::Failed);
    let (p, q) = (num(p)?, num(q)?);
    let (n, diff, p1, q1, g, phi, lambda, e, d) =
        (num(&[])?, num(&[])?, num(&[])?, num(&[])?, num(&[])?, num(&[])?, num(&[])?, num(&[])?, num(&[])?);
    // SAFETY: all BIGNUMs and the context are live and owned by `b`.
    unsafe {
        if sys::BN_sub(diff, p, q) != 1 {
            return Err(Retry::Failed);
        }
        if (sys::BN_num_bits(diff) as usize) <= bits / 2 - 100
            || sys::BN_mod_word(p, RSA_E as _) == 1
            || sys::BN_mod_word(q, RSA_E as _) == 1
        {
            return Err(Retry::Primes);
        }
        let ok = sys::BN_mul(n, p, q, ctx) == 1
            && sys::BN_sub(p1, p, sys::BN_value_one()) == 1
            && sys::BN_sub(q1, q, sys::BN_value_one()) == 1
            && sys::BN_gcd(g, p1, q1, ctx) == 1
            && sys::BN_mul(phi, p1, q1, ctx) == 1
            && sys::BN_div(lambda, ptr::null_mut(), phi, g, ctx) == 1
            && sys::BN_set_word(e, RSA_E as _) == 1
            && !sys::BN_mod_inverse(d, e, lambda, ctx).is_null();
        if !ok {
            sys::ERR_clear_error();
            return Err(Retry::Failed);
        }
        if sys::BN_num_bits(n) as usize != bits {
            return Err(Retry::Primes);
        }
        let (d, p, q) = (bn_bytes(d), bn_bytes(p), bn_bytes(q));
        let [dp, dq, qinv] = rsa_crt(&d, &p, &q).ok_or(Retry::Failed)?;
        Ok(RsaNumbers { n: bn_bytes(n), private: [d, p, q, dp, dq, qinv] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrypt_matches_rfc_7914() {
        // RFC 7914 section 12, the second test vector.
        let mut out = [0u8; 64];
        scrypt(b"password", b"NaCl", 1024, 8, 16, &mut out).unwrap();
        assert_eq!(&out[..8], &[0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00]);
    }
}
