//! Go's text/template, in Rust, with Go's exact semantics.
//!
//! This crate knows nothing of Helm. It provides the template language
//! (lexer, parser, executor), the builtins, Go-compatible printing, and a
//! function registry that later layers (Sprig, Helm) fill.
//!
//! ```
//! use rhelm_template::{TemplateSet, FuncMap, Value};
//! let mut set = TemplateSet::new("root", FuncMap::new());
//! set.parse("t", "{{ range . }}[{{ . }}]{{ end }}").unwrap();
//! let data = Value::list(vec![Value::Int(1), Value::str("a")]);
//! assert_eq!(set.render("t", &data).unwrap(), "[1][a]");
//! ```

mod ahead;
pub mod ast;
mod builtins;
mod error;
pub mod escape;
mod exec;
pub mod fmt;
mod func;
pub mod guard;
mod lex;
mod number;
mod parse;
pub mod scan;
mod set;
pub mod stack;
pub mod value;
pub mod worker;

/// Go's strconv, as far as templates and their functions need it.
pub mod strconv {
    pub use crate::fmt::{format_float, quote};
    pub use crate::number::{parse_float, parse_int, parse_uint, unquote};
}

pub use ahead::ParseAhead;
pub use error::{Error, ErrorKind};
pub use exec::{CallContext, MAX_EXEC_DEPTH};
pub use func::{FuncMap, FuncResult, Function, Type};
pub use parse::Tree;
pub use set::{Limits, MissingKey, Overlay, TemplateSet, TemplateText};
pub use value::{Elem, List, Map, Object, ObjectKind, Value};
