//! RSA keys made on two cores at once.
//!
//! An RSA key takes about 90 ms of prime search, longer than the rest of a
//! large chart's rendering, and a chart that makes certificates usually
//! makes several (a CA, then a certificate signed by it). The renderer
//! counts the key-making calls in a chart's templates ([`expect`]). When the
//! first key is asked for, so that the templates are known to take that
//! path, a background thread starts on the keys the other calls will need
//! while this one is made here; later calls take those keys, or wait for
//! the one being made. A key made ahead and never taken is dropped at exit:
//! it costs idle CPU time, never output, since every key comes fresh from
//! the system's random source whichever thread made it.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, OnceLock};

use super::keys::PrivateKey;

type Made = Result<PrivateKey, String>;

#[derive(Default)]
struct Sizes {
    /// Keys finished and not yet taken.
    ready: Vec<Made>,
    /// Keys the background thread has still to start.
    owed: usize,
    /// Keys the background thread is making now.
    making: usize,
    /// Key-making calls in the templates not yet run.
    expected: usize,
}

#[derive(Default)]
struct Pool {
    by_bits: Mutex<HashMap<usize, Sizes>>,
    changed: Condvar,
}

/// At most this many keys are made ahead, whatever the templates hold.
const MAX_AHEAD: usize = 2;

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(Pool::default)
}

/// Records that the templates hold `calls` calls that make `bits`-bit keys.
pub(crate) fn expect(bits: usize, calls: usize) {
    if let Ok(mut sizes) = pool().by_bits.lock() {
        sizes.entry(bits).or_default().expected = calls;
    }
}

fn work(bits: usize, make: fn(usize) -> Made) {
    let p = pool();
    loop {
        {
            let Ok(mut sizes) = p.by_bits.lock() else { return };
            let entry = sizes.entry(bits).or_default();
            if entry.owed == 0 {
                return;
            }
            entry.owed -= 1;
            entry.making += 1;
        }
        let key = make(bits);
        let Ok(mut sizes) = p.by_bits.lock() else { return };
        let entry = sizes.entry(bits).or_default();
        entry.making -= 1;
        entry.ready.push(key);
        p.changed.notify_all();
    }
}

/// A key of `bits` bits: one made ahead, or one made now by `make`.
pub(crate) fn take(bits: usize, make: fn(usize) -> Made) -> Made {
    let p = pool();
    let Ok(mut sizes) = p.by_bits.lock() else { return make(bits) };
    let entry = sizes.entry(bits).or_default();
    entry.expected = entry.expected.saturating_sub(1);
    loop {
        let entry = sizes.entry(bits).or_default();
        if let Some(key) = entry.ready.pop() {
            return key;
        }
        if entry.owed > 0 {
            // The background thread is busy with another: make this one here.
            entry.owed -= 1;
            drop(sizes);
            return make(bits);
        }
        if entry.making == 0 {
            let ahead = entry.expected.min(MAX_AHEAD);
            entry.owed += ahead;
            drop(sizes);
            if ahead > 0
                && std::thread::Builder::new().name("rsa-ahead".into()).spawn(move || work(bits, make)).is_err()
            {
                if let Ok(mut sizes) = p.by_bits.lock() {
                    sizes.entry(bits).or_default().owed = 0;
                }
            }
            return make(bits);
        }
        sizes = match p.changed.wait(sizes) {
            Ok(s) => s,
            Err(_) => return make(bits),
        };
    }
}
