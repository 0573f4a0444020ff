//! Errors worded exactly as Go's text/template words them.
//!
//! Users search for these strings, and Helm parses them (it splits on `": "`
//! to build its own messages), so the text is part of the interface. The
//! parts are kept too, so callers such as Helm's error formatter need not
//! re-parse the text.

use std::fmt;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `template: NAME:LINE: MSG`
    Parse,
    /// `template: FILE:LINE:COL: executing "NAME" at <NODE>: MSG`
    Exec,
    /// An error returned by a function; wrapped by the executor.
    Function,
    /// `template: no template "x" associated with template "y"`
    NoTemplate,
}

#[derive(Clone, Debug)]
pub struct Error {
    pub kind: ErrorKind,
    message: String,
    /// The template being executed (exec errors) or parsed (parse errors).
    pub template: Option<Arc<str>>,
    /// `file:line:col` (exec) or `file:line` (parse).
    pub location: Option<String>,
    /// The failing node as Go prints it, without the angle brackets.
    pub context: Option<String>,
    /// The message after the location and context.
    pub detail: String,
    /// The error this one wraps (Go's `%w`), e.g. a function's error.
    pub cause: Option<Arc<Error>>,
}

impl Error {
    /// A plain error, as a function returns it (`errors.New(msg)`).
    pub fn msg(msg: impl Into<String>) -> Error {
        let msg = msg.into();
        Error {
            kind: ErrorKind::Function,
            message: msg.clone(),
            template: None,
            location: None,
            context: None,
            detail: msg,
            cause: None,
        }
    }

    pub(crate) fn parse(name: &str, line: usize, detail: String) -> Error {
        Error {
            kind: ErrorKind::Parse,
            message: format!("template: {name}:{line}: {detail}"),
            template: Some(Arc::from(name)),
            location: Some(format!("{name}:{line}")),
            context: None,
            detail,
            cause: None,
        }
    }

    pub(crate) fn exec(name: &str, at: Option<(String, String)>, detail: String, cause: Option<Arc<Error>>) -> Error {
        let (message, location, context) = match at {
            Some((location, context)) => (
                format!("template: {location}: executing {} at <{context}>: {detail}", crate::fmt::quote(name)),
                Some(location),
                Some(context),
            ),
            None => (format!("template: {name}: {detail}"), None, None),
        };
        Error { kind: ErrorKind::Exec, message, template: Some(Arc::from(name)), location, context, detail, cause }
    }

    pub(crate) fn no_template(name: &str, set_name: &str) -> Error {
        let detail = format!(
            "no template {} associated with template {}",
            crate::fmt::quote(name),
            crate::fmt::quote(set_name)
        );
        Error {
            kind: ErrorKind::NoTemplate,
            message: format!("template: {detail}"),
            template: None,
            location: None,
            context: None,
            detail,
            cause: None,
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
