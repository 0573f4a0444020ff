//! A set of associated templates sharing functions and options: what a Go
//! `*template.Template` and the templates created with `New` share.

use std::sync::Arc;

use crate::error::Error;
use crate::exec::State;
use crate::func::{FuncMap, NameMap};
use crate::parse::{Parser, Tree};
use crate::value::Value;

/// What a missing map key yields (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// Go's default: an invalid value, printed as `<no value>`.
    #[default]
    Invalid,
    /// The zero value of the map's element type (Helm's choice).
    Zero,
    /// Execution stops with `map has no entry for key "x"`.
    Error,
}

#[derive(Clone)]
pub struct TemplateSet {
    name: Arc<str>,
    trees: NameMap<Arc<Tree>>,
    funcs: Arc<FuncMap>,
    missing_key: MissingKey,
    limits: Limits,
}

/// Bounds on one execution. Go has only the depth bound; the step bound is
/// ours, for running untrusted templates (and fuzzing) without hanging.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_steps: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: crate::exec::MAX_EXEC_DEPTH, max_steps: None }
    }
}

impl TemplateSet {
    /// An empty set named `name` (Go's `template.New(name)`), with the
    /// builtins plus `funcs` (which may override builtins).
    pub fn new(name: &str, funcs: FuncMap) -> TemplateSet {
        let mut all = crate::builtins::builtins();
        all.extend(funcs);
        TemplateSet {
            name: Arc::from(name),
            trees: NameMap::default(),
            funcs: Arc::new(all),
            missing_key: MissingKey::Invalid,
            limits: Limits::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn set_missing_key(&mut self, m: MissingKey) {
        self.missing_key = m;
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Go's `t.New(name).Parse(text)`: parses `text` as template `name` and
    /// adds it and every template it defines to the set. A later non-empty
    /// definition replaces an earlier one; an empty one never does.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.parse_shared(name, &Arc::from(text))
    }

    /// [`TemplateSet::parse`] of a text the trees can share.
    fn parse_shared(&mut self, name: &str, text: &Arc<str>) -> Result<(), Error> {
        for tree in self.parse_trees_shared(name, text)? {
            self.add_tree(tree);
        }
        Ok(())
    }

    /// [`TemplateSet::parse`] of each `(name, text)` in order, with the
    /// parsing itself spread over the machine's cores: parsing one text
    /// does not depend on another, only adding the trees to the set is
    /// ordered. The error is the first one in order, as if parsed one by one.
    pub fn parse_all<T: TemplateText>(&mut self, items: &[(&str, T)]) -> Result<(), Error> {
        let total: usize = items.iter().map(|(_, t)| t.as_ref().len()).sum();
        let workers = if total < PARALLEL_PARSE_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len())
        };
        if workers <= 1 {
            for (name, text) in items {
                self.parse_shared(name, &text.clone().into())?;
            }
            return Ok(());
        }
        let funcs = self.funcs.clone();
        let has = move |n: &str| funcs.contains(n);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut results: Vec<Option<Result<Vec<Tree>, Error>>> = Vec::new();
        results.resize_with(items.len(), || None);
        std::thread::scope(|scope| {
            // Workers take the next text in order, so the first error is
            // found early and each worker's share follows the texts' sizes.
            let work = || {
                let mut done = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((name, text)) = items.get(i) else { break };
                    let parsed = Parser::parse(name, &text.clone().into(), &has);
                    let failed = parsed.is_err();
                    done.push((i, parsed));
                    if failed {
                        // Later texts cannot matter once this one failed.
                        next.fetch_max(items.len(), std::sync::atomic::Ordering::Relaxed);
                    }
                }
                done
            };
            let helpers: Vec<_> =
                (1..workers).filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok()).collect();
            let mut all = work();
            for h in helpers {
                match h.join() {
                    Ok(mut d) => all.append(&mut d),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            for (i, r) in all {
                results[i] = Some(r);
            }
        });
        // Texts are claimed in order, so every text before a failed one was
        // parsed: the unparsed ones all come after the first error.
        for r in results.into_iter().flatten() {
            for tree in r? {
                self.add_tree(tree);
            }
        }
        Ok(())
    }

    /// Drops the set on another thread (`worker`'s, or a new one).
    /// Freeing a large chart's parsed trees costs a tenth of rendering it,
    /// and a caller that is done with them need not wait; a small set is
    /// dropped here.
    pub fn drop_in_background(self, worker: Option<&crate::worker::Worker>) {
        if self.trees.len() < 64 {
            return;
        }
        match worker {
            Some(w) => w.run(move || drop(self)),
            // Should the thread not start, the set is dropped here with the closure.
            None => {
                let _ = std::thread::Builder::new().name("drop-templates".into()).spawn(move || drop(self));
            }
        }
    }

    pub(crate) fn funcs_arc(&self) -> Arc<FuncMap> {
        self.funcs.clone()
    }

    /// The trees of `text`, parsed with this set's functions, not added.
    pub(crate) fn parse_trees_shared(&self, name: &str, text: &Arc<str>) -> Result<Vec<Tree>, Error> {
        Parser::parse(name, text, &|n: &str| self.funcs.contains(n))
    }

    pub(crate) fn add_tree(&mut self, tree: Tree) {
        if let Some(old) = self.trees.get(&tree.name) {
            if crate::ast::is_empty_list(&tree.root) && !crate::ast::is_empty_list(&old.root) {
                return;
            }
        }
        self.trees.insert(tree.name.clone(), Arc::new(tree));
    }

    pub fn lookup(&self, name: &str) -> Option<&Tree> {
        self.trees.get(name).map(|t| &**t)
    }

    /// Looks `name` up in the overlay first, then in the set.
    pub fn lookup_in<'a>(&'a self, overlay: Option<&'a Overlay>, name: &str) -> Option<&'a Tree> {
        overlay.and_then(|o| o.trees.get(name)).or_else(|| self.trees.get(name)).map(|t| &**t)
    }

    /// Parses `text` as template `name` with this set's functions, without
    /// adding anything to the set: the trees can be cached and laid over the
    /// set for one execution (Helm's `tpl`), which Go does by cloning the set.
    pub fn parse_trees(&self, name: &str, text: &str) -> Result<Vec<Arc<Tree>>, Error> {
        Ok(self.parse_trees_shared(name, &Arc::from(text))?.into_iter().map(Arc::new).collect())
    }

    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(|k| &**k)
    }

    /// Go's `ExecuteTemplate`: runs template `name` with `data` as dot,
    /// appending to `out` (partial output stays on error, as in Go).
    pub fn execute(&self, name: &str, data: &Value, out: &mut String) -> Result<(), Error> {
        self.execute_at_depth(name, data, out, 0, None)
    }

    pub(crate) fn execute_at_depth(
        &self,
        name: &str,
        data: &Value,
        out: &mut String,
        depth: usize,
        overlay: Option<&Overlay>,
    ) -> Result<(), Error> {
        let Some(tree) = self.lookup_in(overlay, name) else {
            return Err(Error::no_template(name, &self.name));
        };
        let mut state = State::new(self, overlay, tree, data.clone(), depth);
        state.run(data.clone(), out)
    }

    /// Convenience: execute into a new string.
    pub fn render(&self, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        self.execute(name, data, &mut out)?;
        Ok(out)
    }
}

/// Below this much text, parsing on one thread is faster than starting others.
pub(crate) const PARALLEL_PARSE_BYTES: usize = 32 << 10;

/// A template's text as the parse functions take it: a `&str`, copied once
/// for the trees to keep, or an `Arc<str>` they share as it is.
pub trait TemplateText: AsRef<str> + Clone + Into<Arc<str>> + Sync {}

impl<T: AsRef<str> + Clone + Into<Arc<str>> + Sync> TemplateText for T {}

/// Templates laid over a set for one execution, as if added to a clone of it.
#[derive(Clone, Default)]
pub struct Overlay {
    trees: NameMap<Arc<Tree>>,
}

impl Overlay {
    /// `base` plus `trees`, with Go's rule for adding a tree to a set: a
    /// non-empty definition replaces an existing one, an empty one never does.
    pub fn with_trees(base: Option<&Overlay>, set: &TemplateSet, trees: &[Arc<Tree>]) -> Overlay {
        let mut overlay = base.cloned().unwrap_or_default();
        for tree in trees {
            let existing = overlay.trees.get(&tree.name).or_else(|| set.trees.get(&tree.name));
            if let Some(old) = existing {
                if crate::ast::is_empty_list(&tree.root) && !crate::ast::is_empty_list(&old.root) {
                    continue;
                }
            }
            overlay.trees.insert(tree.name.clone(), tree.clone());
        }
        overlay
    }
}
