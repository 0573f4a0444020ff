//! Stack checks for deep recursion: [`maybe_grow`] runs a closure on a new,
//! larger stack when little of the current one is left, as
//! `stacker::maybe_grow` does.
//!
//! stacker learns where a thread's stack ends from `pthread_getattr_np`,
//! which glibc answers for the main thread by reading and parsing all of
//! `/proc/self/maps`: 40-100 µs on the first template a run executes. On
//! the main thread this reads the same bound from what the kernel left at
//! the top of the stack (the executable's name, `AT_EXECFN`) and the stack
//! size limit, which is how the kernel itself bounds the main stack. Other
//! threads, and anything unusual (no size limit), ask stacker.

use std::cell::Cell;

/// Kept free below the computed limit: the kernel's guard gap and rounding.
const MARGIN: usize = 64 << 10;

thread_local! {
    /// The lowest address this thread's current stack may use (after
    /// [`MARGIN`]); 0 until first needed.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` here when at least `red_zone` bytes of stack are left, else on
/// a new stack of `stack_size` bytes.
#[inline(always)]
pub fn maybe_grow<R>(red_zone: usize, stack_size: usize, f: impl FnOnce() -> R) -> R {
    if stack_pointer().saturating_sub(limit()) >= red_zone {
        f()
    } else {
        grow(stack_size, f)
    }
}

/// Runs `f` on a new stack of `stack_size` bytes.
pub fn grow<R>(stack_size: usize, f: impl FnOnce() -> R) -> R {
    /// Puts the caller's limit back, however `f` ends.
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            LIMIT.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(limit());
    stacker::grow(stack_size, || {
        // The new stack starts about here and holds `stack_size` bytes.
        LIMIT.with(|l| l.set(stack_pointer().saturating_sub(stack_size) + MARGIN));
        f()
    })
}

#[inline(always)]
fn limit() -> usize {
    LIMIT.with(|l| match l.get() {
        0 => {
            let found = os_limit();
            l.set(found);
            found
        }
        known => known,
    })
}

#[inline(always)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

#[cold]
fn os_limit() -> usize {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls without arguments.
    if unsafe { libc::gettid() == libc::getpid() } {
        let sp = stack_pointer();
        if let Some((lowest, _)) = main_stack_span().filter(|(lowest, top)| *lowest < sp && sp < *top) {
            return lowest + MARGIN;
        }
    }
    // stacker's answer; without one, every check grows the stack, as stacker does.
    match stacker::remaining_stack() {
        Some(left) => stack_pointer().saturating_sub(left) + MARGIN,
        None => usize::MAX,
    }
}

/// The main thread's stack as the kernel bounds it: its top, where the
/// kernel put the executable's name (`AT_EXECFN`) and one null word before
/// the end of the stack mapping, and that top less `RLIMIT_STACK`, the
/// lowest address the stack can grow to. `None` when either is missing or
/// there is no limit.
#[cfg(target_os = "linux")]
fn main_stack_span() -> Option<(usize, usize)> {
    // SAFETY: getauxval and getrlimit only read; AT_EXECFN, when present,
    // points at a NUL-terminated string the kernel wrote.
    unsafe {
        let name = libc::getauxval(libc::AT_EXECFN) as *const libc::c_char;
        if name.is_null() {
            return None;
        }
        let name_end = name as usize + std::ffi::CStr::from_ptr(name).to_bytes().len() + 1;
        let page = usize::try_from(libc::sysconf(libc::_SC_PAGESIZE)).ok().filter(|p| p.is_power_of_two())?;
        let top = (name_end + std::mem::size_of::<usize>() + page - 1) & !(page - 1);
        let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_STACK, &mut rl) != 0 || rl.rlim_cur == libc::RLIM_INFINITY {
            return None;
        }
        let size = usize::try_from(rl.rlim_cur).ok().filter(|s| *s <= 1 << 30)?;
        Some((top.checked_sub(size)?, top))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grown_stacks_have_their_own_limit_and_give_the_old_one_back() {
        let before = limit();
        let inside = grow(4 << 20, || (limit(), stack_pointer().saturating_sub(limit())));
        assert_ne!(inside.0, before);
        assert!(inside.1 > 3 << 20 && inside.1 < 4 << 20, "{inside:?}");
        assert_eq!(limit(), before);
        let after_panic = std::panic::catch_unwind(|| grow(1 << 20, || panic!("in a grown stack")));
        assert!(after_panic.is_err());
        assert_eq!(limit(), before);
    }

    #[test]
    fn deep_recursion_grows_instead_of_overflowing() {
        fn down(n: usize) -> usize {
            let pad = std::hint::black_box([0u8; 512]);
            maybe_grow(64 << 10, 1 << 20, || if n == 0 { usize::from(pad[0]) } else { 1 + down(n - 1) })
        }
        assert_eq!(down(100_000), 100_000);
    }

    /// The main thread's stack as read from its top is the one glibc finds
    /// in /proc/self/maps: the `[stack]` mapping's end, less the size limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn main_stack_span_matches_the_stack_mapping() {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let line = maps.lines().find(|l| l.ends_with("[stack]")).expect("a [stack] mapping");
        let end = usize::from_str_radix(line.split(['-', ' ']).nth(1).unwrap(), 16).unwrap();
        let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut rl) }, 0);
        if rl.rlim_cur == libc::RLIM_INFINITY {
            assert_eq!(main_stack_span(), None);
        } else {
            assert_eq!(main_stack_span(), Some((end - rl.rlim_cur as usize, end)));
        }
    }
}
