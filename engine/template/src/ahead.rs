//! Parsing a set's texts ahead of time, on another thread, while the caller
//! is busy with work the parse does not depend on (Helm decodes and merges
//! values before it parses; neither needs the other).
//!
//! The texts are a guess: the caller may end up asking for a different
//! list (a subchart disabled, another renamed by an alias). Only results
//! whose name and text match what is finally asked for are used, so the
//! outcome is exactly that of parsing the final list in order.

use std::collections::HashMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::error::Error;
use crate::func::FuncMap;
use crate::parse::{Parser, Tree};
use crate::set::{TemplateSet, TemplateText};
use crate::worker::Worker;

type Parsed = Result<Vec<Tree>, Error>;

struct Shared {
    items: Vec<(String, Arc<str>)>,
    next: AtomicUsize,
    funcs: Arc<FuncMap>,
    /// Each parsed text, or the panic of its parse, by index.
    done: Mutex<Vec<(usize, std::thread::Result<Parsed>)>>,
    /// Signalled as texts are done.
    progress: Condvar,
}

impl Shared {
    /// Parses the next unclaimed texts until none is left. Every text is
    /// parsed even after an error: an error in a text that is not asked for
    /// in the end must not keep the others from being ready.
    fn work(&self) {
        let has = |n: &str| self.funcs.contains(n);
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((name, text)) = self.items.get(i) else { break };
            let parsed = catch_unwind(AssertUnwindSafe(|| Parser::parse(name, text, &has)));
            let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
            done.push((i, parsed));
            // Only the last text matters to a waiter (see `wait_all`); a
            // wake-up per text cost a system call each, and as many
            // needless wake-ups of the waiting thread.
            let last = done.len() == self.items.len();
            drop(done);
            if last {
                self.progress.notify_all();
            }
        }
    }

    /// Waits until every text is parsed: all are claimed by now, so the
    /// helper has at most the one it is on left to do.
    fn wait_all(&self) -> Vec<(usize, std::thread::Result<Parsed>)> {
        let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
        while done.len() < self.items.len() {
            done = self.progress.wait(done).unwrap_or_else(|p| p.into_inner());
        }
        std::mem::take(&mut *done)
    }
}

/// Equal texts, at once when both are the same memory (the usual case: the
/// caller hands over the chart's own copy both times).
fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Texts being parsed by a helper thread for a [`TemplateSet`].
pub struct ParseAhead {
    set: TemplateSet,
    /// Its items are the texts handed to the helper (none when `finish`
    /// parses alone).
    shared: Arc<Shared>,
}

impl TemplateSet {
    /// Starts parsing `items` (name, text) with this set's functions on
    /// `worker`. [`ParseAhead::finish`] adds the trees to the set. Little
    /// text, or no worker, is parsed by `finish` alone: handing it over
    /// would cost more than it saves.
    pub fn parse_ahead(self, mut items: Vec<(String, Arc<str>)>, worker: Option<&Worker>) -> ParseAhead {
        let total: usize = items.iter().map(|(_, t)| t.len()).sum();
        if total < crate::set::PARALLEL_PARSE_BYTES || worker.is_none() {
            items.clear();
        }
        let shared = Arc::new(Shared {
            items,
            next: AtomicUsize::new(0),
            funcs: self.funcs_arc(),
            done: Mutex::new(Vec::new()),
            progress: Condvar::new(),
        });
        if let Some(worker) = worker.filter(|_| !shared.items.is_empty()) {
            let shared = shared.clone();
            worker.run(move || shared.work());
        }
        ParseAhead { set: self, shared }
    }
}

impl ParseAhead {
    /// Whether a helper thread is parsing.
    pub fn is_parallel(&self) -> bool {
        !self.shared.items.is_empty()
    }

    /// [`TemplateSet::parse_all`] of `items`: this thread joins the parse,
    /// then the trees are added in `items`' order, those of texts parsed
    /// ahead taken as they are and any other text parsed now. The error is
    /// the first one in order, as if parsed one by one.
    pub fn finish<T: TemplateText>(self, items: &[(&str, T)]) -> Result<TemplateSet, Error> {
        let ParseAhead { mut set, shared } = self;
        shared.work();
        let mut ready: HashMap<&str, (&str, std::thread::Result<Parsed>)> = HashMap::new();
        for (i, parsed) in shared.wait_all() {
            let (name, text) = &shared.items[i];
            ready.insert(name.as_str(), (&**text, parsed));
        }
        for (name, text) in items {
            let trees = match ready.remove(name) {
                Some((ahead, parsed)) if same_text(ahead, text.as_ref()) => {
                    parsed.unwrap_or_else(|panic| resume_unwind(panic))?
                }
                _ => set.parse_trees_shared(name, &text.clone().into())?,
            };
            for tree in trees {
                set.add_tree(tree);
            }
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use crate::{FuncMap, TemplateSet, Value};

    /// Text large enough for `parse_ahead` to use another thread.
    fn padded(body: &str) -> String {
        format!("{body}{{{{/* {} */}}}}", "x".repeat(40 << 10))
    }

    fn owned(items: &[(&str, &str)]) -> Vec<(String, std::sync::Arc<str>)> {
        items.iter().map(|(n, t)| (n.to_string(), std::sync::Arc::from(*t))).collect()
    }

    fn worker() -> Option<crate::worker::Worker> {
        Some(crate::worker::Worker::start().expect("a helper thread"))
    }

    fn run(set: &TemplateSet, name: &str) -> String {
        set.render(name, &Value::Nil).unwrap()
    }

    #[test]
    fn takes_only_what_is_asked_for_under_the_same_name_and_text() {
        let a = padded(r#"{{ define "x" }}ahead{{ end }}a"#);
        let a_changed = padded(r#"{{ define "x" }}changed{{ end }}a"#);
        let broken = "{{ if }}".to_string();
        let ahead = [("a", a.as_str()), ("gone", broken.as_str()), ("b", r#"{{ template "x" }}"#)];
        let job = TemplateSet::new("t", FuncMap::new()).parse_ahead(owned(&ahead), worker().as_ref());
        assert!(job.is_parallel());
        // "gone" is not asked for, so its error does not count; "a" comes
        // with another text and "c" was never parsed ahead.
        let set = job.finish(&[("a", a_changed.as_str()), ("b", r#"{{ template "x" }}"#), ("c", "c")]).unwrap();
        assert!(run(&set, "a").starts_with('a'));
        assert_eq!(run(&set, "b"), "changed");
        assert_eq!(run(&set, "c"), "c");
        assert!(set.lookup("gone").is_none());
    }

    #[test]
    fn later_definitions_win_in_the_order_asked_for() {
        let first = padded(r#"{{ define "x" }}first{{ end }}"#);
        let second = padded(r#"{{ define "x" }}second{{ end }}"#);
        let items = [("one", first.as_str()), ("two", second.as_str()), ("use", r#"{{ template "x" }}"#)];
        let job = TemplateSet::new("t", FuncMap::new()).parse_ahead(owned(&items), worker().as_ref());
        let reversed = [items[1], items[0], items[2]];
        let set = job.finish(&reversed).unwrap();
        assert_eq!(run(&set, "use"), "first");
    }

    #[test]
    fn the_error_is_the_first_in_order() {
        let big = padded("ok");
        let items = [("big", big.as_str()), ("e1", "{{ if }}"), ("e2", "{{ end }}")];
        let job = TemplateSet::new("t", FuncMap::new()).parse_ahead(owned(&items), worker().as_ref());
        let e = job.finish(&[items[0], items[2], items[1]]).err().unwrap().to_string();
        let mut direct = TemplateSet::new("t", FuncMap::new());
        let want = direct.parse_all(&[items[0], items[2], items[1]]).err().unwrap().to_string();
        assert_eq!(e, want);
        assert!(e.contains("e2"), "{e}");
    }

    #[test]
    fn small_texts_are_parsed_by_finish_alone() {
        let items = [("a", "{{ 1 }}")];
        let job = TemplateSet::new("t", FuncMap::new()).parse_ahead(owned(&items), worker().as_ref());
        assert!(!job.is_parallel());
        assert_eq!(run(&job.finish(&items).unwrap(), "a"), "1");
    }
}
