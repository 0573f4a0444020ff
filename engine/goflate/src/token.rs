//! The LZ77 token store of one block, and the RFC 1951 code tables.
//!
//! Go packs a token into a `u32` and counts the literal, length and offset
//! codes while the encoders add tokens, so the Huffman writer never has to
//! walk the tokens to build its histograms. We keep the same layout because
//! the block writer's size estimates read these histograms directly.

/// Literal/length codes the block writer knows (0-255 bytes, 256 EOB, 257-285 lengths).
pub(crate) const LITERAL_COUNT: usize = 286;
/// Offset (distance) codes in use.
pub(crate) const OFFSET_CODE_COUNT: usize = 30;
/// The end-of-block symbol.
pub(crate) const END_BLOCK_MARKER: usize = 256;
/// The first length symbol.
pub(crate) const LENGTH_CODES_START: usize = 257;
/// The largest stored block, and the block size of the fast (level 1-6) path.
pub(crate) const MAX_STORE_BLOCK_SIZE: usize = 65535;
/// The smallest length RFC 1951 can express; token lengths are stored minus this.
pub(crate) const BASE_MATCH_LENGTH: i32 = 3;
/// The smallest offset; token offsets are stored minus this.
pub(crate) const BASE_MATCH_OFFSET: i32 = 1;
pub(crate) const MAX_MATCH_LENGTH: i32 = 258;

// Token layout: bits 0-15 offset-1 (or the literal byte), bits 16-21 the
// offset code, bits 22-29 length-3, bit 30 set for matches.
const LENGTH_SHIFT: u32 = 22;
pub(crate) const OFFSET_MASK: u32 = (1 << LENGTH_SHIFT) - 1;
pub(crate) const MATCH_TYPE: u32 = 1 << 30;
pub(crate) const MATCH_OFFSET_ONLY_MASK: u32 = 0xffff;

/// Extra bits of length code `i` (symbol `i + 257`).
pub(crate) const LENGTH_EXTRA_BITS: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut i = 8;
    while i < 28 {
        t[i] = (i / 4 - 1) as u8;
        i += 1;
    }
    t
};

/// Smallest `length - 3` of length code `i`.
pub(crate) const LENGTH_BASE: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut i = 1;
    while i < 28 {
        t[i] = t[i - 1] + (1u8 << LENGTH_EXTRA_BITS[i - 1]);
        i += 1;
    }
    t[28] = 255;
    t
};

/// Extra bits of offset code `i`. Codes 30 and 31 are the "extended window"
/// entries Go keeps in its table; nothing emits them.
pub(crate) const OFFSET_EXTRA_BITS: [i8; 32] = {
    let mut t = [0i8; 32];
    let mut i = 4;
    while i < 32 {
        t[i] = (i / 2 - 1) as i8;
        i += 1;
    }
    t
};

/// Smallest `offset - 1` of offset code `i`.
const OFFSET_BASE: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut i = 1;
    while i < 32 {
        t[i] = t[i - 1] + (1u32 << OFFSET_EXTRA_BITS[i - 1]);
        i += 1;
    }
    t
};

/// Extra-bit count (low byte) and base (above) of each offset code that has
/// extra bits, in one word as the token writer wants it; 0 for the others.
pub(crate) const OFFSET_COMBINED: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut i = 0;
    while i < 32 {
        if OFFSET_EXTRA_BITS[i] != 0 && OFFSET_BASE[i] <= 0x6000 {
            t[i] = OFFSET_EXTRA_BITS[i] as u32 | (OFFSET_BASE[i] << 8);
        }
        i += 1;
    }
    t
};

/// Length code of `length - 3`.
pub(crate) const LENGTH_CODES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut code = 0;
    while code < 28 {
        let mut k = 0;
        while k < (1usize << LENGTH_EXTRA_BITS[code]) {
            t[LENGTH_BASE[code] as usize + k] = code as u8;
            k += 1;
        }
        code += 1;
    }
    // Length 258 has its own code although code 27's range covers it.
    t[255] = 28;
    t
};

/// Length code plus one: the index into `Tokens::extra_hist`, whose slot 0 is EOB.
const LENGTH_CODES1: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = LENGTH_CODES[i] + 1;
        i += 1;
    }
    t
};

/// Offset code of `offset - 1` for values below 256.
const OFFSET_CODES: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut v = 0;
    while v < 256 {
        t[v] = if v < 4 {
            v as u32
        } else {
            let log2 = 31 - (v as u32).leading_zeros();
            2 * log2 + ((v as u32 >> (log2 - 1)) & 1)
        };
        v += 1;
    }
    t
};

/// Offset code of `offset - 1` from its bits above 7, for values of 256 and more.
const OFFSET_CODES14: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = OFFSET_CODES[i] + 14;
        i += 1;
    }
    t
};

/// Offset code of `off` (= offset - 1). Go indexes the high table with
/// `uint8(off >> 7)`, which wraps for 32768; the level 7-9 gain estimate
/// relies on that, so we keep it.
#[inline]
pub(crate) fn offset_code(off: u32) -> u32 {
    if off < 256 {
        OFFSET_CODES[off as usize]
    } else {
        OFFSET_CODES14[(off >> 7) as u8 as usize]
    }
}

/// The tokens of one block plus their histograms.
pub(crate) struct Tokens {
    /// Counts of symbols 256.. (EOB, then length codes).
    pub extra_hist: [u16; 32],
    /// Counts of offset codes.
    pub off_hist: [u16; 32],
    /// Counts of literal bytes.
    pub lit_hist: [u16; 256],
    /// Number of tokens. Go's is a uint16; no reachable path exceeds it.
    pub n: usize,
    pub tokens: Vec<u32>,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens { extra_hist: [0; 32], off_hist: [0; 32], lit_hist: [0; 256], n: 0, tokens: vec![0; 1 << 16] }
    }

    /// Empties the block. Like Go, an empty store keeps its histograms as they are.
    pub fn reset(&mut self) {
        if self.n == 0 {
            return;
        }
        self.n = 0;
        self.lit_hist = [0; 256];
        self.extra_hist = [0; 32];
        self.off_hist = [0; 32];
    }

    #[inline]
    pub fn add_literal(&mut self, lit: u8) {
        self.tokens[self.n] = lit as u32;
        self.lit_hist[lit as usize] = self.lit_hist[lit as usize].wrapping_add(1);
        self.n += 1;
    }

    #[inline]
    pub fn add_literals(&mut self, lits: &[u8]) {
        for &v in lits {
            self.add_literal(v);
        }
    }

    /// Adds a match; `xlength` is length - 3 and `xoffset` offset - 1.
    #[inline]
    pub fn add_match(&mut self, xlength: u32, xoffset: u32) {
        let ocode = offset_code(xoffset);
        let xoffset = xoffset | ocode << 16;
        let l = LENGTH_CODES1[xlength as u8 as usize] as usize;
        self.extra_hist[l] = self.extra_hist[l].wrapping_add(1);
        self.off_hist[(ocode & 31) as usize] = self.off_hist[(ocode & 31) as usize].wrapping_add(1);
        self.tokens[self.n] = MATCH_TYPE | xlength << LENGTH_SHIFT | xoffset;
        self.n += 1;
    }

    /// Adds a match of any length (not reduced by 3), split as Go splits it:
    /// 258-byte pieces, except that the last two leave at least 3 bytes.
    #[inline]
    pub fn add_match_long(&mut self, mut xlength: i32, xoffset: u32) {
        let oc = offset_code(xoffset);
        let xoffset = xoffset | oc << 16;
        while xlength > 0 {
            let mut xl = xlength;
            if xl > 258 {
                xl = if xl > 258 + BASE_MATCH_LENGTH { 258 } else { 258 - BASE_MATCH_LENGTH };
            }
            xlength -= xl;
            let xl = (xl - BASE_MATCH_LENGTH) as u32;
            let l = LENGTH_CODES1[xl as u8 as usize] as usize;
            self.extra_hist[l] = self.extra_hist[l].wrapping_add(1);
            self.off_hist[(oc & 31) as usize] = self.off_hist[(oc & 31) as usize].wrapping_add(1);
            self.tokens[self.n] = MATCH_TYPE | xl << LENGTH_SHIFT | xoffset;
            self.n += 1;
        }
    }

    pub fn add_eob(&mut self) {
        self.tokens[self.n] = END_BLOCK_MARKER as u32;
        self.extra_hist[0] = self.extra_hist[0].wrapping_add(1);
        self.n += 1;
    }

    pub fn slice(&self) -> &[u32] {
        &self.tokens[..self.n]
    }

    /// Go's estimate of the bits an optimal fresh table would need (Shannon
    /// entropy with each symbol clamped to 1..15 bits, plus extra bits), used
    /// to decide whether to keep the previous block's table. It is computed in
    /// float32 with Go's fast log2 approximation, and must stay so: the choice
    /// it feeds changes the output bytes.
    pub fn estimated_bits(&self) -> i32 {
        let mut shannon = 0f32;
        let mut bits = 0i32;
        let mut n_matches = 0i32;
        let total = self.n as i32;
        if total > 0 {
            let inv_total = 1.0f32 / total as f32;
            for &v in &self.lit_hist {
                if v > 0 {
                    let n = v as f32;
                    shannon += clamp_bits(-fast_log2(n * inv_total)) * n;
                }
            }
            // Just add 15 for EOB.
            shannon += 15.0;
            for (i, &v) in self.extra_hist[1..LITERAL_COUNT - 256].iter().enumerate() {
                if v > 0 {
                    let n = v as f32;
                    shannon += clamp_bits(-fast_log2(n * inv_total)) * n;
                    bits += LENGTH_EXTRA_BITS[i & 31] as i32 * v as i32;
                    n_matches += v as i32;
                }
            }
        }
        if n_matches > 0 {
            let inv_total = 1.0f32 / n_matches as f32;
            for (i, &v) in self.off_hist[..OFFSET_CODE_COUNT].iter().enumerate() {
                if v > 0 {
                    let n = v as f32;
                    shannon += clamp_bits(-fast_log2(n * inv_total)) * n;
                    bits += OFFSET_EXTRA_BITS[i & 31] as i32 * v as i32;
                }
            }
        }
        shannon as i32 + bits
    }
}

/// Go's `min(15, max(1, x))` on float32.
#[inline]
fn clamp_bits(x: f32) -> f32 {
    let x = if x > 1.0 { x } else { 1.0 };
    if x < 15.0 {
        x
    } else {
        15.0
    }
}

/// The float32 log2 approximation Go uses (a quadratic on the mantissa).
fn fast_log2(val: f32) -> f32 {
    let mut ux = val.to_bits() as i32;
    let mut log2 = (((ux >> 23) & 255) - 128) as f32;
    ux &= -0x7f80_0001;
    ux += 127 << 23;
    let uval = f32::from_bits(ux as u32);
    // The constants keep Go's digits: each is rounded to float32 as Go rounds them.
    #[allow(clippy::excessive_precision)]
    {
        log2 += ((-0.34484843f32) * uval + 2.02466578f32) * uval - 0.67487759f32;
    }
    log2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_rfc1951() {
        // Length codes: symbol 257+c covers lengths base+3 .. base+3+2^extra-1.
        assert_eq!(LENGTH_CODES[0], 0);
        assert_eq!(LENGTH_CODES[8], 8);
        assert_eq!(LENGTH_CODES[9], 8);
        assert_eq!(LENGTH_CODES[10], 9);
        assert_eq!(LENGTH_CODES[254], 27);
        assert_eq!(LENGTH_CODES[255], 28);
        assert_eq!(
            LENGTH_BASE[..29],
            [
                0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192,
                224, 255
            ]
        );
        assert_eq!(offset_code(0), 0);
        assert_eq!(offset_code(4), 4);
        assert_eq!(offset_code(6), 5);
        assert_eq!(offset_code(128), 14);
        assert_eq!(offset_code(192), 15);
        assert_eq!(offset_code(256), 16);
        assert_eq!(offset_code(24576), 29);
        assert_eq!(offset_code(32767), 29);
        assert_eq!(OFFSET_COMBINED[4], 0x401);
        assert_eq!(OFFSET_COMBINED[29], 0x60000d);
        assert_eq!(OFFSET_COMBINED[30], 0);
    }
}
