//! TOML as Helm 4.3.1 writes and reads it: the BurntSushi/toml v1.6.0
//! `Encoder` (`toToml`, `mustToToml`) and `Unmarshal` into a
//! `map[string]interface{}` (`fromToml`), with its output bytes and, for
//! the common mistakes, its error texts.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rhelm_template::strconv::format_float;
use rhelm_template::{Error, FuncMap, Function, Object, Type, Value};

/// A TOML error; `Display` is Go's `err.Error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TomlError(String);

impl TomlError {
    fn new(msg: impl Into<String>) -> TomlError {
        TomlError(msg.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TomlError {}

// ---------------------------------------------------------------------------
// Encoding

/// `toml.NewEncoder(w).Encode(v)`: the text written.
pub fn to_string(v: &Value) -> Result<String, TomlError> {
    crate::yaml::with_stack_for(crate::yaml::value_depth(v), || {
        let mut e = Encoder { out: String::new() };
        e.encode(&[], v)?;
        Ok(e.out)
    })
}

/// What the encoder makes of a value's type (BurntSushi's `tomlTypeOfGo`).
#[derive(PartialEq, Eq)]
enum Kind {
    Nil,
    Table,
    ArrayOfTables,
    Other,
}

fn kind(v: &Value) -> Result<Kind, TomlError> {
    Ok(match v {
        Value::Nil => Kind::Nil,
        Value::Map(_) => Kind::Table,
        Value::List(l) => {
            if l.items.is_empty() {
                return Ok(Kind::Other);
            }
            let mut all_tables = true;
            for item in l.items.iter() {
                match kind(item)? {
                    Kind::Nil => return Err(TomlError::new("toml: cannot encode array with nil element")),
                    Kind::Table => {}
                    _ => all_tables = false,
                }
            }
            if all_tables {
                Kind::ArrayOfTables
            } else {
                Kind::Other
            }
        }
        Value::Complex(..) => return Err(TomlError::new("unsupported type: complex128")),
        _ => Kind::Other,
    })
}

/// A key piece, bare when it can be.
fn quote_key(k: &str) -> Cow<'_, str> {
    if k.is_empty() {
        return Cow::Borrowed("\"\"");
    }
    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        Cow::Borrowed(k)
    } else {
        Cow::Owned(format!("\"{}\"", escape(k)))
    }
}

fn key_path(key: &[&str]) -> String {
    key.iter().map(|k| quote_key(k)).collect::<Vec<_>>().join(".")
}

/// BurntSushi's `dblQuotedReplacer`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

struct Encoder {
    out: String,
}

impl Encoder {
    /// BurntSushi writes a line break only once something has been written.
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(&mut self, key: &[&str]) {
        for _ in 1..key.len() {
            self.out.push_str("  ");
        }
    }

    fn encode(&mut self, key: &[&str], v: &Value) -> Result<(), TomlError> {
        match v {
            // Go: reflect.ValueOf(nil).Type() panics; text/template reports the panic.
            Value::Nil if key.is_empty() => Err(TomlError::new("reflect: call of reflect.Value.Type on zero Value")),
            Value::Nil => Ok(()),
            Value::Map(m) => {
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    self.indent(key);
                    self.out.push_str(&format!("[{}]", key_path(key)));
                    self.newline();
                }
                self.map_body(key, &m.entries)
            }
            Value::List(l) if kind(v)? == Kind::ArrayOfTables => {
                if key.is_empty() {
                    return Err(TomlError::new("toml: top-level values must be Go maps or structs"));
                }
                for item in l.items.iter() {
                    let Value::Map(m) = item else { continue };
                    self.newline();
                    self.indent(key);
                    self.out.push_str(&format!("[[{}]]", key_path(key)));
                    self.newline();
                    self.map_body(key, &m.entries)?;
                }
                Ok(())
            }
            Value::Complex(..) => {
                Err(TomlError::new(format!("unsupported type for key '{}': complex128", key_path(key))))
            }
            _ => self.key_value(key, v, false),
        }
    }

    /// A table's entries: plain values first, then tables, each group in key order.
    fn map_body(&mut self, key: &[&str], entries: &BTreeMap<Arc<str>, Value>) -> Result<(), TomlError> {
        let (direct, sub) = split_entries(entries)?;
        for (k, v) in direct.into_iter().chain(sub) {
            let mut path = key.to_vec();
            path.push(k);
            self.encode(&path, v)?;
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[&str], v: &Value, inline: bool) -> Result<(), TomlError> {
        if let Some(last) = key.last() {
            self.indent(key);
            self.out.push_str(&quote_key(last));
            self.out.push_str(" = ");
        }
        self.element(v)?;
        if !inline && !key.is_empty() {
            self.newline();
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), TomlError> {
        match v {
            Value::Str(s) => self.out.push_str(&format!("\"{}\"", escape(s))),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint8(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => self.out.push_str(&format_toml_float(*f)),
            Value::Bytes(b) => {
                let items: Vec<String> = b.iter().map(u8::to_string).collect();
                self.out.push_str(&format!("[{}]", items.join(", ")));
            }
            Value::List(l) => {
                self.out.push('[');
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.element(item)?;
                }
                self.out.push(']');
            }
            Value::Map(m) => {
                let (direct, sub) = split_entries(&m.entries)?;
                let trail = !sub.is_empty();
                self.out.push('{');
                for (group, trailing) in [(direct, trail), (sub, false)] {
                    let n = group.len();
                    for (i, (k, v)) in group.into_iter().enumerate() {
                        self.key_value(&[k], v, true)?;
                        if trailing || i + 1 != n {
                            self.out.push_str(", ");
                        }
                    }
                }
                self.out.push('}');
            }
            Value::Object(o) => {
                let text = if o.has_method("MarshalText") {
                    o.call_method("MarshalText", &[]).map(|t| crate::conv::strval(&t)).map_err(TomlError::new)?
                } else {
                    let mut s = String::new();
                    o.format(&mut s);
                    s
                };
                self.out.push_str(&format!("\"{}\"", escape(&text)));
            }
            Value::Nil => return Err(TomlError::new("toml: cannot encode array with nil element")),
            Value::Complex(..) => return Err(TomlError::new("unexpected type: complex128")),
        }
        Ok(())
    }
}

type Entries<'a> = Vec<(&'a str, &'a Value)>;

/// Splits a table's non-nil entries into plain values and sub-tables.
fn split_entries(entries: &BTreeMap<Arc<str>, Value>) -> Result<(Entries<'_>, Entries<'_>), TomlError> {
    let (mut direct, mut sub) = (Vec::new(), Vec::new());
    for (k, v) in entries {
        match kind(v)? {
            Kind::Nil => {}
            Kind::Table | Kind::ArrayOfTables => sub.push((&**k, v)),
            Kind::Other => direct.push((&**k, v)),
        }
    }
    Ok((direct, sub))
}

/// `floatAddDecimal(strconv.FormatFloat(f, 'g', -1, 64))`, and TOML's nan/inf.
fn format_toml_float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    let s = format_float(f, b'g', -1);
    if s.contains(['e', '.']) {
        s
    } else {
        s + ".0"
    }
}

// ---------------------------------------------------------------------------
// Decoding

/// `toml.Unmarshal` into a `map[string]interface{}`.
pub fn from_str(src: &str) -> Result<BTreeMap<Arc<str>, Value>, TomlError> {
    // Arrays and inline tables are parsed recursively; the brackets bound the depth.
    let depth_bound = src.bytes().filter(|&b| b == b'[' || b == b'{').count();
    crate::yaml::with_stack_for(depth_bound.min(MAX_DEPTH + 1), || {
        let mut p = Parser { s: src.as_bytes(), src, pos: 0, line: 1, last_key: String::new(), depth: 0 };
        let mut root = Table::default();
        p.document(&mut root)?;
        Ok(root.into_map())
    })
}

/// How deeply arrays and inline tables may nest (a guard for our stack;
/// BurntSushi has none).
const MAX_DEPTH: usize = 10_000;

/// A table under construction, with what TOML needs to reject redefinitions.
#[derive(Default, Clone)]
struct Table {
    entries: BTreeMap<String, Item>,
    /// Defined by a `[header]` (or implicitly through one).
    explicit: bool,
    /// Defined by dotted keys in a key/value line.
    dotted: bool,
    /// An inline table: closed to later additions.
    inline: bool,
}

#[derive(Clone)]
enum Item {
    Value(Value),
    Table(Table),
    /// An array of tables (`[[x]]`).
    Tables(Vec<Table>),
    /// A static array that holds inline tables.
    Array(Vec<Item>),
}

impl Table {
    fn into_map(self) -> BTreeMap<Arc<str>, Value> {
        self.entries.into_iter().map(|(k, v)| (Arc::from(k.as_str()), v.into_value())).collect()
    }
}

impl Item {
    fn into_value(self) -> Value {
        match self {
            Item::Value(v) => v,
            Item::Table(t) => Value::map(t.into_map()),
            Item::Tables(ts) => Value::list(ts.into_iter().map(|t| Value::map(t.into_map())).collect()),
            Item::Array(items) => Value::list(items.into_iter().map(Item::into_value).collect()),
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    line: usize,
    /// The last key read, which BurntSushi names in its errors.
    last_key: String,
    /// Nesting of arrays and inline tables.
    depth: usize,
}

type PResult<T> = Result<T, TomlError>;

impl Parser<'_> {
    fn err(&self, msg: impl Into<String>) -> TomlError {
        let msg = msg.into();
        if self.last_key.is_empty() {
            TomlError::new(format!("toml: line {}: {msg}", self.line))
        } else {
            TomlError::new(format!("toml: line {} (last key {}): {msg}", self.line, go_quote(&self.last_key)))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.pos += 1;
            }
        }
    }

    /// Blank lines, comments and line breaks, as between items and in arrays.
    fn skip_ws_comments_newlines(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some(b'\n') => {
                    self.bump();
                }
                Some(b'\r') if self.s.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 1;
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn document(&mut self, root: &mut Table) -> PResult<()> {
        // The path of the current table header and whether it is an array of tables.
        let mut current: Vec<String> = Vec::new();
        let mut current_is_array = false;
        loop {
            self.skip_ws_comments_newlines();
            let Some(c) = self.peek() else { return Ok(()) };
            if c == b'[' {
                self.pos += 1;
                let array = self.peek() == Some(b'[');
                if array {
                    self.pos += 1;
                }
                self.skip_ws();
                if self.peek() == Some(b']') {
                    return Err(self.err("unexpected end of table name (table names cannot be empty)"));
                }
                let path = self.key()?;
                self.skip_ws();
                let close = if array { "]]" } else { "]" };
                if !self.src[self.pos..].starts_with(close) {
                    let got = self.peek_char().map_or("EOF".to_string(), go_quote_rune);
                    return Err(if array {
                        self.err(format!("expected end of table array name delimiter ']', but got {got} instead"))
                    } else {
                        self.err(format!("expected '.' or ']' to end table name, but got {got} instead"))
                    });
                }
                self.pos += close.len();
                self.last_key.clear();
                self.define_table(root, &path, array)?;
                current = path;
                current_is_array = array;
            } else {
                let table = self.open_table(root, &current, current_is_array)?;
                self.key_value_into(table)?;
                // BurntSushi names the key only while its value is being read.
                self.last_key.clear();
            }
            self.end_of_line()?;
        }
    }

    /// After an item: only blanks, a comment, a line break or the end.
    fn end_of_line(&mut self) -> PResult<()> {
        self.skip_ws();
        self.skip_comment();
        match self.peek_char() {
            None | Some('\n') => Ok(()),
            Some('\r') if self.s.get(self.pos + 1) == Some(&b'\n') => Ok(()),
            Some(c) => Err(self.err(format!(
                "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                go_quote_rune(c)
            ))),
        }
    }

    /// A possibly dotted key.
    fn key(&mut self) -> PResult<Vec<String>> {
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let part = match self.peek() {
                Some(b'"') => self.basic_string()?,
                Some(b'\'') => self.literal_string()?,
                Some(b'=') if parts.is_empty() => return Err(self.err("unexpected '=': key name appears blank")),
                Some(b'.') if parts.is_empty() => return Err(self.err("unexpected '.': keys cannot start with a '.'")),
                Some(b'=') => return Err(self.err("unexpected '='")),
                Some(b'.') => return Err(self.err("unexpected '.'")),
                None => return Err(self.err("unexpected EOF")),
                _ => {
                    let start = self.pos;
                    while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
                        self.pos += 1;
                    }
                    if start == self.pos {
                        let c = self.peek_char().unwrap_or('\u{fffd}');
                        return Err(self.err(format!("bare keys cannot contain {}", go_quote_rune(c))));
                    }
                    self.src[start..self.pos].to_string()
                }
            };
            parts.push(part);
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.pos += 1;
            } else {
                return Ok(parts);
            }
        }
    }

    fn key_value_into(&mut self, table: &mut Table) -> PResult<()> {
        let path = self.key()?;
        self.skip_ws();
        match self.peek_char() {
            Some('=') => self.pos += 1,
            None => return Err(self.err("unexpected EOF; expected key separator '='")),
            Some(c) => return Err(self.err(format!("expected '.' or '=', but got {} instead", go_quote_rune(c)))),
        }
        self.last_key = path.join(".");
        self.skip_ws();
        let value = self.value()?;
        let (last, parents) = path.split_last().expect("a key has at least one part");
        let mut t = table;
        for (i, p) in parents.iter().enumerate() {
            let entry =
                t.entries.entry(p.clone()).or_insert_with(|| Item::Table(Table { dotted: true, ..Table::default() }));
            t = match entry {
                Item::Table(sub) if !sub.inline && (sub.dotted || !sub.explicit) => sub,
                _ => return Err(self.err(format!("Key '{}' has already been defined.", path[..=i].join(".")))),
            };
        }
        if t.entries.contains_key(last) {
            return Err(self.err(format!("Key '{}' has already been defined.", path.join("."))));
        }
        t.entries.insert(last.clone(), value);
        Ok(())
    }

    /// Finds (creating as needed) the table a header names.
    fn define_table(&mut self, root: &mut Table, path: &[String], array: bool) -> PResult<()> {
        let (last, parents) = path.split_last().expect("a key has at least one part");
        let t = self.walk(root, parents)?;
        let name = path.join(".");
        match t.entries.get_mut(last) {
            None => {
                let new = Table { explicit: true, ..Table::default() };
                t.entries.insert(last.clone(), if array { Item::Tables(vec![new]) } else { Item::Table(new) });
                Ok(())
            }
            Some(Item::Tables(ts)) if array => {
                ts.push(Table { explicit: true, ..Table::default() });
                Ok(())
            }
            Some(Item::Table(sub)) if !array && !sub.explicit && !sub.dotted && !sub.inline => {
                sub.explicit = true;
                Ok(())
            }
            Some(Item::Table(_)) if array => Err(self.err(format!("Key '{name}' was already created as a hash."))),
            Some(Item::Value(_) | Item::Array(_)) if array => {
                Err(self.err(format!("Key '{name}' was already created and cannot be used as an array.")))
            }
            Some(_) => Err(self.err(format!("Key '{name}' has already been defined."))),
        }
    }

    /// The table at `path` below `root`, creating implicit tables; the last
    /// table of an array of tables stands for the array.
    fn walk<'t>(&self, root: &'t mut Table, path: &[String]) -> PResult<&'t mut Table> {
        let mut t = root;
        for (i, p) in path.iter().enumerate() {
            let entry = t.entries.entry(p.clone()).or_insert_with(|| Item::Table(Table::default()));
            t = match entry {
                Item::Table(sub) if !sub.inline => sub,
                Item::Tables(ts) => ts.last_mut().expect("arrays of tables are never empty"),
                _ => return Err(self.err(format!("Key '{}' has already been defined.", path[..=i].join(".")))),
            };
        }
        Ok(t)
    }

    fn open_table<'t>(&self, root: &'t mut Table, path: &[String], _array: bool) -> PResult<&'t mut Table> {
        self.walk(root, path)
    }

    fn value(&mut self) -> PResult<Item> {
        let Some(c) = self.peek_char() else { return Err(self.err("unexpected EOF; expected value")) };
        Ok(Item::Value(match c {
            '"' => Value::string(if self.src[self.pos..].starts_with("\"\"\"") {
                self.ml_basic_string()?
            } else {
                self.basic_string()?
            }),
            '\'' => Value::string(if self.src[self.pos..].starts_with("'''") {
                self.ml_literal_string()?
            } else {
                self.literal_string()?
            }),
            '[' | '{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.err("exceeded max depth"));
                }
                let r = if c == '[' { self.array() } else { self.inline_table() };
                self.depth -= 1;
                return r;
            }
            't' if self.src[self.pos..].starts_with("true") => {
                self.pos += 4;
                Value::Bool(true)
            }
            'f' if self.src[self.pos..].starts_with("false") => {
                self.pos += 5;
                Value::Bool(false)
            }
            '+' | '-' | '0'..='9' | 'i' | 'n' => self.number_or_date()?,
            '.' => return Err(self.err("floats must start with a digit, not '.'")),
            c => return Err(self.err(format!("expected value but found {} instead", go_quote_rune(c)))),
        }))
    }

    fn array(&mut self) -> PResult<Item> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws_comments_newlines();
            match self.peek() {
                None => return Err(self.err("unexpected EOF; expected value")),
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => return Err(self.err("unexpected comma")),
                _ => {}
            }
            items.push(self.value()?);
            self.skip_ws_comments_newlines();
            match self.peek_char() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.err("expected a comma (',') or array terminator (']'), but got end of file")),
                Some(c) => {
                    return Err(self.err(format!(
                        "expected a comma (',') or array terminator (']'), but got {}",
                        go_quote_rune(c)
                    )))
                }
            }
        }
        Ok(Item::Array(items))
    }

    /// `{ k = v, ... }`; TOML 1.1 (which v1.6.0 reads) allows line breaks and a trailing comma.
    fn inline_table(&mut self) -> PResult<Item> {
        self.pos += 1;
        let mut t = Table::default();
        let saved_key = self.last_key.clone();
        loop {
            self.skip_ws_comments_newlines();
            match self.peek() {
                None => return Err(self.err("unexpected EOF; expected value")),
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => return Err(self.err("unexpected comma")),
                _ => {}
            }
            self.key_value_into(&mut t)?;
            self.skip_ws_comments_newlines();
            match self.peek_char() {
                Some(',') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                None => {
                    return Err(
                        self.err("expected a comma or an inline table terminator '}', but got end of file instead")
                    )
                }
                Some(c) => {
                    return Err(self.err(format!(
                        "expected a comma or an inline table terminator '}}', but got {} instead",
                        go_quote_rune(c)
                    )))
                }
            }
        }
        self.last_key = saved_key;
        t.inline = true;
        Ok(Item::Table(t))
    }

    fn basic_string(&mut self) -> PResult<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek_char() {
                None | Some('\n') => return Err(self.err("unexpected EOF; expected '\"'")),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => self.escape(&mut out)?,
                Some(c) => {
                    self.pos += c.len_utf8();
                    out.push(c);
                }
            }
        }
    }

    fn ml_basic_string(&mut self) -> PResult<String> {
        self.pos += 3;
        if self.peek() == Some(b'\n') {
            self.bump();
        } else if self.src[self.pos..].starts_with("\r\n") {
            self.pos += 1;
            self.bump();
        }
        let mut out = String::new();
        loop {
            if self.src[self.pos..].starts_with("\"\"\"") {
                // Up to two more quotes belong to the content.
                let mut extra = 0;
                while extra < 2 && self.src[self.pos + 3 + extra..].starts_with('"') {
                    extra += 1;
                }
                out.extend(std::iter::repeat_n('"', extra));
                self.pos += 3 + extra;
                return Ok(out);
            }
            match self.peek_char() {
                None => return Err(self.err("unexpected EOF; expected '\"\"\"'")),
                Some('\\') => {
                    // A line-ending backslash trims the break and following whitespace.
                    let rest = &self.src[self.pos + 1..];
                    let trimmed = rest.trim_start_matches([' ', '\t']);
                    if trimmed.starts_with('\n') || trimmed.starts_with("\r\n") {
                        self.pos += 1;
                        while let Some(c) = self.peek_char().filter(|c| c.is_whitespace()) {
                            let _ = c;
                            self.bump();
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some(c) => {
                    self.bump();
                    out.push(c);
                }
            }
        }
    }

    fn literal_string(&mut self) -> PResult<String> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek_char() {
                None | Some('\n') => return Err(self.err("unexpected EOF; expected \"'\"")),
                Some('\'') => {
                    let s = self.src[start..self.pos].to_string();
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
    }

    fn ml_literal_string(&mut self) -> PResult<String> {
        self.pos += 3;
        if self.peek() == Some(b'\n') {
            self.bump();
        } else if self.src[self.pos..].starts_with("\r\n") {
            self.pos += 1;
            self.bump();
        }
        let start = self.pos;
        loop {
            if self.src[self.pos..].starts_with("'''") {
                let mut extra = 0;
                while extra < 2 && self.src[self.pos + 3 + extra..].starts_with('\'') {
                    extra += 1;
                }
                let s = self.src[start..self.pos + extra].to_string();
                self.pos += 3 + extra;
                return Ok(s);
            }
            if self.bump().is_none() {
                return Err(self.err("unexpected EOF; expected \"'''\""));
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> PResult<()> {
        self.pos += 1;
        let Some(c) = self.peek_char() else { return Err(self.err("unexpected EOF; expected '\"'")) };
        self.pos += c.len_utf8();
        let simple = match c {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            return Ok(());
        }
        let (digits, name) = match c {
            'x' => (2, "two"),
            'u' => (4, "four"),
            'U' => (8, "eight"),
            _ => return Err(self.err(format!("invalid escape in string '\\{c}'"))),
        };
        let hex: String = self.src[self.pos..].chars().take(digits).collect();
        if hex.len() != digits || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
            return Err(self
                .err(format!("expected {name} hexadecimal digits after '\\{c}', but got {} instead", go_quote(&hex))));
        }
        self.pos += digits;
        let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
        match char::from_u32(code) {
            Some(ch) => out.push(ch),
            None => return Err(self.err(format!("Escaped character '\\u{hex}' is not valid UTF-8."))),
        }
        Ok(())
    }

    /// Numbers, inf/nan, and date-times (which TOML writes unquoted).
    fn number_or_date(&mut self) -> PResult<Value> {
        let start = self.pos;
        // A date-time may contain one space between date and time.
        while let Some(c) = self.peek() {
            let date_space = c == b' '
                && self.pos - start == 10
                && self.s.get(start + 4) == Some(&b'-')
                && self.s.get(self.pos + 1).is_some_and(u8::is_ascii_digit);
            if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'_' | b':') || date_space {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = &self.src[start..self.pos];
        if let Some(v) = parse_datetime(text) {
            return Ok(v);
        }
        parse_number(text).map_err(|m| {
            // Junk after a number is found after the value, when no key is current.
            if m.starts_with("expected a top-level item") {
                self.last_key.clear();
            }
            self.err(m)
        })
    }
}

fn parse_number(text: &str) -> Result<Value, String> {
    let unsigned = text.trim_start_matches(['+', '-']);
    let negative = text.starts_with('-');
    match unsigned {
        "inf" => return Ok(Value::Float(if negative { f64::NEG_INFINITY } else { f64::INFINITY })),
        "nan" => return Ok(Value::Float(if negative { -f64::NAN } else { f64::NAN })),
        _ => {}
    }
    for (prefix, radix, name) in [("0x", 16, "hexadecimal"), ("0o", 8, "octal"), ("0b", 2, "binary")] {
        if let Some(digits) = text.strip_prefix(prefix) {
            let clean = underscores(digits).ok_or_else(|| {
                format!("Invalid integer {}: underscores must be surrounded by digits", go_quote(text))
            })?;
            return i64::from_str_radix(&clean, radix)
                .map(Value::Int64)
                .map_err(|_| format!("not a {name} number: '{text}'"));
        }
        if unsigned.starts_with(prefix) {
            return Err(format!("cannot use sign with non-decimal numbers: '{text}'"));
        }
    }
    let is_float = unsigned.contains(['.', 'e', 'E']);
    let clean = underscores(text).ok_or_else(|| {
        format!(
            "Invalid {} {}: underscores must be surrounded by digits",
            if is_float { "float" } else { "integer" },
            go_quote(text)
        )
    })?;
    let body = clean.trim_start_matches(['+', '-']);
    if body.len() > 1 && body.starts_with('0') && body.as_bytes()[1].is_ascii_digit() {
        return Err(format!(
            "Invalid {} {}: cannot have leading zeroes",
            if is_float { "float" } else { "integer" },
            go_quote(text)
        ));
    }
    if !body.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || !body.bytes().all(|b| b.is_ascii_digit() || b"eE+-.".contains(&b))
    {
        let bad = text.chars().find(|c| !c.is_ascii_digit() && !"+-._eE".contains(*c)).unwrap_or('?');
        return Err(format!(
            "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
            go_quote_rune(bad)
        ));
    }
    if is_float {
        if body.contains(".e") || body.contains(".E") || body.ends_with('.') {
            return Err(format!("Invalid float {}: '.' must be followed by one or more digits", go_quote(text)));
        }
        return clean.parse::<f64>().map(Value::Float).map_err(|_| format!("Invalid float value: {}", go_quote(text)));
    }
    clean
        .parse::<i64>()
        .map(Value::Int64)
        .map_err(|_| format!("Integer {} is out of the range of 64-bit signed integers.", go_quote(text)))
}

/// Removes underscores, which must each sit between two digits.
fn underscores(s: &str) -> Option<String> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_'
            && !(i > 0 && b[i - 1].is_ascii_alphanumeric() && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
        {
            return None;
        }
    }
    Some(s.replace('_', ""))
}

/// TOML date-times become Go `time.Time` values; local ones carry
/// BurntSushi's pseudo-locations (`date-local`, `time-local`, `datetime-local`).
fn parse_datetime(text: &str) -> Option<Value> {
    let b = text.as_bytes();
    let is_date = |s: &[u8]| {
        s.len() == 10 && s[4] == b'-' && s[7] == b'-' && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| s[i].is_ascii_digit())
    };
    let is_time = |s: &[u8]| s.len() >= 5 && s[2] == b':' && [0, 1, 3, 4].iter().all(|&i| s[i].is_ascii_digit());
    let (date, rest) = if b.len() >= 10 && is_date(&b[..10]) { (Some(&text[..10]), &text[10..]) } else { (None, text) };
    let time_text = match (date, rest.as_bytes().first()) {
        (Some(_), None) => None,
        (Some(_), Some(b'T' | b't' | b' ')) => Some(&rest[1..]),
        (Some(_), Some(_)) => return None,
        (None, _) if is_time(rest.as_bytes()) => Some(rest),
        (None, _) => return None,
    };
    let (clock, zone) = match time_text {
        None => (None, None),
        Some(t) => {
            let split = t.find(['Z', 'z', '+']).or_else(|| t.get(1..).and_then(|x| x.find('-').map(|i| i + 1)));
            match split {
                Some(i) => (Some(&t[..i]), Some(&t[i..])),
                None => (Some(t), None),
            }
        }
    };
    let clock = match clock {
        Some(c) => {
            let cb = c.as_bytes();
            if !is_time(cb) {
                return None;
            }
            // TOML 1.1: seconds are optional.
            let (hms, frac) = c.split_once('.').unwrap_or((c, ""));
            let full = if hms.len() == 5 { format!("{hms}:00") } else { hms.to_string() };
            if full.len() != 8 || !frac.bytes().all(|d| d.is_ascii_digit()) {
                return None;
            }
            Some((full, frac.trim_end_matches('0').to_string()))
        }
        None => None,
    };
    let frac_text = |frac: &str| if frac.is_empty() { String::new() } else { format!(".{frac}") };
    let (display, json) = match (date, clock, zone) {
        (Some(d), None, None) => (format!("{d} 00:00:00 +0000 date-local"), format!("{d}T00:00:00Z")),
        (None, Some((t, f)), None) => {
            (format!("0000-01-01 {t}{} +0000 time-local", frac_text(&f)), format!("0000-01-01T{t}{}Z", frac_text(&f)))
        }
        (Some(d), Some((t, f)), None) => {
            (format!("{d} {t}{} +0000 datetime-local", frac_text(&f)), format!("{d}T{t}{}Z", frac_text(&f)))
        }
        (Some(d), Some((t, f)), Some(z)) => {
            let (offset, name) = if z.eq_ignore_ascii_case("z") {
                ("+0000".to_string(), "UTC".to_string())
            } else {
                let o = z.replace(':', "");
                (o.clone(), o)
            };
            let jz = if z.eq_ignore_ascii_case("z") { "Z".to_string() } else { z.to_string() };
            (format!("{d} {t}{} {offset} {name}", frac_text(&f)), format!("{d}T{t}{}{jz}", frac_text(&f)))
        }
        _ => return None,
    };
    Some(Value::Object(Arc::new(TomlDatetime { display, json })))
}

/// A decoded TOML date-time: prints as Go's `time.Time` does and marshals
/// to JSON as RFC 3339.
#[derive(Debug)]
struct TomlDatetime {
    display: String,
    json: String,
}

impl Object for TomlDatetime {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("time.Time")
    }

    fn format(&self, out: &mut String) {
        out.push_str(&self.display);
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "MarshalJSON" | "MarshalText")
    }

    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        match name {
            "MarshalJSON" => Ok(Value::string(format!("\"{}\"", self.json))),
            "MarshalText" => Ok(Value::str(&self.json)),
            _ => Err(format!("can't call method {name}")),
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Go's `%q` of a string.
fn go_quote(s: &str) -> String {
    rhelm_template::strconv::quote(s)
}

/// Go's `%q` of a rune.
fn go_quote_rune(c: char) -> String {
    crate::json::quote_rune(c)
}

// ---------------------------------------------------------------------------
// Template functions

/// Helm's `toToml`, `mustToToml` and `fromToml`.
pub fn register(m: &mut FuncMap) {
    m.insert(
        "toToml",
        Function::new(&[Type::Any], None, |a| match to_string(&a[0]) {
            Ok(s) => Ok(Value::string(s)),
            // A reflect panic is not an encoder error: Go reports it as the call's failure.
            Err(e) if e.0.starts_with("reflect:") => Err(Error::msg(e.0)),
            Err(e) => Ok(Value::string(e.0)),
        }),
    );
    m.insert(
        "mustToToml",
        Function::new(&[Type::Any], None, |a| to_string(&a[0]).map(Value::string).map_err(|e| Error::msg(e.0))),
    );
    m.insert(
        "fromToml",
        Function::new(&[Type::String], None, |a| {
            let src = a[0].as_str().unwrap_or("");
            Ok(Value::map(from_str(src).unwrap_or_else(|e| BTreeMap::from([(Arc::from("Error"), Value::string(e.0))]))))
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        crate::yaml::from_str(s).unwrap()
    }

    #[test]
    fn encodes_like_burntsushi() {
        let got = to_string(&v("m: {t: {a: [{x: 1}, {w: [1, 2]}], b: {c: {d: 1.5}}, s: \"q\\\"\\u0001\"}, top: 1e6, l: [1, a, {z: 1}], e: {}, n: null, k y: true}")).unwrap();
        assert_eq!(
            got,
            "[m]\n  \"k y\" = true\n  l = [1.0, \"a\", {z = 1.0}]\n  top = 1e+06\n  [m.e]\n  [m.t]\n    s = \"q\\\"\\u0001\"\n\n    [[m.t.a]]\n      x = 1.0\n\n    [[m.t.a]]\n      w = [1.0, 2.0]\n    [m.t.b]\n      [m.t.b.c]\n        d = 1.5\n"
        );
        assert_eq!(to_string(&Value::str("x")).unwrap(), "\"x\"");
        assert_eq!(to_string(&Value::Float(1.0)).unwrap(), "1.0");
    }

    #[test]
    fn decodes_toml() {
        let m = from_str("a.b = 1\na.c = \"\"\"x\ny\"\"\"\nd = 'lit'\n[t]\nx = [1, 2.5, \"s\", {q = true}]\n[[arr]]\nn = 1\n[[arr]]\nn = 0x1F\n").unwrap();
        let json = crate::json::to_string(&Value::map(m), true).unwrap();
        assert_eq!(
            json,
            r#"{"a":{"b":1,"c":"x\ny"},"arr":[{"n":1},{"n":31}],"d":"lit","t":{"x":[1,2.5,"s",{"q":true}]}}"#
        );
        assert_eq!(
            from_str("a = 1\na = 2").unwrap_err().to_string(),
            "toml: line 2 (last key \"a\"): Key 'a' has already been defined."
        );
        assert_eq!(
            from_str("a = ").unwrap_err().to_string(),
            "toml: line 1 (last key \"a\"): unexpected EOF; expected value"
        );
        assert_eq!(from_str("= 1").unwrap_err().to_string(), "toml: line 1: unexpected '=': key name appears blank");
    }
}
