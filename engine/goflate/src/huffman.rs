//! Length-limited Huffman code construction, as Go builds it.
//!
//! Deflate decoders accept any valid code, but the bytes depend on exactly
//! which one is chosen: Go sorts symbols by (frequency, symbol), assigns bit
//! lengths with its package-merge style `bitCounts`, then hands out canonical
//! codes in symbol order within each length. Both sorts here are by a unique
//! key, so any correct sort reproduces Go's order.

use std::sync::OnceLock;

use crate::token::{LITERAL_COUNT, OFFSET_CODE_COUNT};

/// A code: bit length in the low byte, the (bit-reversed) code above it.
pub(crate) type HCode = u32;

#[inline]
pub(crate) fn code_len(h: HCode) -> u8 {
    h as u8
}

#[inline]
pub(crate) fn code_bits(h: HCode) -> u64 {
    (h >> 8) as u64
}

#[inline]
fn new_hcode(code: u16, length: u8) -> HCode {
    length as u32 | (code as u32) << 8
}

/// Largest bit length the tree builder supports (exclusive).
const MAX_BITS_LIMIT: usize = 16;

#[derive(Clone, Copy, Default)]
struct LiteralNode {
    literal: u16,
    freq: u16,
}

/// The sentinel Go appends after the sorted list.
const MAX_NODE: LiteralNode = LiteralNode { literal: u16::MAX, freq: u16::MAX };

#[derive(Clone, Copy, Default)]
struct LevelInfo {
    level: i32,
    last_freq: i32,
    next_char_freq: i32,
    next_pair_freq: i32,
    needed: i32,
}

/// Huffman codes for one alphabet, rebuilt from frequencies by `generate`.
pub(crate) struct HuffmanEncoder {
    pub codes: Vec<HCode>,
    bit_count: [i32; 17],
    // Scratch list, big enough for the largest alphabet plus the sentinel.
    freqcache: Vec<LiteralNode>,
}

impl HuffmanEncoder {
    pub fn new(size: usize) -> HuffmanEncoder {
        HuffmanEncoder {
            codes: vec![0; size],
            bit_count: [0; 17],
            freqcache: vec![LiteralNode::default(); LITERAL_COUNT + 1],
        }
    }

    /// Bits needed to code `freq` with these codes (unset codes count 0).
    pub fn bit_length(&self, freq: &[u16]) -> i32 {
        let mut total = 0i32;
        for (i, &f) in freq.iter().enumerate() {
            if f != 0 {
                total += f as i32 * code_len(self.codes[i]) as i32;
            }
        }
        total
    }

    /// Bits needed to code the bytes `b`, counting at least 1 per byte.
    pub fn bit_length_raw(&self, b: &[u8]) -> i32 {
        let mut total = 0i32;
        for &v in b {
            total += std::cmp::max(1, code_len(self.codes[v as usize]) as i32);
        }
        total
    }

    /// Like `bit_length`, but `i32::MAX` when a used symbol has no code.
    pub fn can_encode_len(&self, freq: &[u16]) -> i32 {
        let mut total = 0i32;
        for (i, &f) in freq.iter().enumerate() {
            if f != 0 {
                let code = self.codes[i];
                if code == 0 {
                    return i32::MAX;
                }
                total += f as i32 * code_len(code) as i32;
            }
        }
        total
    }

    /// Rebuilds the codes of symbols `0..freq.len()` from their frequencies;
    /// no code is longer than `max_bits`. Codes past `freq.len()` are left as
    /// they were, as Go leaves them.
    pub fn generate(&mut self, freq: &[u16], max_bits: i32) {
        let mut list = std::mem::take(&mut self.freqcache);
        let mut count = 0;
        for (i, &f) in freq.iter().enumerate() {
            if f != 0 {
                list[count] = LiteralNode { literal: i as u16, freq: f };
                count += 1;
            } else {
                self.codes[i] = 0;
            }
        }
        list[count] = LiteralNode::default();
        if count <= 2 {
            // With two or fewer symbols every code is 1 bit, in symbol order.
            for (i, node) in list[..count].iter().enumerate() {
                self.codes[node.literal as usize] = new_hcode(i as u16, 1);
            }
            self.freqcache = list;
            return;
        }
        list[..count].sort_unstable_by_key(|n| (n.freq as u32) << 10 | n.literal as u32);
        let levels = self.bit_counts(&mut list[..count + 1], count as i32, max_bits);
        let bit_count = self.bit_count;
        self.assign_encoding_and_size(&bit_count[..levels], &mut list[..count]);
        self.freqcache = list;
    }

    /// Number of symbols per bit length (in `self.bit_count[1..]`) for the
    /// sorted `list` of `n` symbols; `list` has room for a sentinel at `n`.
    /// Returns how many entries of `bit_count` are meaningful.
    fn bit_counts(&mut self, list: &mut [LiteralNode], n: i32, mut max_bits: i32) -> usize {
        assert!((max_bits as usize) < MAX_BITS_LIMIT, "flate: maxBits too large");
        list[n as usize] = MAX_NODE;
        // The tree can't be deeper than n - 1.
        if max_bits > n - 1 {
            max_bits = n - 1;
        }
        let mb = max_bits as usize;

        // Level 0 is a bogus level whose only purpose is that level 1's
        // nextPairFreq never gets chosen. One spare entry above the top level
        // stands in for Go's panic on an index it never reaches.
        let mut levels = [LevelInfo::default(); MAX_BITS_LIMIT + 1];
        // leaf_counts[i][j]: literals left of the level-j ancestor of level i's rightmost node.
        let mut leaf_counts = [[0i32; MAX_BITS_LIMIT]; MAX_BITS_LIMIT];

        for level in 1..=mb {
            levels[level] = LevelInfo {
                level: level as i32,
                last_freq: list[1].freq as i32,
                next_char_freq: list[2].freq as i32,
                next_pair_freq: list[0].freq as i32 + list[1].freq as i32,
                needed: 0,
            };
            leaf_counts[level][level] = 2;
            if level == 1 {
                levels[level].next_pair_freq = i32::MAX;
            }
        }

        // We need a total of 2*n - 2 items at top level and have already generated 2.
        levels[mb].needed = 2 * n - 4;

        let mut level = mb;
        while level < 16 {
            if levels[level].next_pair_freq == i32::MAX && levels[level].next_char_freq == i32::MAX {
                // Out of both leaves and pairs: close this level for good.
                levels[level].needed = 0;
                levels[level + 1].next_pair_freq = i32::MAX;
                level += 1;
                continue;
            }

            let prev_freq = levels[level].last_freq;
            if levels[level].next_char_freq < levels[level].next_pair_freq {
                // The next item on this row is a leaf.
                let nn = leaf_counts[level][level] + 1;
                levels[level].last_freq = levels[level].next_char_freq;
                leaf_counts[level][level] = nn;
                let e = list[nn as usize];
                levels[level].next_char_freq = if e.literal < u16::MAX { e.freq as i32 } else { i32::MAX };
            } else {
                // The next item is a pair from the row below.
                levels[level].last_freq = levels[level].next_pair_freq;
                let save = leaf_counts[level][level];
                leaf_counts[level] = leaf_counts[level - 1];
                leaf_counts[level][level] = save;
                let below = levels[level].level as usize - 1;
                levels[below].needed = 2;
            }

            levels[level].needed -= 1;
            if levels[level].needed == 0 {
                if levels[level].level == max_bits {
                    break;
                }
                levels[level + 1].next_pair_freq = prev_freq + levels[level].last_freq;
                level += 1;
            } else {
                // We stole from below: go down to replenish it.
                while levels[level - 1].needed > 0 {
                    level -= 1;
                }
            }
        }

        assert_eq!(leaf_counts[mb][mb], n, "leafCounts[maxBits][maxBits] != n");

        // bit_count[bits]: the leaves whose depth is `bits`, from the top level down.
        let counts = leaf_counts[mb];
        for (bits, level) in (1..).zip((1..=mb).rev()) {
            self.bit_count[bits] = counts[level] - counts[level - 1];
        }
        mb + 1
    }

    /// Canonical codes: within each length, in increasing symbol order.
    fn assign_encoding_and_size(&mut self, bit_count: &[i32], list: &mut [LiteralNode]) {
        let mut code: u16 = 0;
        let mut list = list;
        for (n, &bits) in bit_count.iter().enumerate() {
            code <<= 1;
            if n == 0 || bits == 0 {
                continue;
            }
            // The `bits` least frequent remaining symbols get `n` bits.
            let len = list.len();
            let (rest, chunk) = list.split_at_mut(len - bits as usize);
            chunk.sort_unstable_by_key(|node| node.literal);
            for node in chunk.iter() {
                self.codes[node.literal as usize] = new_hcode(reverse_bits(code, n as u8), n as u8);
                code = code.wrapping_add(1);
            }
            list = rest;
        }
    }
}

/// The `b`-bit reversal of `x` (deflate sends Huffman codes MSB first into an LSB-first stream).
#[inline]
fn reverse_bits(x: u16, b: u8) -> u16 {
    (x << ((16 - b as u32) & 15)).reverse_bits()
}

/// The fixed literal/length code of RFC 1951 section 3.2.6.
pub(crate) fn fixed_literal_encoding() -> &'static HuffmanEncoder {
    static FIXED: OnceLock<HuffmanEncoder> = OnceLock::new();
    FIXED.get_or_init(|| {
        let mut h = HuffmanEncoder::new(LITERAL_COUNT);
        for ch in 0..LITERAL_COUNT as u16 {
            let (bits, size) = match ch {
                0..=143 => (ch + 48, 8),
                144..=255 => (ch + 400 - 144, 9),
                256..=279 => (ch - 256, 7),
                _ => (ch + 192 - 280, 8),
            };
            h.codes[ch as usize] = new_hcode(reverse_bits(bits, size), size);
        }
        h
    })
}

/// The fixed offset code: 5 bits each.
pub(crate) fn fixed_offset_encoding() -> &'static HuffmanEncoder {
    static FIXED: OnceLock<HuffmanEncoder> = OnceLock::new();
    FIXED.get_or_init(|| {
        let mut h = HuffmanEncoder::new(OFFSET_CODE_COUNT);
        for ch in 0..OFFSET_CODE_COUNT {
            h.codes[ch] = new_hcode(reverse_bits(ch as u16, 5), 5);
        }
        h
    })
}

/// The offset code Huffman-only blocks declare: one 1-bit code for offset 0.
pub(crate) fn huff_offset() -> &'static HuffmanEncoder {
    static H: OnceLock<HuffmanEncoder> = OnceLock::new();
    H.get_or_init(|| {
        let mut freq = [0u16; 32];
        freq[0] = 1;
        let mut h = HuffmanEncoder::new(OFFSET_CODE_COUNT);
        h.generate(&freq[..OFFSET_CODE_COUNT], 15);
        h
    })
}

/// Counts the bytes of `b` into `h[..256]`.
pub(crate) fn histogram(b: &[u8], h: &mut [u16]) {
    for &t in b {
        h[t as usize] = h[t as usize].wrapping_add(1);
    }
}
