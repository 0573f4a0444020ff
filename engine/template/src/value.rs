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
use std::sync::Arc;

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
#[derive(Clone)]
pub struct Map {
    pub entries: Arc<BTreeMap<Arc<str>, Value>>,
    pub elem: Elem,
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
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("can't call method {name}"))
    }
    /// Text for `%v` and for printing in templates.
    fn format(&self, out: &mut String);
    /// Length for `len` where the object has one.
    fn len(&self) -> Option<usize> {
        None
    }
    /// Truth for `if`; structs are always true.
    fn truthy(&self) -> bool {
        true
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
        Value::Map(Map { entries: Arc::new(entries), elem: Elem::Any })
    }

    pub fn empty_map() -> Value {
        Value::map(BTreeMap::new())
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
