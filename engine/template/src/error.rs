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

/// A template error. Boxed so that results stay one pointer wide on the
/// executor's hot paths.
#[derive(Clone, Debug)]
pub struct Error(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    template: Option<Arc<str>>,
    location: Option<String>,
    context: Option<String>,
    detail: String,
    cause: Option<Arc<Error>>,
}

impl Error {
    /// A plain error, as a function returns it (`errors.New(msg)`).
    pub fn msg(msg: impl Into<String>) -> Error {
        let msg = msg.into();
        Error(Box::new(Inner {
            kind: ErrorKind::Function,
            message: msg.clone(),
            template: None,
            location: None,
            context: None,
            detail: msg,
            cause: None,
        }))
    }

    /// A function error that wraps another (Go's `fmt.Errorf("...: %w", err)`);
    /// `msg` is the whole text.
    pub fn wrap(msg: impl Into<String>, cause: Error) -> Error {
        let mut e = Error::msg(msg);
        e.0.cause = Some(Arc::new(cause));
        e
    }

    pub(crate) fn parse(name: &str, line: usize, detail: String) -> Error {
        Error(Box::new(Inner {
            kind: ErrorKind::Parse,
            message: format!("template: {name}:{line}: {detail}"),
            template: Some(Arc::from(name)),
            location: Some(format!("{name}:{line}")),
            context: None,
            detail,
            cause: None,
        }))
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
        Error(Box::new(Inner {
            kind: ErrorKind::Exec,
            message,
            template: Some(Arc::from(name)),
            location,
            context,
            detail,
            cause,
        }))
    }

    pub(crate) fn no_template(name: &str, set_name: &str) -> Error {
        let detail =
            format!("no template {} associated with template {}", crate::fmt::quote(name), crate::fmt::quote(set_name));
        Error(Box::new(Inner {
            kind: ErrorKind::NoTemplate,
            message: format!("template: {detail}"),
            template: None,
            location: None,
            context: None,
            detail,
            cause: None,
        }))
    }

    /// The whole text, as Go's `err.Error()`.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The template being executed (exec errors) or parsed (parse errors).
    pub fn template(&self) -> Option<&str> {
        self.0.template.as_deref()
    }

    /// `file:line:col` (exec) or `file:line` (parse).
    pub fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// The failing node as Go prints it, without the angle brackets.
    pub fn context(&self) -> Option<&str> {
        self.0.context.as_deref()
    }

    /// The message after the location and context.
    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    /// The error this one wraps (Go's `%w`), e.g. a function's error.
    pub fn cause(&self) -> Option<&Error> {
        self.0.cause.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.cause.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
