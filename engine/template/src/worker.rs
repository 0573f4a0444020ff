//! One helper thread that runs jobs in the order they are given.
//!
//! A `template` run has work for a second core at several points (building
//! the function map while the chart is read, parsing while values are
//! merged, decoding rendered documents while the next templates run,
//! freeing the parse trees). Starting a thread for each costs about 50 µs
//! and a fresh allocator heap each time; one thread that takes the jobs in
//! turn, reusing its heap's memory from one job to the next, costs that
//! once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

/// The helper thread. Clones share it; it ends once every clone is dropped
/// and its queue is done.
#[derive(Clone)]
pub struct Worker {
    tx: mpsc::Sender<Job>,
    /// The thread has a CPU of its own: waits between the two threads
    /// spin before they sleep (see [`spin_until`]).
    spins: bool,
}

/// How long a thread waiting for the other spins before it sleeps.
///
/// Waking a sleeping thread is slow where the CPUs are a VM's: the CPU it
/// slept on halts, and resuming it goes through the host. On this
/// project's 2-CPU VMs the helper took up a job 250-350 µs after it was
/// queued, and the main thread, waiting for the helper's last template,
/// woke 1 ms after it was signalled (bitnami zookeeper renders in 3-4 ms).
/// The waits in between are shorter than that: a template's parse or
/// run, or the main thread's work between two jobs.
const SPIN_FOR: Duration = Duration::from_millis(1);

/// Spins until `ready` or [`SPIN_FOR`] is up: whether it is ready. Only for
/// waits on the other thread of a [`Worker`] that spins.
///
/// Each turn yields the CPU: the two threads can share one for a while
/// (a new thread that preempted its creator before being moved, the main
/// thread moved by the scheduler), and a spin that does not yield then
/// keeps the other from the work it waits for. A new helper spinning 1 ms
/// on its creator's CPU made bitnami zookeeper 1 ms slower in a third of
/// the runs. Where no other thread wants the CPU, a yield returns at once.
pub fn spin_until(mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if start.elapsed() >= SPIN_FOR {
            return false;
        }
        thread::yield_now();
    }
}

/// A thread started by [`Worker::start_early`], for the next
/// [`Worker::start`] to take.
static EARLY: Mutex<Option<Worker>> = Mutex::new(None);

impl Worker {
    /// Starts a thread now for the next [`Worker::start`] to take: a
    /// program that knows at its first instruction that it will want one
    /// (`rhelm template`) lets the thread get going, and its CPU wake up,
    /// while it reads its arguments. A second CPU that has gone idle can
    /// take hundreds of microseconds to run the thread on a VM.
    pub fn start_early() {
        let w = Worker::start_now();
        *EARLY.lock().unwrap_or_else(PoisonError::into_inner) = w;
    }

    /// Starts the thread (or takes the one [`Worker::start_early`] started);
    /// `None` when no thread can be had.
    pub fn start() -> Option<Worker> {
        EARLY.lock().unwrap_or_else(PoisonError::into_inner).take().or_else(Worker::start_now)
    }

    /// The number of cores is not asked: `available_parallelism` reads the
    /// cgroup's CPU quota from four files, which costs more than the
    /// helper's jobs lose on a single core, where it only takes turns with
    /// the main thread.
    fn start_now() -> Option<Worker> {
        let (tx, rx) = mpsc::channel::<Job>();
        let others = OtherCpus::here();
        let spins = others.is_some();
        let thread = thread::Builder::new()
            .name("rhelm-helper".into())
            .spawn(move || {
                while let Some(job) = next_job(&rx, spins) {
                    job();
                }
            })
            .ok()?;
        if let Some(others) = others {
            others.keep_on(&thread);
        }
        Some(Worker { tx, spins })
    }

    /// Whether waits on this thread should [`spin_until`] before they sleep.
    pub fn spins(&self) -> bool {
        self.spins
    }

    /// Queues `job`. A panic in it is caught there, so that later jobs
    /// still run; callers that need to know use [`Worker::spawn`].
    pub fn run(&self, job: impl FnOnce() + Send + 'static) {
        let job = move || {
            let _ = catch_unwind(AssertUnwindSafe(job));
        };
        // The thread only ends once every sender is gone.
        let _ = self.tx.send(Box::new(job));
    }
}

/// The next job, `None` once every sender is gone.
fn next_job(rx: &mpsc::Receiver<Job>, spins: bool) -> Option<Job> {
    let mut job = None;
    if spins {
        spin_until(|| match rx.try_recv() {
            Ok(j) => {
                job = Some(Some(j));
                true
            }
            Err(mpsc::TryRecvError::Empty) => false,
            Err(mpsc::TryRecvError::Disconnected) => {
                job = Some(None);
                true
            }
        });
    }
    match job {
        Some(job) => job,
        None => rx.recv().ok(),
    }
}

/// The CPUs this thread may run on but the one it is on, when there are
/// any: where a new thread is kept.
///
/// Linux places a new thread on the CPU least loaded at that moment, which
/// for a process just started is often its own, as the CPU that started
/// the process (a shell returning to `wait`, a benchmark's loop) is still
/// busy elsewhere. The two threads then take turns on one CPU until the
/// load balancer moves one, which can be the whole of a small chart's run.
/// On this project's 2-CPU VMs a C program saw a new thread share its
/// creator's CPU in 2 of 8 runs, and then take over twice as long. The
/// creator sets the new thread's mask, not the thread itself: one queued
/// behind its busy creator did not run for 4 ms (a scheduler slice) in
/// half of the runs of bitnami zookeeper, and could not move itself until
/// then; the kernel moves a queued thread at once. The main thread is
/// left free to move.
#[cfg(target_os = "linux")]
struct OtherCpus(libc::cpu_set_t);

#[cfg(target_os = "linux")]
impl OtherCpus {
    fn here() -> Option<OtherCpus> {
        // SAFETY: no arguments; -1 on failure.
        let cpu = usize::try_from(unsafe { libc::sched_getcpu() }).ok()?;
        // SAFETY: a zeroed cpu_set_t is an empty set; the call gets its size.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            let size = std::mem::size_of::<libc::cpu_set_t>();
            if libc::sched_getaffinity(0, size, &mut set) != 0
                || libc::CPU_COUNT(&set) < 2
                || !libc::CPU_ISSET(cpu, &set)
            {
                return None;
            }
            libc::CPU_CLR(cpu, &mut set);
            Some(OtherCpus(set))
        }
    }

    fn keep_on(&self, thread: &thread::JoinHandle<()>) {
        use std::os::unix::thread::JoinHandleExt;
        // SAFETY: the thread is alive (it waits for jobs from a sender still
        // held) and not joined; the call gets the set's size.
        unsafe {
            // std's handle is an integer; musl's pthread_t is a pointer.
            let handle = thread.as_pthread_t() as libc::pthread_t;
            libc::pthread_setaffinity_np(handle, std::mem::size_of::<libc::cpu_set_t>(), &self.0);
        }
    }
}

#[cfg(not(target_os = "linux"))]
struct OtherCpus;

#[cfg(not(target_os = "linux"))]
impl OtherCpus {
    fn here() -> Option<OtherCpus> {
        None
    }

    fn keep_on(&self, _thread: &thread::JoinHandle<()>) {}
}

#[cfg(test)]
mod tests {
    use super::Worker;
    use std::sync::{Arc, Mutex};

    #[test]
    fn runs_jobs_in_order_and_survives_their_panics() {
        let w = Worker::start().expect("a helper thread");
        let seen = Arc::new(Mutex::new(Vec::new()));
        for i in 0..5 {
            let seen = seen.clone();
            w.run(move || seen.lock().unwrap().push(i));
        }
        w.run(|| panic!("job failed"));
        let (tx, rx) = std::sync::mpsc::channel();
        w.run(move || tx.send(7).unwrap());
        assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(10)), Ok(7));
        assert_eq!(*seen.lock().unwrap(), [0, 1, 2, 3, 4]);
    }
}
