//! Go's `path`/`filepath` helpers and `os` error texts, which Helm's
//! messages are made of.

use std::io;
use std::path::Path;

/// `path.Clean`: lexical normalisation of a slash-separated path.
pub(crate) use crate::manifest::go_clean as clean;

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

/// `filepath.EvalSymlinks` on an absolute path: components resolved one by
/// one (at most 255 links), the error naming the component that failed.
pub(crate) fn eval_symlinks(path: &str) -> Result<String, String> {
    use std::os::unix::ffi::OsStrExt;
    let mut path = path.to_string();
    let mut vol_len = usize::from(path.starts_with('/'));
    let mut vol = path[..vol_len].to_string();
    let mut dest = vol.clone();
    let mut links = 0;
    let mut end = vol_len;
    while end < path.len() {
        let bytes = path.as_bytes();
        let mut start = end;
        while start < bytes.len() && bytes[start] == b'/' {
            start += 1;
        }
        end = start;
        while end < bytes.len() && bytes[end] != b'/' {
            end += 1;
        }
        let comp = path[start..end].to_string();
        if comp.is_empty() {
            break;
        }
        if comp == "." {
            continue;
        }
        if comp == ".." {
            let r = dest.rfind('/').filter(|&r| r >= vol_len);
            match r {
                Some(r) if &dest[r + 1..] != ".." => dest.truncate(r),
                _ => {
                    if dest.len() > vol_len {
                        dest.push('/');
                    }
                    dest.push_str("..");
                }
            }
            continue;
        }
        if dest.len() > vol_len && !dest.ends_with('/') {
            dest.push('/');
        }
        dest.push_str(&comp);
        let fi = std::fs::symlink_metadata(&dest).map_err(|e| path_error("lstat", &dest, &e))?;
        if !fi.file_type().is_symlink() {
            if !fi.is_dir() && end < path.len() {
                return Err("not a directory".into());
            }
            continue;
        }
        links += 1;
        if links > 255 {
            return Err("EvalSymlinks: too many links".into());
        }
        let link = std::fs::read_link(&dest).map_err(|e| path_error("readlink", &dest, &e))?;
        let link = String::from_utf8_lossy(link.as_os_str().as_bytes()).into_owned();
        path = format!("{link}{}", &path[end..]);
        if link.starts_with('/') {
            dest = "/".into();
            end = 1;
            vol = "/".into();
            vol_len = 1;
        } else {
            match dest.rfind('/').filter(|&r| r >= vol_len) {
                Some(r) => dest.truncate(r),
                None => dest = vol.clone(),
            }
            end = 0;
        }
    }
    Ok(clean(&dest))
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
        assert_eq!(clean("/a/b.c/d"), "/a/b.c/d");
        assert_eq!(clean("a/.b/..c"), "a/.b/..c");
        assert_eq!(clean("/"), "/");
        assert_eq!(clean("//"), "/");
        assert_eq!(clean("a/b/"), "a/b");
        assert_eq!(clean("./a"), "a");
        assert_eq!(clean("."), ".");
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
