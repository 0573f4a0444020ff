//! Helm's `values.Options.MergeValues` (`pkg/cli/values/options.go`): the
//! user-supplied values from `-f` files and the `--set*` flags, in Helm's
//! precedence order.

use rhelm_template::Value;

use crate::chart::Values;
use crate::strvals::{self, SetKind};

/// The values flags as given on the command line.
#[derive(Clone, Debug, Default)]
pub struct ValueOptions {
    /// `-f/--values` arguments as typed: each is split at commas as pflag's
    /// StringSlice splits it (CSV rules, quotes protect commas).
    pub value_files: Vec<String>,
    /// `--set-string`
    pub string_values: Vec<String>,
    /// `--set`
    pub values: Vec<String>,
    /// `--set-file`
    pub file_values: Vec<String>,
    /// `--set-json`
    pub json_values: Vec<String>,
    /// `--set-literal`
    pub literal_values: Vec<String>,
}

/// Where `-f` files and `--set-file` paths are read from: a path, `-` for
/// stdin, or a URL. Errors are the text Helm prints after `Error: `.
pub trait ValueReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// Local files and stdin. URLs with an `http`/`https`/`oci` scheme (the ones
/// Helm has getters for) are refused with a clear error; any other text is
/// a file path, as in Helm.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalReader;

impl ValueReader for LocalReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        use std::io::Read;
        if path.trim() == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("read /dev/stdin: {}", go_errno(&e)))?;
            return Ok(buf);
        }
        let scheme = url_scheme(path)
            .map_err(|e| format!("parse {}: {e}", crate::manifest::go_quote(path)))?
            .to_ascii_lowercase();
        if ["http", "https", "oci"].contains(&scheme.as_str()) {
            return Err(format!("reading values from {scheme} URLs is not supported yet: {path}"));
        }
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(format!("read {path}: is a directory"));
        }
        std::fs::read(path).map_err(|e| format!("open {path}: {}", go_errno(&e)))
    }
}

/// The scheme Go's `url.Parse` finds in `raw` ("" for none), or the error
/// it reports. Helm parses every values path as a URL first and treats one
/// whose scheme has no getter as a file path.
fn url_scheme(raw: &str) -> Result<&str, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let (u, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    let mut scheme = "";
    let mut rest = u;
    for (i, b) in u.bytes().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => {
                scheme = &u[..i];
                rest = &u[i + 1..];
                break;
            }
            _ => break,
        }
    }
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // Opaque (`scheme:text`): Go checks nothing more.
            return check_escapes(fragment).map(|_| scheme);
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let path = match rest.strip_prefix("//") {
        Some(auth_and_path) if !scheme.is_empty() => auth_and_path.find('/').map_or("", |i| &auth_and_path[i..]),
        _ => rest,
    };
    check_escapes(path)?;
    check_escapes(fragment)?;
    Ok(scheme)
}

/// `%` must start a two-digit hex escape.
fn check_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit();
            if !ok {
                let end = (i + 3).min(b.len());
                let bad = String::from_utf8_lossy(&b[i..end]);
                return Err(format!("invalid URL escape {}", crate::manifest::go_quote(&bad)));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

fn go_errno(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let t = e.to_string();
            let t = t.split(" (os error").next().unwrap_or(&t).to_string();
            let mut c = t.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => t,
            }
        }
    }
}

impl ValueOptions {
    /// The user-supplied values: `-f` files merged in order, then every
    /// `--set-json`, `--set`, `--set-string`, `--set-file` and
    /// `--set-literal`, each kind in argument order.
    pub fn merge_values(&self, reader: &dyn ValueReader) -> Result<Values, String> {
        let mut base = Values::new();
        for arg in &self.value_files {
            for path in split_string_slice(arg) {
                let raw = reader.read(&path)?;
                let text = String::from_utf8_lossy(&raw);
                let current = rhelm_functions::yaml::load_values(&text)
                    .map_err(|e| format!("failed to parse {path}: {}", e.message()))?;
                base = strvals::merge_maps(base, &current);
            }
        }
        let mut read_file = |p: &str| -> Result<Value, String> {
            reader.read(p).map(|b| Value::string(String::from_utf8_lossy(&b).into_owned()))
        };
        let kinds: [(SetKind, &Vec<String>); 5] = [
            (SetKind::SetJson, &self.json_values),
            (SetKind::Set, &self.values),
            (SetKind::SetString, &self.string_values),
            (SetKind::SetFile, &self.file_values),
            (SetKind::SetLiteral, &self.literal_values),
        ];
        for (kind, args) in kinds {
            for arg in args {
                strvals::merge_flag(kind, arg, &mut base, Some(&mut read_file)).map_err(|e| e.message().to_string())?;
            }
        }
        Ok(base)
    }
}

/// pflag's StringSlice reading of one argument: a CSV record (commas split,
/// double quotes protect commas, `""` is a quote inside quotes). An empty
/// argument gives no names.
pub fn split_string_slice(arg: &str) -> Vec<String> {
    if arg.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = arg.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                out.push(std::mem::take(&mut field));
                at_start = true;
            }
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    out.push(field);
    out
}
