//! sigs.k8s.io/yaml's `Unmarshal`: go-yaml v2 decodes the first document
//! into `interface{}` (YAML 1.1 typing, anchors, merge keys), the result is
//! made JSON-compatible (keys become strings), marshalled to JSON and read
//! back, so every number ends up a float64.
//!
//! The low-level parsing is saphyr-parser's (a YAML 1.2 parser); the typing,
//! alias and merge semantics, and the wording of errors (libyaml's, with
//! go-yaml's line-number rules) are ours.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rhelm_template::Value;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::block::BlockScalar;
use super::node::Node;
use super::resolve::{format_float32_g, resolve, Flavor, Resolved};
use super::YamlError;

/// A parsed node before decoding, anchors resolved to shared nodes.
#[derive(Debug)]
enum Raw {
    Scalar {
        value: String,
        plain: bool,
        tag: String,
    },
    Seq(Vec<Arc<Raw>>),
    Map(Vec<(Arc<Raw>, Arc<Raw>)>),
    /// `target` is None for an alias inside its own anchor's node.
    Alias {
        name: String,
        target: Option<Arc<Raw>>,
    },
}

/// The document (first one only, as go-yaml's `Unmarshal` reads it),
/// decoded and made JSON-compatible. `Value::Nil` for an empty stream.
pub(crate) fn unmarshal(src: &str) -> Result<Value, YamlError> {
    match super::fast::unmarshal(src) {
        Some(value) => Ok(value),
        None => unmarshal_full(src),
    }
}

/// [`unmarshal`] through the event stream, for any text.
pub(super) fn unmarshal_full(src: &str) -> Result<Value, YamlError> {
    let (raw, depth) = parse_first_document(src).map_err(|e| convert_err(format!("yaml: {e}")))?;
    let Some(raw) = raw else { return Ok(Value::Nil) };
    // Aliases can nest deeper than the text does; the decoder guards that.
    super::with_stack_for(depth.saturating_mul(2), move || decode_tree(raw))
}

/// Decodes the parsed tree (and drops it) on the caller's stack.
fn decode_tree(raw: Arc<Raw>) -> Result<Value, YamlError> {
    let mut d = Decoder::default();
    let node = d.decode(&raw).map_err(|e| convert_err(format!("yaml: {e}")))?;
    drop(raw);
    let value = to_json_value(&node).map_err(convert_err)?;
    if let Some(f) = first_non_finite(&value) {
        let text = rhelm_template::strconv::format_float(f, b'g', -1);
        return Err(convert_err(format!("json: unsupported value: {text}")));
    }
    Ok(value)
}

/// sigs.k8s.io/yaml's `YAMLToJSON` of the first document, as Kubernetes
/// objects are read from a manifest: unlike [`unmarshal`], integers stay
/// integers (and so does an integral float, which Go's JSON encoder prints
/// without a fraction).
pub(crate) fn to_json(src: &str) -> Result<serde_json::Value, YamlError> {
    let (raw, depth) = parse_first_document(src).map_err(|e| convert_err(format!("yaml: {e}")))?;
    let Some(raw) = raw else { return Ok(serde_json::Value::Null) };
    super::with_stack_for(depth.saturating_mul(2), move || {
        let mut d = Decoder::default();
        let node = d.decode(&raw).map_err(|e| convert_err(format!("yaml: {e}")))?;
        drop(raw);
        node_to_json(&node).map_err(convert_err)
    })
}

fn node_to_json(node: &Node) -> Result<serde_json::Value, String> {
    use serde_json::{Number, Value as J};
    Ok(match node {
        Node::Null => J::Null,
        Node::Bool(b) => J::Bool(*b),
        Node::Int(i) => J::Number(Number::from(*i)),
        Node::Uint(u) => J::Number(Number::from(*u)),
        Node::Float(f) if !f.is_finite() => {
            return Err(format!("json: unsupported value: {}", rhelm_template::strconv::format_float(*f, b'g', -1)))
        }
        Node::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => J::Number(Number::from(*f as i64)),
        Node::Float(f) => Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
        Node::Str(s) => J::String(s.clone()),
        Node::Seq(items) => J::Array(items.iter().map(node_to_json).collect::<Result<_, _>>()?),
        Node::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                map.insert(json_key(k, v)?, node_to_json(v)?);
            }
            J::Object(map)
        }
    })
}

fn convert_err(msg: String) -> YamlError {
    YamlError::new(format!("error converting YAML to JSON: {msg}"))
}

// ---------------------------------------------------------------------------
// Parsing (saphyr events to a tree)

/// Why parsing stopped: saphyr's error, or one of ours.
enum Failure {
    Scan(ScanError),
    Msg(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Failure {
        Failure::Msg(m)
    }
}

impl From<&str> for Failure {
    fn from(m: &str) -> Failure {
        Failure::Msg(m.to_string())
    }
}

/// Parses the first document. libyaml takes a tab after a `:` indicator as
/// the separating blank, saphyr does not: such tabs are read as spaces.
/// libyaml checks no indentation inside flow collections, saphyr does:
/// such lines are moved right (see [`super::flow`]).
fn parse_first_document(src: &str) -> Result<(Option<Arc<Raw>>, usize), String> {
    let mut text = std::borrow::Cow::Borrowed(src);
    for _ in 0..256 {
        match parse_events(&text) {
            Ok(raw) => return Ok(raw),
            Err(Failure::Msg(m)) => return Err(m),
            Err(Failure::Scan(e)) => {
                let fixed = if e.info().contains("':' must be followed by a valid YAML whitespace") {
                    tab_after_colon(&text, e.marker().index())
                } else if e.info().starts_with("invalid indentation") || e.info().contains("tab") {
                    let at = CharOffsets::new(&text).byte(e.marker().index());
                    super::flow::indent_flow_lines(&text, at)
                } else {
                    None
                };
                match fixed {
                    Some(f) => text = std::borrow::Cow::Owned(f),
                    None => return Err(scan_error(&text, &e)),
                }
            }
        }
    }
    Err("document has too many tabs after ':' or badly indented flow collections".into())
}

/// The text with the tab after the `:` at character `index` made a space.
fn tab_after_colon(text: &str, index: usize) -> Option<String> {
    // saphyr's marker sits at or next to the colon.
    let (colon_at, _) = text
        .char_indices()
        .skip(index.saturating_sub(2))
        .take(5)
        .find(|&(i, c)| c == ':' && text[i + 1..].starts_with('\t'))?;
    let mut fixed = text.to_string();
    fixed.replace_range(colon_at + 1..colon_at + 2, " ");
    Some(fixed)
}

/// Byte offsets of character indexes (saphyr's markers count characters).
struct CharOffsets(Option<Vec<usize>>);

impl CharOffsets {
    fn new(src: &str) -> CharOffsets {
        CharOffsets((!src.is_ascii()).then(|| src.char_indices().map(|(i, _)| i).chain([src.len()]).collect()))
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.0 {
            None => char_index,
            Some(v) => v.get(char_index).copied().unwrap_or_else(|| *v.last().unwrap_or(&0)),
        }
    }
}

/// libyaml's plain-scalar scanner consumes the blanks and line breaks after
/// the scalar, and on a following line a tab left of the block's indentation
/// is an error (saphyr accepts it). `line` is the 1-based line of `end`.
fn tab_violating_indent(src: &str, end: usize, line: usize, indent: usize) -> Result<(), Failure> {
    let after = src.get(end..).unwrap_or("");
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    if let Some(value) = after[blanks..].strip_prefix(':') {
        if value.is_empty() || value.starts_with([' ', '\t', '\n', '\r']) {
            return tab_starting_line(src, src.len() - value.len(), line);
        }
    }
    let (mut line, mut col, mut leading_blanks) = (line, 0usize, false);
    let mut rest = after.chars().peekable();
    while let Some(c) = rest.next() {
        match c {
            ' ' | '\t' => {
                if c == '\t' && leading_blanks && col < indent {
                    return Err(Failure::Msg(format!("line {line}: found a tab character that violates indentation")));
                }
                col += 1;
            }
            '\n' | '\r' => {
                if c == '\r' && rest.peek() == Some(&'\n') {
                    rest.next();
                }
                line += 1;
                col = 0;
                leading_blanks = true;
            }
            _ => break,
        }
    }
    Ok(())
}

/// libyaml's implicit keys sit on one line with their `:`; saphyr lets a
/// flow mapping's key and `:` span lines. libyaml then reads the `:` as a
/// value with no key, where the mapping wants a `,` or `}`. Lines are 1-based.
fn key_on_one_line(src: &str, end: usize, start_line: usize, end_line: usize) -> Result<(), Failure> {
    let mut line = end_line;
    let mut rest = src.get(end..).unwrap_or("").chars().peekable();
    while let Some(c) = rest.next() {
        match c {
            ' ' | '\t' => {}
            '\n' | '\r' => {
                if c == '\r' && rest.peek() == Some(&'\n') {
                    rest.next();
                }
                line += 1;
            }
            '#' => while rest.next_if(|&c| c != '\n' && c != '\r').is_some() {},
            ':' if line > start_line => {
                // A parser error: go-yaml names the 0-based line of the `:`.
                return Err(Failure::Msg(format!("line {}: did not find expected ',' or '}}'", line - 1)));
            }
            _ => break,
        }
    }
    Ok(())
}

/// In block context libyaml skips no tab at the start of a line: one there,
/// even on an otherwise blank line, cannot start any token (saphyr takes
/// the line as blank). Checked after a token that, unlike a plain scalar,
/// leaves the following blank lines to the scanner; a plain key leaves
/// them too, after its `:`. `line` is the 1-based line of `end`.
fn tab_starting_line(src: &str, end: usize, line: usize) -> Result<(), Failure> {
    let (mut line, mut line_start) = (line, false);
    let mut rest = src.get(end..).unwrap_or("").chars().peekable();
    while let Some(c) = rest.next() {
        match c {
            ' ' => {}
            '\t' if line_start => {
                return Err(Failure::Msg(format!("line {line}: found character that cannot start any token")));
            }
            '\t' => {}
            // The value indicator after a quoted key.
            ':' if !line_start && rest.peek().is_none_or(|c| c.is_whitespace()) => {}
            '#' => while rest.next_if(|&c| c != '\n' && c != '\r').is_some() {},
            '\n' | '\r' => {
                if c == '\r' && rest.peek() == Some(&'\n') {
                    rest.next();
                }
                line += 1;
                line_start = true;
            }
            _ => break,
        }
    }
    Ok(())
}

/// The first document's tree and its greatest nesting depth.
fn parse_events(src: &str) -> Result<(Option<Arc<Raw>>, usize), Failure> {
    check_version_directive(src)?;
    let mut parser = Parser::new_from_str(src);
    let mut anchors: HashMap<usize, Arc<Raw>> = HashMap::new();
    let mut names: HashMap<usize, String> = HashMap::new();
    // Open collections: (anchor id, tag, items) where maps hold alternating keys and values.
    let mut stack: Vec<(usize, bool, Vec<Arc<Raw>>)> = Vec::new();
    let mut in_document = false;
    let mut depth_guard = 0usize;
    let mut max_depth = 0usize;
    // The column of each open block collection (None for flow ones), for
    // libyaml's check of tabs after a plain scalar.
    let mut indents: Vec<Option<usize>> = Vec::new();
    let offsets = CharOffsets::new(src);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(Failure::Scan)?;
        let done: Option<(usize, Arc<Raw>)> = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                in_document = true;
                None
            }
            Event::DocumentEnd => {
                if in_document {
                    return Ok((
                        Some(Arc::new(Raw::Scalar { value: String::new(), plain: true, tag: String::new() })),
                        0,
                    ));
                }
                None
            }
            Event::Alias(id) => {
                if !matches!(indents.last(), Some(None)) {
                    tab_starting_line(src, offsets.byte(span.end.index()), span.end.line())?;
                }
                let name = names.get(&id).cloned().unwrap_or_default();
                Some((0, Arc::new(Raw::Alias { name, target: anchors.get(&id).cloned() })))
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor > 0 {
                    names.insert(anchor, anchor_name(src, span.start.index()));
                }
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix)).unwrap_or_default();
                let plain = style == ScalarStyle::Plain;
                if let (Some(None), Some((_, true, items))) = (indents.last(), stack.last()) {
                    if items.len() % 2 == 0 {
                        key_on_one_line(src, offsets.byte(span.end.index()), span.start.line(), span.end.line())?;
                    }
                }
                if let Some(Some(col)) = indents.last().copied().or(Some(Some(usize::MAX))) {
                    let end = offsets.byte(span.end.index());
                    if plain {
                        let indent = if col == usize::MAX { 0 } else { col + 1 };
                        tab_violating_indent(src, end, span.end.line(), indent)?;
                    } else if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
                        tab_starting_line(src, end, span.end.line())?;
                    }
                }
                let mut value = value.into_owned();
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    let parent = match indents.last() {
                        Some(Some(col)) => *col as isize,
                        _ => -1,
                    };
                    let block = BlockScalar::new(src, offsets.byte(span.start.index()), parent);
                    if let Some(line) = block.tab_in_indentation() {
                        let msg = "found a tab character where an indentation space is expected";
                        return Err(Failure::Msg(format!("line {line}: {msg}")));
                    }
                    // Cut off by the end of the text: saphyr ends the last
                    // line with a break the text does not have.
                    if offsets.byte(span.end.index()) == src.len()
                        && !src.ends_with(['\n', '\r'])
                        && value.ends_with('\n')
                        && block.holds_last_line()
                    {
                        value.pop();
                    }
                } else if plain && matches!(indents.last(), Some(None)) && value.starts_with(['|', '>']) {
                    // libyaml has no plain scalar starting with a block
                    // indicator, in flow context either.
                    return Err(Failure::Msg("found character that cannot start any token".into()));
                }
                Some((anchor, Arc::new(Raw::Scalar { value, plain, tag })))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                depth_guard += 1;
                max_depth = max_depth.max(depth_guard);
                if depth_guard > 10_000 {
                    return Err(Failure::Msg("exceeded max depth of 10000".into()));
                }
                if anchor > 0 {
                    names.insert(anchor, anchor_name(src, span.start.index()));
                }
                let flow = src[offsets.byte(span.start.index())..].starts_with(['{', '[']);
                indents.push((!flow).then(|| span.start.col()));
                stack.push((anchor, matches!(event, Event::MappingStart(..)), Vec::new()));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth_guard -= 1;
                if indents.pop() == Some(None) && !matches!(indents.last(), Some(None)) {
                    tab_starting_line(src, offsets.byte(span.end.index()), span.end.line())?;
                }
                let Some((anchor, is_map, items)) = stack.pop() else { continue };
                let node = if is_map {
                    let mut it = items.into_iter();
                    let mut pairs = Vec::new();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    Raw::Map(pairs)
                } else {
                    Raw::Seq(items)
                };
                Some((anchor, Arc::new(node)))
            }
        };
        if let Some((anchor, node)) = done {
            if anchor > 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                Some((_, _, items)) => items.push(node),
                None => return Ok((Some(node), max_depth)),
            }
        }
    }
    Ok((None, 0))
}

/// libyaml reads only `%YAML 1.1` (and 1.x before it, with a warning) documents.
fn check_version_directive(src: &str) -> Result<(), String> {
    for line in src.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix("%YAML") {
            let version = rest.split_whitespace().next().unwrap_or("");
            if version != "1.1" && version != "1.0" {
                return Err("found incompatible YAML document".into());
            }
        } else if !line.is_empty() && !line.starts_with('#') && !line.starts_with('%') {
            break;
        }
    }
    Ok(())
}

/// Whether `&name` appears in the text before character `index`.
fn defines_anchor_before(src: &str, index: usize, name: &str) -> bool {
    let before: String = src.chars().take(index).collect();
    before.match_indices('&').any(|(i, _)| {
        let rest = &before[i + 1..];
        rest.starts_with(name)
            && rest[name.len()..].chars().next().is_none_or(|c| c.is_whitespace() || ",[]{}".contains(c))
    })
}

/// The name of the anchor written at `index` (a character index), for messages.
fn anchor_name(src: &str, index: usize) -> String {
    let rest: String = src.chars().skip(index).collect();
    let rest = rest.trim_start_matches(|c| c != '&' && c != '*');
    rest.chars().skip(1).take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c)).collect()
}

/// libyaml's wording of saphyr's errors, with go-yaml's line rules: scanner
/// errors name their (1-based) line unless it is the first; parser errors
/// name the 0-based line of the offending token (so the line before it).
fn scan_error(src: &str, e: &ScanError) -> String {
    let info = e.info();
    // Alias errors come from go-yaml's decoder, which names no line.
    if info.contains("found unknown anchor") {
        let name = anchor_name(src, e.marker().index());
        return if defines_anchor_before(src, e.marker().index(), &name) {
            // saphyr registers an anchor when its node ends; go-yaml at its
            // start, so an alias inside its own anchor's node is this error.
            format!("anchor '{name}' value contains itself")
        } else {
            format!("unknown anchor '{name}' referenced")
        };
    }
    let mut line = e.marker().line(); // 1-based
    let (mut msg, mut scanner) = libyaml_message(info);
    // libyaml's scanner rejects `*` or `&` without a name where saphyr's parser stumbles later.
    let mut here = src.chars().skip(e.marker().index());
    if let (Some('*' | '&'), next) = (here.next(), here.next()) {
        if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            msg = "did not find expected alphabetic or numeric character".into();
            scanner = true;
        }
    }
    // saphyr rejects a badly indented continuation of a quoted scalar;
    // libyaml reads on to the closing quote, or fails at the end of input.
    if info.contains("in quoted scalar") && !closes_later(src, e.marker().index()) {
        msg = "found unexpected end of stream".into();
        scanner = true;
        line = src.matches('\n').count() + usize::from(!src.ends_with('\n')) + 1;
    }
    // saphyr marks the header of a block scalar whose next line starts
    // with a tab; libyaml marks the tab.
    if info.contains("a block scalar content cannot start with a tab") {
        msg = "found a tab character where an indentation space is expected".into();
        scanner = true;
        line += 1;
    }
    // An unclosed flow collection: libyaml names the bracket it expected.
    if info.starts_with("invalid indentation") && innermost_open_bracket(src, e.marker().index()).is_some() {
        msg = match innermost_open_bracket(src, e.marker().index()) {
            Some('{') => "did not find expected ',' or '}'".into(),
            _ => "did not find expected ',' or ']'".into(),
        };
        scanner = false;
    }
    // saphyr's implicit `key: value` pair in a flow sequence is a mapping of
    // its own; libyaml's ends with its value and the sequence expects more.
    if info.contains("flow mapping, did not find expected ',' or '}'")
        && innermost_open_bracket(src, e.marker().index()) == Some('[')
    {
        msg = "did not find expected ',' or ']'".into();
    }
    let shown = if scanner { line } else { line.saturating_sub(1) };
    if scanner && line <= 1 || !scanner && shown == 0 {
        msg
    } else {
        format!("line {shown}: {msg}")
    }
}

/// Whether a quote of the kind that opened the scalar before `index` follows it.
fn closes_later(src: &str, index: usize) -> bool {
    let upto: String = src.chars().take(index + 1).collect();
    let quote = upto.rfind(['"', '\'']).and_then(|i| upto[i..].chars().next()).unwrap_or('"');
    src.chars().skip(index + 1).any(|c| c == quote)
}

/// The innermost `[` or `{` still open before `index` (quotes ignored roughly).
fn innermost_open_bracket(src: &str, index: usize) -> Option<char> {
    let mut stack = Vec::new();
    for c in src.chars().take(index) {
        match c {
            '[' | '{' => stack.push(c),
            ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

fn libyaml_message(info: &str) -> (String, bool) {
    const TABLE: &[(&str, &str, bool)] = &[
        ("mapping values are not allowed", "mapping values are not allowed in this context", true),
        ("block mapping, did not find expected key", "did not find expected key", false),
        ("flow sequence, expected ',' or ']'", "did not find expected ',' or ']'", false),
        // A key over two lines in a flow sequence: libyaml takes the ':' as
        // a value with no key, which the sequence does not expect.
        ("illegal placement of ':' indicator", "did not find expected ',' or ']'", false),
        ("flow mapping, did not find expected ',' or '}'", "did not find expected ',' or '}'", false),
        ("did not find expected '-' indicator", "did not find expected '-' indicator", false),
        ("did not find expected node content", "did not find expected node content", false),
        ("found unexpected end of stream", "found unexpected end of stream", true),
        ("unexpected character", "found character that cannot start any token", true),
        ("simple key expect", "could not find expected ':'", true),
        ("misplaced bracket", "did not find expected key", false),
        ("found unknown escape character", "found unknown escape character", true),
        ("did not find expected hexadecimal number", "did not find expected hexdecimal number", true),
        ("found a tab", "found character that cannot start any token", true),
        ("tab", "found character that cannot start any token", true),
        ("invalid trailing content after double-quoted scalar", "did not find expected key", false),
        ("found unexpected document indicator", "found unexpected document indicator", true),
        ("did not find expected <document start>", "did not find expected <document start>", false),
        ("invalid indentation", "did not find expected key", false),
        ("wrongly indented line", "did not find expected key", false),
    ];
    for (needle, msg, scanner) in TABLE {
        if info.contains(needle) {
            return ((*msg).to_string(), *scanner);
        }
    }
    let msg = info.rsplit_once(", ").map_or(info, |(_, m)| m);
    (msg.to_string(), true)
}

// ---------------------------------------------------------------------------
// Decoding (go-yaml v2 into interface{})

#[derive(Default)]
struct Decoder {
    /// Nesting of the node being decoded, aliases expanded.
    depth: usize,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    active_aliases: HashSet<*const Raw>,
}

type DResult<T> = Result<T, String>;

impl Decoder {
    fn count(&mut self) -> DResult<()> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64 > allowed_alias_ratio(self.decode_count)
        {
            return Err("document contains excessive aliasing".into());
        }
        Ok(())
    }

    fn decode(&mut self, raw: &Arc<Raw>) -> DResult<Node> {
        self.depth += 1;
        let r = self.decode_node(raw);
        self.depth -= 1;
        r
    }

    fn decode_node(&mut self, raw: &Arc<Raw>) -> DResult<Node> {
        // Aliases inside aliases can nest beyond the text's depth; bound it
        // so that the recursion stays within the stack it is given.
        if self.depth > 100_000 {
            return Err("exceeded max depth of 10000".into());
        }
        self.count()?;
        match &**raw {
            Raw::Alias { name, target } => {
                let Some(target) = target else { return Err(format!("anchor '{name}' value contains itself")) };
                let key = Arc::as_ptr(raw);
                if !self.active_aliases.insert(key) {
                    return Err(format!("anchor '{name}' value contains itself"));
                }
                self.alias_depth += 1;
                let r = self.decode(target);
                self.alias_depth -= 1;
                self.active_aliases.remove(&key);
                r
            }
            Raw::Scalar { value, plain, tag } => scalar(value, *plain, tag),
            Raw::Seq(items) => Ok(Node::Seq(items.iter().map(|i| self.decode(i)).collect::<DResult<_>>()?)),
            Raw::Map(pairs) => {
                let mut out: Vec<(Node, Node)> = Vec::new();
                self.mapping_into(pairs, &mut out)?;
                Ok(Node::Map(out))
            }
        }
    }

    fn mapping_into(&mut self, pairs: &[(Arc<Raw>, Arc<Raw>)], out: &mut Vec<(Node, Node)>) -> DResult<()> {
        for (k, v) in pairs {
            if is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.decode(k)?;
            if matches!(key, Node::Seq(_) | Node::Map(_)) {
                return Err(format!("invalid map key: {}", go_syntax(&key, true)));
            }
            let value = self.decode(v)?;
            set_map_index(out, key, value);
        }
        Ok(())
    }

    /// `<<`: merge a mapping, an alias of one, or a sequence of those (the
    /// earlier ones winning), into the mapping being built.
    fn merge(&mut self, v: &Arc<Raw>, out: &mut Vec<(Node, Node)>) -> DResult<()> {
        const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";
        match &**v {
            Raw::Map(_) => self.merge_one(v, out),
            Raw::Alias { target, .. } => {
                if target.as_deref().is_some_and(|t| !matches!(t, Raw::Map(_))) {
                    return Err(WANT_MAP.into());
                }
                self.merge_one(v, out)
            }
            Raw::Seq(items) => {
                for item in items.iter().rev() {
                    let ok = match &**item {
                        Raw::Alias { target, .. } => !target.as_deref().is_some_and(|t| !matches!(t, Raw::Map(_))),
                        Raw::Map(_) => true,
                        _ => false,
                    };
                    if !ok {
                        return Err(WANT_MAP.into());
                    }
                    self.merge_one(item, out)?;
                }
                Ok(())
            }
            Raw::Scalar { .. } => Err(WANT_MAP.into()),
        }
    }

    fn merge_one(&mut self, v: &Arc<Raw>, out: &mut Vec<(Node, Node)>) -> DResult<()> {
        match self.decode(v)? {
            Node::Map(entries) => {
                for (k, val) in entries {
                    set_map_index(out, k, val);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// go-yaml v2's `allowedAliasRatio` (billion-laughs protection).
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let n = decode_count as f64;
    if n <= LOW {
        0.99
    } else if n >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((n - LOW) / (HIGH - LOW))
    }
}

fn is_merge(k: &Raw) -> bool {
    matches!(k, Raw::Scalar { value, plain, tag } if value == "<<" && ((*plain && tag.is_empty()) || short_tag(tag) == "!!merge"))
}

fn set_map_index(out: &mut Vec<(Node, Node)>, key: Node, value: Node) {
    match out.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => out.push((key, value)),
    }
}

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// go-yaml v2's `d.scalar` into `interface{}`.
fn scalar(value: &str, plain: bool, tag: &str) -> DResult<Node> {
    let tag = short_tag(tag);
    if tag.is_empty() && !plain {
        return Ok(Node::Str(value.to_string()));
    }
    if tag == "!!binary" {
        let bytes = decode_base64(value).ok_or("!!binary value contains invalid base64 data")?;
        return Ok(Node::Str(go_lossy_utf8(&bytes)));
    }
    let resolvable = matches!(tag.as_str(), "" | "!!str" | "!!bool" | "!!int" | "!!float" | "!!null" | "!!timestamp");
    if !resolvable || tag == "!!str" {
        return Ok(Node::Str(value.to_string()));
    }
    let resolved = resolve(value, Flavor::V2);
    let rtag = match resolved {
        Resolved::Null => "!!null",
        Resolved::Bool(_) => "!!bool",
        Resolved::Int(_) | Resolved::Uint(_) => "!!int",
        Resolved::Float(_) => "!!float",
        Resolved::Timestamp => "!!timestamp",
        Resolved::Str => "!!str",
    };
    let node = match resolved {
        Resolved::Null => Node::Null,
        Resolved::Bool(b) => Node::Bool(b),
        Resolved::Int(i) => Node::Int(i),
        Resolved::Uint(u) => Node::Uint(u),
        Resolved::Float(f) => Node::Float(f),
        // Timestamps reach interface{} targets as strings in go-yaml v2.
        Resolved::Timestamp | Resolved::Str => Node::Str(value.to_string()),
    };
    if tag.is_empty() || tag == rtag {
        return Ok(node);
    }
    if tag == "!!float" {
        if let Node::Int(i) = node {
            return Ok(Node::Float(i as f64));
        }
    }
    Err(format!("cannot decode {rtag} `{value}` as a {tag}"))
}

/// Go's `base64.StdEncoding.DecodeString`, which skips CR and LF.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|&b| b != b'\n' && b != b'\r').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let chunks = clean.chunks(4).collect::<Vec<_>>();
    for (n, chunk) in chunks.iter().enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && n + 1 != chunks.len()) {
            return None;
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = acc << 6 | val(c)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Go's handling of invalid UTF-8 when it is printed or JSON-encoded:
/// each bad byte becomes U+FFFD.
pub(crate) fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                out.push('\u{fffd}');
                rest = &rest[good + 1..];
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// sigs.k8s.io/yaml's JSON conversion

/// `convertToJSONableObject` followed by the JSON round trip: keys become
/// strings, numbers float64.
fn to_json_value(node: &Node) -> Result<Value, String> {
    Ok(match node {
        Node::Null => Value::Nil,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::Float(*i as f64),
        Node::Uint(u) => Value::Float(*u as f64),
        Node::Float(f) => Value::Float(*f),
        Node::Str(s) => Value::str(s),
        Node::Seq(items) => Value::list(items.iter().map(to_json_value).collect::<Result<_, _>>()?),
        Node::Map(entries) => {
            let mut map = BTreeMap::new();
            for (k, v) in entries {
                let key = json_key(k, v)?;
                map.insert(Arc::from(key.as_str()), to_json_value(v)?);
            }
            Value::map(map)
        }
    })
}

/// A YAML key as a JSON object key: ints in decimal, floats as float32 text,
/// bools as words. Other key types are errors.
pub(super) fn json_key(k: &Node, v: &Node) -> Result<String, String> {
    Ok(match k {
        Node::Str(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) if f.is_nan() => ".nan".into(),
        Node::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Node::Float(f) => format_float32_g(*f),
        Node::Bool(b) => b.to_string(),
        Node::Null => {
            return Err(format!("unsupported map key of type: %!s(<nil>), key: <nil>, value: {}", go_syntax(v, false)))
        }
        Node::Uint(u) => {
            return Err(format!("unsupported map key of type: uint64, key: 0x{u:x}, value: {}", go_syntax(v, false)))
        }
        Node::Seq(_) | Node::Map(_) => return Err(format!("invalid map key: {}", go_syntax(k, true))),
    })
}

/// Go's `%#v` of a decoded value (nested nils print as `interface {}(nil)`).
fn go_syntax(n: &Node, nested: bool) -> String {
    match n {
        Node::Null if nested => "interface {}(nil)".into(),
        Node::Null => "<nil>".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => format!("0x{u:x}"),
        Node::Float(f) => rhelm_template::strconv::format_float(*f, b'g', -1),
        Node::Str(s) => rhelm_template::strconv::quote(s),
        Node::Seq(items) => {
            let inner: Vec<String> = items.iter().map(|i| go_syntax(i, true)).collect();
            format!("[]interface {{}}{{{}}}", inner.join(", "))
        }
        Node::Map(entries) => {
            let mut inner: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}:{}", go_syntax(k, true), go_syntax(v, true))).collect();
            inner.sort();
            format!("map[interface {{}}]interface {{}}{{{}}}", inner.join(", "))
        }
    }
}

/// The first NaN or infinity in JSON-encoding order (sorted keys), which
/// `json.Marshal` refuses.
fn first_non_finite(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) if !f.is_finite() => Some(*f),
        Value::List(l) => l.items.iter().find_map(first_non_finite),
        Value::Map(m) => m.entries.values().find_map(first_non_finite),
        _ => None,
    }
}
