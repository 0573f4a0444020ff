//! `helm create NAME`: writes a new chart from our scaffold.
//!
//! The scaffold has the files, values keys, helper names and rendered output
//! of Helm 4.3.1's (`pkg/chart/v2/util/create.go`), so charts and habits built
//! on Helm's (`<name>.fullname`, the standard labels) keep working; its prose
//! is our own. Files are written in Helm's order because an existing file is
//! reported, in that order, before being overwritten.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The text every scaffold file uses for the chart name.
pub const PLACEHOLDER: &str = "<CHARTNAME>";

/// Longer names are refused; the limit is Helm's.
pub const MAX_CHART_NAME_LENGTH: usize = 250;

/// Scaffold files by path relative to the chart, in the order Helm writes them.
const SCAFFOLD: [(&str, &str); 12] = [
    ("Chart.yaml", include_str!("scaffold/Chart.yaml")),
    ("values.yaml", include_str!("scaffold/values.yaml")),
    (".helmignore", include_str!("scaffold/.helmignore")),
    ("templates/ingress.yaml", include_str!("scaffold/templates/ingress.yaml")),
    ("templates/httproute.yaml", include_str!("scaffold/templates/httproute.yaml")),
    ("templates/deployment.yaml", include_str!("scaffold/templates/deployment.yaml")),
    ("templates/service.yaml", include_str!("scaffold/templates/service.yaml")),
    ("templates/serviceaccount.yaml", include_str!("scaffold/templates/serviceaccount.yaml")),
    ("templates/hpa.yaml", include_str!("scaffold/templates/hpa.yaml")),
    ("templates/NOTES.txt", include_str!("scaffold/templates/NOTES.txt")),
    ("templates/_helpers.tpl", include_str!("scaffold/templates/_helpers.tpl")),
    ("templates/tests/test-connection.yaml", include_str!("scaffold/templates/tests/test-connection.yaml")),
];

/// The scaffold for a chart called `name`: (relative path, content) pairs in
/// write order. The empty `charts/` directory is not listed.
pub fn scaffold(name: &str) -> Vec<(&'static str, String)> {
    SCAFFOLD.iter().map(|(path, text)| (*path, text.replace(PLACEHOLDER, name))).collect()
}

/// Why `create` failed; `Display` is the text Helm prints after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateError(pub String);

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CreateError {}

/// Helm's chart-name rule, applied to the last element of the argument.
pub fn validate_chart_name(name: &str) -> Result<(), CreateError> {
    if name.is_empty() || name.len() > MAX_CHART_NAME_LENGTH {
        return Err(CreateError(format!("chart name must be between 1 and {MAX_CHART_NAME_LENGTH} characters")));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        return Err(CreateError("chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"".into()));
    }
    Ok(())
}

/// `helm create ARG`: the chart is named after the last path element of `arg`
/// and created inside its parent directory, which must exist. An existing
/// chart directory is reused; each file about to be overwritten is reported
/// on `warn` as Helm does. Returns the chart directory.
pub fn create(arg: &str, cwd: &Path, warn: &mut dyn Write) -> Result<PathBuf, CreateError> {
    let name = go_base(arg);
    validate_chart_name(&name)?;
    let parent = clean_abs(cwd, &go_dir(arg));
    match std::fs::metadata(&parent) {
        Err(e) => return Err(CreateError(format!("stat {}: {}", parent.display(), errno_text(&e)))),
        Ok(m) if !m.is_dir() => return Err(CreateError(format!("no such directory {}", parent.display()))),
        Ok(_) => {}
    }
    let dir = parent.join(&name);
    if let Ok(m) = std::fs::metadata(&dir) {
        if !m.is_dir() {
            return Err(CreateError(format!("file {} already exists and is not a directory", dir.display())));
        }
    }
    for (rel, content) in scaffold(&name) {
        let path = dir.join(rel);
        if path.exists() {
            let _ =
                writeln!(warn, "WARNING: File {} already exists. Overwriting.", go_quote(&path.display().to_string()));
        }
        write_file(&path, content.as_bytes())?;
    }
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|e| io_error("mkdir", &charts, &e))?;
    Ok(dir)
}

fn write_file(path: &Path, data: &[u8]) -> Result<(), CreateError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error("mkdir", parent, &e))?;
    }
    std::fs::write(path, data).map_err(|e| io_error("open", path, &e))
}

fn io_error(op: &str, path: &Path, e: &io::Error) -> CreateError {
    CreateError(format!("{op} {}: {}", path.display(), errno_text(e)))
}

/// Go's os errors print the bare errno text (`no such file or directory`),
/// where Rust's add `(os error 2)`.
fn errno_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => {
            let mut t = text[..i].to_string();
            // Rust capitalises the strerror text; Go prints it as libc does, lower case.
            if let Some(first) = t.get(0..1) {
                t = first.to_lowercase() + &t[1..];
            }
            t
        }
        None => text,
    }
}

/// Go's `filepath.Base`: last element, trailing slashes ignored; `.` for "".
fn go_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `filepath.Dir`: everything up to the last `/`, cleaned.
fn go_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => clean(&p[..=i]),
        None => ".".into(),
    }
}

/// Go's `path.Clean` for `/`-separated paths.
fn clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `filepath.Abs`: relative paths are joined to the working directory, then cleaned.
fn clean_abs(cwd: &Path, p: &str) -> PathBuf {
    if p.starts_with('/') {
        PathBuf::from(clean(p))
    } else {
        PathBuf::from(clean(&format!("{}/{p}", cwd.display())))
    }
}

/// Go's `%q` for the path names we print.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `helm create ARG --starter STARTER`: the chart is copied from a starter
/// chart (`starter_dir`/STARTER, or STARTER itself when absolute) with new
/// metadata and `<CHARTNAME>` replaced in its templates and values.yaml.
/// Starters with subcharts are refused: Helm writes those as archives,
/// which rhelm cannot write yet.
pub fn create_from_starter(arg: &str, starter: &str, starter_dir: &Path, cwd: &Path) -> Result<PathBuf, CreateError> {
    let name = go_base(arg);
    let src = if starter.starts_with('/') { PathBuf::from(starter) } else { starter_dir.join(starter) };
    let src_text = clean(&src.display().to_string());
    // CreateFrom calls the v2 loader directly, whose first step is a stat.
    if let Err(e) = std::fs::metadata(&src_text) {
        return Err(CreateError(format!("could not load {src_text}: stat {src_text}: {}", errno_text(&e))));
    }
    let loaded = crate::load::load_v2(Path::new(&src_text))
        .map_err(|e| CreateError(format!("could not load {src_text}: {e}")))?;
    if !loaded.dependencies.is_empty() {
        return Err(CreateError(format!("rhelm cannot copy the subcharts of starter {src_text} yet")));
    }
    let metadata = crate::metadata::Metadata {
        name: name.clone(),
        description: "A Helm chart for Kubernetes".into(),
        chart_type: "application".into(),
        version: "0.1.0".into(),
        app_version: "0.1.0".into(),
        api_version: "v2".into(),
        ..Default::default()
    };
    let parent = clean_abs(cwd, &go_dir(arg));
    let dir = parent.join(&name);
    if let Ok(m) = std::fs::metadata(&dir) {
        if !m.is_dir() {
            return Err(CreateError(format!("file {} already exists and is not a directory", dir.display())));
        }
    }
    let chart_yaml = crate::show::metadata_yaml(&metadata).map_err(CreateError)?;
    write_file(&dir.join("Chart.yaml"), chart_yaml.as_bytes())?;
    let replace = |data: &[u8]| String::from_utf8_lossy(data).replace(PLACEHOLDER, &name).into_bytes();
    if let Some(values) = loaded.raw.iter().find(|f| f.name == "values.yaml") {
        write_file(&dir.join("values.yaml"), &replace(&values.data))?;
    }
    if let Some(schema) = &loaded.schema {
        write_file(&dir.join("values.schema.json"), schema)?;
    }
    for t in &loaded.templates {
        write_file(&dir.join(&t.name), &replace(&t.data))?;
    }
    for f in &loaded.files {
        write_file(&dir.join(&f.name), &f.data)?;
    }
    Ok(dir)
}

/// Helm's `helmpath.DataPath("starters")`: $HELM_DATA_HOME, else
/// $XDG_DATA_HOME/helm, else ~/.local/share/helm.
pub fn default_starter_dir() -> PathBuf {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let base = env("HELM_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let data = env("XDG_DATA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env("HOME").unwrap_or_default()).join(".local/share"));
        data.join("helm")
    });
    base.join("starters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_paths() {
        assert_eq!(go_base("a/b/c"), "c");
        assert_eq!(go_base("foo/"), "foo");
        assert_eq!(go_dir("foo/"), "foo");
        assert_eq!(go_dir("foo"), ".");
        assert_eq!(go_dir("/x"), "/");
        assert_eq!(clean("a/../../b"), "../b");
    }
}
