//! Lint findings as Helm's `lint/support` package keeps and prints them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info = 1,
    Warning = 2,
    Error = 3,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        }
    }
}

/// One finding; `Display` is Helm's `[SEVERITY] path: message` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub severity: Severity,
    pub path: String,
    pub text: String,
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.severity.label(), self.path, self.text)
    }
}

/// The findings of one chart, in the order the rules ran.
#[derive(Clone, Debug, Default)]
pub struct Linter {
    pub messages: Vec<Message>,
    /// The chart directory, absolute (some rules name it as their path).
    pub chart_dir: std::path::PathBuf,
    /// Log lines the loader wrote while the rules loaded the chart, in order.
    pub notices: Vec<String>,
}

impl Linter {
    /// Records `result`'s error, if any; true when the rule passed (Helm's `RunLinterRule`).
    pub fn rule(&mut self, severity: Severity, path: &str, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => true,
            Err(text) => {
                self.messages.push(Message { severity, path: path.to_string(), text });
                false
            }
        }
    }
}
