//! Decoding the heads of rendered documents on another thread while the
//! next templates run. Sorting the manifests needs every document's head,
//! a full YAML decode of the document; the documents of a template are
//! final once it has run, and the second core is idle by then.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::mpsc;

use rhelm_template::worker::{Pending, Worker};

use crate::manifest::{split_manifests, Head};

type Decoded = Result<Head, String>;

/// A helper thread decoding the heads of what it is sent.
pub struct HeadsAhead {
    tx: Option<mpsc::Sender<String>>,
    heads: Option<Pending<HashMap<String, Decoded>>>,
}

impl HeadsAhead {
    /// Starts decoding on `worker`, if there is one (a small chart is
    /// given none: it renders faster than the work could be handed over).
    pub fn start(worker: Option<&Worker>) -> HeadsAhead {
        let Some(worker) = worker else {
            return HeadsAhead { tx: None, heads: None };
        };
        let (tx, rx) = mpsc::channel::<String>();
        let heads = worker.spawn(move || {
            let mut heads = HashMap::new();
            for text in rx {
                for doc in split_manifests(&text) {
                    if !heads.contains_key(&doc) {
                        let head = super::parse_head(&doc);
                        heads.insert(doc, head);
                    }
                }
            }
            heads
        });
        HeadsAhead { tx: Some(tx), heads: Some(heads) }
    }

    /// A rendered template's text, whose documents may be sorted later.
    pub(crate) fn send(&self, text: &str) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(text.to_string());
        }
    }

    /// Waits for the thread; the result decodes a document as
    /// [`super::parse_head`] does, from what the thread found where it can.
    pub fn finish(mut self) -> HeadCache {
        self.tx = None;
        let heads = self.heads.take().map(Pending::wait).unwrap_or_default();
        HeadCache { heads: RefCell::new(heads) }
    }
}

/// Heads decoded ahead, by document text.
pub struct HeadCache {
    heads: RefCell<HashMap<String, Decoded>>,
}

impl HeadCache {
    pub fn parse_head(&self, doc: &str) -> Decoded {
        match self.heads.borrow_mut().remove(doc) {
            Some(head) => head,
            None => super::parse_head(doc),
        }
    }
}
