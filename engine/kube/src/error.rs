use std::fmt;

/// A failed Kubernetes call. `Display` is the text Helm users see.
#[derive(Debug, Clone)]
pub struct KubeError {
    message: String,
    /// The API status code, when the server answered with one.
    pub code: Option<u16>,
    /// The API status reason (`AlreadyExists`, `Conflict`, `NotFound`, ...).
    pub reason: String,
}

impl KubeError {
    pub fn new(message: impl Into<String>) -> KubeError {
        KubeError { message: message.into(), code: None, reason: String::new() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn is_not_found(&self) -> bool {
        self.code == Some(404)
    }

    pub fn is_already_exists(&self) -> bool {
        self.code == Some(409) && self.reason == "AlreadyExists"
    }

    pub fn is_conflict(&self) -> bool {
        self.code == Some(409) && self.reason != "AlreadyExists"
    }

    /// The same error with `context: ` in front, as Go's `%w` wrapping reads.
    pub fn context(mut self, context: impl fmt::Display) -> KubeError {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for KubeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KubeError {}

impl From<kube::Error> for KubeError {
    fn from(e: kube::Error) -> KubeError {
        match e {
            kube::Error::Api(s) => {
                KubeError { message: s.message.clone(), code: Some(s.code), reason: s.reason.clone() }
            }
            other => KubeError::new(other.to_string()),
        }
    }
}
