//! One helper thread that runs jobs in the order they are given.
//!
//! A `template` run has work for a second core at several points (building
//! the function map while the chart is read, parsing while values are
//! merged, decoding rendered documents while the next templates run,
//! freeing the parse trees). Starting a thread for each costs about 50 µs
//! and a fresh allocator heap each time; one thread that takes the jobs in
//! turn, reusing its heap's memory from one job to the next, costs that
//! once.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;

type Job = Box<dyn FnOnce() + Send>;

/// The helper thread. Clones share it; it ends once every clone is dropped
/// and its queue is done.
#[derive(Clone)]
pub struct Worker {
    tx: mpsc::Sender<Job>,
}

/// The result of a job given to [`Worker::spawn`].
pub struct Pending<T> {
    rx: mpsc::Receiver<thread::Result<T>>,
}

impl Worker {
    /// Starts the thread; `None` when no thread can be had. The number of
    /// cores is not asked: `available_parallelism` reads the cgroup's CPU
    /// quota from four files, which costs more than the helper's jobs lose
    /// on a single core, where it only takes turns with the main thread.
    pub fn start() -> Option<Worker> {
        let (tx, rx) = mpsc::channel::<Job>();
        let starter = current_cpu();
        thread::Builder::new()
            .name("rhelm-helper".into())
            .spawn(move || {
                if let Some(cpu) = starter {
                    keep_off(cpu);
                }
                for job in rx {
                    job();
                }
            })
            .ok()?;
        Some(Worker { tx })
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

    /// Queues `job`; its result (or its panic) comes back through the
    /// returned [`Pending`].
    pub fn spawn<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
        let (tx, rx) = mpsc::channel();
        self.run(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(job)));
        });
        Pending { rx }
    }
}

/// The CPU the calling thread is on.
#[cfg(target_os = "linux")]
fn current_cpu() -> Option<usize> {
    // SAFETY: no arguments; -1 on failure.
    usize::try_from(unsafe { libc::sched_getcpu() }).ok()
}

#[cfg(not(target_os = "linux"))]
fn current_cpu() -> Option<usize> {
    None
}

/// Keeps the calling thread off `cpu`, the one the thread that started it
/// was on, when it may run on others.
///
/// Linux places a new thread on the CPU least loaded at that moment, which
/// for a process just started is often its own, as the CPU that started
/// the process (a shell returning to `wait`, a benchmark's loop) is still
/// busy elsewhere. The two threads then take turns on one CPU until the
/// load balancer moves one, which can be the whole of a small chart's run.
/// On this project's 2-CPU VMs a C program saw a new thread share its
/// creator's CPU in 2 of 8 runs, and then take over twice as long. The main
/// thread is left free to move.
#[cfg(target_os = "linux")]
fn keep_off(cpu: usize) {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: a zeroed cpu_set_t is an empty set; both calls get its size.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, size, &mut set) != 0 || libc::CPU_COUNT(&set) < 2 || !libc::CPU_ISSET(cpu, &set) {
            return;
        }
        libc::CPU_CLR(cpu, &mut set);
        libc::sched_setaffinity(0, size, &set);
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_off(_cpu: usize) {}

impl<T> Pending<T> {
    /// The job's result if it is done; a panic in the job is raised here.
    pub fn ready(&self) -> Option<T> {
        match self.rx.try_recv() {
            Ok(Ok(v)) => Some(v),
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => None,
        }
    }

    /// Waits for the job's result; a panic in the job is raised here.
    pub fn wait(self) -> T {
        match self.rx.recv() {
            Ok(Ok(v)) => v,
            Ok(Err(panic)) => resume_unwind(panic),
            // The job's sender is dropped unsent only if the job was: the
            // thread is gone, which it is not while a `Worker` exists.
            Err(mpsc::RecvError) => panic!("the helper thread dropped a job"),
        }
    }
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
        let failed = w.spawn(|| -> u8 { panic!("job failed") });
        let last = w.spawn(|| 7);
        assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| failed.wait())).is_err());
        assert_eq!(last.wait(), 7);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let held = w.spawn(move || rx.recv().is_ok());
        assert!(held.ready().is_none());
        tx.send(()).unwrap();
        assert!(held.wait());
        assert_eq!(*seen.lock().unwrap(), [0, 1, 2, 3, 4]);
    }
}
