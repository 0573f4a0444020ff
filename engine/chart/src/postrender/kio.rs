//! kyaml's `kio.ParseAll`, `kio.StringAll` and the annotation filters
//! (`SetAnnotation`, `ClearAnnotation`, `ClearEmptyAnnotations`), on
//! [`Node`] documents.

use super::emitter::Encoder;
use super::node::{Kind, Node, SINGLE_QUOTED_STYLE};
use super::parser::Parser;
use super::scanner::YamlErr;
use super::Error;

const INDEX: &str = "internal.config.kubernetes.io/index";
const LEGACY_INDEX: &str = "config.kubernetes.io/index";
const SEQ_INDENT: &str = "internal.config.kubernetes.io/seqindent";

fn unsupported(what: impl Into<String>) -> Error {
    Error::Unsupported(what.into())
}

/// go-yaml's error text for a failed decode (`parser.fail`).
fn yaml_error(e: &YamlErr) -> Error {
    if e.unsupported {
        return unsupported(format!("a YAML {}", e.problem));
    }
    let mut line = 0;
    if e.context_mark.line != 0 {
        line = e.context_mark.line;
        if e.scanner {
            line += 1;
        }
    } else if e.problem_mark.line != 0 {
        line = e.problem_mark.line;
        if e.scanner {
            line += 1;
        }
    }
    let where_ = if line != 0 { format!("line {line}: ") } else { String::new() };
    Error::Helm(format!("MalformedYAMLError: yaml: {where_}{}", e.problem))
}

/// The first character go-yaml's UTF-8 reader refuses in `b`: its octet
/// offset and go-yaml's problem text.
fn reader_error(b: &[u8]) -> Option<(usize, &'static str)> {
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let (width, mut v) = match lead {
            _ if lead & 0x80 == 0 => (1, u32::from(lead)),
            _ if lead & 0xE0 == 0xC0 => (2, u32::from(lead & 0x1F)),
            _ if lead & 0xF0 == 0xE0 => (3, u32::from(lead & 0x0F)),
            _ if lead & 0xF8 == 0xF0 => (4, u32::from(lead & 0x07)),
            _ => return Some((i, "invalid leading UTF-8 octet")),
        };
        if i + width > b.len() {
            return Some((i, "incomplete UTF-8 octet sequence"));
        }
        for k in 1..width {
            let o = b[i + k];
            if o & 0xC0 != 0x80 {
                return Some((i, "invalid trailing UTF-8 octet"));
            }
            v = (v << 6) + u32::from(o & 0x3F);
        }
        let shortest = match width {
            1 => true,
            2 => v >= 0x80,
            3 => v >= 0x800,
            _ => v >= 0x10000,
        };
        if !shortest {
            return Some((i, "invalid length of a UTF-8 sequence"));
        }
        if (0xD800..=0xDFFF).contains(&v) || v > 0x10FFFF {
            return Some((i, "invalid Unicode character"));
        }
        let allowed = v == 0x09
            || v == 0x0A
            || v == 0x0D
            || (0x20..=0x7E).contains(&v)
            || v == 0x85
            || (0xA0..=0xD7FF).contains(&v)
            || (0xE000..=0xFFFD).contains(&v)
            || (0x10000..=0x10FFFF).contains(&v);
        if !allowed {
            return Some((i, "control characters are not allowed"));
        }
        i += width;
    }
    None
}

/// go-yaml reads its input 512 octets at a time and decodes each chunk
/// whole before scanning it; a refused character further on is only met
/// once the scanner gets there.
const FIRST_CHUNK: usize = 512;

/// One kio value as go-yaml's decoder sees it: its text, or the error
/// go-yaml reports when its reader refuses a character.
fn decodable(v: &[u8]) -> Result<String, Error> {
    if v.starts_with(&[0xFF, 0xFE]) || v.starts_with(&[0xFE, 0xFF]) {
        return Err(unsupported("UTF-16 YAML"));
    }
    // The reader drops a byte order mark that opens the stream.
    let (bom, v) = match v.strip_prefix(&[0xEF, 0xBB, 0xBF][..]) {
        Some(rest) => (3, rest),
        None => (0, v),
    };
    let Some((at, problem)) = reader_error(v) else {
        let text = String::from_utf8(v.to_vec()).map_err(|_| unsupported("YAML that is not UTF-8"))?;
        if text.contains('\u{FEFF}') {
            // go-yaml's scanner and emitter test the buffer's first octets
            // for a byte order mark wherever they are; not reproduced.
            return Err(unsupported("YAML holding a byte order mark"));
        }
        return Ok(text);
    };
    let refused = || Err(Error::Helm(format!("MalformedYAMLError: yaml: {problem}")));
    if bom + at + 4 <= FIRST_CHUNK {
        return refused();
    }
    // Later on, the refusal wins only if nothing before it fails: true when
    // the value is one well-formed document (the scanner then reads to the
    // end of the stream).
    let lossy = String::from_utf8_lossy(v);
    let mut p = Parser::new(lossy.as_bytes());
    if matches!(p.next_document(), Ok(Some(_))) && matches!(p.next_document(), Ok(None)) {
        return refused();
    }
    Err(unsupported("a character go-yaml's reader refuses, late in a document that does not parse"))
}

/// kio's `splitDocuments`: split at every `\n---.*\n`.
fn split_documents(s: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut docs = Vec::new();
    if s.is_empty() {
        return Ok(docs);
    }
    let mut prev = 0;
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\n' && s[i + 1..].starts_with(b"---") {
            if let Some(off) = s[i + 4..].iter().position(|&c| c == b'\n') {
                let end = i + 4 + off + 1;
                let Ok(sep) = std::str::from_utf8(&s[i..end]) else {
                    return Err(unsupported("a document separator that is not UTF-8"));
                };
                let after = sep[4..].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    return Err(Error::Helm(format!("invalid document separator: {}", sep.trim())));
                }
                docs.push(s[prev..i].to_vec());
                prev = end;
                i = end;
                continue;
            } else {
                break;
            }
        }
        i += 1;
    }
    docs.push(s[prev..].to_vec());
    Ok(docs)
}

/// kyaml's `strings.ReplaceAll(input, "\r\n", "\n")` on octets.
fn crlf_to_lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// `kio.ParseAll`: each document decoded (its first YAML document only),
/// empty and null ones dropped, reader annotations set.
pub fn parse_all(input: &[u8]) -> Result<Vec<Node>, Error> {
    let text = crlf_to_lf(input);
    let mut values = split_documents(&text)?;
    let n = values.len();
    let mut out = Vec::new();
    let mut index = 0;
    for (i, v) in values.iter_mut().enumerate() {
        if i != n - 1 {
            v.push(b'\n');
        }
        let v = decodable(v)?;
        let mut p = Parser::new(v.as_bytes());
        let doc = match p.next_document() {
            Ok(Some(d)) => d,
            Ok(None) => continue,
            Err(e) => return Err(yaml_error(&e)),
        };
        let root = &doc.content[0];
        if root.is_null() {
            continue;
        }
        check_meta(root)?;
        let mut doc = doc;
        let idx = index.to_string();
        set_annotation(&mut doc, LEGACY_INDEX, &idx)?;
        set_annotation(&mut doc, INDEX, &idx)?;
        let root = &doc.content[0];
        if n == 1 {
            // A lone List or ResourceList is replaced by its items.
            let kind = root.field("kind").map(|k| if k.is_null() { "" } else { k.value.as_str() }).unwrap_or("");
            if (kind == "List" || kind == "ResourceList")
                && (root.field("items").is_some() || root.field("functionConfig").is_some())
            {
                if let Some(items) = root.field("items") {
                    for item in &items.content {
                        check_meta(item)?;
                        out.push(item.clone());
                    }
                }
                continue;
            }
        }
        out.push(doc);
        index += 1;
    }
    Ok(out)
}

/// Refuses documents carrying kio's own annotations, which its reader and
/// writer copy, index or act on.
fn check_meta(root: &Node) -> Result<(), Error> {
    let Some(ann) = root.field("metadata").and_then(|m| m.field("annotations")) else { return Ok(()) };
    if ann.kind != Kind::Mapping {
        return Ok(());
    }
    for kv in ann.content.chunks(2) {
        let k = &kv[0].value;
        if k.starts_with("config.kubernetes.io/")
            || k.starts_with("internal.config.kubernetes.io/")
            || k == "config.k8s.io/id"
        {
            return Err(unsupported(format!("a document with kio's own annotation {k}")));
        }
    }
    Ok(())
}

/// kyaml's `InvalidNodeKindError` for a node that should be a mapping.
fn kind_error(n: &Node) -> Error {
    let kind = match n.kind {
        Kind::Document => "DocumentNode",
        Kind::Sequence => "SequenceNode",
        Kind::Mapping => "MappingNode",
        Kind::Scalar => "ScalarNode",
        Kind::Alias => "AliasNode",
    };
    let mut msg = format!("wrong node kind: expected MappingNode but got {kind}");
    let mut enc = Encoder::new();
    if enc.encode(n).is_ok() {
        if let Ok(out) = enc.finish() {
            msg.push_str(": node contents:\n");
            msg.push_str(&String::from_utf8_lossy(&out));
        }
    }
    Error::Helm(msg)
}

fn root_mut(doc: &mut Node) -> &mut Node {
    if doc.kind == Kind::Document {
        &mut doc.content[0]
    } else {
        doc
    }
}

fn root(doc: &Node) -> &Node {
    if doc.kind == Kind::Document {
        &doc.content[0]
    } else {
        doc
    }
}

/// `FieldClearer{Name, IfEmpty}` on a mapping (or null) node.
fn clear_field(m: &mut Node, name: &str, if_empty: bool) -> Result<(), Error> {
    if m.is_null() {
        return Ok(());
    }
    if m.kind != Kind::Mapping {
        return Err(kind_error(m));
    }
    let mut i = 0;
    while i + 1 < m.content.len() {
        if m.content[i].value == name {
            if if_empty && !m.content[i + 1].content.is_empty() {
                return Ok(());
            }
            m.content.drain(i..i + 2);
            return Ok(());
        }
        i += 2;
    }
    Ok(())
}

/// `ClearEmptyAnnotations`.
fn clear_empty_annotations(doc: &mut Node) -> Result<(), Error> {
    let r = root_mut(doc);
    if let Some(meta) = r.field_mut("metadata") {
        clear_field(meta, "annotations", true)?;
    }
    clear_field(r, "metadata", true)
}

/// `FieldMatcher{Name, Create: mapping}`: the value of `name`, appended as
/// an empty mapping when missing. None when `m` is null.
fn lookup_create<'a>(m: &'a mut Node, name: &str) -> Result<Option<&'a mut Node>, Error> {
    if m.is_null() {
        return Ok(None);
    }
    if m.kind != Kind::Mapping {
        return Err(kind_error(m));
    }
    let pos = m.content.chunks(2).position(|kv| kv[0].value == name);
    let i = match pos {
        Some(p) => 2 * p + 1,
        None => {
            m.content.push(Node::scalar(name));
            m.content.push(Node { kind: Kind::Mapping, ..Node::default() });
            m.content.len() - 1
        }
    };
    Ok(Some(&mut m.content[i]))
}

/// `SetAnnotation(key, value)`.
pub fn set_annotation(doc: &mut Node, key: &str, value: &str) -> Result<(), Error> {
    clear_empty_annotations(doc)?;
    let r = root_mut(doc);
    let Some(meta) = lookup_create(r, "metadata")? else { return Ok(()) };
    let Some(ann) = lookup_create(meta, "annotations")? else { return Ok(()) };
    if ann.is_null() {
        return Ok(());
    }
    if ann.kind != Kind::Mapping {
        return Err(kind_error(ann));
    }
    let mut v = Node {
        kind: Kind::Scalar,
        tag: "!!str".into(),
        value: value.to_string(),
        style: SINGLE_QUOTED_STYLE,
        ..Node::default()
    };
    if value.contains('\n') {
        return Err(unsupported("a multi-line annotation value"));
    }
    match ann.content.chunks(2).position(|kv| kv[0].value == key) {
        Some(p) => {
            // FieldSetter keeps the existing value's style and replaces the node.
            let old = &mut ann.content[2 * p + 1];
            v.style = old.style;
            *old = v;
        }
        None => {
            ann.content.push(Node::scalar(key));
            ann.content.push(v);
        }
    }
    Ok(())
}

/// `ClearAnnotation(key)`.
pub fn clear_annotation(doc: &mut Node, key: &str) -> Result<(), Error> {
    let r = root_mut(doc);
    if r.is_null() {
        return Ok(());
    }
    let Some(meta) = r.field_mut("metadata") else { return Ok(()) };
    if meta.is_null() {
        return Ok(());
    }
    if meta.kind != Kind::Mapping {
        return Err(kind_error(meta));
    }
    let Some(ann) = meta.field_mut("annotations") else { return Ok(()) };
    clear_field(ann, key, false)
}

/// `GetMeta().Annotations[key]` (the last of duplicate keys).
pub fn annotation(doc: &Node, key: &str) -> Option<String> {
    let meta = root(doc).field("metadata")?;
    let ann = meta.field("annotations")?;
    if ann.kind != Kind::Mapping {
        return None;
    }
    ann.content.chunks(2).filter(|kv| kv[0].value == key).last().map(|kv| {
        if kv[1].is_null() {
            String::new()
        } else {
            kv[1].value.clone()
        }
    })
}

/// `kio.StringAll`: reader annotations cleared, documents encoded as one
/// stream.
pub fn string_all(nodes: Vec<Node>) -> Result<String, Error> {
    let mut enc = Encoder::new();
    for mut n in nodes {
        clear_annotation(&mut n, INDEX)?;
        clear_annotation(&mut n, LEGACY_INDEX)?;
        clear_annotation(&mut n, SEQ_INDENT)?;
        clear_empty_annotations(&mut n)?;
        enc.encode(&n).map_err(|e| Error::Helm(format!("yaml: {e}")))?;
    }
    let out = enc.finish().map_err(|e| Error::Helm(format!("yaml: {e}")))?;
    String::from_utf8(out).map_err(|_| unsupported("YAML output that is not UTF-8"))
}
