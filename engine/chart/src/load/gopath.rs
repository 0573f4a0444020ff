//! Go's `path`/`filepath` helpers and `os` error texts, which Helm's
//! messages are made of.

use std::io;
use std::path::Path;

/// `path.Clean`: lexical normalisation of a slash-separated path.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `filepath.Base` on a slash-separated path.
pub(crate) fn base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// `filepath.Ext`: the suffix from the last `.` of the last element.
pub(crate) fn ext(p: &str) -> &str {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return &p[i..];
        }
    }
    ""
}

/// `filepath.Abs`: joined with the working directory and cleaned, links kept.
pub(crate) fn abs(p: &Path) -> String {
    let text = p.to_string_lossy();
    if text.starts_with('/') {
        return clean(&text);
    }
    let cwd = std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    clean(&format!("{cwd}/{text}"))
}

/// The text Go's `*PathError` gives: `open /x: no such file or directory`.
pub(crate) fn path_error(op: &str, path: &str, err: &io::Error) -> String {
    format!("{op} {path}: {}", errno_text(err))
}

/// Go's `syscall.Errno` strings for the errors a loader meets.
pub(crate) fn errno_text(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(2) => "no such file or directory".into(),
        Some(13) => "permission denied".into(),
        Some(20) => "not a directory".into(),
        Some(21) => "is a directory".into(),
        Some(40) => "too many levels of symbolic links".into(),
        Some(36) => "file name too long".into(),
        _ => {
            // Rust appends " (os error N)" and capitalises; Go does neither.
            let s = err.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut chars = s.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        assert_eq!(clean(""), ".");
        assert_eq!(clean("a/../.."), "..");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("a//b/./c/"), "a/b/c");
        assert_eq!(clean("../../x"), "../../x");
    }

    #[test]
    fn base_and_ext_like_go() {
        assert_eq!(base("a/b"), "b");
        assert_eq!(base("a/"), "a");
        assert_eq!(base("/"), "/");
        assert_eq!(ext("charts/a.tgz"), ".tgz");
        assert_eq!(ext("a.b/c"), "");
    }
}
