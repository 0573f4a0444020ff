//! Turning sorted documents into what `helm template` prints or writes.

use std::collections::{BTreeMap, BTreeSet};

use super::go_match;
use super::hooks::{HeadParser, Hook};
use super::sort::{sort_manifests, Manifest, SortError, INSTALL_ORDER};
use super::split::{is_blank, split_manifests, trim_space};
use super::text::go_join;

/// The suffix that marks notes templates. Every rendered file whose path ends
/// with it (`templates/NOTES.txt`, but also `templates/MYNOTES.txt`) is taken
/// out of the manifests.
pub const NOTES_SUFFIX: &str = "NOTES.txt";

/// Removes every notes file from `files` (Helm's `renderResources` step) and
/// returns the notes Helm keeps: `<chart_name>/templates/NOTES.txt`, or every
/// notes file when `subchart_notes` is set, joined with `"\n"` (a `"\n"` is
/// added only once something non-empty came before). Helm joins several notes
/// in Go map order, which is random; here they come in byte order of path.
pub fn take_notes(files: &mut BTreeMap<String, String>, chart_name: &str, subchart_notes: bool) -> String {
    let own = format!("{chart_name}/templates/{NOTES_SUFFIX}");
    let keys: Vec<String> = files.keys().filter(|k| k.ends_with(NOTES_SUFFIX)).cloned().collect();
    let mut notes = String::new();
    for k in keys {
        let v = files.remove(&k).unwrap_or_default();
        if subchart_notes || k == own {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&v);
        }
    }
    notes
}

/// A file of a chart's `crds/` directory, as `--include-crds` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    /// The chart's full path joined with the file name, e.g.
    /// `mychart/crds/crd.yaml` or `mychart/charts/sub/crds/x.yaml`.
    pub filename: String,
    /// The raw, untemplated file content.
    pub data: String,
}

/// How a [`FileWrite`] opens its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Create or truncate.
    Create,
    /// Append to the file this run already wrote.
    Append,
    /// Append if the file exists (written earlier in this run, or left by an
    /// earlier run), else create it. This is how Helm writes hooks.
    AppendIfExists,
}

/// One write of `--output-dir`. After doing it Helm prints
/// [`FileWrite::wrote_line`] on stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    /// The file, e.g. `out/mychart/templates/svc.yaml`: the output directory
    /// as given (or joined and cleaned with the release name), a `/`, the
    /// template path. Directories are created as needed (mode 0755), files
    /// with mode 0666 less the umask.
    pub path: String,
    /// `---\n# Source: <template path>\n<document>\n`.
    pub content: String,
    pub mode: WriteMode,
}

impl FileWrite {
    /// `wrote <path>\n`.
    pub fn wrote_line(&self) -> String {
        format!("wrote {}\n", self.path)
    }
}

/// Options of Helm's `renderResources` that shape the release manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// `--include-crds`: CRD files first.
    pub include_crds: bool,
    /// `--hide-secret` (install/upgrade dry runs): `v1` `Secret` documents
    /// print a placeholder. Not a `helm template` flag.
    pub hide_secret: bool,
    /// `--output-dir`: documents are written to files instead.
    pub output_dir: Option<String>,
    /// `--release-name`: with `output_dir`, write under `<dir>/<release>/`
    /// (CRDs excepted: Helm writes them straight under `<dir>`).
    pub use_release_name: bool,
    /// The release name, used only with `use_release_name`.
    pub release_name: String,
}

/// The result of Helm's `renderResources` for a successful sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The release manifest: for each CRD (with `include_crds`) and then each
    /// sorted manifest, `---\n# Source: <path>\n<content>\n`. Empty with an
    /// output directory.
    pub manifest: String,
    /// Hooks, sorted by kind.
    pub hooks: Vec<Hook>,
    /// The sorted manifests themselves.
    pub manifests: Vec<Manifest>,
    /// With an output directory: the CRD and manifest writes, in order.
    pub writes: Vec<FileWrite>,
    /// Lines logged to stderr (without `\n`).
    pub notices: Vec<String>,
}

/// A failed `renderResources`: a head that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub error: SortError,
    /// What Helm puts in the release manifest instead, for `--debug`: every
    /// non-blank file as `---\n# Source: <path>\n<content>\n` (Helm uses Go
    /// map order, which is random; here it is byte order of path).
    pub debug_manifest: String,
}

fn source_block(path: &str, body: &str) -> String {
    format!("---\n# Source: {path}\n{body}\n")
}

/// Helm's `renderResources` after rendering (and after [`take_notes`]):
/// sorts `files` in install order and assembles the release manifest, or the
/// file writes when there is an output directory.
pub fn render_resources(
    files: &BTreeMap<String, String>,
    crds: &[Crd],
    opts: &RenderOptions,
    parse_head: HeadParser<'_>,
) -> Result<Rendered, RenderError> {
    let sorted = match sort_manifests(files, INSTALL_ORDER, parse_head) {
        Ok(s) => s,
        Err(error) => {
            let debug_manifest = files.iter().filter(|(_, c)| !is_blank(c)).map(|(p, c)| source_block(p, c)).collect();
            return Err(RenderError { error, debug_manifest });
        }
    };
    let mut out = Rendered { hooks: sorted.hooks, notices: sorted.notices, ..Rendered::default() };
    let mut written: BTreeSet<String> = BTreeSet::new();
    let mut write = |out: &mut Rendered, dir: &str, name: &str, body: &str| {
        let mode = if written.contains(name) { WriteMode::Append } else { WriteMode::Create };
        written.insert(name.to_string());
        out.writes.push(FileWrite { path: format!("{dir}/{name}"), content: source_block(name, body), mode });
    };
    if opts.include_crds {
        for crd in crds {
            match &opts.output_dir {
                None => out.manifest.push_str(&source_block(&crd.filename, &crd.data)),
                Some(dir) => write(&mut out, dir, &crd.filename, &crd.data),
            }
        }
    }
    let dir = opts.output_dir.as_ref().map(|d| release_dir(d, opts));
    for m in &sorted.manifests {
        match &dir {
            None if opts.hide_secret && m.head.kind() == "Secret" && m.head.api_version() == "v1" => out
                .manifest
                .push_str(&format!("---\n# Source: {}\n# HIDDEN: The Secret output has been suppressed\n", m.name)),
            None => out.manifest.push_str(&source_block(&m.name, &m.content)),
            Some(dir) => write(&mut out, dir, &m.name, &m.content),
        }
    }
    out.manifests = sorted.manifests;
    Ok(out)
}

/// The directory manifests and hooks are written to.
fn release_dir(output_dir: &str, opts: &RenderOptions) -> String {
    if opts.use_release_name {
        go_join(&[output_dir, &opts.release_name])
    } else {
        output_dir.to_string()
    }
}

/// The flags of `helm template` that change what is printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    pub render: RenderOptions,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--skip-tests`: drop hooks with the `test` event.
    pub skip_tests: bool,
    /// `--show-only` patterns, in argument order.
    pub show_only: Vec<String>,
}

/// Everything `helm template` does with a rendered chart, as data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOutput {
    /// Lines for stderr, in order, without `\n` (the unknown-hook notices).
    pub notices: Vec<String>,
    /// With `--output-dir`: the writes to do in order, printing
    /// [`FileWrite::wrote_line`] after each.
    pub writes: Vec<FileWrite>,
    /// What is printed on stdout after the writes.
    pub stdout: String,
    /// The error to report (without Helm's `Error: ` prefix), after the
    /// writes and the notices; `stdout` is then empty.
    pub error: Option<String>,
}

/// Prints a rendered release the way `helm template` does.
///
/// - stdout is `TrimSpace(manifest) + "\n"`, then each hook (unless
///   `no_hooks`; test hooks dropped with `skip_tests`) as
///   `---\n# Source: <path>\n<document>\n`, with no trimming;
/// - with an output directory the hooks are written too, always in
///   [`WriteMode::AppendIfExists`] mode, and the stdout text is just `"\n"`;
/// - with `show_only`, that text is split again, each document's template
///   path taken from its `# Source: <chart>/<path>` line, and for each pattern
///   in order every document whose path matches ([`go_match`]) is printed as
///   `---\n<document>\n`; a pattern that matches nothing is the error
///   `could not find template <pattern> in chart`.
pub fn template_output(rendered: &Rendered, opts: &TemplateOptions) -> TemplateOutput {
    let mut out = TemplateOutput {
        notices: rendered.notices.clone(),
        writes: rendered.writes.clone(),
        ..TemplateOutput::default()
    };
    let mut text = String::from(trim_space(&rendered.manifest));
    text.push('\n');
    if !opts.no_hooks {
        let dir = opts.render.output_dir.as_ref().map(|d| release_dir(d, &opts.render));
        for h in &rendered.hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            match &dir {
                None => text.push_str(&source_block(&h.path, &h.manifest)),
                Some(dir) => out.writes.push(FileWrite {
                    path: format!("{dir}/{}", h.path),
                    content: source_block(&h.path, &h.manifest),
                    mode: WriteMode::AppendIfExists,
                }),
            }
        }
    }
    if opts.show_only.is_empty() {
        out.stdout = text;
        return out;
    }
    let docs = split_manifests(&text);
    let paths: Vec<Option<&str>> = docs.iter().map(|d| source_path(d)).collect();
    let mut shown = String::new();
    for pattern in &opts.show_only {
        let mut found = false;
        for (doc, path) in docs.iter().zip(&paths) {
            let Some(path) = path else { continue };
            if go_match(pattern, path).unwrap_or(false) {
                shown.push_str("---\n");
                shown.push_str(doc);
                shown.push('\n');
                found = true;
            }
        }
        if !found {
            out.error = Some(format!("could not find template {pattern} in chart"));
            return out;
        }
    }
    out.stdout = shown;
    out
}

/// The first match of the regular expression `# Source: [^/]+/(.+)` in a
/// document, group 1: the template path without the top chart's name.
/// (`[^/]` also matches newlines; `.` stops at one.)
pub fn source_path(doc: &str) -> Option<&str> {
    const MARK: &str = "# Source: ";
    let mut from = 0;
    while let Some(off) = doc[from..].find(MARK) {
        let start = from + off;
        let after = start + MARK.len();
        if let Some(slash) = doc[after..].find('/') {
            if slash > 0 {
                let rest = &doc[after + slash + 1..];
                let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
                if !line.is_empty() {
                    return Some(line);
                }
            }
        }
        from = start + 1;
    }
    None
}

/// The whole of `helm template` after rendering: takes the notes out of
/// `files`, renders resources, and prints them. A head that cannot be
/// decoded gives the error Helm prints, including its `--debug` hint.
pub fn helm_template(
    files: &BTreeMap<String, String>,
    chart_name: &str,
    crds: &[Crd],
    opts: &TemplateOptions,
    parse_head: HeadParser<'_>,
) -> TemplateOutput {
    let mut files = files.clone();
    take_notes(&mut files, chart_name, false);
    match render_resources(&files, crds, &opts.render, parse_head) {
        Ok(r) => template_output(&r, opts),
        Err(e) => TemplateOutput {
            notices: e.error.notices.clone(),
            error: Some(format!("{}\n\nUse --debug flag to render out invalid YAML", e.error.message)),
            ..TemplateOutput::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_paths() {
        assert_eq!(source_path("# Source: c/templates/a.yaml\nx: 1\n"), Some("templates/a.yaml"));
        assert_eq!(source_path("# Source: c/charts/s/templates/a.yaml\n"), Some("charts/s/templates/a.yaml"));
        assert_eq!(source_path("x: 1\n"), None);
        assert_eq!(source_path("# Source: c/\n"), None);
        assert_eq!(source_path("# Source: /x\n"), None);
        assert_eq!(source_path("# Source: c\nd/e\n"), Some("e"));
        assert_eq!(source_path("# Source: /x\n# Source: c/y\n"), Some("y"));
        assert_eq!(source_path("a: 1\n# Source: c/z.yaml"), Some("z.yaml"));
    }

    #[test]
    fn notes() {
        let mut f: BTreeMap<String, String> = [
            ("c/templates/NOTES.txt", "top"),
            ("c/templates/MYNOTES.txt", "mine"),
            ("c/charts/s/templates/NOTES.txt", "sub"),
            ("c/templates/notes.txt", "kept"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut g = f.clone();
        assert_eq!(take_notes(&mut f, "c", false), "top");
        assert_eq!(f.keys().collect::<Vec<_>>(), vec!["c/templates/notes.txt"]);
        assert_eq!(take_notes(&mut g, "c", true), "sub\nmine\ntop");
        let mut h: BTreeMap<String, String> =
            [("c/a/NOTES.txt".to_string(), String::new()), ("c/b/NOTES.txt".to_string(), "b".to_string())].into();
        assert_eq!(take_notes(&mut h, "c", true), "b");
    }
}
