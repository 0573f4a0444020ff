//! The chart argument of `helm template` (`loader.Load`: a directory or an
//! archive, dispatched on Chart.yaml's apiVersion) and the v2 directory
//! loader (`LoadDir` over `sympath.Walk`).

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::archive::ArchiveError;
use super::files::Flavor;
use super::{archive, chartfile, files, gopath, log_line, sniff, LoadError};
use crate::chart::{Chart, File};
use crate::file_data::FileData;
use crate::ignore::{Rules, HELM_IGNORE};

/// Symlinked directories can form cycles, which Helm would follow until
/// it runs out of stack; we stop well before.
const MAX_DEPTH: usize = 256;

/// `loader.Load` after `LocateChart`. With `refuse_v3`, a chart that the v3
/// loader read is refused at once with the error `helm template`/`install`
/// give it later.
pub(crate) fn load_top(path: &Path, notices: &mut Vec<String>, refuse_v3: bool) -> Result<Chart, LoadError> {
    load_top_observed(path, notices, refuse_v3, None)
}

/// Sees each file of a chart directory as it is read: its path under the
/// directory and its bytes.
pub(crate) type FileObserver<'a> = &'a dyn Fn(&str, &Arc<[u8]>);

/// [`load_top`], showing `on_file` each file of a directory as it is read.
pub(crate) fn load_top_observed(
    path: &Path,
    notices: &mut Vec<String>,
    refuse_v3: bool,
    on_file: Option<FileObserver<'_>>,
) -> Result<Chart, LoadError> {
    let (abs, is_dir) = locate(path)?;
    let chart = if is_dir { load_top_dir(&abs, notices, on_file)? } else { load_top_file(&abs, notices)? };
    if refuse_v3 {
        super::deps::check_api_version(&chart).map_err(LoadError::new)?;
    }
    Ok(chart)
}

/// `pkg/chart/v2/loader.Load` after `LocateChart`: no apiVersion dispatch,
/// archive errors as the archive reader words them.
pub(crate) fn load_v2(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    let (abs, is_dir) = locate(path)?;
    if is_dir {
        return load_dir(Path::new(&abs), notices);
    }
    let data = fs::read(&abs).map_err(|e| LoadError::new(gopath::path_error("open", &abs, &e)))?;
    sniff::ensure_archive(&abs, &data).map_err(LoadError::new)?;
    let files = archive::load_archive_files(&data).map_err(|e| match e {
        ArchiveError::GzipHeader => {
            LoadError::new(format!("file '{abs}' does not appear to be a valid chart file (details: {e})"))
        }
        ArchiveError::Other(m) => LoadError::new(m),
    })?;
    files::load_files(files, notices)
}

/// `LocateChart` for a local path: trimmed, it must exist; the absolute
/// path and whether it is a directory.
fn locate(path: &Path) -> Result<(String, bool), LoadError> {
    let given = path.to_string_lossy();
    let name = given.trim();
    let Ok(meta) = fs::metadata(name) else {
        if name.starts_with('/') || name.starts_with('.') {
            return Err(LoadError::new(format!("path {} not found", rhelm_template::strconv::quote(name))));
        }
        // Anything else is a chart reference to look up in a repository.
        return Err(LoadError::new(match name.split_once('/') {
            Some((repo, _)) => format!("repo {repo} not found"),
            None => format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"),
        }));
    };
    Ok((gopath::abs(Path::new(name)), meta.is_dir()))
}

fn load_top_dir(abs: &str, notices: &mut Vec<String>, on_file: Option<FileObserver<'_>>) -> Result<Chart, LoadError> {
    let chart_yaml = format!("{abs}/Chart.yaml");
    let data =
        read_file(&chart_yaml).map_err(|e| LoadError::new(format!("unable to detect chart at {chart_yaml}: {e}")))?;
    let api =
        chartfile::decode_api_version(&data).map_err(|e| LoadError::new(format!("cannot load Chart.yaml: {e}")))?;
    dispatch(&api, |flavor| load_dir_as(Path::new(abs), notices, flavor, on_file))
}

fn load_top_file(abs: &str, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    let data = fs::read(abs).map_err(|e| LoadError::new(gopath::path_error("open", abs, &e)))?;
    sniff::ensure_archive(abs, &data).map_err(LoadError::new)?;
    let files = archive::load_archive_files(&data).map_err(|e| match e {
        ArchiveError::GzipHeader => {
            LoadError::new(format!("file '{abs}' does not appear to be a valid chart file (details: {e})"))
        }
        ArchiveError::Other(_) => LoadError::new("unable to load chart archive"),
    })?;
    let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(LoadError::new("unable to detect chart version, no Chart.yaml found"));
    };
    let api = chartfile::decode_api_version(&chart_yaml.data)
        .map_err(|e| LoadError::new(format!("cannot load Chart.yaml: {e}")))?;
    dispatch(&api, |flavor| files::load_files_as(files, notices, flavor))
}

/// `v1`, `v2` or none: the v2 loader; `v3`: Helm's internal v3 loader.
fn dispatch(api: &str, load: impl FnOnce(Flavor) -> Result<Chart, LoadError>) -> Result<Chart, LoadError> {
    match api {
        "v1" | "v2" | "" => load(Flavor::V2),
        "v3" => load(Flavor::V3),
        _ => Err(LoadError::new("unsupported chart version")),
    }
}

/// `os.ReadFile` with Go's error text.
fn read_file(p: &str) -> Result<Vec<u8>, String> {
    match fs::metadata(p) {
        Ok(m) if m.is_dir() => return Err(format!("read {p}: is a directory")),
        Err(e) => return Err(gopath::path_error("open", p, &e)),
        Ok(_) => {}
    }
    fs::read(p).map_err(|e| gopath::path_error("open", p, &e))
}

/// The v2 `LoadDir`.
pub(crate) fn load_dir(path: &Path, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    load_dir_as(path, notices, Flavor::V2, None)
}

/// `LoadDir` of the v2 or v3 loader (the walk is the same).
fn load_dir_as(
    path: &Path,
    notices: &mut Vec<String>,
    flavor: Flavor,
    on_file: Option<FileObserver<'_>>,
) -> Result<Chart, LoadError> {
    let topdir = gopath::abs(path);
    let ifile = format!("{topdir}/{HELM_IGNORE}");
    let mut rules = if fs::metadata(&ifile).is_ok() {
        let data = read_file(&ifile).map_err(LoadError::new)?;
        Rules::parse_bytes(&data).map_err(|e| LoadError::new(e.to_string()))?
    } else {
        Rules::empty()
    };
    rules.add_defaults();

    let mut w = Walker { topdir: format!("{topdir}/"), rules, files: Vec::new(), notices, on_file };
    let root = PathBuf::from(&w.topdir);
    // A root that cannot be read is passed to the walk function as the
    // chart root, which ignores it: the chart is then just empty.
    if let Ok(info) = fs::symlink_metadata(&root) {
        match w.symwalk(&root, info, 0) {
            Ok(()) | Err(Stop::SkipDir) => {}
            Err(Stop::Fail(e)) => return Err(LoadError::new(e)),
        }
    }
    let Walker { files, notices, .. } = w;
    files::load_files_as(files, notices, flavor)
}

enum Stop {
    SkipDir,
    Fail(String),
}

struct Walker<'a> {
    /// Absolute, with a trailing `/`.
    topdir: String,
    rules: Rules,
    files: Vec<File>,
    notices: &'a mut Vec<String>,
    on_file: Option<FileObserver<'a>>,
}

impl Walker<'_> {
    /// `sympath.symwalk`: depth first, names in byte order, links followed.
    fn symwalk(&mut self, path: &Path, info: fs::Metadata, depth: usize) -> Result<(), Stop> {
        let shown = clean_join(path);
        if depth > MAX_DEPTH {
            return Err(Stop::Fail(format!("error evaluating symlink {shown}: too many levels of symbolic links")));
        }
        if info.file_type().is_symlink() {
            let resolved_text = gopath::eval_symlinks(&shown)
                .map_err(|e| Stop::Fail(format!("error evaluating symlink {shown}: {e}")))?;
            let resolved = PathBuf::from(&resolved_text);
            self.notices.push(log_line(
                "INFO",
                "found symbolic link in path. Contents of linked file included and used",
                &[("path", &shown), ("resolved", &resolved_text)],
            ));
            let info = fs::symlink_metadata(&resolved)
                .map_err(|e| Stop::Fail(gopath::path_error("lstat", &resolved_text, &e)))?;
            return match self.symwalk(path, info, depth + 1) {
                Err(Stop::Fail(e)) => Err(Stop::Fail(e)),
                _ => Ok(()),
            };
        }

        self.visit(path, &info)?;
        if !info.is_dir() {
            return Ok(());
        }
        let mut names: Vec<Vec<u8>> = fs::read_dir(path)
            .map_err(|e| Stop::Fail(gopath::path_error("open", &shown, &e)))?
            .filter_map(|e| e.ok().map(|e| e.file_name().as_bytes().to_vec()))
            .collect();
        names.sort();
        for name in names {
            let child = path.join(std::ffi::OsStr::from_bytes(&name));
            match fs::symlink_metadata(&child) {
                Err(e) => {
                    let text = child.to_string_lossy().into_owned();
                    return Err(Stop::Fail(gopath::path_error("lstat", &text, &e)));
                }
                Ok(ci) => {
                    let plain_file = !ci.is_dir() && !ci.file_type().is_symlink();
                    match self.symwalk(&child, ci, depth + 1) {
                        Ok(()) => {}
                        Err(Stop::SkipDir) if !plain_file => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(())
    }

    /// The loader's walk function for one path.
    fn visit(&mut self, path: &Path, info: &fs::Metadata) -> Result<(), Stop> {
        let full = clean_join(path);
        let n = full.strip_prefix(&self.topdir).unwrap_or(if full == self.topdir.trim_end_matches('/') {
            ""
        } else {
            &full
        });
        if n.is_empty() {
            return Ok(());
        }
        let n = n.to_string();
        if info.is_dir() {
            if self.rules.ignored(&n, true) {
                return Err(Stop::SkipDir);
            }
            return Ok(());
        }
        if self.rules.ignored(&n, false) {
            return Ok(());
        }
        let ft = info.file_type();
        if !ft.is_file() || ft.is_fifo() || ft.is_socket() || ft.is_block_device() || ft.is_char_device() {
            return Err(Stop::Fail(format!("cannot load irregular file {full} as it has file mode type bits set")));
        }
        let data = FileData::open(path, info.len(), may_wait(&n))
            .map_err(|e| Stop::Fail(format!("error reading {n}: {}", gopath::path_error("open", &full, &e))))?;
        if let (Some(on_file), true) = (self.on_file, data.is_read()) {
            on_file(&n, data.shared());
        }
        self.files.push(File { name: n, data, modtime: info.modified().ok() });
        Ok(())
    }
}

/// Whether the file at `path` under the chart directory is one that
/// loading and rendering do not read unless a template asks for it (or,
/// for a CRD, `--include-crds` and installs), so that a large one can be
/// read on first use (see [`FileData`]): not a template, archived subchart
/// or file the loader decodes, of the chart or of a subchart below
/// `charts/`.
fn may_wait(path: &str) -> bool {
    let path = super::path_in_chart(path);
    const DECODED: [&str; 6] =
        ["Chart.yaml", "values.yaml", "values.schema.json", "requirements.yaml", "requirements.lock", "Chart.lock"];
    !(path.starts_with("templates/") || path.starts_with("charts/") || DECODED.contains(&path))
}

/// The path as Go's `filepath.Join` leaves it (cleaned).
fn clean_join(path: &Path) -> String {
    gopath::clean(&path.to_string_lossy())
}
