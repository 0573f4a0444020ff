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

/// Local files, stdin, and `http`/`https` URLs (Helm's getters for
/// values; `oci://` is refused with a clear error).
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
        match go_url_scheme(path)?.as_deref() {
            Some("http" | "https") => return fetch(path),
            Some("oci") => return Err(format!("reading values from {path}: OCI values are not supported")),
            _ => {}
        }
        // Same open/read error texts as --set-file's local reader.
        match crate::strvals::read_local_file(path)? {
            Value::Str(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("read {path}: unexpected value {other:?}")),
        }
    }
}

/// Helm's HTTP getter: a GET whose non-200 answer is an error worded
/// `failed to fetch <url> : <status line>`; transport errors read as Go's
/// `Get "<url>": ...`.
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let mut builder = reqwest::blocking::Client::builder().user_agent("Helm/4.3.1");
    if is_loopback(url) {
        // Go's ProxyFromEnvironment never proxies localhost or loopback addresses.
        builder = builder.no_proxy();
    }
    let client = builder.build().map_err(|e| format!("Get {}: {e}", rhelm_template::fmt::quote(url)))?;
    let resp = client.get(url).send().map_err(|e| transport_error(url, &e))?;
    let status = resp.status();
    if status != reqwest::StatusCode::OK {
        let reason = resp
            .extensions()
            .get::<hyper::ext::ReasonPhrase>()
            .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
            .or_else(|| status.canonical_reason().map(str::to_string))
            .unwrap_or_default();
        return Err(format!("failed to fetch {url} : {} {reason}", status.as_u16()));
    }
    resp.bytes().map(|b| b.to_vec()).map_err(|e| transport_error(url, &e))
}

fn is_loopback(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else { return false };
    let Some(host) = u.host_str() else { return false };
    host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn transport_error(url: &str, e: &reqwest::Error) -> String {
    let quoted = rhelm_template::fmt::quote(url);
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                let host = reqwest::Url::parse(url).ok().and_then(|u| {
                    let port = u.port_or_known_default()?;
                    Some(format!("{}:{port}", u.host_str()?))
                });
                return format!("Get {quoted}: dial tcp {}: connect: connection refused", host.unwrap_or_default());
            }
        }
        source = s.source();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    format!("Get {quoted}: {text}")
}

/// What Go's `url.Parse` makes of a `-f` argument: its lower-cased
/// scheme, if any, or Go's error (`parse "a%zz": invalid URL escape "%zz"`).
/// Only the checks a file name can trip are made.
fn go_url_scheme(raw: &str) -> Result<Option<String>, String> {
    let wrap = |e: String| format!("parse {}: {e}", rhelm_template::fmt::quote(raw));
    let fail = |e: String| Err(wrap(e));
    let (rest, fragment) = raw.split_once('#').map_or((raw, None), |(a, b)| (a, Some(b)));
    if rest.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return fail("net/url: invalid control character in URL".into());
    }
    let mut scheme = None;
    for (i, c) in rest.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return fail("missing protocol scheme".into()),
            ':' => {
                scheme = Some(rest[..i].to_ascii_lowercase());
                break;
            }
            _ => break,
        }
    }
    let after = match &scheme {
        Some(s) => &rest[s.len() + 1..],
        None => rest,
    };
    let path = after.split_once('?').map_or(after, |(p, _)| p);
    let opaque = scheme.is_some() && !path.starts_with('/');
    if !opaque {
        check_escapes(path).map_err(wrap)?;
    }
    if let Some(f) = fragment {
        check_escapes(f).map_err(wrap)?;
    }
    Ok(scheme)
}

/// Go's `unescape`: every `%` must start two hex digits.
fn check_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
            let bad = String::from_utf8_lossy(&b[i..(i + 3).min(b.len())]).into_owned();
            return Err(format!("invalid URL escape {}", rhelm_template::fmt::quote(&bad)));
        }
        i += 3;
    }
    Ok(())
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
    fn names_go_cannot_parse_as_urls_fail_as_in_helm() {
        // Texts from helm 4.3.1 (`-f NAME`).
        for (name, want) in [
            ("a%zz.yaml", "parse \"a%zz.yaml\": invalid URL escape \"%zz\""),
            ("a%2.yaml", "parse \"a%2.yaml\": invalid URL escape \"%2.\""),
            ("a%", "parse \"a%\": invalid URL escape \"%\""),
            (":a.yaml", "parse \":a.yaml\": missing protocol scheme"),
            ("a\tb.yaml", "parse \"a\\tb.yaml\": net/url: invalid control character in URL"),
            ("no/such/a0.yaml#frag", "open no/such/a0.yaml#frag: no such file or directory"),
        ] {
            assert_eq!(LocalReader.read(name).unwrap_err(), want, "{name}");
        }
    }

    #[test]
    fn oci_values_are_refused_clearly() {
        let err = LocalReader.read("oci://example.invalid/values").unwrap_err();
        assert!(err.contains("oci://example.invalid/values") && err.contains("not supported"), "{err}");
    }

    /// A one-shot HTTP server on loopback answering `status_line` and `body`.
    fn serve_once(status_line: &'static str, body: &'static str) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut conn, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status_line}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn http_values_are_fetched() {
        let base = serve_once("200 OK", "fromurl: 1\n");
        assert_eq!(LocalReader.read(&format!("{base}/v.yaml")).unwrap(), b"fromurl: 1\n");
    }

    #[test]
    fn http_errors_read_as_helm_prints_them() {
        // helm 4.3.1 against python's http.server: `failed to fetch <url> : 404 File not found`.
        let base = serve_once("404 File not found", "");
        let url = format!("{base}/missing.yaml");
        assert_eq!(LocalReader.read(&url).unwrap_err(), format!("failed to fetch {url} : 404 File not found"));
        // helm: `Get "http://127.0.0.1:1/x.yaml": dial tcp 127.0.0.1:1: connect: connection refused`.
        assert_eq!(
            LocalReader.read("http://127.0.0.1:1/x.yaml").unwrap_err(),
            "Get \"http://127.0.0.1:1/x.yaml\": dial tcp 127.0.0.1:1: connect: connection refused"
        );
    }
}
