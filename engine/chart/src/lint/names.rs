//! Kubernetes object-name validation as Helm's lint applies it
//! (apimachinery's `validation` package, per kind).

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_1123_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// The problems with `name` for an object of `kind`, in apimachinery's words.
pub fn name_problems(kind: &str, name: &str) -> Vec<String> {
    match kind.to_ascii_lowercase().as_str() {
        "service" => label_1035(name),
        "namespace" => label_1123(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment(name),
        _ => subdomain(name),
    }
}

fn is_label_1123(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn subdomain(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.len() > 253 {
        out.push("must be no more than 253 characters".to_string());
    }
    if !name.split('.').all(is_label_1123) {
        out.push(SUBDOMAIN_MSG.to_string());
    }
    out
}

fn label_1123(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !is_label_1123(name) {
        // A name that would be a valid subdomain is told only about its dots.
        if name.contains('.') && name.split('.').all(is_label_1123) {
            out.push("must not contain dots".to_string());
        } else {
            out.push(LABEL_1123_MSG.to_string());
        }
    }
    out
}

fn label_1035(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !is_label_1123(name) || !name.as_bytes()[0].is_ascii_lowercase() {
        out.push(LABEL_1035_MSG.to_string());
    }
    out
}

fn path_segment(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    let mut out = Vec::new();
    for bad in ["/", "%"] {
        if name.contains(bad) {
            out.push(format!("may not contain '{bad}'"));
        }
    }
    out
}
