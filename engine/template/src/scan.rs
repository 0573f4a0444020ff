//! Byte search that asks the CPU nothing at run time.
//!
//! memchr's own functions ask std, on their first call, which vector
//! extensions the CPU has, and std answers with seven `cpuid` instructions:
//! on a virtual machine each is a trap to the hypervisor (5.5 µs on this
//! project's VMs, about 1% of rendering a chart, 3% of an empty one). SSE2
//! is part of x86-64, so its searchers need no such question, and the texts
//! searched here (template text, YAML lines and scalars) are short enough
//! that wider vectors would gain little.

#[cfg(target_arch = "x86_64")]
use memchr::arch::x86_64::sse2::memchr::{One, Three, Two};

/// The first `a` in `hay`.
#[inline]
pub fn memchr(a: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(s) = One::new(a) {
        return s.find(hay);
    }
    memchr::memchr(a, hay)
}

/// The first `a` or `b` in `hay`.
#[inline]
pub fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(s) = Two::new(a, b) {
        return s.find(hay);
    }
    memchr::memchr2(a, b, hay)
}

/// The first `a`, `b` or `c` in `hay`.
#[inline]
pub fn memchr3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(s) = Three::new(a, b, c) {
        return s.find(hay);
    }
    memchr::memchr3(a, b, c, hay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_needle_at_every_position_and_length() {
        for len in [0usize, 1, 15, 16, 17, 31, 32, 33, 64, 65, 200] {
            let hay = vec![b'.'; len];
            assert_eq!(memchr(b'x', &hay), None);
            assert_eq!(memchr2(b'x', b'y', &hay), None);
            assert_eq!(memchr3(b'x', b'y', b'z', &hay), None);
            for at in 0..len {
                let mut h = hay.clone();
                h[at] = b'z';
                if at + 1 < len {
                    h[len - 1] = b'x';
                }
                let first_x = if at + 1 < len { Some(len - 1) } else { None };
                assert_eq!(memchr(b'z', &h), Some(at), "len {len} at {at}");
                assert_eq!(memchr(b'x', &h), first_x, "len {len} at {at}");
                assert_eq!(memchr2(b'x', b'z', &h), Some(at), "len {len} at {at}");
                assert_eq!(memchr3(b'x', b'y', b'z', &h), Some(at), "len {len} at {at}");
            }
        }
    }
}
