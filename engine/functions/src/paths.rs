//! Sprig's path functions: `base`, `dir`, `clean`, `ext`, `isAbs` are Go's
//! `path` package, and `osBase`... `osIsAbs` are `path/filepath`, which on
//! Linux (where Helm runs for our purposes) follows exactly the same rules
//! with `/` as the only separator and no volume names.
//!
//! All the cuts below happen at `/` or `.`, which are ASCII, so slicing the
//! UTF-8 strings there is always on a character boundary.

use rhelm_template::{FuncMap, Function, Type, Value};

/// `path.Clean`: the shortest equivalent path, by purely lexical rules:
/// repeated slashes become one, `.` elements go, `..` removes the element
/// before it, and a `..` at the start of a rooted path is dropped. An empty
/// result is `.` (or `/` when rooted).
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for elem in p.split('/') {
        match elem {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // Above the root there is nothing: drop it.
                _ if rooted => {}
                // A relative path keeps its leading `..`s.
                _ => parts.push(".."),
            },
            _ => parts.push(elem),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `path.Base`: the last element, trailing slashes removed first; `.` for
/// an empty path and `/` for a path of slashes only.
pub(crate) fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => trimmed.to_string(),
    }
}

/// `path.Dir`: everything up to the last slash, cleaned.
pub(crate) fn dir(p: &str) -> String {
    let end = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..end])
}

/// `path.Ext`: from the last dot of the last element, or empty.
pub(crate) fn ext(p: &str) -> &str {
    for (i, b) in p.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return &p[i..],
            _ => {}
        }
    }
    ""
}

fn is_abs(p: &str) -> bool {
    p.starts_with('/')
}

fn string_fn(f: fn(&str) -> String) -> Function {
    Function::new(&[Type::String], None, move |a| Ok(Value::string(f(a[0].as_str().unwrap_or("")))))
}

fn ext_fn() -> Function {
    Function::new(&[Type::String], None, |a| Ok(Value::str(ext(a[0].as_str().unwrap_or("")))))
}

fn is_abs_fn() -> Function {
    Function::new(&[Type::String], None, |a| Ok(Value::Bool(is_abs(a[0].as_str().unwrap_or("")))))
}

pub(crate) fn register(m: &mut FuncMap) {
    // path and path/filepath agree on Linux, so each pair shares one body.
    for (name, os_name, f) in
        [("base", "osBase", base as fn(&str) -> String), ("dir", "osDir", dir), ("clean", "osClean", clean)]
    {
        m.insert(name, string_fn(f));
        m.insert(os_name, string_fn(f));
    }
    m.insert("ext", ext_fn());
    m.insert("osExt", ext_fn());
    m.insert("isAbs", is_abs_fn());
    m.insert("osIsAbs", is_abs_fn());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("", "."),
            ("/", "/"),
            ("//", "/"),
            ("a//b/./c/..", "a/b"),
            ("../../a", "../../a"),
            ("/../a", "/a"),
            ("a/../..", ".."),
            ("./", "."),
            ("abc/def/../../..", ".."),
            ("/abc/def/../../..", "/"),
        ] {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn base_dir_ext() {
        assert_eq!(base("a/b/"), "b");
        assert_eq!(base("///"), "/");
        assert_eq!(dir("a/b"), "a");
        assert_eq!(dir("abc"), ".");
        assert_eq!(dir("/"), "/");
        assert_eq!(ext("a.b/c"), "");
        assert_eq!(ext("x.tar.gz"), ".gz");
    }
}
