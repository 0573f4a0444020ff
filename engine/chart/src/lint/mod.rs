//! `helm lint`: Helm 4.3.1's chart rules (`pkg/chart/v2/lint`) and the
//! command's report (`pkg/cmd/lint.go`, `pkg/action/lint.go`).
//!
//! Rules run in Helm's order: Chart.yaml, values.yaml, templates/ (render in
//! lint mode, then each YAML template's documents: parse, object names,
//! deprecated APIs, selectors, List annotations), dependencies, crds/.

mod chartfile;
mod crds;
mod dependencies;
mod deprecations;
mod names;
mod support;
mod templates;
mod urls;
mod values;

use std::path::{Path, PathBuf};

use rhelm_template::Value;

pub use support::{Linter, Message, Severity};

use crate::chart::Values;

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// `--strict`: warnings fail the chart too.
    pub strict: bool,
    /// `--with-subcharts`: also lint every chart found under `charts/`.
    pub with_subcharts: bool,
    /// `--quiet`: only warnings and errors, and only for charts that have some.
    pub quiet: bool,
    /// `--kube-version`, as given.
    pub kube_version: Option<String>,
    /// The merged user values (-f, --set...).
    pub values: Values,
    pub namespace: String,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
}

/// What `helm lint` prints: `stdout`, then, when some chart failed, `Error: <error>` on stderr and exit 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintReport {
    /// Log lines written to stderr while linting (they come before everything else).
    pub log: String,
    pub stdout: String,
    pub error: Option<String>,
}

/// Runs every rule on the chart directory `dir` (Helm's `lint.RunAll`).
pub fn run_all(dir: &Path, opts: &LintOptions) -> Linter {
    // filepath.Abs: joined to the working directory and cleaned (`..` resolved lexically).
    let joined = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let chart_dir = PathBuf::from(crate::manifest::go_clean(&joined.to_string_lossy()));
    let mut linter = Linter { messages: Vec::new(), chart_dir, notices: Vec::new() };
    chartfile::chartfile(&mut linter);
    values::values(&mut linter, opts);
    let kube_version =
        opts.kube_version.as_deref().and_then(kube_major_minor).unwrap_or(deprecations::DEFAULT_KUBE_VERSION);
    templates::templates(&mut linter, opts, kube_version);
    dependencies::dependencies(&mut linter);
    crds::crds(&mut linter);
    linter
}

/// `helm lint PATH...`.
pub fn lint(paths: &[String], opts: &LintOptions) -> LintReport {
    if let Some(kv) = &opts.kube_version {
        if let Err(e) = parse_kube_version(kv) {
            return LintReport { error: Some(format!("invalid kube version '{kv}': {e}")), ..LintReport::default() };
        }
    }
    let mut paths: Vec<String> = paths.to_vec();
    if opts.with_subcharts {
        for p in paths.clone() {
            walk_subcharts(&Path::new(&p).join("charts"), &mut paths);
        }
    }
    let mut out = String::new();
    let mut log = String::new();
    let mut failed = 0;
    let mut with_findings = 0;
    let lowest = if opts.strict { Severity::Warning } else { Severity::Error };
    for path in &paths {
        let (messages, errors) = match lint_one(path, opts) {
            Ok(linter) => {
                for n in &linter.notices {
                    log.push_str(n);
                    log.push('\n');
                }
                let errors: Vec<String> =
                    linter.messages.iter().filter(|m| m.severity >= lowest).map(|m| m.text.clone()).collect();
                (linter.messages, errors)
            }
            Err(e) => (Vec::new(), vec![e]),
        };
        let has_findings = !errors.is_empty() || messages.iter().any(|m| m.severity > Severity::Info);
        if has_findings {
            with_findings += 1;
        }
        if opts.quiet && !has_findings {
            continue;
        }
        out.push_str(&format!("==> Linting {path}\n"));
        if messages.is_empty() {
            for e in &errors {
                out.push_str(&format!("Error {e}\n"));
            }
        }
        for m in &messages {
            if !opts.quiet || m.severity > Severity::Info {
                out.push_str(&format!("{m}\n"));
            }
        }
        if !errors.is_empty() {
            failed += 1;
        }
        out.push('\n');
    }
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", paths.len());
    if failed > 0 {
        return LintReport { log, stdout: out, error: Some(summary) };
    }
    if !opts.quiet || with_findings > 0 {
        out.push_str(&summary);
        out.push('\n');
    }
    LintReport { log, stdout: out, error: None }
}

/// One path (Helm's `lintChart`): packaged charts are expanded into a
/// temporary directory first; a path without Chart.yaml is an error.
fn lint_one(path: &str, opts: &LintOptions) -> Result<Linter, String> {
    if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        let tmp = TempDir::new().map_err(|e| format!("unable to create temp dir to extract tarball: {e}"))?;
        let data =
            std::fs::read(path).map_err(|e| format!("unable to open tarball: open {path}: {}", errno_text(&e)))?;
        let (name, files) = expand(&data).map_err(|e| format!("unable to extract tarball: {e}"))?;
        let dir = tmp.0.join(name);
        for f in &files {
            let target = dir.join(&f.name);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("unable to extract tarball: {e}"))?;
            }
            std::fs::write(&target, &*f.data).map_err(|e| format!("unable to extract tarball: {e}"))?;
        }
        return check_and_run(&dir, opts);
    }
    check_and_run(Path::new(path), opts)
}

/// Helm's `chartutil.Expand` up to writing: the archive's files and the
/// chart name its Chart.yaml gives (the directory they are written to).
fn expand(data: &[u8]) -> Result<(String, Vec<crate::chart::File>), String> {
    let files = crate::load::archive_files(data).map_err(|e| e.to_string())?;
    let mut name = String::new();
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let mut st = crate::load::MetaState::default();
        crate::load::decode_metadata(&f.data, &mut st, "v2").map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
        name = st.md.name;
    }
    if name.is_empty() {
        return Err("chart name not specified".into());
    }
    if name == "." || name == ".." {
        return Err(format!("chart name {name:?} is not allowed"));
    }
    if name.contains('/') {
        return Err(format!("chart name {name:?} must not contain path separators"));
    }
    Ok((name, files))
}

fn check_and_run(dir: &Path, opts: &LintOptions) -> Result<Linter, String> {
    let chart_yaml = dir.join("Chart.yaml");
    if let Err(e) = std::fs::metadata(&chart_yaml) {
        return Err(format!(
            "unable to check Chart.yaml file in chart: stat {}: {}",
            chart_yaml.display(),
            errno_text(&e)
        ));
    }
    Ok(run_all(dir, opts))
}

/// Go's `filepath.Walk` under `charts/`: directories holding a Chart.yaml and
/// packaged charts, in lexical order.
fn walk_subcharts(dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let s = p.display().to_string();
        if p.file_name().is_some_and(|n| n == "Chart.yaml") {
            out.push(dir.display().to_string());
        } else if s.ends_with(".tgz") || s.ends_with(".tar.gz") {
            out.push(s);
        }
        if p.is_dir() {
            walk_subcharts(&p, out);
        }
    }
}

/// Major and minor of a `--kube-version` that parsed.
fn kube_major_minor(v: &str) -> Option<(u32, u32)> {
    let s = v.trim_start();
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts = s.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Kubernetes' `version.ParseGeneric`, as `--kube-version` is checked:
/// `[v]N.N[.N...]` and anything after.
fn parse_kube_version(v: &str) -> Result<(), String> {
    let s = v.trim_start();
    let s = s.strip_prefix('v').unwrap_or(s);
    let numeric_len = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let mut numeric = &s[..numeric_len];
    // The pattern's groups are `[0-9]+(\.[0-9]+)*`: a trailing or doubled dot ends them.
    if let Some(i) = numeric.find("..") {
        numeric = &numeric[..i];
    }
    let numeric = numeric.trim_end_matches('.');
    if numeric.is_empty() || numeric.starts_with('.') {
        return Err(format!("could not parse {v:?} as version"));
    }
    let parts: Vec<&str> = numeric.split('.').collect();
    if parts.len() < 2 {
        return Err(format!("illegal version string {v:?}"));
    }
    for p in parts {
        if p.len() > 1 && p.starts_with('0') {
            return Err(format!("illegal zero-prefixed version component {p:?} in {v:?}"));
        }
    }
    Ok(())
}

/// The documents of a multi-document YAML stream as Kubernetes' YAML reader
/// splits them (on `---` lines), each decoded. A `---` line followed by
/// anything but a comment ends the stream with Kubernetes' error.
pub(crate) fn documents(text: &str) -> Vec<Result<Value, String>> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut bad_separator = None;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                bad_separator = Some(format!("invalid Yaml document separator: {rest}"));
                break;
            }
            docs.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(line);
    }
    if bad_separator.is_none() {
        docs.push(cur);
    }
    let mut out: Vec<Result<Value, String>> =
        docs.into_iter().filter(|d| !d.trim().is_empty()).map(|d| crate::load::parse_yaml(d.as_bytes())).collect();
    if let Some(e) = bad_separator {
        out.push(Err(e));
    }
    out
}

/// Go prints the bare errno text (`no such file or directory`).
pub(crate) fn errno_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => {
            let t = &text[..i];
            let mut c = t.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
        None => text,
    }
}

/// Go's `%q` for text lines.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("helm-lint{}{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
