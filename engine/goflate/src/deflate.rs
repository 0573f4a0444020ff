//! Go's `flate.Writer`: buffering input into blocks and choosing the
//! encoder by level.
//!
//! Input is copied into a window, and the window is only compressed when it
//! is full or at Flush/Close. So the output does not depend on how the input
//! is split across `write` calls, just as in Go.

use crate::bitwriter::BitWriter;
use crate::fast::FastL6;
use crate::lazy::Lazy;
use crate::token::{Tokens, MAX_STORE_BLOCK_SIZE};

/// `compress/flate.NoCompression`.
pub const NO_COMPRESSION: i32 = 0;
/// `compress/flate.BestSpeed`.
pub const BEST_SPEED: i32 = 1;
/// `compress/flate.BestCompression`.
pub const BEST_COMPRESSION: i32 = 9;
/// `compress/flate.DefaultCompression` (level 6).
pub const DEFAULT_COMPRESSION: i32 = -1;
/// `compress/flate.HuffmanOnly`.
pub const HUFFMAN_ONLY: i32 = -2;

/// A level this port does not implement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedLevel(pub i32);

impl std::fmt::Display for UnsupportedLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if (-2..=9).contains(&self.0) {
            write!(f, "goflate: compression level {} is not ported (supported: -2, -1, 0, 6, 7, 8, 9)", self.0)
        } else {
            write!(f, "flate: invalid compression level {}: want value in range [-2, 9]", self.0)
        }
    }
}

impl std::error::Error for UnsupportedLevel {}

enum Engine {
    /// Level 0: stored blocks of 65535 bytes.
    Store,
    /// Huffman-only: literal blocks of 32 KiB.
    Huff,
    /// Level 6: 65535-byte blocks through the fast encoder.
    Fast(Box<FastL6>),
    /// Levels 7-9: hash chains over a sliding 64 KiB window.
    Lazy(Box<Lazy>),
}

/// A raw deflate compressor producing Go's exact bytes. Compressed output
/// accumulates in an internal buffer; take it with `take_output`.
pub struct Compressor {
    w: BitWriter,
    engine: Engine,
    /// Input awaiting compression (all engines but Lazy, which has its own).
    window: Vec<u8>,
    window_end: usize,
    tokens: Box<Tokens>,
    /// Set during Flush and Close: compress everything buffered.
    sync: bool,
    closed: bool,
}

impl Compressor {
    /// A compressor at `level`, as `flate.NewWriter` would make it.
    pub fn new(level: i32) -> Result<Compressor, UnsupportedLevel> {
        let mut w = BitWriter::new();
        let (engine, window) = match level {
            NO_COMPRESSION => (Engine::Store, vec![0; MAX_STORE_BLOCK_SIZE]),
            HUFFMAN_ONLY => {
                w.log_new_table_penalty = 10;
                (Engine::Huff, vec![0; 32 << 10])
            }
            DEFAULT_COMPRESSION | 6 => {
                w.log_new_table_penalty = 7;
                (Engine::Fast(Box::new(FastL6::new())), vec![0; MAX_STORE_BLOCK_SIZE])
            }
            7..=9 => {
                w.log_new_table_penalty = 8;
                (Engine::Lazy(Box::new(Lazy::new(level))), Vec::new())
            }
            _ => return Err(UnsupportedLevel(level)),
        };
        Ok(Compressor { w, engine, window, window_end: 0, tokens: Box::new(Tokens::new()), sync: false, closed: false })
    }

    fn window_full(&self) -> bool {
        match &self.engine {
            Engine::Lazy(l) => l.is_full(),
            _ => self.window_end == self.window.len(),
        }
    }

    fn fill(&mut self, b: &[u8]) -> usize {
        match &mut self.engine {
            Engine::Lazy(l) => l.fill(b),
            _ => {
                let n = std::cmp::min(b.len(), self.window.len() - self.window_end);
                self.window[self.window_end..self.window_end + n].copy_from_slice(&b[..n]);
                self.window_end += n;
                n
            }
        }
    }

    /// Compresses what the engine is ready to compress.
    fn step(&mut self) {
        match &mut self.engine {
            Engine::Store => {
                if self.window_end > 0 && (self.window_end == MAX_STORE_BLOCK_SIZE || self.sync) {
                    self.w.write_stored_header(self.window_end, false);
                    self.w.write_bytes(&self.window[..self.window_end]);
                    self.window_end = 0;
                }
            }
            Engine::Huff => {
                if self.window_end < self.window.len() && !self.sync || self.window_end == 0 {
                    return;
                }
                self.w.write_block_huff(false, &self.window[..self.window_end], self.sync);
                self.window_end = 0;
            }
            Engine::Fast(fast) => {
                let end = self.window_end;
                let window = &self.window[..end];
                if end < self.window.len() {
                    if !self.sync {
                        return;
                    }
                    // Small final blocks: stored, or literal-only.
                    if end < 128 {
                        if end == 0 {
                            return;
                        }
                        if end <= 32 {
                            self.w.write_stored_header(end, false);
                            self.w.write_bytes(window);
                        } else {
                            self.w.write_block_huff(false, window, true);
                        }
                        self.tokens.reset();
                        self.window_end = 0;
                        fast.reset();
                        return;
                    }
                }
                fast.encode(&mut self.tokens, window);
                if self.tokens.n == 0 {
                    // No match at all: store.
                    self.w.write_stored_header(end, false);
                    self.w.write_bytes(window);
                } else if self.tokens.n > end - (end >> 4) {
                    // Matches removed less than 1/16th: code literals only.
                    self.w.write_block_huff(false, window, self.sync);
                } else {
                    self.w.write_block_dynamic(&mut self.tokens, false, Some(window), self.sync);
                }
                self.tokens.reset();
                self.window_end = 0;
            }
            Engine::Lazy(lazy) => lazy.step(&mut self.tokens, &mut self.w, self.sync),
        }
    }

    /// Adds input. Compression happens as windows fill.
    pub fn write(&mut self, mut b: &[u8]) {
        assert!(!self.closed, "goflate: write after close");
        while !b.is_empty() {
            if self.window_full() || self.sync {
                self.step();
            }
            let n = self.fill(b);
            b = &b[n..];
        }
    }

    /// Go's `Flush`: compresses everything buffered, then an empty stored
    /// block to reach a byte boundary.
    pub fn flush(&mut self) {
        assert!(!self.closed, "goflate: flush after close");
        self.sync = true;
        self.step();
        self.w.write_stored_header(0, false);
        self.w.flush();
        self.sync = false;
    }

    /// Go's `Close`: compresses everything buffered and ends the stream with
    /// an empty final block. Later calls do nothing.
    pub fn close(&mut self) {
        if self.closed {
            return;
        }
        self.sync = true;
        self.step();
        self.w.write_stored_header(0, true);
        self.w.flush();
        self.closed = true;
    }

    /// Takes the compressed bytes produced so far.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.w.out)
    }

    /// The compressed bytes produced so far, left in place.
    pub fn output(&self) -> &[u8] {
        &self.w.out
    }

    /// Drops the compressed bytes produced so far (after writing them out).
    pub fn clear_output(&mut self) {
        self.w.out.clear();
    }
}
