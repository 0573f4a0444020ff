//! Small Go-compatible string helpers: slog's text format and `path.Clean`.

/// A line as Helm's logger writes it (slog's text handler with the time
/// removed), without the final `\n`:
/// `level=INFO msg="skipping unknown hooks" hookTypes=bogus`.
pub fn slog_info(msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut out = String::from("level=INFO msg=");
    push_slog_value(&mut out, msg);
    for (k, v) in attrs {
        out.push(' ');
        push_slog_value(&mut out, k);
        out.push('=');
        push_slog_value(&mut out, v);
    }
    out
}

fn push_slog_value(out: &mut String, s: &str) {
    if slog_needs_quoting(s) {
        out.push_str(&go_quote(s));
    } else {
        out.push_str(s);
    }
}

/// slog's rule: empty strings, ASCII controls, space, `=` and `"`, and
/// non-ASCII spaces or unprintable runes force quoting (backslash does not).
fn slog_needs_quoting(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    s.chars().any(|c| {
        if c.is_ascii() {
            c != '\\' && (c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20)
        } else {
            c == '\u{FFFD}' || c.is_whitespace() || !go_is_print(c)
        }
    })
}

/// Go's `strconv.Quote` for valid UTF-8.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if go_is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space. Without Unicode tables this is an approximation for
/// non-ASCII text: controls, spaces other than U+0020, format characters,
/// private-use characters and noncharacters are unprintable; unassigned code
/// points are taken as printable (Go says they are not).
pub fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if c.is_ascii() {
        return (0x20..0x7f).contains(&u);
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let format = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let nonchar = (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE;
    !(format || private || nonchar)
}

/// Go's `path.Clean` (slash-separated, lexical).
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    if is_clean(path.as_bytes()) {
        return path.to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for elem in path.split('/') {
        match elem {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            e => parts.push(e),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Whether `path.Clean` would leave `path` as it is: no empty, `.` or `..`
/// element (a leading `/` aside) and no trailing `/`. Most paths a chart
/// walk makes are; a byte scan tells in a few instructions a byte.
fn is_clean(path: &[u8]) -> bool {
    let inner = path.strip_prefix(b"/").unwrap_or(path);
    !inner.is_empty() && inner.split(|&b| b == b'/').all(|seg| !matches!(seg, b"" | b"." | b".."))
}

/// Go's `filepath.Join` on a Unix system: empty elements are ignored and the
/// result is cleaned; all-empty gives `""`.
pub fn go_join(elems: &[&str]) -> String {
    let kept: Vec<&str> = elems.iter().copied().filter(|e| !e.is_empty()).collect();
    if kept.is_empty() {
        return String::new();
    }
    go_clean(&kept.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slog_lines() {
        assert_eq!(
            slog_info("skipping unknown hooks", &[("hookTypes", "bogus")]),
            r#"level=INFO msg="skipping unknown hooks" hookTypes=bogus"#
        );
        assert_eq!(slog_info("m", &[("k", "")]), r#"level=INFO msg=m k="""#);
        assert_eq!(slog_info("m", &[("k", "a, b")]), r#"level=INFO msg=m k="a, b""#);
        assert_eq!(slog_info("m", &[("k", "a\\b")]), r#"level=INFO msg=m k=a\b"#);
        assert_eq!(slog_info("m", &[("k", "a\"b")]), r#"level=INFO msg=m k="a\"b""#);
        assert_eq!(slog_info("m", &[("k", "é\u{7f}")]), "level=INFO msg=m k=é\u{7f}");
        assert_eq!(slog_info("m", &[("k", "x\u{a0}\t\u{7f}")]), r#"level=INFO msg=m k="x\u00a0\t\x7f""#);
        assert_eq!(slog_info("m", &[("k", "\u{1F600}\u{E0001}")]), r#"level=INFO msg=m k="😀\U000e0001""#);
    }

    #[test]
    fn clean_and_join() {
        for (p, want) in [
            ("", "."),
            ("a/b", "a/b"),
            ("a//b/", "a/b"),
            ("./a/./b/..", "a"),
            ("../../a", "../../a"),
            ("/../a", "/a"),
            ("/", "/"),
            ("a/..", "."),
        ] {
            assert_eq!(go_clean(p), want, "{p:?}");
        }
        assert_eq!(go_join(&["out/", "rel"]), "out/rel");
        assert_eq!(go_join(&["./out", "rel"]), "out/rel");
        assert_eq!(go_join(&["", ""]), "");
        assert_eq!(go_join(&["/tmp/x/", ""]), "/tmp/x");
    }
}
