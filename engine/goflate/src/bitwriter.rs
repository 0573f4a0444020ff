//! Go's `huffmanBitWriter`: turns token blocks into deflate blocks.
//!
//! This is where most of Go's output choices live: per block it compares the
//! sizes of a stored block, the fixed code and a fresh dynamic code, and it
//! may keep the previous block's dynamic table open (no EOB yet) and append
//! the next block's tokens to it when a new table is not estimated to pay
//! off. All of that is mirrored here decision for decision.
//!
//! Go buffers bits in a u64, spilling 6 bytes at a time into a small array
//! that it hands to the writer when nearly full. Where bytes are cut never
//! shows in the stream, so we append straight to `out`.

use crate::huffman::{
    code_bits, code_len, fixed_literal_encoding, fixed_offset_encoding, histogram, huff_offset, HCode, HuffmanEncoder,
};
use crate::token::{
    Tokens, END_BLOCK_MARKER, LENGTH_BASE, LENGTH_CODES, LENGTH_CODES_START, LENGTH_EXTRA_BITS, LITERAL_COUNT,
    MATCH_OFFSET_ONLY_MASK, MAX_STORE_BLOCK_SIZE, OFFSET_CODE_COUNT, OFFSET_COMBINED, OFFSET_EXTRA_BITS, OFFSET_MASK,
};

const CODEGEN_CODE_COUNT: usize = 19;
const BAD_CODE: u8 = 255;
/// Blocks with fewer tokens than this also try the fixed code.
const MAX_PREDEFINED_TOKENS: usize = 250;
const LENGTH_EXTRA_BITS_MIN_CODE: usize = 8;
const OFFSET_EXTRA_BITS_MIN_CODE: u32 = 4;

/// The order in which code length code lengths are sent (RFC 1951 3.2.7).
const CODEGEN_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

pub(crate) struct BitWriter {
    /// The compressed bytes so far; the owner drains it.
    pub out: Vec<u8>,
    bits: u64,
    nbits: u32,

    /// Set while an open block uses a literal-only (Huffman-only) table,
    /// whose offset codes are not usable by token blocks.
    wrote_huffman: bool,
    literal_encoding: HuffmanEncoder,
    tmp_lit_encoding: HuffmanEncoder,
    offset_encoding: HuffmanEncoder,
    codegen_encoding: HuffmanEncoder,

    /// Non-zero while a dynamic block is still open (we owe its EOB): the
    /// size of its header in bits, the cost estimate of starting a new one.
    prev_header: i32,

    /// A new table's estimated size is inflated by size >> this before
    /// comparing it with reusing the open one.
    pub log_new_table_penalty: u32,
    literal_freq: [u16; LENGTH_CODES_START + 32],
    offset_freq: [u16; 32],
    codegen_freq: [u16; CODEGEN_CODE_COUNT],
    codegen: [u8; LITERAL_COUNT + OFFSET_CODE_COUNT + 1],
}

impl BitWriter {
    pub fn new() -> BitWriter {
        BitWriter {
            out: Vec::new(),
            bits: 0,
            nbits: 0,
            wrote_huffman: false,
            literal_encoding: HuffmanEncoder::new(LITERAL_COUNT),
            tmp_lit_encoding: HuffmanEncoder::new(LITERAL_COUNT),
            offset_encoding: HuffmanEncoder::new(OFFSET_CODE_COUNT),
            codegen_encoding: HuffmanEncoder::new(CODEGEN_CODE_COUNT),
            prev_header: 0,
            log_new_table_penalty: 0,
            literal_freq: [0; LENGTH_CODES_START + 32],
            offset_freq: [0; 32],
            codegen_freq: [0; CODEGEN_CODE_COUNT],
            codegen: [0; LITERAL_COUNT + OFFSET_CODE_COUNT + 1],
        }
    }

    #[inline]
    fn flush_bits(&mut self) {
        self.out.extend_from_slice(&self.bits.to_le_bytes()[..6]);
        self.bits >>= 48;
        self.nbits -= 48;
    }

    #[inline]
    fn write_bits(&mut self, b: u32, nb: u32) {
        self.bits |= (b as u64) << self.nbits;
        self.nbits += nb;
        if self.nbits >= 48 {
            self.flush_bits();
        }
    }

    #[inline]
    fn write_code(&mut self, c: HCode) {
        self.bits |= code_bits(c) << self.nbits;
        self.nbits += code_len(c) as u32;
        if self.nbits >= 48 {
            self.flush_bits();
        }
    }

    /// Ends an open dynamic block, if any.
    fn write_owed_eob(&mut self) {
        if self.prev_header > 0 {
            let eob = self.literal_encoding.codes[END_BLOCK_MARKER];
            self.write_code(eob);
            self.prev_header = 0;
        }
    }

    /// Writes out everything, closing an open block and padding to a byte.
    pub fn flush(&mut self) {
        self.write_owed_eob();
        while self.nbits != 0 {
            self.out.push(self.bits as u8);
            self.bits >>= 8;
            self.nbits = self.nbits.saturating_sub(8);
        }
        self.bits = 0;
    }

    /// Appends raw bytes; the bit position must be on a byte boundary.
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        assert!(self.nbits & 7 == 0, "flate: internal error: writeBytes with unfinished bits");
        while self.nbits != 0 {
            self.out.push(self.bits as u8);
            self.bits >>= 8;
            self.nbits -= 8;
        }
        self.out.extend_from_slice(bytes);
    }

    /// Run-length codes the literal and offset code lengths (RFC 1951 3.2.7)
    /// into `codegen`, counting each code length code in `codegen_freq`.
    /// `huff_only` describes the fixed one-code offset table of literal-only
    /// blocks instead of the current offset table.
    fn generate_codegen(&mut self, num_literals: usize, num_offsets: usize, huff_only: bool) {
        self.codegen_freq = [0; CODEGEN_CODE_COUNT];
        {
            for i in 0..num_literals {
                self.codegen[i] = code_len(self.literal_encoding.codes[i]);
            }
            let off = if huff_only { huff_offset() } else { &self.offset_encoding };
            for i in 0..num_offsets {
                self.codegen[num_literals + i] = code_len(off.codes[i]);
            }
        }
        let codegen = &mut self.codegen;
        let freq = &mut self.codegen_freq;
        codegen[num_literals + num_offsets] = BAD_CODE;

        // The output never overtakes the input, so this rewrites codegen in place.
        let mut size = codegen[0];
        let mut count: i32 = 1;
        let mut out_index = 0;
        let mut in_index = 1;
        while size != BAD_CODE {
            let next_size = codegen[in_index];
            in_index += 1;
            if next_size == size {
                count += 1;
                continue;
            }
            if size != 0 {
                codegen[out_index] = size;
                out_index += 1;
                freq[size as usize] += 1;
                count -= 1;
                while count >= 3 {
                    let n = std::cmp::min(6, count);
                    codegen[out_index] = 16;
                    codegen[out_index + 1] = (n - 3) as u8;
                    out_index += 2;
                    freq[16] += 1;
                    count -= n;
                }
            } else {
                while count >= 11 {
                    let n = std::cmp::min(138, count);
                    codegen[out_index] = 18;
                    codegen[out_index + 1] = (n - 11) as u8;
                    out_index += 2;
                    freq[18] += 1;
                    count -= n;
                }
                if count >= 3 {
                    codegen[out_index] = 17;
                    codegen[out_index + 1] = (count - 3) as u8;
                    out_index += 2;
                    freq[17] += 1;
                    count = 0;
                }
            }
            count -= 1;
            while count >= 0 {
                codegen[out_index] = size;
                out_index += 1;
                freq[size as usize] += 1;
                count -= 1;
            }
            size = next_size;
            count = 1;
        }
        codegen[out_index] = BAD_CODE;
    }

    /// How many code length code lengths must be sent (at least 4).
    fn codegens(&self) -> usize {
        let mut n = CODEGEN_CODE_COUNT;
        while n > 4 && self.codegen_freq[CODEGEN_ORDER[n - 1]] == 0 {
            n -= 1;
        }
        n
    }

    /// Bits of a dynamic block header with the current codegen, and the codegen count.
    fn header_size(&self) -> (i32, usize) {
        let n = self.codegens();
        let size = 3
            + 5
            + 5
            + 4
            + 3 * n as i32
            + self.codegen_encoding.bit_length(&self.codegen_freq)
            + self.codegen_freq[16] as i32 * 2
            + self.codegen_freq[17] as i32 * 3
            + self.codegen_freq[18] as i32 * 7;
        (size, n)
    }

    fn dynamic_reuse_size(&self) -> i32 {
        self.literal_encoding.bit_length(&self.literal_freq) + self.offset_encoding.bit_length(&self.offset_freq)
    }

    fn dynamic_size(&self, extra_bits: i32) -> (i32, usize) {
        let (header, n) = self.header_size();
        let size = header
            + self.literal_encoding.bit_length(&self.literal_freq)
            + self.offset_encoding.bit_length(&self.offset_freq)
            + extra_bits;
        (size, n)
    }

    /// Extra bits the block's matches carry, whatever the code.
    fn extra_bit_size(&self) -> i32 {
        let mut total = 0i32;
        for (i, &n) in self.literal_freq[257..LITERAL_COUNT].iter().enumerate() {
            total += n as i32 * LENGTH_EXTRA_BITS[i & 31] as i32;
        }
        for (i, &n) in self.offset_freq[..OFFSET_CODE_COUNT].iter().enumerate() {
            total += n as i32 * OFFSET_EXTRA_BITS[i & 31] as i32;
        }
        total
    }

    fn fixed_size(&self, extra_bits: i32) -> i32 {
        3 + fixed_literal_encoding().bit_length(&self.literal_freq)
            + fixed_offset_encoding().bit_length(&self.offset_freq)
            + extra_bits
    }

    /// Size in bits of `input` as a stored block, if it fits in one. `None`
    /// (Go's nil slice) means the input is not available at all.
    fn stored_size(input: Option<&[u8]>) -> (i32, bool) {
        match input {
            Some(b) if b.len() <= MAX_STORE_BLOCK_SIZE => ((b.len() as i32 + 5) * 8, true),
            _ => (0, false),
        }
    }

    fn write_dynamic_header(&mut self, num_literals: usize, num_offsets: usize, num_codegens: usize, is_eof: bool) {
        let first_bits = if is_eof { 5 } else { 4 };
        self.write_bits(first_bits, 3);
        self.write_bits((num_literals - 257) as u32, 5);
        self.write_bits((num_offsets - 1) as u32, 5);
        self.write_bits((num_codegens - 4) as u32, 4);
        for &sym in &CODEGEN_ORDER[..num_codegens] {
            let value = code_len(self.codegen_encoding.codes[sym]) as u32;
            self.write_bits(value, 3);
        }
        let mut i = 0;
        loop {
            let code_word = self.codegen[i] as usize;
            i += 1;
            if code_word == BAD_CODE as usize {
                break;
            }
            let c = self.codegen_encoding.codes[code_word];
            self.write_code(c);
            let extra = match code_word {
                16 => 2,
                17 => 3,
                18 => 7,
                _ => 0,
            };
            if extra > 0 {
                let v = self.codegen[i] as u32;
                self.write_bits(v, extra);
                i += 1;
            }
        }
    }

    /// Starts a stored block of `length` bytes. A final empty one is sent as
    /// an empty fixed block instead (10 bits rather than 5 bytes).
    pub fn write_stored_header(&mut self, length: usize, is_eof: bool) {
        self.write_owed_eob();
        if length == 0 && is_eof {
            self.write_fixed_header(is_eof);
            // EOB in the fixed code: 7 zero bits.
            self.write_bits(0, 7);
            self.flush();
            return;
        }
        self.write_bits(is_eof as u32, 3);
        self.flush();
        self.write_bits(length as u32, 16);
        self.write_bits(!(length as u16) as u32, 16);
    }

    fn write_fixed_header(&mut self, is_eof: bool) {
        self.write_owed_eob();
        self.write_bits(if is_eof { 3 } else { 2 }, 3);
    }

    fn write_stored(&mut self, input: &[u8], eof: bool) {
        self.write_stored_header(input.len(), eof);
        self.write_bytes(input);
    }

    /// Can the open block's tables code every symbol `t` uses?
    fn can_reuse(&self, t: &Tokens) -> bool {
        let off = &self.offset_encoding.codes;
        for (i, &v) in t.off_hist[..OFFSET_CODE_COUNT].iter().enumerate() {
            if v != 0 && off[i] == 0 {
                return false;
            }
        }
        let lit = &self.literal_encoding.codes;
        for (i, &v) in t.extra_hist[..LITERAL_COUNT - 256].iter().enumerate() {
            if v != 0 && lit[256 + i] == 0 {
                return false;
            }
        }
        for (i, &v) in t.lit_hist.iter().enumerate() {
            if v != 0 && lit[i] == 0 {
                return false;
            }
        }
        true
    }

    /// Writes a block of tokens with a dynamic code, unless reusing the open
    /// table, the fixed code or a stored block is estimated to be smaller.
    /// With `sync` (or `eof`) the block is closed; otherwise it may be left
    /// open for the next block to continue.
    pub fn write_block_dynamic(&mut self, tokens: &mut Tokens, eof: bool, input: Option<&[u8]>, sync: bool) {
        let sync = sync || eof;
        if sync {
            tokens.add_eob();
        } else {
            // Ensure we can always write EOB.
            tokens.extra_hist[0] = 1;
        }

        // A literal-only table cannot be reused, and EOF needs its own block.
        if (self.wrote_huffman || eof) && self.prev_header > 0 {
            self.write_owed_eob();
            self.wrote_huffman = false;
        }
        if self.prev_header > 0 && !self.can_reuse(tokens) {
            self.write_owed_eob();
        }

        let (num_literals, num_offsets) = self.index_tokens(tokens);
        let mut extra_bits = 0;
        let (ssize, storable) = Self::stored_size(input);
        if storable || self.prev_header > 0 {
            extra_bits = self.extra_bit_size();
        }

        let mut size;
        if self.prev_header > 0 {
            // A fresh table costs about the open one's header plus an
            // optimal coding, plus a penalty; compare with reusing.
            let mut new_size = self.prev_header + tokens.estimated_bits();
            new_size += code_len(self.literal_encoding.codes[END_BLOCK_MARKER]) as i32
                + (new_size >> self.log_new_table_penalty);
            let reuse_size = self.dynamic_reuse_size() + extra_bits;
            if new_size < reuse_size {
                self.write_owed_eob();
                size = new_size;
            } else {
                size = reuse_size;
            }

            if tokens.n < MAX_PREDEFINED_TOKENS {
                let pre_size = self.fixed_size(extra_bits) + 7;
                if pre_size < size {
                    if storable && ssize <= size {
                        self.write_stored(input.unwrap(), eof);
                        return;
                    }
                    self.write_fixed_block(tokens, eof, sync);
                    return;
                }
            }
            if storable && ssize <= size {
                self.write_stored(input.unwrap(), eof);
                return;
            }
        }

        if self.prev_header == 0 {
            self.literal_freq[END_BLOCK_MARKER] = 1;
            self.generate();
            self.generate_codegen(num_literals, num_offsets, false);
            self.codegen_encoding.generate(&self.codegen_freq, 7);
            let num_codegens;
            (size, num_codegens) = self.dynamic_size(extra_bits);

            if tokens.n < MAX_PREDEFINED_TOKENS {
                let pre_size = self.fixed_size(extra_bits);
                if pre_size <= size {
                    if storable && ssize <= pre_size {
                        self.write_stored(input.unwrap(), eof);
                        return;
                    }
                    self.write_fixed_block(tokens, eof, sync);
                    return;
                }
            }
            if storable && ssize <= size {
                self.write_stored(input.unwrap(), eof);
                return;
            }

            self.write_dynamic_header(num_literals, num_offsets, num_codegens, eof);
            if !sync {
                self.prev_header = self.header_size().0;
            }
            self.wrote_huffman = false;
        }

        if sync {
            self.prev_header = 0;
        }
        let lit = std::mem::take(&mut self.literal_encoding.codes);
        let off = std::mem::take(&mut self.offset_encoding.codes);
        self.write_tokens(tokens.slice(), &lit, &off);
        self.literal_encoding.codes = lit;
        self.offset_encoding.codes = off;
    }

    fn write_fixed_block(&mut self, tokens: &mut Tokens, eof: bool, sync: bool) {
        self.write_fixed_header(eof);
        if !sync {
            tokens.add_eob();
        }
        self.write_tokens(tokens.slice(), &fixed_literal_encoding().codes, &fixed_offset_encoding().codes);
    }

    /// Loads the block's histograms; returns the literal/length and offset
    /// alphabet sizes to declare.
    fn index_tokens(&mut self, t: &Tokens) -> (usize, usize) {
        self.literal_freq[..256].copy_from_slice(&t.lit_hist);
        self.literal_freq[256..256 + 32].copy_from_slice(&t.extra_hist);
        self.offset_freq = t.off_hist;
        if t.n == 0 {
            return (0, 0);
        }
        let mut num_literals = self.literal_freq.len();
        while self.literal_freq[num_literals - 1] == 0 {
            num_literals -= 1;
        }
        let mut num_offsets = self.offset_freq.len();
        while num_offsets > 0 && self.offset_freq[num_offsets - 1] == 0 {
            num_offsets -= 1;
        }
        if num_offsets == 0 {
            // No matches: declare one offset code so the tree can be sent.
            self.offset_freq[0] = 1;
            num_offsets = 1;
        }
        (num_literals, num_offsets)
    }

    fn generate(&mut self) {
        self.literal_encoding.generate(&self.literal_freq[..LITERAL_COUNT], 15);
        self.offset_encoding.generate(&self.offset_freq[..OFFSET_CODE_COUNT], 15);
    }

    /// Codes the tokens; a trailing EOB token is written last with `lit_codes`.
    fn write_tokens(&mut self, tokens: &[u32], lit_codes: &[HCode], off_codes: &[HCode]) {
        if tokens.is_empty() {
            return;
        }
        let (tokens, defer_eob) = match tokens.split_last() {
            Some((&last, rest)) if last == END_BLOCK_MARKER as u32 => (rest, true),
            _ => (tokens, false),
        };
        for &t in tokens {
            if t < 256 {
                self.write_code(lit_codes[t as usize]);
                continue;
            }
            let length = (t >> 22) as u8;
            let len_code = (LENGTH_CODES[length as usize] & 31) as usize;
            self.write_code(lit_codes[LENGTH_CODES_START + len_code]);
            if len_code >= LENGTH_EXTRA_BITS_MIN_CODE {
                let extra = length.wrapping_sub(LENGTH_BASE[len_code]) as u32;
                self.write_bits(extra, LENGTH_EXTRA_BITS[len_code] as u32);
            }
            let offset = t & OFFSET_MASK;
            let off_code = (offset >> 16) & 31;
            self.write_code(off_codes[off_code as usize]);
            if off_code >= OFFSET_EXTRA_BITS_MIN_CODE {
                let comb = OFFSET_COMBINED[off_code as usize];
                self.write_bits(offset.wrapping_sub(comb >> 8) & MATCH_OFFSET_ONLY_MASK, comb as u8 as u32);
            }
        }
        if defer_eob {
            self.write_code(lit_codes[END_BLOCK_MARKER]);
        }
    }

    /// Codes `input` as literals only, or stores it when that is not worth
    /// it (including Go's quick test for near-uniform byte frequencies).
    pub fn write_block_huff(&mut self, eof: bool, input: &[u8], sync: bool) {
        self.literal_freq = [0; LENGTH_CODES_START + 32];
        if !self.wrote_huffman {
            self.offset_freq = [0; 32];
        }
        const NUM_LITERALS: usize = END_BLOCK_MARKER + 1;
        const NUM_OFFSETS: usize = 1;
        // 70 bytes; see https://stackoverflow.com/a/25454430
        const GUESS_HEADER_SIZE_BITS: i32 = 70 * 8;

        histogram(input, &mut self.literal_freq[..NUM_LITERALS]);
        let (ssize, storable) = Self::stored_size(Some(input));
        if storable && input.len() > 1024 {
            // Incompressible if every frequency is close to the average.
            let mut abs = 0f64;
            let avg = input.len() as f64 / 256.0;
            let max = (input.len() * 2) as f64;
            for &v in &self.literal_freq[..256] {
                let diff = v as f64 - avg;
                abs += diff * diff;
                if abs >= max {
                    break;
                }
            }
            if abs < max {
                self.write_stored(input, eof);
                return;
            }
        }
        self.literal_freq[END_BLOCK_MARKER] = 1;
        self.tmp_lit_encoding.generate(&self.literal_freq[..NUM_LITERALS], 15);
        let mut est_bits = self.tmp_lit_encoding.can_encode_len(&self.literal_freq[..NUM_LITERALS]);
        if est_bits < i32::MAX {
            est_bits += self.prev_header;
            if self.prev_header == 0 {
                est_bits += GUESS_HEADER_SIZE_BITS;
            }
            est_bits += est_bits >> self.log_new_table_penalty;
        }

        if storable && ssize <= est_bits {
            self.write_stored(input, eof);
            return;
        }

        if self.prev_header > 0 {
            let reuse_size = self.literal_encoding.can_encode_len(&self.literal_freq[..256]);
            if est_bits < reuse_size {
                self.write_owed_eob();
            }
        }

        if self.prev_header == 0 {
            // Use the table just built.
            std::mem::swap(&mut self.literal_encoding, &mut self.tmp_lit_encoding);
            self.generate_codegen(NUM_LITERALS, NUM_OFFSETS, true);
            self.codegen_encoding.generate(&self.codegen_freq, 7);
            let num_codegens = self.codegens();
            self.write_dynamic_header(NUM_LITERALS, NUM_OFFSETS, num_codegens, eof);
            self.wrote_huffman = true;
            self.prev_header = self.header_size().0;
        }

        let codes = std::mem::take(&mut self.literal_encoding.codes);
        for &t in input {
            self.write_code(codes[t as usize]);
        }
        self.literal_encoding.codes = codes;

        if eof || sync {
            let eob = self.literal_encoding.codes[END_BLOCK_MARKER];
            self.write_code(eob);
            self.prev_header = 0;
            self.wrote_huffman = false;
        }
    }
}
