//! Deeply nested values. Coalescing, import-values and schema validation
//! recurse once per nesting level; Go's stacks grow and Helm accepts values
//! nested up to 10000 levels, so deep inputs are handled on a thread with a
//! large stack.

use rhelm_template::Value;

use crate::chart::{Chart, Values};

const INLINE_DEPTH: usize = 64;
const BIG_STACK: usize = 512 << 20;

/// Runs `f` inline when `depth` (see [`depth`]) is small, else on a thread
/// with a large stack.
pub(crate) fn with_stack_for<T: Send>(depth: usize, f: impl FnOnce() -> T + Send) -> T {
    if depth <= INLINE_DEPTH {
        return f();
    }
    let job = std::sync::Mutex::new(Some(f));
    let take = || job.lock().ok().and_then(|mut slot| slot.take()).expect("the job runs once");
    std::thread::scope(|scope| {
        match std::thread::Builder::new().stack_size(BIG_STACK).spawn_scoped(scope, || take()()) {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: try on this stack.
            Err(_) => take()(),
        }
    })
}

/// The deepest nesting among the user's values and every chart's in the
/// tree (charts nest too: a subchart's values sit under its name).
pub(crate) fn depth(chart: &Chart, user: &Values) -> usize {
    let mut max = map_depth(user);
    let mut charts = vec![(chart, 0usize)];
    while let Some((c, level)) = charts.pop() {
        max = max.max(level + map_depth(&c.values));
        charts.extend(c.dependencies.iter().map(|d| (d, level + 1)));
    }
    max
}

fn map_depth(m: &Values) -> usize {
    let mut max = 0;
    let mut stack: Vec<(&Value, usize)> = m.values().map(|v| (v, 1)).collect();
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::Map(m) => stack.extend(m.entries.values().map(|v| (v, d + 1))),
            Value::List(l) => stack.extend(l.items.iter().map(|v| (v, d + 1))),
            _ => {}
        }
    }
    max
}
