//! Running a chart's templates on two threads with the output of Helm's
//! one-after-another loop.
//!
//! Helm runs the templates in order, each with its chart's one top-level
//! map, after setting that map's `Template`. What one template can see of
//! another:
//! - writes to shared maps (Sprig's `set`, `unset`, the merges, on `$` or
//!   on the values). A [`Guard`] refuses them while templates run at the
//!   same time. The templates before the first refused one wrote nothing
//!   shared, so their outputs stand; that template is run again alone, its
//!   writes allowed, and the rest start over from there;
//! - the `Template` of a subchart's map, through `.Subcharts`: it is the
//!   subchart's last template run so far. Where every subchart runs all its
//!   templates before any template of a chart above it (deepest paths come
//!   first), that is its last template overall, set before the run.
//!   Otherwise all run one after another.
//!
//! Each template gets its own copy of its chart's top-level map, holding
//! its own `Template`. The first error in Helm's order is the one reported.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use rhelm_functions::helm;
use rhelm_template::guard::Guard;
use rhelm_template::worker::{spin_until, Worker};
use rhelm_template::{Error, TemplateSet, Value};

use super::engine::{execute_in_turn, key, template_field};
use super::heads::HeadsHere;

/// The most values visited to mark the shared maps; past it the chart is
/// run one after another (aliases in a values file can make a small
/// document a very large tree).
const GUARD_LIMIT: usize = 200_000;

/// Templates run alone after a refused write before the rest are run one
/// after another: each costs a new round, with its [`Guard`] and a
/// hand-over to the helper.
const MAX_REFUSALS: usize = 4;

/// A template to run: its name, its chart's top-level map and the path
/// its chart's templates are under (`.Template.BasePath`).
pub(super) struct Job<'a> {
    pub name: &'a str,
    pub chart_data: &'a Value,
    pub base_path: &'a str,
}

/// Runs `jobs` (in Helm's order) on this thread and `worker`: each
/// template's output, or the error of the first that fails.
pub(super) fn render(
    set: &Arc<TemplateSet>,
    jobs: &[Job<'_>],
    worker: &Worker,
    heads: Option<HeadsHere>,
) -> Result<Vec<String>, Error> {
    let in_turn = |j: &Job<'_>| -> Result<String, Error> {
        let out = execute_in_turn(set, j.name, j.chart_data, j.base_path)?;
        if let Some(h) = &heads {
            h.decode(&out);
        }
        Ok(out)
    };
    let mut outputs: Vec<String> = Vec::with_capacity(jobs.len());
    if let Some(finals) = final_templates(jobs) {
        let mut refusals = 0;
        while outputs.len() < jobs.len() {
            match run_round(set, &jobs[outputs.len()..], &finals, worker, &heads)? {
                Some(ran) => outputs.extend(ran),
                None => break,
            }
            if outputs.len() == jobs.len() {
                break;
            }
            // This template's write was refused: it runs alone, the write
            // allowed, and a new round starts after it.
            refusals += 1;
            if refusals > MAX_REFUSALS {
                break;
            }
            outputs.push(in_turn(&jobs[outputs.len()])?);
        }
    }
    for j in &jobs[outputs.len()..] {
        outputs.push(in_turn(j)?);
    }
    Ok(outputs)
}

/// Runs `jobs` on both threads under one guard: the outputs of the
/// templates before the first whose write was refused, or the first error;
/// `None` when there are too many shared values to guard.
fn run_round(
    set: &Arc<TemplateSet>,
    jobs: &[Job<'_>],
    finals: &[(&Value, Value)],
    worker: &Worker,
    heads: &Option<HeadsHere>,
) -> Result<Option<Vec<String>>, Error> {
    // A template run alone since the last round may have set its chart's.
    for (chart_data, field) in finals {
        if let Value::Map(m) = chart_data {
            m.entries.update(|c| c.insert(key("Template"), field.clone()));
        }
    }
    let data: Vec<Value> = jobs
        .iter()
        .map(|j| {
            let mut contents = match j.chart_data {
                Value::Map(m) => (*m.entries.snapshot()).clone(),
                _ => BTreeMap::new(),
            };
            contents.insert(key("Template"), template_field(j.name, j.base_path));
            Value::map(contents)
        })
        .collect();
    let roots: Vec<&Value> = data.iter().collect();
    let Some(guard) = Guard::new(&roots, GUARD_LIMIT) else { return Ok(None) };
    let shared = Arc::new(Shared {
        set: set.clone(),
        names: jobs.iter().map(|j| j.name.to_string()).collect(),
        data,
        guard,
        heads: heads.clone(),
        state: Mutex::new(State {
            end: jobs.len(),
            results: (0..jobs.len()).map(|_| None).collect(),
            ..State::default()
        }),
        idle: Condvar::new(),
        spins: worker.spins(),
    });
    let theirs = shared.clone();
    // The helper may be late to start; what it has not claimed by the time
    // this thread is done, it finds gone.
    worker.run(move || theirs.work());
    shared.work();
    let mut state = shared.wait_idle();
    let end = state.end;
    let mut outputs = Vec::with_capacity(end);
    for result in state.results.drain(..end) {
        match result {
            Some(Ok(out)) => outputs.push(out),
            Some(Err(e)) => return Err(e),
            // Every template before the end has run; should one not have,
            // it is run alone.
            None => break,
        }
    }
    Ok(Some(outputs))
}

struct Shared {
    set: Arc<TemplateSet>,
    names: Vec<String>,
    data: Vec<Value>,
    guard: Guard,
    heads: Option<HeadsHere>,
    state: Mutex<State>,
    /// Signalled when the last template being run is done.
    idle: Condvar,
    /// See [`Worker::spins`].
    spins: bool,
}

#[derive(Default)]
struct State {
    next: usize,
    running: usize,
    /// No template from here on is run: the first one that failed, plus
    /// one, or the first whose write was refused.
    end: usize,
    results: Vec<Option<Result<String, Error>>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs the next unclaimed templates until none is left before the end.
    fn work(&self) {
        loop {
            let i = {
                let mut state = self.lock();
                if state.next >= state.end {
                    return;
                }
                state.next += 1;
                state.running += 1;
                state.next - 1
            };
            let (result, refused) = self.guard.run(|| {
                let mut out = String::new();
                self.set.execute(&self.names[i], &self.data[i], &mut out).map(|()| out)
            });
            let result = result.map(helm::drop_no_value);
            if let (Ok(out), Some(h), false) = (&result, &self.heads, refused) {
                h.decode(out);
            }
            let mut state = self.lock();
            state.running -= 1;
            if refused {
                state.end = state.end.min(i);
            } else {
                if result.is_err() {
                    state.end = state.end.min(i + 1);
                }
                state.results[i] = Some(result);
            }
            if state.running == 0 {
                self.idle.notify_all();
            }
        }
    }

    /// Waits until no template is being run: none is left to claim.
    fn wait_idle(&self) -> MutexGuard<'_, State> {
        if self.spins {
            spin_until(|| self.lock().running == 0);
        }
        let mut state = self.lock();
        while state.running > 0 {
            state = self.idle.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state
    }
}

/// Each chart's map with the `Template` it holds once its last template
/// has run; `None` when a template could see a subchart's `Template`
/// before that (see the module comment). Charts are told apart by the
/// path their templates are under, `<chart path>/templates`.
fn final_templates<'a>(jobs: &[Job<'a>]) -> Option<Vec<(&'a Value, Value)>> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        last.insert(j.base_path, i);
    }
    for (i, j) in jobs.iter().enumerate() {
        let chart = chart_path(j.base_path);
        let runs_late = last.iter().any(|(base, &l)| {
            l > i && chart_path(base).strip_prefix(chart).is_some_and(|rest| rest.starts_with("/charts/"))
        });
        if runs_late {
            return None;
        }
    }
    Some(last.values().map(|&l| (jobs[l].chart_data, template_field(jobs[l].name, jobs[l].base_path))).collect())
}

fn chart_path(base_path: &str) -> &str {
    base_path.strip_suffix("/templates").unwrap_or(base_path)
}

#[cfg(test)]
mod tests {
    use super::{final_templates, Job};
    use rhelm_template::Value;

    fn job<'a>(name: &'a str, data: &'a Value) -> Job<'a> {
        let base_path = &name[..name.rfind("/templates/").expect("a template path") + "/templates".len()];
        Job { name, chart_data: data, base_path }
    }

    #[test]
    fn a_parent_template_before_its_subcharts_last_declines() {
        let (parent, sub) = (Value::empty_map(), Value::empty_map());
        // Helm's order: deepest first, so the subchart's come first.
        let fine = [
            job("p/charts/s/templates/b.yaml", &sub),
            job("p/charts/s/templates/a.yaml", &sub),
            job("p/templates/x.yaml", &parent),
        ];
        let finals = final_templates(&fine).expect("subchart done first");
        assert_eq!(finals.len(), 2);
        let late = [job("p/templates/d/e/x.yaml", &parent), job("p/charts/s/templates/a.yaml", &sub)];
        assert!(final_templates(&late).is_none());
        // A sibling chart's templates do not count, nor a name that only starts the same.
        let other = Value::empty_map();
        let siblings = [job("p/templates/d/e/x.yaml", &parent), job("p2/charts/s/templates/a.yaml", &other)];
        assert!(final_templates(&siblings).is_some());
    }
}
