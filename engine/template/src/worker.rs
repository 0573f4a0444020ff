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
        thread::Builder::new()
            .name("rhelm-helper".into())
            .spawn(move || {
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
