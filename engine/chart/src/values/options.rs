//! Helm's `values.Options.MergeValues` (pkg/cli/values/options.go): the
//! user-supplied values from `-f` files and the `--set` family, in Helm's
//! order of precedence.

use rhelm_template::Value;

use crate::chart::Values;
use crate::strvals::{merge_flag, merge_maps, SetKind};

/// Reads what a `-f` or `--set-file` argument names: `-` (after trimming)
/// is stdin, a URL with a scheme Helm has a getter for is fetched, anything
/// else is a local file. Errors are Helm's texts (`open x.yaml: no such
/// file or directory`).
pub trait ValueReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// Local files and stdin. URLs (`http://`, `https://`, `oci://`) are
/// refused with a clear error: this build has no network getters.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalReader;

impl ValueReader for LocalReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path.trim() == "-" {
            use std::io::Read;
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("read /dev/stdin: {e}"))?;
            return Ok(buf);
        }
        if let Some(scheme) = url_scheme(path) {
            if matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "oci") {
                return Err(format!("fetching {path}: remote values are not supported by this build"));
            }
        }
        match crate::strvals::read_local_file(path)? {
            Value::Str(s) => Ok(s.as_bytes().to_vec()),
            _ => Ok(std::fs::read(path).map_err(|e| format!("open {path}: {e}"))?),
        }
    }
}

/// The scheme of `path` if it parses as a URL with one (`scheme:...`).
fn url_scheme(path: &str) -> Option<&str> {
    let (scheme, _) = path.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))).then_some(scheme)
}

/// The values flags of `helm install/template/upgrade`, each list in
/// command-line order.
#[derive(Clone, Debug, Default)]
pub struct ValueOptions {
    /// `-f/--values`; each entry may hold several comma-separated names.
    pub value_files: Vec<String>,
    pub string_values: Vec<String>,
    pub values: Vec<String>,
    pub file_values: Vec<String>,
    pub json_values: Vec<String>,
    pub literal_values: Vec<String>,
}

impl ValueOptions {
    /// The `-f` file names as Go's pflag StringSlice splits them (CSV: a
    /// name may be double-quoted to hold a comma).
    pub fn value_file_names(&self) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for arg in &self.value_files {
            out.extend(split_csv(arg).map_err(|e| format!("invalid argument \"{arg}\" for \"-f, --values\" flag: {e}"))?);
        }
        Ok(out)
    }

    /// `Options.MergeValues`: `-f` files, then `--set-json`, `--set`,
    /// `--set-string`, `--set-file` and `--set-literal`, each later source
    /// over the earlier ones. The error is Helm's text, without `Error: `.
    pub fn merge_values(&self, reader: &dyn ValueReader) -> Result<Values, String> {
        let mut base = Values::new();
        for path in self.value_file_names()? {
            let raw = reader.read(&path)?;
            let text = String::from_utf8_lossy(&raw);
            let current = rhelm_functions::yaml::load_values(&text)
                .map_err(|e| format!("failed to parse {path}: {}", e.message()))?;
            base = merge_maps(base, &current);
        }
        let groups: [(SetKind, &Vec<String>); 5] = [
            (SetKind::SetJson, &self.json_values),
            (SetKind::Set, &self.values),
            (SetKind::SetString, &self.string_values),
            (SetKind::SetFile, &self.file_values),
            (SetKind::SetLiteral, &self.literal_values),
        ];
        for (kind, args) in groups {
            for arg in args {
                let mut read = |p: &str| -> Result<Value, String> {
                    let bytes = reader.read(p)?;
                    Ok(Value::string(String::from_utf8_lossy(&bytes).into_owned()))
                };
                merge_flag(kind, arg, &mut base, Some(&mut read)).map_err(|e| e.message().to_string())?;
            }
        }
        Ok(base)
    }
}

/// encoding/csv's reading of one line, as pflag's StringSlice uses it.
fn split_csv(s: &str) -> Result<Vec<String>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("parse error on line 1, column 1: extraneous or missing \" in quoted-field".into()),
                }
            }
            match chars.next() {
                None => {
                    out.push(field);
                    return Ok(out);
                }
                Some(',') => out.push(field),
                Some(_) => return Err("parse error on line 1: extraneous or missing \" in quoted-field".into()),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        out.push(field);
                        return Ok(out);
                    }
                    Some(',') => {
                        out.push(field);
                        break;
                    }
                    Some('"') => return Err("parse error on line 1: bare \" in non-quoted-field".into()),
                    Some(c) => field.push(c),
                }
            }
        }
    }
}
