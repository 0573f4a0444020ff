//! Running templates at the same time on several threads with the outcome
//! of running them one after another.
//!
//! Templates that run one after another see each other's writes to the maps
//! they share: Sprig's `set`, `unset` and the merges change a map in place
//! (Go maps are references), and Helm gives all the templates of a chart one
//! top-level map and its values. Run at the same time, some templates would
//! see such a write and others not, by timing. A [`Guard`] marks every map
//! that is shared before the templates start; on a thread running under it,
//! a write to a marked map is refused, the map left as it was, and the
//! refusal reported. The caller then runs that template again alone, its
//! writes allowed: nothing shared was changed, so it starts from the state
//! a run one after another would have given it.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::Value;

/// A write to a shared map refused under a [`Guard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map shared with templates running at the same time cannot be changed")
    }
}

impl std::error::Error for Refused {}

/// Guard marks are unique per guard, so a mark left behind by an earlier
/// guard never refuses a write under a later one.
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

thread_local! {
    /// The guard this thread runs under, 0 for none.
    static ACTIVE: Cell<u32> = const { Cell::new(0) };
    /// Whether a write was refused since the guard was entered.
    static REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// The maps shared by templates that run at the same time.
#[derive(Debug)]
pub struct Guard {
    id: u32,
}

impl Guard {
    /// Marks every map reachable from `roots`. `None` when more than
    /// `limit` values would have to be visited (lists and aliases can make
    /// a small document a large tree): the caller should not run in parallel.
    pub fn new(roots: &[&Value], limit: usize) -> Option<Guard> {
        let id = loop {
            let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            if id != 0 {
                break id;
            }
        };
        let mut budget = limit;
        let mut stack: Vec<Value> = roots.iter().map(|v| (*v).clone()).collect();
        while let Some(v) = stack.pop() {
            budget = budget.checked_sub(1)?;
            match &v {
                // A map first seen under this guard; its contents are visited once.
                Value::Map(m) if m.entries.guard_mark().swap(id, Ordering::Relaxed) != id => {
                    stack.extend(m.entries.snapshot().values().filter(|x| x.is_container()).cloned());
                }
                Value::List(l) => stack.extend(l.items.iter().filter(|x| x.is_container()).cloned()),
                _ => {}
            }
        }
        Some(Guard { id })
    }

    /// Runs `f` on this thread under the guard. The flag is whether a
    /// write to a shared map was refused meanwhile; `f`'s outcome is then
    /// not that of a run one after another and must be thrown away.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> (R, bool) {
        /// Restores the thread's state however `f` ends.
        struct Leave(u32, bool);
        impl Drop for Leave {
            fn drop(&mut self) {
                ACTIVE.set(self.0);
                REFUSED.set(self.1);
            }
        }
        let _leave = Leave(ACTIVE.replace(self.id), REFUSED.replace(false));
        let out = f();
        (out, REFUSED.get())
    }
}

/// Whether this thread runs under the guard that marked a map `mark`.
pub(crate) fn is_guarded(mark: u32) -> bool {
    mark != 0 && ACTIVE.get() == mark
}

/// Refuses a write to a map marked `mark` when this thread runs under
/// that guard.
pub(crate) fn check_write(mark: u32) -> Result<(), Refused> {
    if is_guarded(mark) {
        REFUSED.set(true);
        return Err(Refused);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Guard;
    use crate::{FuncMap, TemplateSet, Value};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect::<BTreeMap<_, _>>())
    }

    fn entries(v: &Value) -> &crate::value::Entries {
        match v {
            Value::Map(m) => &m.entries,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn refuses_writes_to_shared_maps_only_under_the_guard() {
        let inner = map(&[("a", Value::Int(1))]);
        let in_list = map(&[]);
        let top = map(&[("inner", inner.clone()), ("list", Value::list(vec![Value::Int(0), in_list.clone()]))]);
        let guard = Guard::new(&[&top], 100).unwrap();
        let fresh = map(&[]);
        let ((), refused) = guard.run(|| {
            assert!(entries(&fresh).try_update(|m| m.insert(Arc::from("x"), Value::Int(1))).is_ok());
        });
        assert!(!refused);
        for shared in [&top, &inner, &in_list] {
            let ((), refused) = guard.run(|| {
                assert!(entries(shared).try_update(|m| m.insert(Arc::from("x"), Value::Int(1))).is_err());
            });
            assert!(refused);
            assert!(entries(shared).get("x").is_none(), "a refused write leaves the map as it was");
        }
        // Outside the guard, and under a later guard that does not share the map, writes go through.
        assert!(entries(&inner).try_update(|m| m.insert(Arc::from("x"), Value::Int(2))).is_ok());
        let later = Guard::new(&[&fresh], 100).unwrap();
        let ((), refused) = later.run(|| entries(&inner).try_update(|m| m.remove("x")).map(|_| ()).unwrap());
        assert!(!refused);
    }

    #[test]
    fn storing_the_value_a_key_holds_is_no_write() {
        let inner = map(&[]);
        let top = map(&[("s", Value::str("pw")), ("n", Value::Float(1.0)), ("m", inner.clone())]);
        let guard = Guard::new(&[&top], 100).unwrap();
        let same = [("s", Value::str("pw")), ("n", Value::Float(1.0)), ("m", inner.clone())];
        let ((), refused) = guard.run(|| {
            for (k, v) in same {
                assert!(entries(&top).try_insert(Arc::from(k), v).is_ok(), "{k}");
            }
        });
        assert!(!refused);
        let changed = [("s", Value::str("other")), ("n", Value::Int(1)), ("m", map(&[])), ("new", Value::Nil)];
        for (k, v) in changed {
            let ((), refused) = guard.run(|| assert!(entries(&top).try_insert(Arc::from(k), v).is_err(), "{k}"));
            assert!(refused, "{k}");
        }
        assert_eq!(entries(&top).len(), 3);
    }

    #[test]
    fn cycles_and_shared_subtrees_are_visited_once() {
        let leaf = map(&[("v", Value::Int(1))]);
        let items: Vec<Value> = (0..50).map(|_| leaf.clone()).collect();
        let top = map(&[("l", Value::list(items))]);
        // Each list item is visited; the shared map's contents only once.
        assert!(Guard::new(&[&top], 60).is_some());
        let looped = map(&[]);
        entries(&looped).update(|m| m.insert(Arc::from("me"), looped.clone()));
        assert!(Guard::new(&[&looped], 10).is_some());
    }

    #[test]
    fn gives_up_past_the_limit() {
        let items: Vec<Value> = (0..100).map(|i| map(&[("i", Value::Int(i))])).collect();
        let top = map(&[("l", Value::list(items))]);
        assert!(Guard::new(&[&top], 50).is_none());
        assert!(Guard::new(&[&top], 200).is_some());
    }

    #[test]
    fn sprig_set_under_the_guard_is_refused() {
        let mut funcs = FuncMap::new();
        funcs.insert(
            "put",
            crate::Function::new(&[crate::Type::Any], None, |args| {
                let Value::Map(m) = &args[0] else { return Ok(Value::Nil) };
                m.entries
                    .try_update(|c| c.insert(Arc::from("k"), Value::Int(1)))
                    .map_err(|e| crate::Error::msg(e.to_string()))?;
                Ok(Value::str(""))
            }),
        );
        let mut set = TemplateSet::new("t", funcs);
        set.parse_all(&[("t", "{{ put . }}")]).unwrap();
        let data = map(&[]);
        let guard = Guard::new(&[&data], 10).unwrap();
        let (out, refused) = guard.run(|| set.render("t", &data));
        assert!(refused);
        assert!(out.is_err());
        assert!(entries(&data).is_empty());
    }
}
