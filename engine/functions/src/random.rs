//! Random strings: randAlphaNum, randAlpha, randAscii, randNumeric
//! (goutils' `CryptoRandom*`, drawing from the OS's secure source),
//! shuffle (xstrings' `Shuffle`) and uuidv4 (google/uuid's `NewString`).
//!
//! Only the shape of these outputs can match Helm's: the alphabets, the
//! lengths, and the errors for impossible lengths.

use rhelm_template::{Error, FuncMap, Function, Type, Value};

/// Draws uniform random numbers from the OS, a buffer at a time.
struct Rng {
    buf: [u8; 256],
    pos: usize,
}

impl Rng {
    fn new() -> Rng {
        Rng { buf: [0; 256], pos: 256 }
    }

    fn byte(&mut self) -> Result<u8, Error> {
        if self.pos == self.buf.len() {
            getrandom::fill(&mut self.buf).map_err(|e| Error::msg(format!("crypto/rand: {e}")))?;
            self.pos = 0;
        }
        self.pos += 1;
        Ok(self.buf[self.pos - 1])
    }

    /// A uniform number in `0..n` (`n` > 0), by rejection so that no value
    /// is favoured, as `crypto/rand.Int` guarantees.
    fn below(&mut self, n: u64) -> Result<u64, Error> {
        let bits = 64 - (n - 1).leading_zeros();
        let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        loop {
            let mut v = 0u64;
            for _ in 0..bits.div_ceil(8) {
                v = v << 8 | u64::from(self.byte()?);
            }
            v &= mask;
            if v < n {
                return Ok(v);
            }
        }
    }
}

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Go's `make([]rune, count)` fails above this many runes (maxAlloc / 4 on
/// 64-bit Linux); the panic is the template function's error.
const MAX_RUNES: i64 = 1 << 46;

/// goutils' `CryptoRandom` with a fixed alphabet. It draws uniformly from a
/// code point range and rejects what the alphabet lacks, which is the same
/// as drawing uniformly from the alphabet. Counts below 1 give "" (the
/// error for a negative count is dropped by Sprig).
fn random_string(count: i64, alphabet: &[u8]) -> Result<Value, Error> {
    if count <= 0 {
        return Ok(Value::str(""));
    }
    if count > MAX_RUNES {
        return Err(Error::msg("runtime error: makeslice: len out of range"));
    }
    let mut out = String::new();
    out.try_reserve_exact(count as usize).map_err(|_| Error::msg("runtime: out of memory"))?;
    let mut rng = Rng::new();
    for _ in 0..count {
        out.push(char::from(alphabet[rng.below(alphabet.len() as u64)? as usize]));
    }
    Ok(Value::string(out))
}

/// The printable ASCII characters, space to tilde (`CryptoRandomAscii`
/// draws from 32..127).
fn ascii_printable() -> Vec<u8> {
    (32u8..127).collect()
}

/// xstrings' `Shuffle`: a Fisher–Yates shuffle of the runes.
fn shuffle(s: &str) -> Result<String, Error> {
    let mut runes: Vec<char> = s.chars().collect();
    let mut rng = Rng::new();
    for i in (1..runes.len()).rev() {
        let j = rng.below(i as u64 + 1)? as usize;
        runes.swap(i, j);
    }
    Ok(runes.into_iter().collect())
}

/// A random (version 4, RFC 4122 variant) UUID in lower-case hyphenated form.
fn uuidv4() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::msg(format!("crypto/rand: {e}")))?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string())
}

fn count_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("randAlphaNum", Function::new(&[Type::Int], None, |a| random_string(count_of(&a[0]), ALPHANUMERIC)));
    m.insert("randAlpha", Function::new(&[Type::Int], None, |a| random_string(count_of(&a[0]), LETTERS)));
    m.insert("randNumeric", Function::new(&[Type::Int], None, |a| random_string(count_of(&a[0]), DIGITS)));
    m.insert("randAscii", Function::new(&[Type::Int], None, |a| random_string(count_of(&a[0]), &ascii_printable())));
    m.insert(
        "shuffle",
        Function::new(&[Type::String], None, |a| Ok(Value::string(shuffle(a[0].as_str().unwrap_or(""))?))),
    );
    m.insert("uuidv4", Function::new(&[], None, |_| Ok(Value::string(uuidv4()?))));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: Value) -> String {
        v.as_str().expect("a string").to_owned()
    }

    type AlphabetCase<'a> = (&'a [u8], fn(u8) -> bool);

    #[test]
    fn lengths_and_alphabets() {
        let cases: [AlphabetCase; 4] = [
            (ALPHANUMERIC, |b| b.is_ascii_alphanumeric()),
            (LETTERS, |b| b.is_ascii_alphabetic()),
            (DIGITS, |b| b.is_ascii_digit()),
            (&[], |b| (32..127).contains(&b)),
        ];
        for (alphabet, ok) in cases {
            let printable = ascii_printable();
            let alphabet = if alphabet.is_empty() { &printable[..] } else { alphabet };
            let s = text(random_string(2000, alphabet).unwrap());
            assert_eq!(s.len(), 2000);
            assert!(s.bytes().all(ok), "{s}");
            // Every character of a small alphabet shows up in 2000 draws.
            if alphabet.len() <= 10 {
                assert!(alphabet.iter().all(|c| s.as_bytes().contains(c)));
            }
        }
        assert_eq!(text(random_string(0, DIGITS).unwrap()), "");
        assert_eq!(text(random_string(-5, DIGITS).unwrap()), "");
        assert!(random_string(MAX_RUNES + 1, DIGITS).is_err());
    }

    #[test]
    fn below_is_in_range() {
        let mut rng = Rng::new();
        for n in [1u64, 2, 3, 10, 62, 95, 256, 257, 1 << 40, u64::MAX] {
            for _ in 0..50 {
                assert!(rng.below(n).unwrap() < n);
            }
        }
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let input = "héllo, wörld 日本語 🎉";
        let out = shuffle(input).unwrap();
        let mut a: Vec<char> = input.chars().collect();
        let mut b: Vec<char> = out.chars().collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        assert_eq!(shuffle("").unwrap(), "");
        assert_eq!(shuffle("x").unwrap(), "x");
    }

    #[test]
    fn uuid_v4_shape() {
        let u = uuidv4().unwrap();
        let b = u.as_bytes();
        assert_eq!(u.len(), 36);
        for (i, &c) in b.iter().enumerate() {
            if [8, 13, 18, 23].contains(&i) {
                assert_eq!(c, b'-');
            } else {
                assert!(c.is_ascii_digit() || (b'a'..=b'f').contains(&c), "{u}");
            }
        }
        assert_eq!(b[14], b'4', "version 4: {u}");
        assert!(b"89ab".contains(&b[19]), "RFC 4122 variant: {u}");
        assert_ne!(uuidv4().unwrap(), u);
    }
}
