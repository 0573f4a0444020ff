//! Parsing a set's texts on another thread as they are read, while the
//! caller is busy with work the parse does not depend on: reading the rest
//! of the chart, then decoding and merging values (Helm does all of that
//! before it parses; none of it needs the parse).
//!
//! Texts are handed over without names, since the caller reads a file
//! before it knows what the template will be called (a subchart may be
//! renamed by an alias, or dropped). Each is parsed under a stand-in name
//! that [`ParseAhead::finish`] replaces with the name finally asked for;
//! the name appears nowhere else in the trees. Texts are matched by
//! identity (the same shared allocation), so the outcome is exactly that
//! of parsing the final list in order: anything that could depend on the
//! name (an error, a `define` of the stand-in or the real name) is parsed
//! again under the real one.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::error::Error;
use crate::func::FuncMap;
use crate::parse::{Parser, Tree};
use crate::set::{TemplateSet, TemplateText};
use crate::worker::{spin_until, Worker};

type Parsed = Result<Vec<Tree>, Error>;

/// The name texts are parsed under ahead of time.
const STAND_IN: &str = "";

/// A text's identity: where its bytes are and how many.
fn identity(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

#[derive(Default)]
struct State {
    texts: Vec<Arc<str>>,
    pushed: HashSet<(usize, usize)>,
    bytes: usize,
    /// The first text no thread has claimed.
    next: usize,
    /// Texts claimed and not yet done.
    in_flight: usize,
    /// No more texts come; the helper stops once none is left.
    closed: bool,
    /// Each text's trees, or the panic of its parse, by index.
    done: Vec<Option<std::thread::Result<Parsed>>>,
    /// The set the helper built, until `finish` takes it.
    set: Option<TemplateSet>,
    helper_waiting: bool,
    finisher_waiting: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled to the helper: a text was pushed, or the stream closed.
    more: Condvar,
    /// Signalled to `finish`: the last text in flight is done.
    idle: Condvar,
    /// See [`Worker::spins`].
    spins: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// No more texts come: the helper stops once none is left.
    fn close(&self, state: &mut State) {
        state.closed = true;
        if state.helper_waiting {
            self.more.notify_one();
        }
    }

    /// Parses unclaimed texts until none is left; with `wait`, also waits
    /// for more until the stream is closed. Every text is parsed even after
    /// an error: one that is not asked for in the end must not keep the
    /// others from being ready.
    fn work(&self, funcs: &FuncMap, wait: bool) {
        let has = |n: &str| funcs.contains(n);
        loop {
            let (i, text) = {
                let mut state = self.lock();
                let mut spun = false;
                loop {
                    if state.next < state.texts.len() {
                        let i = state.next;
                        state.next += 1;
                        state.in_flight += 1;
                        break (i, state.texts[i].clone());
                    }
                    if state.closed || !wait {
                        return;
                    }
                    if self.spins && !spun {
                        drop(state);
                        spin_until(|| {
                            let state = self.lock();
                            state.next < state.texts.len() || state.closed
                        });
                        spun = true;
                        state = self.lock();
                        continue;
                    }
                    state.helper_waiting = true;
                    state = self.more.wait(state).unwrap_or_else(PoisonError::into_inner);
                    state.helper_waiting = false;
                }
            };
            let parsed = catch_unwind(AssertUnwindSafe(|| Parser::parse(STAND_IN, &text, &has)));
            let mut state = self.lock();
            state.done[i] = Some(parsed);
            state.in_flight -= 1;
            // A wake-up costs a system call: only for a waiter, and only
            // for the last text it waits on.
            if state.in_flight == 0 && state.finisher_waiting {
                self.idle.notify_one();
            }
        }
    }
}

/// Texts being parsed by a helper thread for a [`TemplateSet`], handed
/// over with [`ParseAhead::push`] as they are read.
pub struct ParseAhead {
    shared: Arc<Shared>,
    parallel: bool,
}

impl ParseAhead {
    /// Starts the helper's part on `worker`: it builds the set with
    /// `make_set` (the function set is needed to parse), then parses texts
    /// as they are pushed. Without a worker, texts are not kept: `finish`
    /// parses them all.
    pub fn start(worker: Option<&Worker>, make_set: impl FnOnce() -> TemplateSet + Send + 'static) -> ParseAhead {
        let spins = worker.is_some_and(Worker::spins);
        let shared = Arc::new(Shared { state: Mutex::default(), more: Condvar::new(), idle: Condvar::new(), spins });
        if let Some(worker) = worker {
            let theirs = shared.clone();
            worker.run(move || {
                let set = make_set();
                let funcs = set.funcs_arc();
                theirs.lock().set = Some(set);
                theirs.work(&funcs, true);
            });
        }
        ParseAhead { shared, parallel: worker.is_some() }
    }

    /// Hands `text` over to be parsed, unless it already was. Nothing
    /// happens once the parse is being finished, or without a helper.
    pub fn push(&self, text: Arc<str>) {
        if !self.parallel {
            return;
        }
        let mut state = self.shared.lock();
        if state.closed || !state.pushed.insert(identity(&text)) {
            return;
        }
        state.bytes += text.len();
        state.texts.push(text);
        state.done.push(None);
        if state.helper_waiting {
            self.shared.more.notify_one();
        }
    }

    /// Whether a helper thread is parsing enough text for work to be worth
    /// sharing (the same bound as [`TemplateSet::parse_all`]'s).
    pub fn is_parallel(&self) -> bool {
        self.parallel && self.shared.lock().bytes >= crate::set::PARALLEL_PARSE_BYTES
    }

    /// [`TemplateSet::parse_all`] of `items` into the helper's set (or
    /// `make_set`'s, when the helper has not built one yet): this thread
    /// joins the parse of what was pushed, then the trees are added in
    /// `items`' order, those of texts parsed ahead taken under their final
    /// names and any other text parsed now. The error is the first one in
    /// order, as if parsed one by one.
    pub fn finish<T: TemplateText>(
        self,
        items: &[(&str, T)],
        make_set: impl FnOnce() -> TemplateSet,
    ) -> Result<TemplateSet, Error> {
        let shared = &self.shared;
        let theirs = {
            let mut state = shared.lock();
            shared.close(&mut state);
            // Largest first: the two threads then finish close together,
            // not one waiting on the other's long text. (Texts come in the
            // order they were read, the chart's own long ones last.)
            let next = state.next;
            state.texts[next..].sort_by_key(|t| std::cmp::Reverse(t.len()));
            state.set.take()
        };
        let mut set = theirs.unwrap_or_else(make_set);
        shared.work(&set.funcs_arc(), false);
        let (texts, mut done) = {
            if shared.spins {
                spin_until(|| shared.lock().in_flight == 0);
            }
            let mut state = shared.lock();
            while state.in_flight > 0 {
                state.finisher_waiting = true;
                state = shared.idle.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            (std::mem::take(&mut state.texts), std::mem::take(&mut state.done))
        };
        let mut ahead: HashMap<(usize, usize), usize> =
            texts.iter().enumerate().map(|(i, t)| (identity(t), i)).collect();
        for (name, text) in items {
            let parsed = ahead.remove(&identity(text.as_ref())).and_then(|i| done[i].take());
            let trees = match parsed {
                Some(Err(panic)) => resume_unwind(panic),
                Some(Ok(Ok(trees))) => renamed(trees, name),
                _ => None,
            };
            let trees = match trees {
                Some(trees) => trees,
                None => set.parse_trees_shared(name, &text.clone().into())?,
            };
            for tree in trees {
                set.add_tree(tree);
            }
        }
        Ok(set)
    }
}

/// A parse given up (the chart failed to load): the helper stops waiting for
/// texts, so that its thread is free for other jobs or can end.
impl Drop for ParseAhead {
    fn drop(&mut self) {
        self.shared.close(&mut self.shared.lock());
    }
}

/// Trees parsed under [`STAND_IN`] given the file name `name`; none (the
/// text is to be parsed again) when the name could have made a difference:
/// a `define` of either name meets the file's own tree in the parse.
fn renamed(mut trees: Vec<Tree>, name: &str) -> Option<Vec<Tree>> {
    if trees[1..].iter().any(|t| &*t.name == name || &*t.name == STAND_IN) {
        return None;
    }
    let name: Arc<str> = Arc::from(name);
    trees[0].name = name.clone();
    for tree in &mut trees {
        tree.parse_name = name.clone();
    }
    Some(trees)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::ParseAhead;
    use crate::{FuncMap, TemplateSet, Value};

    fn worker() -> Option<crate::worker::Worker> {
        Some(crate::worker::Worker::start().expect("a helper thread"))
    }

    fn new_set() -> TemplateSet {
        TemplateSet::new("t", FuncMap::new())
    }

    fn run(set: &TemplateSet, name: &str) -> String {
        set.render(name, &Value::Nil).unwrap()
    }

    /// Pushes `texts` and waits until the helper has parsed them all, so
    /// that `finish` meets their trees rather than parsing them itself.
    fn parsed_ahead(texts: &[&Arc<str>]) -> ParseAhead {
        let job = ParseAhead::start(worker().as_ref(), new_set);
        for t in texts {
            job.push((*t).clone());
        }
        while { job.shared.lock().done.iter().any(Option::is_none) } {
            std::thread::yield_now();
        }
        job
    }

    #[test]
    fn takes_trees_by_text_under_the_names_asked_for() {
        let a: Arc<str> = Arc::from(r#"{{ define "x" }}ahead{{ end }}a{{ len 3 }}"#);
        let b: Arc<str> = Arc::from(r#"{{ template "x" }}"#);
        let job = parsed_ahead(&[&a, &b]);
        let set = job.finish(&[("a", a.clone()), ("b", b.clone())], new_set).unwrap();
        assert_eq!(run(&set, "b"), "ahead");
        // The file name is in the trees' error locations.
        let e = set.render("a", &Value::Nil).err().unwrap().to_string();
        assert!(e.contains("template: a:1:"), "{e}");
        let x = set.lookup("x").unwrap();
        assert_eq!(&*x.parse_name, "a");
    }

    #[test]
    fn an_equal_text_elsewhere_is_parsed_again() {
        let a: Arc<str> = Arc::from(r#"{{ define "x" }}ahead{{ end }}"#);
        let copy: Arc<str> = Arc::from(&*a);
        let job = parsed_ahead(&[&a]);
        // The same allocation twice (an aliased subchart): the second is
        // parsed again, under its own name.
        let set = job.finish(&[("one", a.clone()), ("two", a.clone()), ("three", copy)], new_set).unwrap();
        for n in ["one", "two", "three"] {
            assert!(set.lookup(n).is_some(), "{n}");
        }
        assert_eq!(&*set.lookup("x").unwrap().parse_name, "three");
    }

    #[test]
    fn a_define_of_the_file_name_is_parsed_under_it() {
        // Parsed under the stand-in, the file's own tree and the define
        // differ in name; under its real name they are one template, and
        // the non-empty file wins over the define.
        let text: Arc<str> = Arc::from(r#"{{ define "f" }}define{{ end }}"#);
        let job = parsed_ahead(&[&text]);
        let set = job.finish(&[("f", text.clone())], new_set).unwrap();
        let mut direct = new_set();
        direct.parse("f", &text).unwrap();
        assert_eq!(run(&set, "f"), run(&direct, "f"));
        let clash: Arc<str> = Arc::from(r#"x{{ define "g" }}define{{ end }}"#);
        let job = parsed_ahead(&[&clash]);
        let e = job.finish(&[("g", clash.clone())], new_set).err().unwrap().to_string();
        assert_eq!(e, direct.parse("g", &clash).err().unwrap().to_string());
    }

    #[test]
    fn later_definitions_win_in_the_order_asked_for() {
        let first: Arc<str> = Arc::from(r#"{{ define "x" }}first{{ end }}"#);
        let second: Arc<str> = Arc::from(r#"{{ define "x" }}second{{ end }}"#);
        let using: Arc<str> = Arc::from(r#"{{ template "x" }}"#);
        let job = parsed_ahead(&[&first, &second, &using]);
        let set = job.finish(&[("two", second), ("one", first), ("use", using)], new_set).unwrap();
        assert_eq!(run(&set, "use"), "first");
    }

    #[test]
    fn the_error_is_the_first_in_order_with_its_real_name() {
        let ok: Arc<str> = Arc::from("ok");
        let e1: Arc<str> = Arc::from("{{ if }}");
        let e2: Arc<str> = Arc::from("{{ end }}");
        let job = parsed_ahead(&[&ok, &e1, &e2]);
        let order = [("ok", ok), ("e2", e2), ("e1", e1)];
        let e = job.finish(&order, new_set).err().unwrap().to_string();
        let want = new_set().parse_all(&order).err().unwrap().to_string();
        assert_eq!(e, want);
        assert!(e.contains("e2"), "{e}");
    }

    #[test]
    fn texts_not_pushed_or_not_asked_for() {
        let pushed: Arc<str> = Arc::from("{{ if }}");
        let job = ParseAhead::start(worker().as_ref(), new_set);
        job.push(pushed);
        // The broken text is not asked for, so its error does not count;
        // "c" was never pushed.
        let set = job.finish(&[("c", "c")], new_set).unwrap();
        assert_eq!(run(&set, "c"), "c");
        assert!(set.lookup("").is_none());
    }

    #[test]
    fn a_parse_given_up_frees_the_helper() {
        let w = worker().unwrap();
        let job = ParseAhead::start(Some(&w), new_set);
        job.push(Arc::from("{{ 1 }}"));
        drop(job);
        let (tx, rx) = std::sync::mpsc::channel();
        w.run(move || tx.send(()).unwrap());
        assert!(rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok(), "the helper is still waiting for texts");
    }

    #[test]
    fn without_a_helper_finish_parses_alone() {
        let job = ParseAhead::start(None, new_set);
        let a: Arc<str> = Arc::from("{{ 1 }}");
        job.push(a.clone());
        assert!(!job.is_parallel());
        assert_eq!(run(&job.finish(&[("a", a)], new_set).unwrap(), "a"), "1");
    }

    #[test]
    fn small_texts_are_not_worth_another_thread() {
        let job = ParseAhead::start(worker().as_ref(), new_set);
        job.push(Arc::from("{{ 1 }}"));
        assert!(!job.is_parallel());
        job.push(Arc::from("x".repeat(crate::set::PARALLEL_PARSE_BYTES)));
        assert!(job.is_parallel());
    }
}
