//! The level 7-9 compressor: hash chains with lazy matching (Go's
//! `deflateLazy`, from klauspost/compress), used for `BestCompression`.
//!
//! It differs from classic zlib-style lazy matching in three ways that all
//! shape the output: a candidate match must beat the previous one by an
//! estimated number of bits (from a literal-only Huffman table of the
//! upcoming data), a finished match is re-checked for a longer one that
//! ends at the same place (`try_better_match_at_end`), and long literal runs
//! are skipped through faster (`skip_literals`).

use crate::bitwriter::BitWriter;
use crate::fast::match_len;
use crate::huffman::HuffmanEncoder;
use crate::token::{offset_code, Tokens, LENGTH_CODES, LENGTH_EXTRA_BITS, MAX_MATCH_LENGTH, OFFSET_EXTRA_BITS};

const WINDOW_SIZE: i32 = 1 << 15;
const WINDOW_MASK: i32 = WINDOW_SIZE - 1;
const MIN_MATCH_LENGTH: i32 = 4;
const MIN_OFFSET_SIZE: i32 = 1;
/// Tokens per block at these levels.
const MAX_FLATE_BLOCK_TOKENS: usize = 1 << 15;
const HASH_BITS: u32 = 17;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: u32 = (1 << HASH_BITS) - 1;
/// Chain positions are `index + hash_offset`; past this they are rebased.
const MAX_HASH_OFFSET: i32 = 1 << 28;
const PRIME4_BYTES: u32 = 2654435761;

/// Go's `hash4`: 17 bits of the first 4 bytes of `b`.
#[inline]
fn hash4(b: &[u8]) -> u32 {
    u32::from_le_bytes(b[..4].try_into().unwrap()).wrapping_mul(PRIME4_BYTES) >> (32 - HASH_BITS)
}

/// Search parameters of one level.
#[derive(Clone, Copy)]
struct Params {
    /// Matches this long are not deferred in favour of a later one.
    lazy: i32,
    /// A match this long ends the search.
    nice: i32,
    /// Chain entries searched per position.
    chain: i32,
}

fn params(level: i32) -> Params {
    // Go's table also has a "good" length, which nothing reads any more.
    match level {
        7 => Params { lazy: 12, nice: 16, chain: 24 },
        8 => Params { lazy: 30, nice: 40, chain: 64 },
        _ => Params { lazy: 258, nice: 258, chain: 1024 },
    }
}

pub(crate) struct Lazy {
    p: Params,
    /// Two 32 KiB halves; when the index reaches the top the upper half moves down.
    window: Vec<u8>,
    window_end: i32,
    /// Where the current block's tokens start in `window` (i32::MAX once shifted out).
    block_start: i32,
    /// The byte before `index` is still to be emitted (deferred for a lazy match).
    byte_available: bool,

    length: i32,
    offset: i32,
    max_insert_index: i32,
    chain_head: i32,
    hash_offset: i32,
    /// Consecutive literals; Go's uint16 wraps, which restarts skipping.
    literal_counter: u16,
    index: i32,
    hash_head: Vec<i32>,
    hash_prev: Vec<i32>,
    /// Literal code lengths of the data ahead, for the match gain estimate.
    h: Option<HuffmanEncoder>,
}

impl Lazy {
    pub fn new(level: i32) -> Lazy {
        Lazy {
            p: params(level),
            window: vec![0; 2 * WINDOW_SIZE as usize],
            window_end: 0,
            block_start: 0,
            byte_available: false,
            length: MIN_MATCH_LENGTH - 1,
            offset: 0,
            max_insert_index: 0,
            chain_head: -1,
            hash_offset: 1,
            literal_counter: 0,
            index: 0,
            hash_head: vec![0; HASH_SIZE],
            hash_prev: vec![0; WINDOW_SIZE as usize],
            h: None,
        }
    }

    pub fn is_full(&self) -> bool {
        self.window_end as usize == self.window.len()
    }

    /// Copies as much of `b` into the window as fits, first sliding the
    /// window down when the index has reached its top. Returns the count.
    pub fn fill(&mut self, b: &[u8]) -> usize {
        if self.index >= 2 * WINDOW_SIZE - (MIN_MATCH_LENGTH + MAX_MATCH_LENGTH) {
            let ws = WINDOW_SIZE as usize;
            self.window.copy_within(ws..2 * ws, 0);
            self.index -= WINDOW_SIZE;
            self.window_end -= WINDOW_SIZE;
            if self.block_start >= WINDOW_SIZE {
                self.block_start -= WINDOW_SIZE;
            } else {
                self.block_start = i32::MAX;
            }
            self.hash_offset += WINDOW_SIZE;
            if self.hash_offset > MAX_HASH_OFFSET {
                let delta = self.hash_offset - 1;
                self.hash_offset -= delta;
                self.chain_head -= delta;
                for v in self.hash_prev.iter_mut().chain(self.hash_head.iter_mut()) {
                    *v = std::cmp::max(*v - delta, 0);
                }
            }
        }
        let start = self.window_end as usize;
        let n = std::cmp::min(b.len(), self.window.len() - start);
        self.window[start..start + n].copy_from_slice(&b[..n]);
        self.window_end += n as i32;
        n
    }

    /// Writes the tokens as the block ending at `index`.
    fn write_block(&mut self, tok: &mut Tokens, w: &mut BitWriter, index: i32, sync: bool) {
        if index > 0 {
            let start = self.block_start;
            self.block_start = index;
            // Go passes a nil window when the block's start has slid out.
            let window = if start <= index { Some(&self.window[start as usize..index as usize]) } else { None };
            w.write_block_dynamic(tok, false, window, sync);
        }
    }

    /// Writes a block when the token store is full.
    #[inline]
    fn write_if_full(&mut self, tok: &mut Tokens, w: &mut BitWriter, index: i32, sync: bool) {
        if tok.n == MAX_FLATE_BLOCK_TOKENS {
            self.write_block(tok, w, index, sync);
            tok.reset();
        }
    }

    /// Indexes position `index` in the hash chains and records its chain head.
    #[inline]
    fn insert(&mut self, index: i32) {
        let h = hash4(&self.window[index as usize..]) as usize;
        let ch = self.hash_head[h];
        self.chain_head = ch;
        self.hash_prev[(index & WINDOW_MASK) as usize] = ch;
        self.hash_head[h] = index + self.hash_offset;
    }

    /// The longest match for `pos` along the chain from `prev_head`, taking a
    /// longer one only when its estimated gain in bits beats the best so far.
    fn find_match(&self, pos: i32, prev_head: i32, lookahead: i32) -> (i32, i32, bool) {
        let min_match_look = std::cmp::min(lookahead, MAX_MATCH_LENGTH);
        let win = &self.window[..(pos + min_match_look) as usize];
        let nice = std::cmp::min(self.p.nice, win.len() as i32 - pos);
        let mut tries = self.p.chain;
        let mut length = MIN_MATCH_LENGTH - 1;
        let mut offset = 0;
        let mut ok = false;

        let mut w_end = win[(pos + length) as usize];
        let w_pos = &win[pos as usize..];
        let min_index = std::cmp::max(pos - WINDOW_SIZE, 0);

        // Minimum gain to accept a match.
        let mut c_gain = 4;
        // Cost of a match beyond its extra bits.
        const BASE_COST: i32 = 3;

        let mut i = prev_head;
        while tries > 0 {
            if w_end == win[(i + length) as usize] {
                let n = match_len(&win[i as usize..(i + min_match_look) as usize], w_pos) as i32;
                if n > length {
                    let mut take = true;
                    if self.p.chain >= 100 {
                        // Bits saved against sending the bytes as literals.
                        let h = self.h.as_ref().expect("literal estimate is built when chain > 100");
                        let new_gain = h.bit_length_raw(&w_pos[..n as usize])
                            - OFFSET_EXTRA_BITS[offset_code((pos - i) as u32) as usize] as i32
                            - BASE_COST
                            - LENGTH_EXTRA_BITS[LENGTH_CODES[((n - 3) & 255) as usize] as usize] as i32;
                        if new_gain <= c_gain {
                            take = false;
                        } else {
                            c_gain = new_gain;
                        }
                    }
                    if take {
                        length = n;
                        offset = pos - i;
                        ok = true;
                        if n >= nice {
                            // Good enough; stop looking.
                            break;
                        }
                        w_end = win[(pos + n) as usize];
                    }
                }
            }
            if i <= min_index {
                // hash_prev[i & mask] has been overwritten already.
                break;
            }
            i = self.hash_prev[(i & WINDOW_MASK) as usize] - self.hash_offset;
            if i < min_index {
                break;
            }
            tries -= 1;
        }
        (length, offset, ok)
    }

    /// Checks for a longer match ending where the previous match ends,
    /// starting up to 2 bytes later (emitting those as literals). Returns the
    /// possibly updated length and offset.
    fn try_better_match_at_end(
        &mut self,
        tok: &mut Tokens,
        w: &mut BitWriter,
        sync: bool,
        mut prev_length: i32,
        prev_offset: i32,
        lookahead: i32,
    ) -> (i32, i32) {
        const CHECK_OFF: i32 = 2;
        if prev_length >= MAX_MATCH_LENGTH - CHECK_OFF {
            return (prev_length, prev_offset);
        }
        let prev_index = self.index - 1;
        if prev_index + prev_length >= self.max_insert_index {
            return (prev_length, prev_offset);
        }

        let end = std::cmp::min(lookahead, MAX_MATCH_LENGTH + CHECK_OFF) + prev_index;
        let min_index = std::cmp::max(self.index - WINDOW_SIZE, 0);

        let h = hash4(&self.window[(prev_index + prev_length) as usize..]) as usize;
        let ch2 = self.hash_head[h] - self.hash_offset - prev_length;
        if prev_index - ch2 == prev_offset || ch2 <= min_index + CHECK_OFF {
            return (prev_length, prev_offset);
        }

        let length = match_len(
            &self.window[(prev_index + CHECK_OFF) as usize..end as usize],
            &self.window[(ch2 + CHECK_OFF) as usize..],
        ) as i32;
        if length <= prev_length {
            return (prev_length, prev_offset);
        }

        prev_length = length;
        let prev_offset = prev_index - ch2;

        // Extend backwards over the skipped bytes; the ones that differ
        // (and all before them) go out as literals.
        for i in (0..CHECK_OFF).rev() {
            if prev_length >= MAX_MATCH_LENGTH
                || self.window[(prev_index + i) as usize] != self.window[(ch2 + i) as usize]
            {
                for j in 0..=i {
                    tok.add_literal(self.window[(prev_index + j) as usize]);
                    self.write_if_full(tok, w, self.index, sync);
                    self.index += 1;
                    if self.index < self.max_insert_index {
                        self.insert(self.index);
                    }
                }
                break;
            }
            prev_length += 1;
        }
        (prev_length, prev_offset)
    }

    /// In a long run of literals, emits extra literals without searching.
    fn skip_literals(&mut self, tok: &mut Tokens, w: &mut BitWriter, sync: bool) {
        let n = self.literal_counter as i32 - self.p.chain;
        if n <= 0 {
            return;
        }
        let n = 1 + (n >> 6);
        for _ in 0..n {
            if self.index >= self.window_end - 1 {
                break;
            }
            tok.add_literal(self.window[(self.index - 1) as usize]);
            self.write_if_full(tok, w, self.index, sync);
            if self.index < self.max_insert_index {
                self.insert(self.index);
            }
            self.index += 1;
        }
        tok.add_literal(self.window[(self.index - 1) as usize]);
        self.byte_available = false;
        self.write_if_full(tok, w, self.index, sync);
    }

    /// Compresses the window up to where lookahead runs short (or to the end
    /// with `sync`, writing the final partial block).
    pub fn step(&mut self, tok: &mut Tokens, w: &mut BitWriter, sync: bool) {
        if self.window_end - self.index < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH && !sync {
            return;
        }
        if self.window_end != self.index && self.p.chain > 100 {
            // Literal code lengths of what is ahead, for the gain estimate.
            let h = self.h.get_or_insert_with(|| HuffmanEncoder::new(MAX_FLATE_BLOCK_TOKENS));
            let mut tmp = [0u16; 256];
            let ahead = &self.window[self.index as usize..self.window_end as usize];
            for &v in &ahead[..std::cmp::min(ahead.len(), MAX_FLATE_BLOCK_TOKENS)] {
                tmp[v as usize] = tmp[v as usize].wrapping_add(1);
            }
            h.generate(&tmp, 15);
        }

        self.max_insert_index = self.window_end - (MIN_MATCH_LENGTH - 1);

        loop {
            let lookahead = self.window_end - self.index;
            if lookahead < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH {
                if !sync {
                    return;
                }
                if lookahead == 0 {
                    // Flush the current block, if any.
                    if self.byte_available {
                        tok.add_literal(self.window[(self.index - 1) as usize]);
                        self.byte_available = false;
                    }
                    if tok.n > 0 {
                        self.write_block(tok, w, self.index, sync);
                        tok.reset();
                    }
                    return;
                }
            }
            if self.index < self.max_insert_index {
                self.insert(self.index);
            }
            let mut prev_length = self.length;
            let mut prev_offset = self.offset;
            self.length = MIN_MATCH_LENGTH - 1;
            self.offset = 0;
            let min_index = std::cmp::max(self.index - WINDOW_SIZE, 0);

            if self.chain_head - self.hash_offset >= min_index && lookahead > prev_length && prev_length < self.p.lazy {
                let (l, o, ok) = self.find_match(self.index, self.chain_head - self.hash_offset, lookahead);
                if ok {
                    self.length = l;
                    self.offset = o;
                }
            }

            if prev_length >= MIN_MATCH_LENGTH && self.length <= prev_length {
                // The previous match is at least as good: emit it.
                (prev_length, prev_offset) =
                    self.try_better_match_at_end(tok, w, sync, prev_length, prev_offset, lookahead);
                tok.add_match((prev_length - 3) as u32, (prev_offset - MIN_OFFSET_SIZE) as u32);

                // Index the positions the match covers (index and index-1
                // are done; too close to the end, the last ones are not).
                let new_index = self.index + prev_length - 1;
                let end = std::cmp::min(new_index, self.max_insert_index) + MIN_MATCH_LENGTH - 1;
                let start = std::cmp::min(self.index + 1, self.max_insert_index);
                let mut di = start;
                while di + MIN_MATCH_LENGTH <= end {
                    let h = (hash4(&self.window[di as usize..]) & HASH_MASK) as usize;
                    self.hash_prev[(di & WINDOW_MASK) as usize] = self.hash_head[h];
                    self.hash_head[h] = di + self.hash_offset;
                    di += 1;
                }

                self.index = new_index;
                self.byte_available = false;
                self.length = MIN_MATCH_LENGTH - 1;
                self.write_if_full(tok, w, self.index, sync);
                self.literal_counter = 0;
                continue;
            }
            if self.length >= MIN_MATCH_LENGTH {
                self.literal_counter = 0;
            }
            if self.byte_available {
                self.literal_counter = self.literal_counter.wrapping_add(1);
                tok.add_literal(self.window[(self.index - 1) as usize]);
                self.write_if_full(tok, w, self.index, sync);
                self.index += 1;
                self.skip_literals(tok, w, sync);
            } else {
                self.index += 1;
                self.byte_available = true;
            }
        }
    }
}
