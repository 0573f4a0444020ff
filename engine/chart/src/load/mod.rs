//! Loading a chart from a directory or a `.tgz` archive, as Helm 4.3.1's
//! `pkg/chart/loader` and `pkg/chart/v2/loader` do it.
//!
//! Entry points:
//! - [`load`] / [`load_with_notices`]: what `helm template DIR|FILE` does with
//!   its chart argument (after `LocateChart`): existence check, the apiVersion
//!   dispatch, then the directory or archive loader;
//! - [`load_v2`]: what `helm show`/`package`/`dependency` do (the v2 loader
//!   on the path, no dispatch);
//! - [`load_dir`], [`load_archive`], [`load_files`]: the v2 loader's pieces,
//!   whose errors are not wrapped by the top-level dispatcher;
//! - [`check_installable`], [`deprecation_notice`], [`check_dependencies`]:
//!   what `helm template`/`install` check next, in that order (then, after
//!   their own flag checks, [`check_api_version`] if [`load_any_version`]
//!   was used).
//!
//! Every [`LoadError`] displays as the text Helm prints after `Error: `.
//! Notices are the log lines Helm writes to stderr while loading (symlinks
//! followed, deprecated `requirements.*` in v2 charts), each without its
//! trailing newline, in the order Helm writes them.

mod archive;
mod chartfile;
mod deps;
mod dir;
mod files;
mod gopath;
mod gotime;
mod numtext;
mod sniff;
mod validate;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::chart::{Chart, File};

pub use archive::MAX_DECOMPRESSED_CHART_SIZE;
pub use chartfile::decode_metadata_value;
// Lint decodes Chart.yaml by itself, as Helm's linter does (chartutil.LoadChartfile).
pub(crate) use chartfile::{decode_metadata, parse_yaml, MetaState};
pub use deps::{check_api_version, check_dependencies, check_installable, deprecation_notice, missing_dependencies};

/// A chart that could not be loaded; `Display` is Helm's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    message: String,
}

impl LoadError {
    pub(crate) fn new(message: impl Into<String>) -> LoadError {
        LoadError { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// The part of `path` (a file's path under a chart directory) inside the
/// chart that holds it: `charts/<sub>/` prefixes of unpacked subcharts,
/// however deep, are taken off (`charts/common/templates/_x.tpl` is
/// `templates/_x.tpl`).
pub(crate) fn path_in_chart(mut path: &str) -> &str {
    while let Some((_, rest)) = path.strip_prefix("charts/").and_then(|sub| sub.split_once('/')) {
        path = rest;
    }
    path
}

/// Loads the chart at `path` (a directory or a gzipped tar file) as
/// `helm template`/`install`/`show` do. Notices are dropped.
pub fn load(path: &Path) -> Result<Chart, LoadError> {
    load_with_notices(path, &mut Vec::new())
}

/// [`load`], appending Helm's log lines (e.g. `level=INFO msg="found symbolic
/// link in path. ..." path=... resolved=...`) to `notices`. Lines written
/// before an error are kept.
///
/// An apiVersion v3 chart is an error here (`invalid chart apiVersion`, what
/// `template`/`install` end with); [`load_any_version`] loads it instead.
pub fn load_with_notices(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    dir::load_top(path, notices, true)
}

/// [`load_with_notices`] in two steps, so that work needing only the
/// chart's files (parsing its templates) can start before its values
/// files are decoded: see [`ValuesPending::finish`]. `on_file` sees each
/// file of a chart directory as soon as it is read, with its path under
/// the directory, so that such work can start before the rest is read;
/// the chart keeps the same shared bytes.
pub fn load_values_later(
    path: &Path,
    notices: &mut Vec<String>,
    on_file: &dyn Fn(&str, &Arc<[u8]>),
) -> Result<ValuesPending, LoadError> {
    let mut own = Vec::new();
    match files::with_values_deferred(|| dir::load_top_observed(path, &mut own, true, Some(on_file))) {
        Ok(chart) => Ok(ValuesPending { chart, path: path.to_path_buf(), notices: own }),
        Err(e) => Err(eager_error(path, notices, e)),
    }
}

/// A loaded chart whose values.yaml files are not decoded yet.
pub struct ValuesPending {
    chart: Chart,
    path: std::path::PathBuf,
    notices: Vec<String>,
}

impl ValuesPending {
    /// The chart, every `values` still empty.
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Decodes the values files: the chart and notices are then those of
    /// [`load_with_notices`], and so is any error.
    pub fn finish(self, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
        let ValuesPending { mut chart, path, notices: own } = self;
        match files::decode_deferred_values(&mut chart) {
            Ok(()) => {
                notices.extend(own);
                Ok(chart)
            }
            Err(e) => Err(eager_error(&path, notices, LoadError::new(format!("cannot load values.yaml: {e}")))),
        }
    }
}

/// Which error Helm reports depends on the order in which its loader meets
/// the faults, values files included: a load that left those for later
/// gives way to a loader that decodes them as it goes. Failing is rare,
/// loading twice then is cheap.
fn eager_error(path: &Path, notices: &mut Vec<String>, otherwise: LoadError) -> LoadError {
    match dir::load_top(path, notices, true) {
        Err(e) => e,
        Ok(_) => otherwise,
    }
}

/// [`load_with_notices`], but a chart with apiVersion v3 loads (with the v3
/// loader's rules; `metadata.api_version` is "v3"), as `loader.Load` returns
/// it. Callers that want Helm's exact order of errors use this and call
/// [`check_api_version`] where Helm refuses v3 charts.
pub fn load_any_version(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    dir::load_top(path, notices, false)
}

/// What `helm show`, `helm package` and `helm dependency` load with
/// (`pkg/chart/v2/loader.Load` after `LocateChart`): any apiVersion is read
/// with the v2 rules, and archive errors are not summarised.
pub fn load_v2(path: &Path) -> Result<Chart, LoadError> {
    dir::load_v2(path, &mut Vec::new())
}

/// [`load_v2`] with notices.
pub fn load_v2_with_notices(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    dir::load_v2(path, notices)
}

/// The v2 directory loader (`pkg/chart/v2/loader.LoadDir`): no apiVersion
/// dispatch, errors unwrapped.
pub fn load_dir(path: &Path) -> Result<Chart, LoadError> {
    dir::load_dir(path, &mut Vec::new())
}

/// [`load_dir`] with notices.
pub fn load_dir_with_notices(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    dir::load_dir(path, notices)
}

/// The v2 archive loader (`pkg/chart/v2/loader.LoadArchive`) on the bytes of
/// a `.tgz`: the archive's own errors (`chart illegally references parent
/// directory`, size limits, `gzip: invalid header`, ...) are returned as is.
pub fn load_archive(data: &[u8]) -> Result<Chart, LoadError> {
    load_archive_with_notices(data, &mut Vec::new())
}

/// [`load_archive`] with notices.
pub fn load_archive_with_notices(data: &[u8], notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    let files = archive::load_archive_files(data).map_err(|e| LoadError::new(e.to_string()))?;
    files::load_files(files, notices)
}

/// The in-memory core (`LoadFiles`): files named relative to the chart root
/// with `/` separators, in the order they were read.
pub fn load_files(files: Vec<File>) -> Result<Chart, LoadError> {
    files::load_files(files, &mut Vec::new())
}

/// [`load_files`] with notices.
pub fn load_files_with_notices(files: Vec<File>, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    files::load_files(files, notices)
}

/// The files of a `.tgz` as the archive reader yields them (first path
/// component stripped, BOMs removed), with Helm's safety checks and limits.
pub fn archive_files(data: &[u8]) -> Result<Vec<File>, LoadError> {
    archive::load_archive_files(data).map_err(|e| LoadError::new(e.to_string()))
}

/// A log line as Go's slog text handler writes it without a time:
/// `level=INFO msg="..." key=value ...`.
pub(crate) fn log_line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut out = format!("level={level} msg={}", slog_value(msg));
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push('=');
        out.push_str(&slog_value(v));
    }
    out
}

/// slog quotes a value that is empty or holds a space, `=`, `"`, an ASCII
/// control character, or a non-ASCII space or unprintable character.
fn slog_value(v: &str) -> String {
    let needs_quoting = v.is_empty()
        || v.chars().any(|c| {
            if c.is_ascii() {
                c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20
            } else {
                c.is_whitespace() || !validate::is_print(c)
            }
        });
    if needs_quoting {
        rhelm_template::strconv::quote(v)
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::path_in_chart;

    #[test]
    fn subchart_prefixes_are_taken_off_however_deep() {
        assert_eq!(path_in_chart("templates/a.yaml"), "templates/a.yaml");
        assert_eq!(path_in_chart("charts/common/templates/_x.tpl"), "templates/_x.tpl");
        assert_eq!(path_in_chart("charts/a/charts/b/README.md"), "README.md");
        // An archived subchart is a file of the chart that holds it.
        assert_eq!(path_in_chart("charts/common-2.0.0.tgz"), "charts/common-2.0.0.tgz");
        assert_eq!(path_in_chart("files/charts/x"), "files/charts/x");
    }
}
