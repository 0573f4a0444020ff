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
        // Same open/read error texts as --set-file's local reader.
        match crate::strvals::read_local_file(path)? {
            Value::Str(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("read {path}: unexpected value {other:?}")),
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
            out.extend(split_csv(arg).map_err(|e| {
                format!("invalid argument {} for \"-f, --values\" flag: {e}", rhelm_template::fmt::quote(arg))
            })?);
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
/// Errors are encoding/csv's, with its 1-based byte column.
fn split_csv(s: &str) -> Result<Vec<String>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let mut field = Vec::new();
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match bytes.get(i) {
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        field.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        field.push(c);
                        i += 1;
                    }
                    None => return Err(csv_error(bytes.len() + 1, "extraneous or missing \" in quoted-field")),
                }
            }
            match bytes.get(i) {
                None => {
                    out.push(String::from_utf8_lossy(&field).into_owned());
                    return Ok(out);
                }
                Some(b',') => {
                    out.push(String::from_utf8_lossy(&field).into_owned());
                    i += 1;
                }
                Some(_) => return Err(csv_error(i + 1, "extraneous or missing \" in quoted-field")),
            }
        } else {
            loop {
                match bytes.get(i) {
                    None => {
                        out.push(String::from_utf8_lossy(&field).into_owned());
                        return Ok(out);
                    }
                    Some(b',') => {
                        out.push(String::from_utf8_lossy(&field).into_owned());
                        i += 1;
                        break;
                    }
                    Some(b'"') => return Err(csv_error(i + 1, "bare \" in non-quoted-field")),
                    Some(&c) => {
                        field.push(c);
                        i += 1;
                    }
                }
            }
        }
    }
}

fn csv_error(column: usize, what: &str) -> String {
    format!("parse error on line 1, column {column}: {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_files_split_like_pflag() {
        let o = ValueOptions {
            value_files: vec!["a.yaml,b.yaml".into(), "\"x,y.yaml\",z.yaml".into(), String::new()],
            ..Default::default()
        };
        assert_eq!(o.value_file_names().unwrap(), ["a.yaml", "b.yaml", "x,y.yaml", "z.yaml"]);
    }

    #[test]
    fn value_file_csv_errors_match_helm() {
        // Texts from helm 4.3.1 (`helm template r chart -f ...`).
        let bad = |f: &str| {
            ValueOptions { value_files: vec![f.into()], ..Default::default() }.value_file_names().unwrap_err()
        };
        assert_eq!(
            bad("\"files/a0.yaml"),
            "invalid argument \"\\\"files/a0.yaml\" for \"-f, --values\" flag: parse error on line 1, column 15: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            bad("files/a\"0.yaml"),
            "invalid argument \"files/a\\\"0.yaml\" for \"-f, --values\" flag: parse error on line 1, column 8: bare \" in non-quoted-field"
        );
    }

    #[test]
    fn remote_values_are_refused_clearly() {
        let err = LocalReader.read("https://example.invalid/values.yaml").unwrap_err();
        assert!(err.contains("https://example.invalid/values.yaml") && err.contains("not supported"), "{err}");
    }
}
