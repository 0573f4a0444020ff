//! Sprig's `semver` and `semverCompare` on a port of Masterminds/semver
//! v3.5.0. `Version` and `Constraints` are public for Helm's own uses
//! (dependency resolution, `kubeVersion` checks).

mod constraints;
mod version;

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use rhelm_template::{Error, FuncMap, Function, Object, ObjectKind, Type, Value};

pub use constraints::Constraints;
pub use version::{SemverError, Version};

/// A `*semver.Version` (what `semver` returns) or a `semver.Version` value
/// (what `IncPatch` and friends return). Go's method sets differ: a value
/// returned from a call is not addressable, so the pointer-receiver methods
/// (`Original`, `Compare`, `LessThan`, ...) are not found on it.
#[derive(Debug)]
pub struct VersionObject {
    version: Version,
    pointer: bool,
}

/// A `*semver.Version` value.
pub fn version_value(v: Version) -> Value {
    Value::Object(Arc::new(VersionObject { version: v, pointer: true }))
}

fn version_struct_value(v: Version) -> Value {
    Value::Object(Arc::new(VersionObject { version: v, pointer: false }))
}

/// The version a value holds (pointer or not).
pub fn as_version(v: &Value) -> Option<&Version> {
    version_object(v).map(|o| &o.version)
}

fn version_object(v: &Value) -> Option<&VersionObject> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<VersionObject>(),
        _ => None,
    }
}

/// What `encoding/json` writes for a version (`MarshalJSON`: its string).
pub fn marshal_json(v: &Value) -> Option<String> {
    as_version(v).map(|v| format!("\"{v}\""))
}

/// Go has uint64 here; the value model has no uint64, so numbers that fit
/// become int64 (they print and compare the same), larger ones a uint64 object.
fn uint_value(u: u64) -> Value {
    match i64::try_from(u) {
        Ok(i) => Value::Int64(i),
        Err(_) => Value::Object(Arc::new(Uint64(u))),
    }
}

#[derive(Debug)]
struct Uint64(u64);

impl Object for Uint64 {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("uint64")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Int
    }

    fn format(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Methods with a value receiver: callable on both forms.
const VALUE_METHODS: &[&str] = &[
    "IncMajor",
    "IncMinor",
    "IncPatch",
    "Major",
    "MarshalJSON",
    "MarshalText",
    "Metadata",
    "Minor",
    "Patch",
    "Prerelease",
    "SetMetadata",
    "SetPrerelease",
    "String",
    "Value",
];

/// Methods with a pointer receiver (the mutating ones are left out).
const POINTER_METHODS: &[&str] =
    &["Compare", "Equal", "GreaterThan", "GreaterThanEqual", "LessThan", "LessThanEqual", "Original"];

fn want(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!("wrong number of args for {name}: want {n} got {}", args.len()));
    }
    Ok(())
}

impl VersionObject {
    /// The `*Version` argument of a comparison; Go panics on a nil one
    /// (except in `Equal`).
    fn other<'a>(&self, v: &'a Value) -> Result<Option<&'a Version>, String> {
        match version_object(v) {
            Some(o) if o.pointer => Ok(Some(&o.version)),
            None if v.is_nil() => Ok(None),
            _ => {
                let got = if v.is_nil() { Cow::Borrowed("interface {}") } else { v.type_name() };
                Err(format!("wrong type for value; expected *semver.Version; got {got}"))
            }
        }
    }

    fn compare_method(&self, name: &str, arg: &Value) -> Result<Value, String> {
        let Some(o) = self.other(arg)? else {
            if name == "Equal" {
                return Ok(Value::Bool(false));
            }
            return Err("runtime error: invalid memory address or nil pointer dereference".into());
        };
        let ord = self.version.compare(o);
        Ok(match name {
            "Compare" => Value::Int(ord as i64),
            "Equal" => Value::Bool(ord.is_eq()),
            "LessThan" => Value::Bool(ord.is_lt()),
            "LessThanEqual" => Value::Bool(ord.is_le()),
            "GreaterThan" => Value::Bool(ord.is_gt()),
            _ => Value::Bool(ord.is_ge()),
        })
    }
}

impl Object for VersionObject {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed(if self.pointer { "*semver.Version" } else { "semver.Version" })
    }

    fn kind(&self) -> ObjectKind {
        if self.pointer {
            ObjectKind::Pointer
        } else {
            ObjectKind::Struct
        }
    }

    fn has_method(&self, name: &str) -> bool {
        VALUE_METHODS.contains(&name) || (self.pointer && POINTER_METHODS.contains(&name))
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let v = &self.version;
        let text_arg = |args: &[Value]| -> Result<String, String> {
            want(name, args, 1)?;
            args[0]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("wrong type for value; expected string; got {}", args[0].type_name()))
        };
        match name {
            "Compare" | "Equal" | "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" => {
                want(name, args, 1)?;
                return self.compare_method(name, &args[0]);
            }
            "SetPrerelease" => return v.set_prerelease(&text_arg(args)?).map(version_struct_value).map_err(|e| e.0),
            "SetMetadata" => return v.set_metadata(&text_arg(args)?).map(version_struct_value).map_err(|e| e.0),
            _ => {}
        }
        want(name, args, 0)?;
        Ok(match name {
            "Major" => uint_value(v.major()),
            "Minor" => uint_value(v.minor()),
            "Patch" => uint_value(v.patch()),
            "Prerelease" => Value::str(v.prerelease()),
            "Metadata" => Value::str(v.metadata()),
            "Original" => Value::str(v.original()),
            "String" | "Value" => Value::string(v.to_string()),
            "IncPatch" => version_struct_value(v.inc_patch().map_err(|e| e.0)?),
            "IncMinor" => version_struct_value(v.inc_minor().map_err(|e| e.0)?),
            "IncMajor" => version_struct_value(v.inc_major().map_err(|e| e.0)?),
            "MarshalJSON" => Value::Bytes(Arc::from(format!("\"{v}\"").into_bytes())),
            "MarshalText" => Value::Bytes(Arc::from(v.to_string().into_bytes())),
            _ => return Err(format!("can't evaluate field {name} in type {}", self.type_name())),
        })
    }

    /// Both forms print with `String()`.
    fn format(&self, out: &mut String) {
        out.push_str(&self.version.to_string());
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert(
        "semver",
        Function::new(&[Type::String], None, |a| {
            Version::parse(str_arg(&a[0])).map(version_value).map_err(|e| Error::msg(e.0))
        }),
    );
    m.insert(
        "semverCompare",
        Function::new(&[Type::String, Type::String], None, |a| {
            let constraints = Constraints::parse(str_arg(&a[0])).map_err(|e| Error::msg(e.0))?;
            let version = Version::parse(str_arg(&a[1])).map_err(|e| Error::msg(e.0))?;
            Ok(Value::Bool(constraints.check(&version)))
        }),
    );
}
