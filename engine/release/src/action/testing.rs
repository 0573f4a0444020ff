//! `helm test` (pkg/action/release_testing.go): the `test` hooks of the
//! last revision, run and recorded.

use std::time::Duration;

use super::hooks::exec_hook;
use super::{ActionError, Config};
use crate::model::Release;

#[derive(Debug, Clone)]
pub struct TestOptions {
    pub timeout: Duration,
    /// `--filter name=x` keeps, `--filter '!name=x'` drops.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions { timeout: Duration::from_secs(300), include: Vec::new(), exclude: Vec::new() }
    }
}

/// Runs the tests; the release comes back with the hooks' last runs, also
/// when a test failed.
pub fn run_tests(cfg: &Config, name: &str, opts: &TestOptions) -> Result<Release, (Option<Box<Release>>, ActionError)> {
    if super::validate_name(name).is_err() {
        return Err((None, ActionError(format!("releaseTest: Release name is invalid: {name}"))));
    }
    let mut rel = cfg.storage.last(name).map_err(|e| (None, e.into()))?;
    // Filtered-out tests are set aside and put back afterwards.
    let mut skipped = Vec::new();
    if !opts.include.is_empty() || !opts.exclude.is_empty() {
        let (keep, drop): (Vec<_>, Vec<_>) = rel.hooks.drain(..).partition(|h| {
            let is_test = h.events.iter().any(|e| e == "test");
            !is_test || ((opts.include.is_empty() || opts.include.contains(&h.name)) && !opts.exclude.contains(&h.name))
        });
        rel.hooks = keep;
        skipped = drop;
    }
    // Test hooks are created the way the release was applied; `helm test`
    // always waits with the status watcher.
    let ssa = rel.apply_method == "ssa";
    let result = exec_hook(cfg, &mut rel, "test", opts.timeout, ssa, false);
    rel.hooks.extend(skipped);
    cfg.record(&rel);
    match result {
        Ok(()) => Ok(rel),
        Err(e) => Err((Some(Box::new(rel)), e)),
    }
}
