//! The value model: what Helm's Go code holds behind `interface{}`.
//!
//! Go distinguishes `int` (template literals, `len`) from `int64` (`--set`,
//! Sprig arithmetic) and `float64` (every number read from YAML or JSON), and
//! that distinction is visible in output (`%T`, `typeOf`) and in errors
//! (`eq 1 1.0` fails). Containers are reference-counted so values are shared
//! between templates and calls; a function that changes one copies on write.

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// The element type of a Go slice or map; `Any` is `interface{}`.
///
/// It decides the Go type name (`[]string` vs `[]interface {}`), whether an
/// element read out of the container is an interface value (which changes
/// field-access errors), and the zero value of a missing map key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elem {
    Any,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    /// `[]interface{}`, for Sprig's `chunk` (a `[][]interface{}`).
    List,
}

impl Elem {
    pub fn go_name(self) -> &'static str {
        match self {
            Elem::Any => "interface {}",
            Elem::String => "string",
            Elem::Int => "int",
            Elem::Int64 => "int64",
            Elem::Float64 => "float64",
            Elem::Bool => "bool",
            Elem::List => "[]interface {}",
        }
    }

    /// The zero value of the element type, as `reflect.Zero` gives it.
    pub fn zero(self) -> Value {
        match self {
            Elem::Any => Value::Nil,
            Elem::String => Value::Str(Arc::from("")),
            Elem::Int => Value::Int(0),
            Elem::Int64 => Value::Int64(0),
            Elem::Float64 => Value::Float(0.0),
            Elem::Bool => Value::Bool(false),
            Elem::List => Value::list(Vec::new()),
        }
    }
}

/// A Go slice: shared items plus the element type.
#[derive(Clone)]
pub struct List {
    pub items: Arc<Vec<Value>>,
    pub elem: Elem,
}

/// A Go map with string keys. Keys are kept sorted in byte order, which is
/// the order Go's fmt and `range` use.
///
/// Go maps are references: Sprig's `set`, `unset` and `merge` change a map in
/// place, and every variable, slice or map holding it sees the change
/// (`$_ := set $d "k" 1` then `$d.k`). So `entries` is a shared cell
/// ([`Entries`]): cloning a `Map` copies the reference, as assigning a map
/// does in Go. Reading it is unchanged (`m.entries.get(k)`, `.iter()`, ...).
#[derive(Clone)]
pub struct Map {
    pub entries: Entries,
    pub elem: Elem,
}

impl Map {
    pub fn new(elem: Elem, entries: BTreeMap<Arc<str>, Value>) -> Map {
        Map { entries: Entries::new(entries), elem }
    }
}

/// Whether `a` and `b` are one value: equal scalars of one type, or the
/// same map, slice or object.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint8(x), Value::Uint8(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => {
            xr.to_bits() == yr.to_bits() && xi.to_bits() == yi.to_bits()
        }
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => Arc::ptr_eq(&x.items, &y.items) && x.elem == y.elem,
        (Value::Map(x), Value::Map(y)) => Entries::ptr_eq(&x.entries, &y.entries) && x.elem == y.elem,
        (Value::Object(x), Value::Object(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// The contents of a Go map.
pub type MapContents = BTreeMap<Arc<str>, Value>;

/// A reference to a Go map: a cell shared by every clone, which
/// [`Entries::update`] changes in place for all of them, and which reads like
/// the `BTreeMap` it holds (`Deref`).
///
/// How reads stay sound while other references write: the cell holds the
/// current contents as an `Arc<MapContents>` and a write goes through
/// `Arc::make_mut`, so contents anyone still holds are never changed; they
/// are copied first. A handle hands out `&MapContents` only from contents it
/// has *pinned*: it keeps a strong reference to every version it has lent,
/// until it is dropped (or `&mut` proves nothing borrows it). Most handles
/// pin one version; one whose map changes between two of its reads pins
/// both, so a long-lived handle read again after each change keeps those
/// versions alive until it goes. The executor reads through fresh clones,
/// which pin nothing stale.
///
/// A clone lends its new handle the version it holds when that is still
/// current, so reading a fresh clone takes no lock.
pub struct Entries {
    cell: Arc<Cell>,
    /// The versions this handle has lent references into, newest first, as a
    /// tagged word: 0 (none), an `Arc::into_raw` pointer with the low bit
    /// clear (one version), or a `Box<PinNode>` pointer with the low bit set.
    pins: AtomicUsize,
}

struct Cell {
    current: RwLock<Arc<MapContents>>,
    /// `Arc::as_ptr(current)`, readable without the lock. Equal pointers mean
    /// equal contents: contents are changed in place only while the cell holds
    /// the sole reference, i.e. while no handle pins them.
    current_ptr: AtomicPtr<MapContents>,
    /// Go's nil map (a `nil` argument for a map parameter): reads as empty,
    /// but Go panics on a write to it.
    nil: bool,
    /// The [`crate::guard::Guard`] this map is shared under, 0 for none.
    guard: AtomicU32,
}

struct PinNode {
    snap: Arc<MapContents>,
    /// The rest of the list, tagged as `Entries::pins`.
    next: usize,
}

impl Cell {
    fn new(contents: Arc<MapContents>, nil: bool) -> Cell {
        let current_ptr = AtomicPtr::new(Arc::as_ptr(&contents).cast_mut());
        Cell { current: RwLock::new(contents), current_ptr, nil, guard: AtomicU32::new(0) }
    }
}

/// The contents a pin word lends out first, if any.
fn newest_pin(word: usize) -> Option<*const MapContents> {
    if word == 0 {
        None
    } else if word & 1 == 0 {
        Some(word as *const MapContents)
    } else {
        // SAFETY: a tagged word points to a live PinNode owned by the handle.
        Some(Arc::as_ptr(unsafe { &(*((word & !1) as *const PinNode)).snap }))
    }
}

impl Entries {
    pub fn new(contents: MapContents) -> Entries {
        Entries::from(Arc::new(contents))
    }

    /// Go's nil `map[string]interface{}`.
    pub fn nil() -> Entries {
        Entries { cell: Arc::new(Cell::new(Arc::new(MapContents::new()), true)), pins: AtomicUsize::new(0) }
    }

    /// Whether this is Go's nil map, to which a write panics.
    pub fn is_nil(&self) -> bool {
        self.cell.nil
    }

    /// Whether two references name the same Go map.
    pub fn ptr_eq(a: &Entries, b: &Entries) -> bool {
        Arc::ptr_eq(&a.cell, &b.cell)
    }

    /// An identity for the map, shared by every reference to it (while one lives).
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.cell) as usize
    }

    /// The current contents, owned.
    pub fn snapshot(&self) -> Arc<MapContents> {
        self.cell.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Changes the map in place, as Go's `m[k] = v` does: every reference to
    /// it sees the change. `f` must not read this map through another
    /// reference (that would wait for itself).
    pub fn update<R>(&self, f: impl FnOnce(&mut MapContents) -> R) -> R {
        let mut current = self.cell.current.write().unwrap_or_else(PoisonError::into_inner);
        let result = f(Arc::make_mut(&mut current));
        self.cell.current_ptr.store(Arc::as_ptr(&current).cast_mut(), Ordering::Release);
        result
    }

    /// [`Entries::update`] for a write a template asks for (Sprig's `set`,
    /// `unset`, the merges): refused, leaving the map as it is, while this
    /// thread runs under a [`crate::guard::Guard`] that shares the map with
    /// templates running at the same time.
    pub fn try_update<R>(&self, f: impl FnOnce(&mut MapContents) -> R) -> Result<R, crate::guard::Refused> {
        crate::guard::check_write(self.cell.guard.load(Ordering::Relaxed))?;
        Ok(self.update(f))
    }

    /// Go's `m[key] = value` for a write a template asks for, refused as
    /// [`Entries::try_update`] refuses, except where the key already holds
    /// this very value: storing it again changes nothing anyone can see
    /// (Bitnami's charts keep a generated password in the values this way,
    /// from every template that needs it).
    pub fn try_insert(&self, key: Arc<str>, value: Value) -> Result<(), crate::guard::Refused> {
        if crate::guard::is_guarded(self.cell.guard.load(Ordering::Relaxed))
            && self.get(&*key).is_some_and(|old| same(old, &value))
        {
            return Ok(());
        }
        self.try_update(|c| c.insert(key, value)).map(drop)
    }

    /// The guard mark of the map (see [`crate::guard`]).
    pub(crate) fn guard_mark(&self) -> &AtomicU32 {
        &self.cell.guard
    }

    /// Mutable contents for code building a value it owns, with
    /// `Arc::make_mut`'s copy-on-write: if other references share the map,
    /// this one is first detached onto a copy, so they do not see the change.
    /// Use [`Entries::update`] for Go's in-place semantics.
    pub fn make_mut(&mut self) -> &mut MapContents {
        self.unpin();
        if Arc::get_mut(&mut self.cell).is_none() {
            self.cell = Arc::new(Cell::new(self.snapshot(), false));
        }
        let cell = Arc::get_mut(&mut self.cell).expect("a fresh or unshared cell");
        cell.nil = false;
        let current = cell.current.get_mut().unwrap_or_else(PoisonError::into_inner);
        Arc::make_mut(current);
        *cell.current_ptr.get_mut() = Arc::as_ptr(current).cast_mut();
        Arc::get_mut(current).expect("made unique above")
    }

    /// Drops every pinned version; `&mut self` proves none is borrowed.
    fn unpin(&mut self) {
        let mut word = std::mem::take(self.pins.get_mut());
        while word != 0 {
            if word & 1 == 1 {
                // SAFETY: tagged words come from Box::into_raw in `pin_current`,
                // and each is reachable from exactly one place.
                let node = unsafe { Box::from_raw((word & !1) as *mut PinNode) };
                word = node.next;
            } else {
                // SAFETY: untagged words come from Arc::into_raw (or a strong
                // count taken on one), owned by this list.
                drop(unsafe { Arc::from_raw(word as *const MapContents) });
                word = 0;
            }
        }
    }

    /// Pins the current contents and lends them out (the slow path of `deref`).
    fn pin_current(&self) -> &MapContents {
        let snap = self.snapshot();
        let ptr = Arc::as_ptr(&snap);
        let raw = Arc::into_raw(snap) as usize;
        let mut head = self.pins.load(Ordering::Acquire);
        if head == 0 {
            match self.pins.compare_exchange(0, raw, Ordering::AcqRel, Ordering::Acquire) {
                // SAFETY: the list now owns a strong reference to `ptr`'s contents.
                Ok(_) => return unsafe { &*ptr },
                Err(now) => head = now,
            }
        }
        // SAFETY: `raw` came from Arc::into_raw just above and was not published.
        let snap = unsafe { Arc::from_raw(raw as *const MapContents) };
        let node = Box::into_raw(Box::new(PinNode { snap, next: head }));
        loop {
            match self.pins.compare_exchange(head, node as usize | 1, Ordering::AcqRel, Ordering::Acquire) {
                // SAFETY: the node, now in the list, keeps the contents alive
                // until the handle is dropped or mutably borrowed.
                Ok(_) => return unsafe { &*ptr },
                Err(now) => {
                    head = now;
                    // SAFETY: the node is not published yet; we own it.
                    unsafe { (*node).next = now };
                }
            }
        }
    }
}

impl std::ops::Deref for Entries {
    type Target = MapContents;

    fn deref(&self) -> &MapContents {
        let current = self.cell.current_ptr.load(Ordering::Acquire).cast_const();
        match newest_pin(self.pins.load(Ordering::Acquire)) {
            // SAFETY: pinned contents live as long as this handle's pins and
            // are never changed (see `Cell::current_ptr`).
            Some(p) if p == current => unsafe { &*p },
            _ => self.pin_current(),
        }
    }
}

impl AsRef<MapContents> for Entries {
    fn as_ref(&self) -> &MapContents {
        self
    }
}

impl Clone for Entries {
    fn clone(&self) -> Self {
        let current = self.cell.current_ptr.load(Ordering::Acquire).cast_const();
        let seed = match newest_pin(self.pins.load(Ordering::Acquire)) {
            Some(p) if p == current => {
                // SAFETY: `p` is kept alive by this handle's pins; the new
                // handle owns the strong reference taken here.
                unsafe { Arc::increment_strong_count(p) };
                p as usize
            }
            _ => 0,
        };
        Entries { cell: self.cell.clone(), pins: AtomicUsize::new(seed) }
    }
}

impl Drop for Entries {
    fn drop(&mut self) {
        self.unpin();
    }
}

impl Default for Entries {
    fn default() -> Self {
        Entries::new(MapContents::new())
    }
}

impl From<MapContents> for Entries {
    fn from(contents: MapContents) -> Self {
        Entries::new(contents)
    }
}

impl From<Arc<MapContents>> for Entries {
    fn from(contents: Arc<MapContents>) -> Self {
        Entries { cell: Arc::new(Cell::new(contents, false)), pins: AtomicUsize::new(0) }
    }
}

impl fmt::Debug for Entries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The reflect kind of a host object, for truthiness and `len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Struct,
    Pointer,
    Slice,
    Map,
    String,
    Int,
    Other,
}

/// A host value with Go methods and fields: `.Files`, `.Capabilities`,
/// `time.Time`, `semver.Version` and the like. The template crate knows
/// nothing of them beyond this interface.
#[allow(clippy::len_without_is_empty)] // mirrors Go's len, which has no is_empty
pub trait Object: Send + Sync + fmt::Debug {
    /// Go's `%T` name, e.g. `chart.Files` or `*common.Capabilities`.
    fn type_name(&self) -> Cow<'_, str>;
    fn kind(&self) -> ObjectKind {
        ObjectKind::Struct
    }
    /// An exported field (or a map entry for map-like objects).
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Whether `name` is a method; methods are called with evaluated arguments.
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// The Go parameter types of a method, when it has fixed ones: the
    /// executor then checks the arguments as Go does (`wrong number of args
    /// for Get: want 1 got 0`, `wrong type for value; ...`) before the call.
    fn method_params(&self, _name: &str) -> Option<&'static [crate::func::Type]> {
        None
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("can't call method {name}"))
    }
    /// Text for `%v` and for printing in templates.
    fn format(&self, out: &mut String);
    /// Text when a template action prints the object itself. text/template
    /// prints an addressable value (a struct field reached through a
    /// pointer, as `.Capabilities.KubeVersion`) with its pointer's `String`
    /// method, which `%v` on a copy passed to a function does not see.
    fn format_printed(&self, out: &mut String) {
        self.format(out)
    }
    /// Length for `len` where the object has one.
    fn len(&self) -> Option<usize> {
        None
    }
    /// Truth for `if`; structs are always true.
    fn truthy(&self) -> bool {
        true
    }
    /// The elements of an object of slice kind (`reflect.Value.Index`), for
    /// functions that take any slice (Sprig's `first`, `has`, ...).
    fn elements(&self) -> Option<Vec<Value>> {
        None
    }
    /// The entries of an object of map kind, in key order, for `range` and
    /// `index` (Helm's `.Files` is a `map[string][]byte` with methods).
    /// Lookups by key go through [`Object::field`].
    fn map_entries(&self) -> Option<Vec<(Arc<str>, Value)>> {
        None
    }
    /// What mitchellh/copystructure makes of the object (Sprig's `deepCopy`).
    /// `None` keeps the object itself: right for immutable values whose
    /// fields are exported or specially copied (time.Time); a struct with
    /// unexported fields copies as its zero value (`*semver.Version` prints
    /// `0.0.0`).
    fn deep_copy(&self) -> Option<Value> {
        None
    }
    fn as_any(&self) -> &dyn Any;
}

#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped nil / an invalid reflect.Value.
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    /// Go `uint8` (a byte from indexing a string).
    Uint8(u8),
    /// Go `float64`.
    Float(f64),
    /// Go `complex128` (only from literals such as `1i`).
    Complex(f64, f64),
    Str(Arc<str>),
    /// Go `[]byte`.
    Bytes(Arc<[u8]>),
    List(List),
    Map(Map),
    Object(Arc<dyn Object>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Int64(i) => write!(f, "Int64({i})"),
            Value::Uint8(i) => write!(f, "Uint8({i})"),
            Value::Float(x) => write!(f, "Float({x})"),
            Value::Complex(r, i) => write!(f, "Complex({r}, {i})"),
            Value::Str(s) => write!(f, "Str({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:?})"),
            Value::List(l) => f.debug_list().entries(l.items.iter()).finish(),
            Value::Map(m) => f.debug_map().entries(m.entries.iter()).finish(),
            Value::Object(o) => write!(f, "Object({o:?})"),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn string(s: String) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A `[]interface{}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List { items: Arc::new(items), elem: Elem::Any })
    }

    /// A typed slice such as `[]string`.
    pub fn typed_list(elem: Elem, items: Vec<Value>) -> Value {
        Value::List(List { items: Arc::new(items), elem })
    }

    /// A `map[string]interface{}`.
    pub fn map(entries: BTreeMap<Arc<str>, Value>) -> Value {
        Value::Map(Map::new(Elem::Any, entries))
    }

    /// A typed map such as `map[string]string`.
    pub fn typed_map(elem: Elem, entries: BTreeMap<Arc<str>, Value>) -> Value {
        Value::Map(Map::new(elem, entries))
    }

    /// Go's nil `map[string]interface{}` (what `nil` is for a map parameter).
    pub fn nil_map() -> Value {
        Value::Map(Map { entries: Entries::nil(), elem: Elem::Any })
    }

    pub fn empty_map() -> Value {
        Value::map(BTreeMap::new())
    }

    /// Whether this is a map or a slice: a value that can hold others.
    pub fn is_container(&self) -> bool {
        matches!(self, Value::Map(_) | Value::List(_))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `%T` name.
    pub fn type_name(&self) -> Cow<'_, str> {
        match self {
            Value::Nil => Cow::Borrowed("<nil>"),
            Value::Bool(_) => Cow::Borrowed("bool"),
            Value::Int(_) => Cow::Borrowed("int"),
            Value::Int64(_) => Cow::Borrowed("int64"),
            Value::Uint8(_) => Cow::Borrowed("uint8"),
            Value::Float(_) => Cow::Borrowed("float64"),
            Value::Complex(..) => Cow::Borrowed("complex128"),
            Value::Str(_) => Cow::Borrowed("string"),
            Value::Bytes(_) => Cow::Borrowed("[]uint8"),
            Value::List(l) => match l.elem {
                Elem::Any => Cow::Borrowed("[]interface {}"),
                e => Cow::Owned(format!("[]{}", e.go_name())),
            },
            Value::Map(m) => match m.elem {
                Elem::Any => Cow::Borrowed("map[string]interface {}"),
                e => Cow::Owned(format!("map[string]{}", e.go_name())),
            },
            Value::Object(o) => o.type_name(),
        }
    }

    /// Go's reflect kind name, as Sprig's `kindOf` reports it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint8(_) => "uint8",
            Value::Float(_) => "float64",
            Value::Complex(..) => "complex128",
            Value::Str(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => match o.kind() {
                ObjectKind::Struct => "struct",
                ObjectKind::Pointer => "ptr",
                ObjectKind::Slice => "slice",
                ObjectKind::Map => "map",
                ObjectKind::String => "string",
                ObjectKind::Int => "int64",
                ObjectKind::Other => "struct",
            },
        }
    }

    /// Go template truth: not the zero value of its type (text/template `isTrue`).
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint8(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.entries.is_empty(),
            Value::Object(o) => o.truthy(),
        }
    }

    /// Length as Go's `len` sees it (strings in bytes).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> Option<usize> {
        match self {
            Value::Str(s) => Some(s.len()),
            Value::Bytes(b) => Some(b.len()),
            Value::List(l) => Some(l.items.len()),
            Value::Map(m) => Some(m.entries.len()),
            Value::Object(o) => o.len(),
            _ => None,
        }
    }

    /// Whether a value read out of this container is an `interface{}` value
    /// (before a pipeline unwraps it).
    pub fn elems_are_interfaces(&self) -> bool {
        match self {
            Value::List(l) => l.elem == Elem::Any,
            Value::Map(m) => m.elem == Elem::Any,
            _ => false,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::string(s)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(k: &str, v: Value) -> MapContents {
        let mut m = MapContents::new();
        m.insert(Arc::from(k), v);
        m
    }

    #[test]
    fn updates_are_seen_through_every_reference() {
        let a = Entries::new(one("x", Value::Int(1)));
        let b = a.clone();
        let held = &*a; // a borrow taken before the write keeps its version
        b.update(|m| m.insert(Arc::from("y"), Value::Int(2)));
        assert_eq!(held.len(), 1);
        assert_eq!(a.len(), 2);
        assert_eq!(b.len(), 2);
        assert!(Entries::ptr_eq(&a, &b));
    }

    #[test]
    fn unshared_writes_happen_in_place() {
        let a = Entries::new(one("x", Value::Int(1)));
        let before = Arc::as_ptr(&a.snapshot());
        let _ = a.len();
        a.update(|m| m.insert(Arc::from("y"), Value::Int(2)));
        // `a` pinned the first version, so that write copied; the next one need not.
        a.update(|m| m.insert(Arc::from("z"), Value::Int(3)));
        let after = Arc::as_ptr(&a.snapshot());
        assert_ne!(before, after);
        assert_eq!(a.keys().map(|k| &**k).collect::<Vec<_>>(), ["x", "y", "z"]);
    }

    #[test]
    fn make_mut_detaches_shared_maps() {
        let mut a = Entries::new(one("x", Value::Int(1)));
        let b = a.clone();
        a.make_mut().insert(Arc::from("y"), Value::Int(2));
        assert_eq!((a.len(), b.len()), (2, 1));
        assert!(!Entries::ptr_eq(&a, &b));
    }

    #[test]
    fn nested_maps_are_shared() {
        let inner = Value::map(one("x", Value::Int(1)));
        let outer = Value::map(one("in", inner.clone()));
        let Value::Map(im) = &inner else { unreachable!() };
        im.entries.update(|m| m.insert(Arc::from("y"), Value::Int(2)));
        let Value::Map(om) = &outer else { unreachable!() };
        let Some(Value::Map(seen)) = om.entries.get("in") else { panic!("no inner map") };
        assert_eq!(seen.entries.len(), 2);
    }

    #[test]
    fn concurrent_reads_and_writes() {
        let a = Entries::new(MapContents::new());
        std::thread::scope(|s| {
            for t in 0..4 {
                let a = &a;
                s.spawn(move || {
                    for i in 0..200 {
                        a.update(|m| m.insert(Arc::from(format!("{t}-{i}")), Value::Int(i)));
                        let c = a.clone();
                        assert!(c.len() > i as usize);
                        assert!(a.len() > i as usize);
                    }
                });
            }
        });
        assert_eq!(a.len(), 800);
    }

    #[test]
    fn values_stay_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Value>();
        shareable::<Entries>();
    }

    #[test]
    fn nil_maps() {
        assert!(Entries::nil().is_nil());
        assert!(!Entries::default().is_nil());
        assert!(matches!(Value::nil_map(), Value::Map(m) if m.entries.is_empty()));
    }
}
