//! A quick reader for the block YAML that values files, Chart.yaml files
//! and rendered manifests are nearly always written in: block mappings and
//! sequences, plain scalars (continued over lines too), one-line quoted
//! scalars, literal block scalars, comments, one-line flow sequences of
//! scalars and empty flow mappings. It builds the decoded value directly,
//! without the event stream and the two intermediate trees of the full
//! reader.
//!
//! It answers only when it is sure: anything else (anchors, tags, nested or
//! multi-line flow collections, folded block scalars, quoted scalars over
//! lines, tabs, document markers, anything that would be an error) gives
//! `None`, and the full reader in `decode` reads the text as before. So it
//! can change no result and no error, only the time taken; `tests` hold it
//! to that.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::scan::{memchr, memchr2};
use rhelm_template::Value;

use super::decode::json_key;
use super::node::Node;
use super::resolve::{resolve, Flavor, Resolved};

/// Deeper nesting than this is left to the full reader, which guards its stack.
const MAX_DEPTH: usize = 128;
/// libyaml's limit on an implicit key is 1024 characters; keep well inside it.
const MAX_KEY: usize = 1000;

/// The value of the first (and only) document in `src`, or `None` when the
/// text is not plainly within what this reader knows.
pub(super) fn unmarshal(src: &str) -> Option<Value> {
    let lines = split_lines(src)?;
    // A last line of spaces with no newline after it: the full reader's
    // (saphyr reads it as one more line break inside a block scalar).
    if lines.last().is_some_and(|l| !l.newline && l.kind == Kind::Blank && l.end > l.raw) {
        return None;
    }
    let mut r = Reader { src, lines, pos: 0, depth: 0 };
    r.skip_blank();
    // An empty document is the full reader's (a scalar one is refused below).
    r.current()?;
    let value = r.node(-1)?;
    r.skip_blank();
    if r.pos < r.lines.len() {
        return None;
    }
    Some(value)
}

/// Whether a line (its newline excluded) holds only what this reader
/// knows: no tabs or carriage returns (libyaml's rules for them are subtle),
/// no control characters, and not the byte-order mark or the Unicode line
/// breaks (NEL, LS, PS), which libyaml treats specially even in comments.
/// Eight bytes at a time while they are ASCII.
fn screened(b: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        let w = u64::from_ne_bytes(chunk.try_into().unwrap_or_default());
        // Bytes below 0x20 or equal to 0x7f, or any byte above 0x7f.
        let low = w.wrapping_sub(ONES * 0x20) & !w;
        let del = (w ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(w ^ (ONES * 0x7f));
        if (low | del | w) & HIGH != 0 {
            return screened_bytes(b);
        }
    }
    screened_bytes(chunks.remainder())
}

fn screened_bytes(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c < 0x20 || c == 0x7f {
                return false;
            }
            i += 1;
            continue;
        }
        match (c, b.get(i + 1), b.get(i + 2)) {
            // C1 controls, NEL among them.
            (0xc2, Some(0x80..=0x9f), _) => return false,
            (0xe2, Some(0x80), Some(0xa8 | 0xa9)) => return false,
            (0xef, Some(0xbb), Some(0xbf)) => return false,
            (0xef, Some(0xbf), Some(0xbe | 0xbf)) => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Empty or spaces only.
    Blank,
    /// A `#` comment after the indentation.
    Comment,
    Content,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    /// Where the line starts in the source.
    raw: usize,
    /// Where its text starts: after the indentation, or after `- ` for the
    /// first key of a mapping inside a sequence entry.
    start: usize,
    /// Byte offset of the line's end, its newline excluded.
    end: usize,
    /// The column `start` is at.
    indent: usize,
    kind: Kind,
    /// Whether a newline ends the line (false only for the last one).
    newline: bool,
}

fn split_lines(src: &str) -> Option<Vec<Line>> {
    let b = src.as_bytes();
    let mut lines = Vec::with_capacity(b.len() / 24 + 4);
    let mut at = 0;
    while at < b.len() {
        let end = memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        let text = &b[at..end];
        // Document markers and directives: the full reader's.
        if text.starts_with(b"---") || text.starts_with(b"...") || text.first() == Some(&b'%') || !screened(text) {
            return None;
        }
        let indent = text.iter().take_while(|&&c| c == b' ').count();
        let kind = match text.get(indent) {
            None => Kind::Blank,
            Some(b'#') => Kind::Comment,
            Some(_) => Kind::Content,
        };
        lines.push(Line { raw: at, start: at + indent, end, indent, kind, newline: end < b.len() });
        at = end + 1;
    }
    Some(lines)
}

struct Reader<'a> {
    src: &'a str,
    lines: Vec<Line>,
    pos: usize,
    depth: usize,
}

fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

impl<'a> Reader<'a> {
    fn current(&self) -> Option<Line> {
        self.lines.get(self.pos).copied()
    }

    fn text(&self, line: Line) -> &'a str {
        &self.src[line.start..line.end]
    }

    /// Moves past blank and comment lines.
    fn skip_blank(&mut self) {
        while self.lines.get(self.pos).is_some_and(|l| l.kind != Kind::Content) {
            self.pos += 1;
        }
    }

    /// The block node on the following lines, indented deeper than
    /// `parent`; null when there is none.
    fn node(&mut self, parent: isize) -> Option<Value> {
        self.skip_blank();
        let Some(line) = self.current() else { return Some(Value::Nil) };
        if line.indent as isize <= parent {
            return Some(Value::Nil);
        }
        if is_entry(self.text(line)) {
            self.sequence(line.indent)
        } else {
            self.mapping(line.indent)
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn mapping(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let mut entries = BTreeMap::new();
        loop {
            self.skip_blank();
            let Some(line) = self.current() else { break };
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let text = self.text(line);
            let (key, after) = key(text)?;
            let rest = text[after..].trim_start_matches(' ');
            self.pos += 1;
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.skip_blank();
                match self.current() {
                    Some(next) if next.indent > indent => self.node(indent as isize)?,
                    // A sequence may sit at its key's own indentation.
                    Some(next) if next.indent == indent && is_entry(self.text(next)) => self.sequence(indent)?,
                    _ => Value::Nil,
                }
            } else {
                self.inline(rest, indent)?
            };
            entries.insert(key, value);
        }
        self.depth -= 1;
        Some(Value::map(entries))
    }

    fn sequence(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let Some(line) = self.current() else { break };
            let text = self.text(line);
            if line.indent != indent || !is_entry(text) {
                if line.indent > indent {
                    return None;
                }
                break;
            }
            let spaces = text[1..].bytes().take_while(|&c| c == b' ').count();
            let rest = &text[1 + spaces..];
            if rest.is_empty() || rest.starts_with('#') {
                self.pos += 1;
                items.push(self.node(indent as isize)?);
            } else if is_entry(rest) {
                return None;
            } else if has_separator(rest) {
                // A mapping starting on the entry's line: its keys line up
                // with the first one.
                let column = indent + 1 + spaces;
                let l = &mut self.lines[self.pos];
                l.start += 1 + spaces;
                l.indent = column;
                items.push(self.mapping(column)?);
            } else {
                self.pos += 1;
                items.push(self.inline(rest, indent)?);
            }
        }
        self.depth -= 1;
        Some(Value::list(items))
    }

    /// A value written after its key or dash; `owner` is the
    /// indentation of the mapping or sequence it belongs to.
    fn inline(&mut self, rest: &'a str, owner: usize) -> Option<Value> {
        let value = match rest.as_bytes()[0] {
            b'"' => {
                let (s, used) = double_quoted(rest)?;
                trailing_ok(&rest[used..])?;
                Value::str(&s)
            }
            b'\'' => {
                let (s, used) = single_quoted(rest)?;
                trailing_ok(&rest[used..])?;
                Value::str(&s)
            }
            b'|' => self.literal(rest, owner)?,
            b'[' => {
                let (items, used) = flow_sequence(rest)?;
                trailing_ok(&rest[used..])?;
                Value::list(items)
            }
            b'{' => {
                let inner = rest[1..].trim_start_matches(' ');
                if !inner.starts_with('}') {
                    return None;
                }
                trailing_ok(&inner[1..])?;
                Value::map(BTreeMap::new())
            }
            _ => {
                let first = plain_value(rest)?;
                let commented = first.len() < rest.trim_end_matches(' ').len();
                match self.continuation(first, commented, owner)? {
                    Some(folded) => typed(&folded)?,
                    None => typed(first)?,
                }
            }
        };
        // A deeper line next would continue the value (or be an error).
        self.skip_blank();
        if self.current().is_some_and(|l| l.indent > owner) {
            return None;
        }
        Some(value)
    }

    /// The lines that continue a plain scalar whose first line was
    /// `first` (deeper than `owner`), folded as YAML folds them: a line
    /// break between two lines becomes a space, and each empty line between
    /// them a newline. `Some(None)` when no line continues it; `None` for
    /// what this reader leaves alone (comments on or among the lines, lines
    /// starting with an indicator, `: ` inside them).
    fn continuation(&mut self, first: &str, commented: bool, owner: usize) -> Option<Option<String>> {
        let mut folded: Option<String> = None;
        let mut empty = 0;
        let mut at = self.pos;
        while let Some(l) = self.lines.get(at).copied() {
            match l.kind {
                Kind::Blank => {
                    empty += 1;
                    at += 1;
                    continue;
                }
                Kind::Comment if l.indent > owner => return None,
                _ if l.indent <= owner => break,
                _ => {}
            }
            let text = self.text(l);
            // After a comment, a continuing line is libyaml's "comment
            // intercepting the multiline text".
            if commented || !plain_start(text.as_bytes()) || text.starts_with('-') {
                return None;
            }
            let part = plain_value(text)?;
            // A comment ending the line ends the scalar; more lines after it
            // would be an error.
            if part.len() < text.trim_end_matches(' ').len() {
                return None;
            }
            let out = folded.get_or_insert_with(|| first.to_string());
            if empty == 0 {
                out.push(' ');
            } else {
                for _ in 0..empty {
                    out.push('\n');
                }
            }
            out.push_str(part);
            empty = 0;
            at += 1;
            self.pos = at;
        }
        Some(folded)
    }

    /// A literal block scalar (`|` or `|-`) whose header is `rest`.
    fn literal(&mut self, rest: &str, owner: usize) -> Option<Value> {
        let mut h = &rest[1..];
        let strip = h.starts_with('-');
        if strip {
            h = &h[1..];
        }
        let h = h.trim_start_matches(' ');
        if !(h.is_empty() || (h.starts_with('#') && rest.len() > h.len() + 1 + usize::from(strip))) {
            return None;
        }
        // Leading empty lines: only truly empty ones.
        let mut leading = 0;
        while let Some(l) = self.current() {
            if l.kind != Kind::Blank {
                break;
            }
            if l.end > l.raw {
                return None;
            }
            leading += 1;
            self.pos += 1;
        }
        let first = self.current()?;
        let indent = first.indent;
        if indent <= owner {
            return None;
        }
        let mut out = String::new();
        for _ in 0..leading {
            out.push('\n');
        }
        let mut pending = 0;
        while let Some(l) = self.current() {
            if l.kind == Kind::Blank {
                if l.end - l.raw > indent {
                    return None;
                }
                pending += 1;
                self.pos += 1;
                continue;
            }
            if l.indent < indent {
                break;
            }
            if !l.newline {
                return None;
            }
            for _ in 0..pending {
                out.push('\n');
            }
            pending = 0;
            out.push_str(&self.src[l.raw + indent..l.end]);
            out.push('\n');
            self.pos += 1;
        }
        if strip {
            out.pop();
        }
        Some(Value::str(&out))
    }
}

/// Whether `text` holds a `key: ` or `key:` at its end, as a mapping's first line.
fn has_separator(text: &str) -> bool {
    key_text(text).is_some()
}

/// A mapping line's key, as the JSON object key it becomes, and the offset
/// just after its `:`.
fn key(text: &str) -> Option<(Arc<str>, usize)> {
    let (k, quoted, after) = key_text(text)?;
    if quoted {
        return Some((Arc::from(&*k), after));
    }
    // yes, 1, 1.0 and the like become keys as the JSON round trip makes them.
    let node = match resolve(&k, Flavor::V2) {
        Resolved::Str | Resolved::Timestamp => return Some((Arc::from(&*k), after)),
        Resolved::Null => return None,
        Resolved::Bool(b) => Node::Bool(b),
        Resolved::Int(i) => Node::Int(i),
        Resolved::Uint(u) => Node::Uint(u),
        Resolved::Float(f) => Node::Float(f),
    };
    Some((Arc::from(json_key(&node, &Node::Null).ok()?.as_str()), after))
}

/// A mapping line's key as written (unquoted), whether it was quoted, and
/// the offset just after its `:`.
fn key_text(text: &str) -> Option<(Cow<'_, str>, bool, usize)> {
    let b = text.as_bytes();
    let (k, quoted, colon) = match b[0] {
        b'"' | b'\'' => {
            let (s, used) = if b[0] == b'"' { double_quoted(text)? } else { single_quoted(text)? };
            let spaces = text[used..].bytes().take_while(|&c| c == b' ').count();
            let colon = used + spaces;
            if b.get(colon) != Some(&b':') {
                return None;
            }
            (s, true, colon)
        }
        _ => {
            if !plain_start(b) {
                return None;
            }
            let colon = separator(b)?;
            let k = text[..colon].trim_end_matches(' ');
            if k == "<<" {
                return None;
            }
            (Cow::Borrowed(k), false, colon)
        }
    };
    if k.len() > MAX_KEY || !matches!(b.get(colon + 1), None | Some(b' ')) {
        return None;
    }
    Some((k, quoted, colon + 1))
}

/// The first `:` followed by a space or the line's end, if no comment comes first.
fn separator(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(off) = memchr2(b':', b'#', &b[i..]) {
        let at = i + off;
        if b[at] == b'#' {
            if at > 0 && b[at - 1] == b' ' {
                return None;
            }
        } else if matches!(b.get(at + 1), None | Some(b' ')) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Whether a plain scalar may start here (the indicators may not, except `-`
/// before a non-space).
fn plain_start(b: &[u8]) -> bool {
    match b[0] {
        b'-' => matches!(b.get(1), Some(c) if *c != b' '),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
        | b'%' | b'@' | b'`' | b' ' => false,
        _ => true,
    }
}

/// A plain scalar as go-yaml types it and the JSON round trip leaves it
/// (every number a float64); `None` for what JSON cannot hold.
fn typed(text: &str) -> Option<Value> {
    // `decode::scalar` of an untagged plain scalar, then `to_json_value`.
    Some(match resolve(text, Flavor::V2) {
        Resolved::Null => Value::Nil,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Float(i as f64),
        Resolved::Uint(u) => Value::Float(u as f64),
        Resolved::Float(f) if f.is_finite() => Value::Float(f),
        Resolved::Float(_) => return None,
        Resolved::Str | Resolved::Timestamp => Value::str(text),
    })
}

/// A one-line plain scalar value: up to a comment, trailing spaces dropped.
/// `None` for a `: ` inside it or a `:` at its end (libyaml's "mapping
/// values are not allowed in this context").
fn plain_value(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    if !plain_start(b) {
        return None;
    }
    let mut end = b.len();
    let mut i = 0;
    while let Some(off) = memchr2(b':', b'#', &b[i..]) {
        let at = i + off;
        if b[at] == b'#' {
            if b[at - 1] == b' ' {
                end = at;
                break;
            }
        } else if matches!(b.get(at + 1), None | Some(b' ')) {
            return None;
        }
        i = at + 1;
    }
    Some(text[..end].trim_end_matches(' '))
}

/// A one-line flow sequence of scalars (`[]`, `["ALL"]`, `[a, b]`): its items
/// and the bytes it took. Plain items are kept to characters that cannot
/// end or start anything in a flow collection.
fn flow_sequence(text: &str) -> Option<(Vec<Value>, usize)> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut i = 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b']') {
        return Some((items, i + 1));
    }
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        let (value, used) = match *b.get(i)? {
            b'"' => {
                let (s, used) = double_quoted(&text[i..])?;
                (Value::str(&s), used)
            }
            b'\'' => {
                let (s, used) = single_quoted(&text[i..])?;
                (Value::str(&s), used)
            }
            _ => {
                let len = b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-' | b'+'))
                    .count();
                if len == 0 || b[i] == b'-' && len == 1 {
                    return None;
                }
                (typed(&text[i..i + len])?, len)
            }
        };
        items.push(value);
        i += used;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match *b.get(i)? {
            b']' => return Some((items, i + 1)),
            b',' => i += 1,
            _ => return None,
        }
    }
}

/// After a quoted scalar or a flow collection: nothing, or spaces and
/// perhaps a comment.
fn trailing_ok(rest: &str) -> Option<()> {
    let t = rest.trim_start_matches(' ');
    (t.is_empty() || (t.starts_with('#') && t.len() < rest.len())).then_some(())
}

/// A single-quoted scalar closed on the same line: its value and the bytes it took.
fn single_quoted(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let off = memchr(b'\'', &b[1..])?;
    if b.get(1 + off + 1) != Some(&b'\'') {
        return Some((Cow::Borrowed(&text[1..1 + off]), off + 2));
    }
    let mut out = String::new();
    let mut i = 1;
    loop {
        let off = memchr(b'\'', &b[i..])?;
        out.push_str(&text[i..i + off]);
        i += off + 1;
        if b.get(i) == Some(&b'\'') {
            out.push('\'');
            i += 1;
        } else {
            return Some((Cow::Owned(out), i));
        }
    }
}

/// A double-quoted scalar closed on the same line: its value and the bytes it took.
fn double_quoted(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let off = memchr2(b'"', b'\\', &b[1..])?;
    if b[1 + off] == b'"' {
        return Some((Cow::Borrowed(&text[1..1 + off]), off + 2));
    }
    let mut out = String::new();
    let mut i = 1;
    loop {
        let off = memchr2(b'"', b'\\', &b[i..])?;
        out.push_str(&text[i..i + off]);
        i += off;
        if b[i] == b'"' {
            return Some((Cow::Owned(out), i + 1));
        }
        let (c, used) = escape(&text[i + 1..])?;
        out.push(c);
        i += 1 + used;
    }
}

/// libyaml's escapes after a backslash: the character and the bytes taken.
fn escape(s: &str) -> Option<(char, usize)> {
    let c = match *s.as_bytes().first()? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let n = match s.as_bytes()[0] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = s.get(1..1 + n)?;
            if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, 1 + n));
        }
        _ => return None,
    };
    Some((c, 1))
}

#[cfg(test)]
mod tests;
