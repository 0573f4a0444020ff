//! Decoding the heads of rendered documents on another thread while the
//! next templates run. Sorting the manifests needs every document's head,
//! a full YAML decode of the document; the documents of a template are
//! final once it has run, and the second core is idle by then.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

use rhelm_template::worker::Worker;

use crate::manifest::{split_manifests, Head};

type Decoded = Result<Head, String>;

/// What the helper has decoded so far, and whether to stop.
#[derive(Default)]
struct Shared {
    heads: Mutex<HashMap<String, Decoded>>,
    stop: AtomicBool,
}

impl Shared {
    /// Decodes the heads of `text`'s documents not decoded yet, unless told
    /// to stop.
    fn decode(&self, text: &str) {
        for doc in split_manifests(text) {
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            let known = self.heads.lock().map_or(true, |h| h.contains_key(&doc));
            if !known {
                let head = super::parse_head(&doc);
                if let Ok(mut heads) = self.heads.lock() {
                    heads.insert(doc, head);
                }
            }
        }
    }
}

/// A helper thread decoding the heads of what it is sent.
pub struct HeadsAhead {
    worker: Option<Worker>,
    /// Started with the first text sent: templates run on both threads
    /// decode their own (see [`HeadsAhead::here`]) and need no helper.
    tx: OnceLock<mpsc::Sender<String>>,
    shared: Arc<Shared>,
}

impl HeadsAhead {
    /// Decodes on `worker`, if there is one (a small chart is given none:
    /// it renders faster than the work could be handed over).
    pub fn start(worker: Option<&Worker>) -> HeadsAhead {
        HeadsAhead { worker: worker.cloned(), tx: OnceLock::new(), shared: Arc::new(Shared::default()) }
    }

    /// A rendered template's text, whose documents may be sorted later.
    pub(crate) fn send(&self, text: &str) {
        let Some(worker) = &self.worker else { return };
        let tx = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::channel::<String>();
            let theirs = self.shared.clone();
            worker.run(move || {
                for text in rx {
                    theirs.decode(&text);
                }
            });
            tx
        });
        let _ = tx.send(text.to_string());
    }

    /// Decoding on whichever thread has rendered a text, for templates run
    /// on several; only where [`HeadsAhead::start`] was given a helper.
    pub(crate) fn here(&self) -> Option<HeadsHere> {
        self.worker.as_ref().map(|_| HeadsHere { shared: self.shared.clone() })
    }

    /// Stops the helper and takes what it has decoded. Nothing is waited
    /// for: the helper can lag a millisecond behind rendering, and the
    /// documents it has not reached are decoded by [`HeadCache`] here,
    /// as they would have been there.
    pub fn finish(mut self) -> HeadCache {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.tx.take();
        HeadCache { shared: self.shared }
    }
}

/// See [`HeadsAhead::here`].
#[derive(Clone)]
pub(crate) struct HeadsHere {
    shared: Arc<Shared>,
}

impl HeadsHere {
    /// Decodes the heads of a rendered template's documents on this thread.
    pub(crate) fn decode(&self, text: &str) {
        self.shared.decode(text);
    }
}

/// Heads decoded ahead, by document text.
pub struct HeadCache {
    shared: Arc<Shared>,
}

impl HeadCache {
    /// [`super::parse_head`] of `doc`, taken from the helper when it got
    /// there first.
    pub fn parse_head(&self, doc: &str) -> Decoded {
        let ahead = self.shared.heads.lock().ok().and_then(|mut h| h.remove(doc));
        match ahead {
            Some(head) => head,
            None => super::parse_head(doc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HeadsAhead;
    use crate::manifest::split_manifests;
    use rhelm_template::worker::Worker;

    /// Whether or not the helper got to a document before `finish`, its
    /// head is the one decoded here.
    #[test]
    fn heads_are_the_same_however_far_the_helper_got() {
        let worker = Worker::start().expect("a helper thread");
        let texts: Vec<String> = (0..200)
            .map(|i| format!("kind: ConfigMap\nmetadata:\n  name: c{i}\n---\nkind: Secret\nmetadata:\n  name: s{i}\n"))
            .collect();
        for finish_after in [0, 1, 100, 200] {
            let ahead = HeadsAhead::start(Some(&worker));
            for t in &texts[..finish_after] {
                ahead.send(t);
            }
            let cache = ahead.finish();
            for doc in texts.iter().flat_map(|t| split_manifests(t)) {
                let want = super::super::parse_head(&doc).map(|h| format!("{h:?}"));
                assert_eq!(cache.parse_head(&doc).map(|h| format!("{h:?}")), want, "{doc}");
            }
        }
    }
}
