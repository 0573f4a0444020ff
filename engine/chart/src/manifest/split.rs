//! Splitting a rendered template into YAML documents (Helm 4.3.1 rule).

use std::collections::BTreeMap;

/// Go's `unicode.IsSpace`, which is the Unicode `White_Space` property —
/// exactly what `char::is_whitespace` tests.
#[inline]
pub(crate) fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `strings.TrimSpace(s) == ""`.
#[inline]
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(is_go_space)
}

/// Go's `strings.TrimSpace`.
#[inline]
pub(crate) fn trim_space(s: &str) -> &str {
    s.trim_matches(is_go_space)
}

/// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`.
#[inline]
pub(crate) fn trim_left_space(s: &str) -> &str {
    s.trim_start_matches(is_go_space)
}

/// Splits a stream of YAML documents the way Helm 4.3.1's `SplitManifests`
/// does, returning the kept pieces in order (the `manifest-N` order).
///
/// - The text is first left-trimmed of Unicode whitespace.
/// - A separator is `---` at the start of a line (start of the text or right
///   after `\n`) together with the run of spaces and tabs that follows it.
///   Whatever else is on that line (a comment, a tag, glued content, `\r`)
///   and the line's `\n` start the next piece.
/// - Pieces that are blank (only Unicode whitespace) are dropped; the others
///   are left-trimmed only, so their trailing whitespace is kept byte for byte.
pub fn split_manifests(text: &str) -> Vec<String> {
    let s = trim_left_space(text);
    let bytes = s.as_bytes();
    let mut pieces = Vec::new();
    let mut keep = |piece: &str| {
        if !is_blank(piece) {
            pieces.push(trim_left_space(piece).to_string());
        }
    };
    let mut beg = 0; // start of the current piece
    let mut line = 0; // start of the line being examined
    loop {
        if bytes[line..].starts_with(b"---") {
            let mut end = line + 3;
            while end < bytes.len() && (bytes[end] == b' ' || bytes[end] == b'\t') {
                end += 1;
            }
            keep(&s[beg..line]);
            beg = end;
        }
        match memchr_newline(&bytes[line..]) {
            Some(off) => line += off + 1,
            None => break,
        }
    }
    keep(&s[beg..]);
    pieces
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// The map `SplitManifests` returns: keys `manifest-0`, `manifest-1`, … in
/// piece order. Iterating the map gives the keys in byte order
/// (`manifest-10` before `manifest-2`), which is the order Helm's uninstall
/// path sorts them in before its stable kind sort.
pub fn split_manifests_keyed(text: &str) -> BTreeMap<String, String> {
    split_manifests(text).into_iter().enumerate().map(|(i, m)| (format!("manifest-{i}"), m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_manifests(s)
    }

    #[test]
    fn keeps_trailing_whitespace() {
        assert_eq!(split("a: 1\n"), vec!["a: 1\n"]);
        assert_eq!(split("a: 1\n\n\n---\nb: 2\n"), vec!["a: 1\n\n\n", "b: 2\n"]);
        assert_eq!(split("a: 1   \n  \n"), vec!["a: 1   \n  \n"]);
    }

    #[test]
    fn separators() {
        assert_eq!(split("\n\n---\nA\n"), vec!["A\n"]);
        assert_eq!(split("A\n---   \nB\n---\t\nC\n"), vec!["A\n", "B\n", "C\n"]);
        assert_eq!(split("A\n--- # c1\nB\n---# c2\nC\n"), vec!["A\n", "# c1\nB\n", "# c2\nC\n"]);
        assert_eq!(split("A\n---apiVersion: v1\n"), vec!["A\n", "apiVersion: v1\n"]);
        assert_eq!(split("A\n----\nB"), vec!["A\n", "-\nB"]);
        assert_eq!(split("a: |\n    ---\n"), vec!["a: |\n    ---\n"]);
        assert_eq!(split("x: a---b\n"), vec!["x: a---b\n"]);
        assert_eq!(split("A\n---\n---\n\n---\n   \n---\nB\n---\n"), vec!["A\n", "B\n"]);
        assert_eq!(split("A\r\n---\r\nB\r\n"), vec!["A\r\n", "B\r\n"]);
        assert_eq!(split("A\n--- !tag\nB"), vec!["A\n", "!tag\nB"]);
        assert_eq!(split("---"), Vec::<String>::new());
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("------"), vec!["---"]);
    }

    #[test]
    fn unicode_whitespace() {
        assert_eq!(split("\u{a0}\nA\n---\n\u{2003}\u{85}\n---\nB"), vec!["A\n", "B"]);
        // Only the left side is trimmed, whatever the whitespace.
        assert_eq!(split("A\u{a0}\n\u{3000}"), vec!["A\u{a0}\n\u{3000}"]);
        // \v and \f are Go spaces too.
        assert_eq!(split("\x0b\x0cA"), vec!["A"]);
    }

    #[test]
    fn keyed() {
        let m = split_manifests_keyed(
            "a\n---\nb\n---\nc\n---\nd\n---\ne\n---\nf\n---\ng\n---\nh\n---\ni\n---\nj\n---\nk\n",
        );
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys[0], "manifest-0");
        assert_eq!(keys[1], "manifest-1");
        assert_eq!(keys[2], "manifest-10");
        assert_eq!(m["manifest-10"], "k\n");
    }
}
