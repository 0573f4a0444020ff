//! The level 6 block encoder (Go's `fastEncL6`, from klauspost/compress).
//!
//! Go 1.26 replaced the old lazy-matching compressor at levels 1-6 with
//! table-driven "fast" encoders that each compress one 64 KiB block at a
//! time against a history of earlier blocks. Level 6 (the default) keeps two
//! hash tables: 4-byte hashes with one candidate and 7-byte hashes with two,
//! checks a "repeat offset", and looks for a better match ending where the
//! current one ends. Only level 6 is ported: it is what `gzip.NewWriter`
//! (Helm's packages) uses.

use crate::token::{Tokens, BASE_MATCH_OFFSET, MAX_MATCH_LENGTH, MAX_STORE_BLOCK_SIZE};

const TABLE_BITS: u32 = 15;
const TABLE_SIZE: usize = 1 << TABLE_BITS;
const MAX_MATCH_OFFSET: i32 = 1 << 15;
/// History buffer size; when a block no longer fits, the last 32 KiB move down.
const ALLOC_HISTORY: usize = MAX_STORE_BLOCK_SIZE * 5;
/// Positions are kept as `cur + index`; past this the tables are rebased.
const BUFFER_RESET: i32 = ((1u32 << 31) - ALLOC_HISTORY as u32 - MAX_STORE_BLOCK_SIZE as u32 - 1) as i32;

const PRIME4_BYTES: u32 = 2654435761;
const PRIME7_BYTES: u64 = 58295818150454627;

#[inline]
fn hash4(u: u64) -> usize {
    ((u as u32).wrapping_mul(PRIME4_BYTES) >> (32 - TABLE_BITS)) as usize
}

#[inline]
fn hash7(u: u64) -> usize {
    ((u << (64 - 56)).wrapping_mul(PRIME7_BYTES) >> (64 - TABLE_BITS)) as usize
}

#[inline]
pub(crate) fn load32(b: &[u8], i: i32) -> u32 {
    let i = i as usize;
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
}

#[inline]
pub(crate) fn load64(b: &[u8], i: i32) -> u64 {
    let i = i as usize;
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

/// Length of the common prefix of `a` and `b`; `a` must be the shorter.
#[inline]
pub(crate) fn match_len(a: &[u8], b: &[u8]) -> usize {
    let mut n = 0;
    while a.len() - n >= 8 {
        let x = u64::from_le_bytes(a[n..n + 8].try_into().unwrap());
        let y = u64::from_le_bytes(b[n..n + 8].try_into().unwrap());
        let diff = x ^ y;
        if diff != 0 {
            return n + (diff.trailing_zeros() >> 3) as usize;
        }
        n += 8;
    }
    while n < a.len() && a[n] == b[n] {
        n += 1;
    }
    n
}

/// The two latest positions with one long hash: (cur, prev). Zero means
/// empty (out of reach). A tuple so that `vec![(0, 0); n]` allocates zeroed
/// memory instead of filling it: small inputs only pay for pages they touch.
type TableEntryPrev = (i32, i32);

/// The level 6 encoder with its history (Go's `fastGen` + `fastEncL6`).
pub(crate) struct FastL6 {
    /// Earlier blocks (up to 32 KiB of them are reachable) then the current one.
    hist: Vec<u8>,
    /// Go allocates the history lazily; until then its capacity is 0.
    allocated: bool,
    /// Offset of hist[0] in the position space the tables use.
    cur: i32,
    table: Vec<i32>,
    b_table: Vec<TableEntryPrev>,
}

impl FastL6 {
    pub fn new() -> FastL6 {
        FastL6 {
            hist: Vec::new(),
            allocated: false,
            cur: MAX_STORE_BLOCK_SIZE as i32,
            table: vec![0; TABLE_SIZE],
            b_table: vec![(0, 0); TABLE_SIZE],
        }
    }

    fn ensure_alloc(&mut self) {
        if !self.allocated {
            self.hist = Vec::with_capacity(ALLOC_HISTORY);
            self.allocated = true;
        }
    }

    /// Appends `src` to the history and returns where it starts there.
    fn add_block(&mut self, src: &[u8]) -> i32 {
        let cap = if self.allocated { ALLOC_HISTORY } else { 0 };
        if self.hist.len() + src.len() > cap {
            if cap == 0 {
                self.ensure_alloc();
            } else {
                // Keep only the last 32 KiB, the reach of an offset.
                let offset = self.hist.len() - MAX_MATCH_OFFSET as usize;
                self.hist.copy_within(offset..offset + MAX_MATCH_OFFSET as usize, 0);
                self.cur += offset as i32;
                self.hist.truncate(MAX_MATCH_OFFSET as usize);
            }
        }
        let s = self.hist.len() as i32;
        self.hist.extend_from_slice(src);
        s
    }

    /// Forgets the history, so later blocks make no matches into it.
    pub fn reset(&mut self) {
        self.ensure_alloc();
        // Move the position space on so every table entry is out of reach.
        if self.cur <= BUFFER_RESET {
            self.cur += MAX_MATCH_OFFSET + self.hist.len() as i32;
        }
        self.hist.clear();
    }

    /// Rebases table positions before `cur` can overflow.
    fn protect_wraparound(&mut self) {
        while self.cur >= BUFFER_RESET {
            if self.hist.is_empty() {
                self.table.fill(0);
                self.b_table.fill((0, 0));
                self.cur = MAX_MATCH_OFFSET;
                break;
            }
            // Shift down everything in the table that isn't already too far away.
            let min_off = self.cur + self.hist.len() as i32 - MAX_MATCH_OFFSET;
            for v in self.table.iter_mut() {
                *v = if *v <= min_off { 0 } else { *v - self.cur + MAX_MATCH_OFFSET };
            }
            for (cur, prev) in self.b_table.iter_mut() {
                if *cur <= min_off {
                    *cur = 0;
                    *prev = 0;
                } else {
                    *cur = *cur - self.cur + MAX_MATCH_OFFSET;
                    *prev = if *prev <= min_off { 0 } else { *prev - self.cur + MAX_MATCH_OFFSET };
                }
            }
            self.cur = MAX_MATCH_OFFSET;
        }
    }

    /// Encodes one block into `dst`. If it finds no match at all it adds no
    /// token, and the caller stores the block.
    pub fn encode(&mut self, dst: &mut Tokens, src: &[u8]) {
        const INPUT_MARGIN: i32 = 12 - 1;
        const MIN_NON_LITERAL_BLOCK_SIZE: usize = 1 + 1 + INPUT_MARGIN as usize;
        const SKIP_LOG: u32 = 7;
        const DO_EVERY: i32 = 1;

        self.protect_wraparound();
        let mut s = self.add_block(src);
        if src.len() < MIN_NON_LITERAL_BLOCK_SIZE {
            // Go marks the block as all literals without adding tokens; its
            // caller never passes such small blocks.
            dst.n = src.len();
            return;
        }

        let cur = self.cur;
        let src = &self.hist[..];
        let table = &mut self.table[..];
        let b_table = &mut self.b_table[..];

        let mut next_emit = s;
        // Stop looking for matches this close to the end.
        let s_limit = src.len() as i32 - INPUT_MARGIN;
        let mut cv = load64(src, s);
        // The last match's offset; it must be >= 1 and within range.
        let mut repeat: i32 = 1;

        // Common prefix of src[s..] (at most 254 bytes) and src[t..].
        let match_len_limited = |s: i32, t: i32| -> i32 {
            let end = std::cmp::min(s as usize + MAX_MATCH_LENGTH as usize - 4, src.len());
            match_len(&src[s as usize..end], &src[t as usize..]) as i32
        };
        let match_len_long = |s: i32, t: i32| -> i32 { match_len(&src[s as usize..], &src[t as usize..]) as i32 };

        'outer: loop {
            let mut next_s = s;
            let mut l: i32 = 0;
            let mut t: i32;
            loop {
                let mut next_hash_s = hash4(cv);
                let mut next_hash_l = hash7(cv);
                s = next_s;
                next_s = s + DO_EVERY + ((s - next_emit) >> SKIP_LOG);
                if next_s > s_limit {
                    break 'outer;
                }
                // Fetch a short and a long candidate, and index s.
                let s_candidate = table[next_hash_s];
                let mut l_candidate = b_table[next_hash_l];
                let next = load64(src, next_s);
                let entry = s + cur;
                table[next_hash_s] = entry;
                let e = &mut b_table[next_hash_l];
                *e = (entry, e.0);

                next_hash_s = hash4(next);
                next_hash_l = hash7(next);

                t = l_candidate.0 - cur;
                if s - t < MAX_MATCH_OFFSET {
                    if cv as u32 == load32(src, t) {
                        // The long candidate matches at least 4 bytes. Index next_s.
                        table[next_hash_s] = next_s + cur;
                        let e = &mut b_table[next_hash_l];
                        *e = (next_s + cur, e.0);

                        // Check the previous long candidate as well.
                        let t2 = l_candidate.1 - cur;
                        if s - t2 < MAX_MATCH_OFFSET && cv as u32 == load32(src, t2) {
                            l = match_len_limited(s + 4, t + 4) + 4;
                            let ml1 = match_len_limited(s + 4, t2 + 4) + 4;
                            if ml1 > l {
                                t = t2;
                                l = ml1;
                                break;
                            }
                        }
                        break;
                    }
                    // The current long candidate did not match; try the previous one.
                    t = l_candidate.1 - cur;
                    if s - t < MAX_MATCH_OFFSET && cv as u32 == load32(src, t) {
                        table[next_hash_s] = next_s + cur;
                        let e = &mut b_table[next_hash_l];
                        *e = (next_s + cur, e.0);
                        break;
                    }
                }

                t = s_candidate - cur;
                if s - t < MAX_MATCH_OFFSET && cv as u32 == load32(src, t) {
                    // A 4-byte match.
                    l = match_len_limited(s + 4, t + 4) + 4;

                    // The long candidate at next_s.
                    l_candidate = b_table[next_hash_l];

                    table[next_hash_s] = next_s + cur;
                    let e = &mut b_table[next_hash_l];
                    *e = (next_s + cur, e.0);

                    // Check the repeat offset at s + 1.
                    const REP_OFF: i32 = 1;
                    let mut t2 = s - repeat + REP_OFF;
                    if load32(src, t2) == (cv >> (8 * REP_OFF)) as u32 {
                        let ml = match_len_limited(s + 4 + REP_OFF, t2 + 4) + 4;
                        if ml > l {
                            t = t2;
                            l = ml;
                            s += REP_OFF;
                            // Not worth checking more.
                            break;
                        }
                    }

                    // Prefer a longer match from the long candidates at next_s.
                    t2 = l_candidate.0 - cur;
                    if next_s - t2 < MAX_MATCH_OFFSET {
                        if load32(src, t2) == next as u32 {
                            let ml = match_len_limited(next_s + 4, t2 + 4) + 4;
                            if ml > l {
                                t = t2;
                                s = next_s;
                                l = ml;
                                // This is ok, but check previous as well.
                            }
                        }
                        t2 = l_candidate.1 - cur;
                        if next_s - t2 < MAX_MATCH_OFFSET && load32(src, t2) == next as u32 {
                            let ml = match_len_limited(next_s + 4, t2 + 4) + 4;
                            if ml > l {
                                t = t2;
                                s = next_s;
                                l = ml;
                                break;
                            }
                        }
                    }
                    break;
                }
                cv = next;
            }

            // Extend the match as far as it goes.
            if l == 0 {
                l = match_len_long(s + 4, t + 4) + 4;
            } else if l == MAX_MATCH_LENGTH {
                l += match_len_long(s + l, t + l);
            }

            // Look for a better match ending where this one ends, allowing the
            // first 2 bytes to differ (extending backwards may recover them).
            let s_at = s + l;
            if s_at < s_limit {
                const SKIP_BEGINNING: i32 = 2;
                let e_long = b_table[hash7(load64(src, s_at))];
                let mut t2 = e_long.0 - cur - l + SKIP_BEGINNING;
                let s2 = s + SKIP_BEGINNING;
                let off = s2 - t2;
                if off < MAX_MATCH_OFFSET {
                    if off > 0 && t2 >= 0 {
                        let l2 = match_len_long(s2, t2);
                        if l2 > l {
                            t = t2;
                            l = l2;
                            s = s2;
                        }
                    }
                    // The previous entry, against the possibly longer l.
                    t2 = e_long.1 - cur - l + SKIP_BEGINNING;
                    let off = s2 - t2;
                    if off > 0 && off < MAX_MATCH_OFFSET && t2 >= 0 {
                        let l2 = match_len_long(s2, t2);
                        if l2 > l {
                            t = t2;
                            l = l2;
                            s = s2;
                        }
                    }
                }
            }

            // Extend backwards.
            while t > 0 && s > next_emit && src[(t - 1) as usize] == src[(s - 1) as usize] {
                s -= 1;
                t -= 1;
                l += 1;
            }
            if next_emit < s {
                dst.add_literals(&src[next_emit as usize..s as usize]);
            }

            dst.add_match_long(l, (s - t - BASE_MATCH_OFFSET) as u32);
            repeat = s - t;
            s += l;
            next_emit = s;
            if next_s >= s {
                s = next_s + 1;
            }

            if s >= s_limit {
                // Index after the match end, for the next block.
                let mut i = next_s + 1;
                while i < src.len() as i32 - 8 {
                    let cv = load64(src, i);
                    table[hash4(cv)] = i + cur;
                    let e = &mut b_table[hash7(cv)];
                    *e = (i + cur, e.0);
                    i += 2;
                }
                break 'outer;
            }

            // Index every long hash in between and every second short one.
            let mut i = next_s + 1;
            while i < s - 1 {
                let cv = load64(src, i);
                let t = i + cur;
                let h_long = hash7(cv);
                let h_long2 = hash7(cv >> 8);
                table[hash4(cv)] = t;
                let e = &mut b_table[h_long];
                *e = (t, e.0);
                let e = &mut b_table[h_long2];
                *e = (t + 1, e.0);
                i += 2;
            }
            cv = load64(src, s);
        }

        // Emit the rest as literals, unless no match was found at all.
        if (next_emit as usize) < src.len() {
            if dst.n == 0 {
                return;
            }
            dst.add_literals(&src[next_emit as usize..]);
        }
    }
}
