use core::arch::asm;
use core::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8, _mm_storeu_si128,
};
use core::ptr::{read_unaligned, write_unaligned};

/// From this size on, a forward copy or a fill is one `rep movsb` or
/// `rep stosb`: below it their start-up cost is more than a vector loop's.
const STRING_OP_MIN: usize = 2048;

#[inline(always)]
unsafe fn load16(p: *const u8) -> __m128i {
    _mm_loadu_si128(p.cast())
}

#[inline(always)]
unsafe fn store16(p: *mut u8, v: __m128i) {
    _mm_storeu_si128(p.cast(), v)
}

/// Copies `n` bytes from `src` to `dst`; the two may overlap (`memmove`).
///
/// # Safety
/// `src` must be readable and `dst` writable for `n` bytes.
#[inline]
pub unsafe fn copy(dst: *mut u8, src: *const u8, n: usize) {
    // Up to 64 bytes, everything is loaded before anything is stored, so
    // overlap does not matter.
    if n <= 16 {
        if n >= 8 {
            let a = read_unaligned(src.cast::<u64>());
            let b = read_unaligned(src.add(n - 8).cast::<u64>());
            write_unaligned(dst.cast::<u64>(), a);
            write_unaligned(dst.add(n - 8).cast::<u64>(), b);
        } else if n >= 4 {
            let a = read_unaligned(src.cast::<u32>());
            let b = read_unaligned(src.add(n - 4).cast::<u32>());
            write_unaligned(dst.cast::<u32>(), a);
            write_unaligned(dst.add(n - 4).cast::<u32>(), b);
        } else if n > 0 {
            let (a, b, c) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = a;
            *dst.add(n / 2) = b;
            *dst.add(n - 1) = c;
        }
        return;
    }
    if n <= 32 {
        let (a, b) = (load16(src), load16(src.add(n - 16)));
        store16(dst, a);
        store16(dst.add(n - 16), b);
        return;
    }
    if n <= 64 {
        let (a, b) = (load16(src), load16(src.add(16)));
        let (c, d) = (load16(src.add(n - 32)), load16(src.add(n - 16)));
        store16(dst, a);
        store16(dst.add(16), b);
        store16(dst.add(n - 32), c);
        store16(dst.add(n - 16), d);
        return;
    }
    // `dst` below `src`, or past its end: a forward copy never overwrites a
    // byte it has yet to read.
    if (dst as usize).wrapping_sub(src as usize) >= n {
        if n >= STRING_OP_MIN {
            asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _,
                 options(nostack, preserves_flags));
            return;
        }
        copy_forward(dst, src, n);
    } else {
        copy_backward(dst, src, n);
    }
}

/// More than 64 bytes, front to back. The last 16 are loaded first, as
/// the loop's stores may overwrite them when `dst` is below `src`.
#[inline(always)]
unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    let last = load16(src.add(n - 16));
    let mut i = 0;
    while i + 32 < n {
        let (a, b) = (load16(src.add(i)), load16(src.add(i + 16)));
        store16(dst.add(i), a);
        store16(dst.add(i + 16), b);
        i += 32;
    }
    if i + 16 < n {
        store16(dst.add(i), load16(src.add(i)));
    }
    store16(dst.add(n - 16), last);
}

/// More than 64 bytes, back to front, for `dst` inside `src`'s bytes.
#[inline(always)]
unsafe fn copy_backward(dst: *mut u8, src: *const u8, n: usize) {
    let first = load16(src);
    let mut i = n;
    while i > 32 {
        let (a, b) = (load16(src.add(i - 16)), load16(src.add(i - 32)));
        store16(dst.add(i - 16), a);
        store16(dst.add(i - 32), b);
        i -= 32;
    }
    if i > 16 {
        store16(dst.add(i - 16), load16(src.add(i - 16)));
    }
    store16(dst, first);
}

/// Sets `n` bytes at `dst` to `c` (`memset`).
///
/// # Safety
/// `dst` must be writable for `n` bytes.
#[inline]
pub unsafe fn fill(dst: *mut u8, c: u8, n: usize) {
    if n <= 16 {
        let word = u64::from(c) * 0x0101_0101_0101_0101;
        if n >= 8 {
            write_unaligned(dst.cast::<u64>(), word);
            write_unaligned(dst.add(n - 8).cast::<u64>(), word);
        } else if n >= 4 {
            write_unaligned(dst.cast::<u32>(), word as u32);
            write_unaligned(dst.add(n - 4).cast::<u32>(), word as u32);
        } else if n > 0 {
            *dst = c;
            *dst.add(n / 2) = c;
            *dst.add(n - 1) = c;
        }
        return;
    }
    if n >= STRING_OP_MIN {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c,
             options(nostack, preserves_flags));
        return;
    }
    let v = _mm_set1_epi8(c as i8);
    let mut i = 0;
    while i + 32 < n {
        store16(dst.add(i), v);
        store16(dst.add(i + 16), v);
        i += 32;
    }
    if i + 16 < n {
        store16(dst.add(i), v);
    }
    store16(dst.add(n - 16), v);
}

/// Compares `n` bytes as unsigned bytes (`memcmp`): negative, zero or
/// positive as `a` sorts before, equal to or after `b`.
///
/// # Safety
/// `a` and `b` must be readable for `n` bytes.
#[inline]
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    if n < 16 {
        if n >= 4 {
            // The first and the last word, which overlap for n < 16 (or
            // n < 8), read big-endian: the words order as their bytes do.
            let (first, last) = if n >= 8 {
                let word = |p: *const u8| u64::from_be(read_unaligned(p.cast::<u64>()));
                ((word(a), word(b)), (word(a.add(n - 8)), word(b.add(n - 8))))
            } else {
                let word = |p: *const u8| u64::from(u32::from_be(read_unaligned(p.cast::<u32>())));
                ((word(a), word(b)), (word(a.add(n - 4)), word(b.add(n - 4))))
            };
            return if first.0 != first.1 { order(first.0, first.1) } else { order(last.0, last.1) };
        }
        let mut i = 0;
        while i < n {
            let (x, y) = (*a.add(i), *b.add(i));
            if x != y {
                return i32::from(x) - i32::from(y);
            }
            i += 1;
        }
        return 0;
    }
    let mut i = 0;
    while i + 16 <= n {
        if let Some(d) = differ16(a.add(i), b.add(i)) {
            return d;
        }
        i += 16;
    }
    if i < n {
        if let Some(d) = differ16(a.add(n - 16), b.add(n - 16)) {
            return d;
        }
    }
    0
}

#[inline(always)]
fn order(x: u64, y: u64) -> i32 {
    match x.cmp(&y) {
        core::cmp::Ordering::Less => -1,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => 1,
    }
}

/// The difference of the first differing bytes of two 16-byte blocks.
#[inline(always)]
unsafe fn differ16(a: *const u8, b: *const u8) -> Option<i32> {
    let equal = _mm_movemask_epi8(_mm_cmpeq_epi8(load16(a), load16(b))) as u32;
    if equal == 0xffff {
        return None;
    }
    let j = (!equal).trailing_zeros() as usize;
    Some(i32::from(*a.add(j)) - i32::from(*b.add(j)))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// A byte pattern without repeats at short periods, so a misplaced
    /// byte shows.
    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ ((i >> 8) as u8)).collect()
    }

    const SIZES: &[usize] = &[
        0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 80, 95, 96, 97, 127, 128, 129, 200, 255,
        256, 1000, 2047, 2048, 2049, 5000,
    ];

    #[test]
    fn copies_between_separate_buffers_at_every_alignment() {
        for &n in SIZES {
            for (da, sa) in [(0, 0), (1, 0), (0, 3), (5, 7), (15, 1)] {
                let src = pattern(n + 32, 9);
                let mut dst = std::vec![0xeeu8; n + 64];
                unsafe { copy(dst.as_mut_ptr().add(16 + da), src.as_ptr().add(sa), n) };
                assert_eq!(&dst[16 + da..16 + da + n], &src[sa..sa + n], "n={n} da={da} sa={sa}");
                assert!(dst[..16 + da].iter().all(|&b| b == 0xee), "wrote before dst: n={n}");
                assert!(dst[16 + da + n..].iter().all(|&b| b == 0xee), "wrote past dst: n={n}");
            }
        }
    }

    #[test]
    fn copies_overlapping_ranges_as_memmove() {
        for &n in SIZES {
            for shift in [1usize, 2, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100] {
                let base = pattern(n + shift, 3);
                // dst above src.
                let mut buf = base.clone();
                let mut want = base.clone();
                want.copy_within(0..n, shift);
                unsafe { copy(buf.as_mut_ptr().add(shift), buf.as_ptr(), n) };
                assert_eq!(buf, want, "up n={n} shift={shift}");
                // dst below src.
                let mut buf = base.clone();
                let mut want = base;
                want.copy_within(shift..shift + n, 0);
                unsafe { copy(buf.as_mut_ptr(), buf.as_ptr().add(shift), n) };
                assert_eq!(buf, want, "down n={n} shift={shift}");
            }
            let mut same = pattern(n, 1);
            let want = same.clone();
            unsafe { copy(same.as_mut_ptr(), same.as_ptr(), n) };
            assert_eq!(same, want);
        }
    }

    #[test]
    fn fills_exactly_the_bytes_asked_for() {
        for &n in SIZES {
            for align in [0, 1, 9] {
                let mut buf = std::vec![0x11u8; n + 48];
                unsafe { fill(buf.as_mut_ptr().add(16 + align), 0xa7, n) };
                assert!(buf[16 + align..16 + align + n].iter().all(|&b| b == 0xa7), "n={n}");
                assert!(buf[..16 + align].iter().chain(&buf[16 + align + n..]).all(|&b| b == 0x11), "n={n}");
            }
        }
    }

    #[test]
    fn compares_as_unsigned_bytes_at_the_first_difference() {
        for &n in SIZES {
            let a = pattern(n, 5);
            assert_eq!(unsafe { compare(a.as_ptr(), a.clone().as_ptr(), n) }, 0, "n={n}");
            for at in [0, 1, n / 2, n.saturating_sub(9), n.saturating_sub(1)] {
                if at >= n {
                    continue;
                }
                for (x, y) in [(0x00u8, 0xffu8), (0x80, 0x7f), (0x41, 0x42)] {
                    let (mut a, mut b) = (pattern(n, 5), pattern(n, 5));
                    a[at] = x;
                    b[at] = y;
                    // A later difference the other way must not decide.
                    if n - 1 > at {
                        a[n - 1] = 0xff;
                        b[n - 1] = 0x00;
                    }
                    let got = unsafe { compare(a.as_ptr(), b.as_ptr(), n) };
                    let want = a.cmp(&b) as i32;
                    assert_eq!(got.signum(), want, "n={n} at={at} {x:#x} vs {y:#x}");
                    let back = unsafe { compare(b.as_ptr(), a.as_ptr(), n) };
                    assert_eq!(back.signum(), -want, "n={n} at={at} reversed");
                }
            }
        }
    }
}
