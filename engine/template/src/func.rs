//! The function registry. Each function declares its Go parameter types so
//! that argument checking and its error texts match Go's reflection-based
//! calls (`wrong type for value; expected string; got int64`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::error::Error;
use crate::exec::CallContext;
use crate::value::{Elem, Value};

/// A Go parameter type as far as template calls can tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// `interface{}`: anything; nil arrives as `Value::Nil`.
    Any,
    /// `reflect.Value` (the builtins): anything, nil included.
    Reflect,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    Uint8,
    /// `[]interface{}`
    List,
    /// `[]string`
    StringList,
    /// `map[string]interface{}`
    Map,
    /// `[]byte`
    Bytes,
}

impl Type {
    pub fn go_name(self) -> &'static str {
        match self {
            Type::Any => "interface {}",
            Type::Reflect => "reflect.Value",
            Type::String => "string",
            Type::Int => "int",
            Type::Int64 => "int64",
            Type::Float64 => "float64",
            Type::Bool => "bool",
            Type::Uint8 => "uint8",
            Type::List => "[]interface {}",
            Type::StringList => "[]string",
            Type::Map => "map[string]interface {}",
            Type::Bytes => "[]uint8",
        }
    }

    /// Go's `canBeNil`.
    pub(crate) fn can_be_nil(self) -> bool {
        matches!(self, Type::Any | Type::Reflect | Type::List | Type::StringList | Type::Map | Type::Bytes)
    }

    /// `reflect.Zero` of a nillable type.
    pub(crate) fn zero(self) -> Value {
        match self {
            Type::List => Value::list(Vec::new()),
            Type::StringList => Value::typed_list(Elem::String, Vec::new()),
            Type::Map => Value::empty_map(),
            Type::Bytes => Value::Bytes(Arc::from(&[][..])),
            _ => Value::Nil,
        }
    }

    /// Whether a value of this dynamic type is assignable to the parameter.
    pub(crate) fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (Type::Any | Type::Reflect, _) => true,
            (Type::String, Value::Str(_))
            | (Type::Int, Value::Int(_))
            | (Type::Int64, Value::Int64(_))
            | (Type::Float64, Value::Float(_))
            | (Type::Bool, Value::Bool(_))
            | (Type::Uint8, Value::Uint8(_))
            | (Type::Bytes, Value::Bytes(_)) => true,
            (Type::List, Value::List(l)) => l.elem == Elem::Any,
            (Type::StringList, Value::List(l)) => l.elem == Elem::String,
            (Type::Map, Value::Map(m)) => m.elem == Elem::Any,
            _ => false,
        }
    }
}

pub type FuncResult = Result<Value, Error>;

type Imp = dyn Fn(&mut CallContext<'_>, &[Value]) -> FuncResult + Send + Sync;

/// A template function: its signature and its implementation.
#[derive(Clone)]
pub struct Function {
    pub params: Vec<Type>,
    /// The element type of a trailing `...` parameter.
    pub variadic: Option<Type>,
    pub(crate) imp: Arc<Imp>,
    /// Builtins and/or/call are evaluated specially, as in Go.
    pub(crate) builtin: Option<Builtin>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Call,
    Len,
}

impl Function {
    /// A function that needs no access to the engine.
    pub fn new(
        params: &[Type],
        variadic: Option<Type>,
        f: impl Fn(&[Value]) -> FuncResult + Send + Sync + 'static,
    ) -> Function {
        Function { params: params.to_vec(), variadic, imp: Arc::new(move |_, args| f(args)), builtin: None }
    }

    /// A function that calls back into the engine (Helm's `include`, `tpl`).
    pub fn with_context(
        params: &[Type],
        variadic: Option<Type>,
        f: impl Fn(&mut CallContext<'_>, &[Value]) -> FuncResult + Send + Sync + 'static,
    ) -> Function {
        Function { params: params.to_vec(), variadic, imp: Arc::new(f), builtin: None }
    }
}

/// Functions by name. Later registrations replace earlier ones, as with
/// Go's `Funcs`.
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: NameMap<Function>,
}

/// A multiply-rotate hash of the name, eight bytes at a time (FxHash's
/// step, with the tail read in at most two loads). std's SipHash costs more
/// than the rest of an insert or lookup for these short keys, and the
/// function map is built (about 250 inserts) by every process and consulted
/// for every call in every template parsed. The keys are ours, so flooding
/// is not a concern.
#[derive(Clone, Copy, Default)]
pub(crate) struct NameHasher(u64);

/// A map keyed by template, function or field names, hashed with [`NameHasher`].
pub(crate) type NameMap<V> = HashMap<Arc<str>, V, BuildHasherDefault<NameHasher>>;

const NAME_HASH_K: u64 = 0xf135_7aea_2e62_a9c5;

impl NameHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(NAME_HASH_K);
    }
}

impl Hasher for NameHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        let r = chunks.remainder();
        let n = r.len();
        let tail = if n >= 4 {
            // Two overlapping four-byte loads cover five to seven bytes.
            let lo = u32::from_le_bytes(r[..4].try_into().expect("four bytes"));
            let hi = u32::from_le_bytes(r[n - 4..].try_into().expect("four bytes"));
            u64::from(lo) | (u64::from(hi) << 32)
        } else if n > 0 {
            u64::from(r[0]) | (u64::from(r[n / 2]) << 8) | (u64::from(r[n - 1]) << 16)
        } else {
            0
        };
        self.add(tail ^ ((n as u64) << 56));
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Folds the well-mixed high half into the bucket index bits.
        self.0 ^ (self.0 >> 32)
    }
}

impl FuncMap {
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// A map with room for `n` functions: every process builds one of
    /// about 250, and growing it would copy and re-hash it four times.
    pub fn with_capacity(n: usize) -> FuncMap {
        FuncMap { funcs: HashMap::with_capacity_and_hasher(n, Default::default()) }
    }

    pub fn insert(&mut self, name: &str, f: Function) {
        self.funcs.insert(Arc::from(name), f);
    }

    pub fn remove(&mut self, name: &str) {
        self.funcs.remove(name);
    }

    pub fn get(&self, name: &str) -> Option<&Function> {
        self.funcs.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.funcs.keys().map(|k| &**k)
    }

    pub fn extend(&mut self, other: FuncMap) {
        // Room for all of `other` at once: a set's map is the builtins
        // extended by the 250 Sprig and Helm functions, and the map's own
        // estimate would make it grow twice more.
        self.funcs.reserve(other.funcs.len());
        self.funcs.extend(other.funcs);
    }
}
