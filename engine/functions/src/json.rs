//! Go's `encoding/json` as Helm 4.3.1 (go1.27) uses it: `Marshal`,
//! `MarshalIndent`, an `Encoder` without HTML escaping, and `Unmarshal` into
//! `interface{}`, `map[string]interface{}` and `[]interface{}`, with Go's
//! exact output bytes and error texts. Also Sprig's JSON functions.
//!
//! go1.27's `encoding/json` is built on the json/v2 engine, so its errors
//! are the v2 wordings rendered in v1 form (`invalid character '\t' in
//! string`, `invalid escape sequence`, and type errors that name the value's
//! JSON-pointer path with dots: `into Go struct field .a.0.b of type
//! float64`). Those texts were taken from the real Helm, not from v1's source.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rhelm_template::strconv::format_float;
use rhelm_template::{Error, FuncMap, Function, Type, Value};

/// A marshalling or unmarshalling error; `Display` is Go's `err.Error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError(String);

impl JsonError {
    fn new(msg: impl Into<String>) -> JsonError {
        JsonError(msg.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

// ---------------------------------------------------------------------------
// Encoding

/// `json.Marshal` (`escape_html` true) or an `Encoder` with
/// `SetEscapeHTML(false)` minus its trailing newline (`escape_html` false).
pub fn to_string(v: &Value, escape_html: bool) -> Result<String, JsonError> {
    encode(v, escape_html, None)
}

/// `json.MarshalIndent(v, "", "  ")`.
pub fn to_string_pretty(v: &Value, escape_html: bool) -> Result<String, JsonError> {
    encode(v, escape_html, Some("  "))
}

fn encode(v: &Value, escape_html: bool, indent: Option<&'static str>) -> Result<String, JsonError> {
    crate::yaml::with_stack_for(crate::yaml::value_depth(v), || {
        let mut enc = Encoder { out: String::new(), escape_html, indent };
        enc.value(v, 0)?;
        Ok(enc.out)
    })
}

/// Appends `s` as a JSON string literal with Go's escaping.
pub fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => push_u_escape(out, c as u32),
            '<' | '>' | '&' if escape_html => push_u_escape(out, c as u32),
            // Go escapes the JavaScript line terminators even without HTML escaping.
            '\u{2028}' | '\u{2029}' => push_u_escape(out, c as u32),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_u_escape(out: &mut String, c: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((c >> shift) & 0xf) as usize] as char);
    }
}

/// Go's float64 encoding: shortest digits, `'f'` form unless the magnitude
/// is below 1e-6 or at least 1e21, with `e-07` shortened to `e-7`.
pub fn format_number(f: f64) -> Result<String, JsonError> {
    if f.is_nan() || f.is_infinite() {
        return Err(JsonError::new(format!("json: unsupported value: {}", format_float(f, b'g', -1))));
    }
    let abs = f.abs();
    let exp_form = abs != 0.0 && !(1e-6..1e21).contains(&abs);
    let mut s = format_float(f, if exp_form { b'e' } else { b'f' }, -1);
    if exp_form {
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
    }
    Ok(s)
}

struct Encoder {
    out: String,
    escape_html: bool,
    indent: Option<&'static str>,
}

impl Encoder {
    fn newline(&mut self, depth: usize) {
        if let Some(unit) = self.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(unit);
            }
        }
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<(), JsonError> {
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint8(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => {
                let s = format_number(*f)?;
                self.out.push_str(&s);
            }
            Value::Complex(..) => return Err(JsonError::new("json: unsupported type: complex128")),
            Value::Str(s) => write_string(&mut self.out, s, self.escape_html),
            // []byte is a base64 string.
            Value::Bytes(b) => {
                self.out.push('"');
                self.out.push_str(&crate::yaml::base64_std(b));
                self.out.push('"');
            }
            Value::List(l) => {
                if l.items.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                self.out.push('[');
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1)?;
                }
                self.newline(depth);
                self.out.push(']');
            }
            Value::Map(m) => {
                if m.entries.is_empty() {
                    self.out.push_str("{}");
                    return Ok(());
                }
                self.out.push('{');
                for (i, (k, item)) in m.entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    write_string(&mut self.out, k, self.escape_html);
                    self.out.push(':');
                    if self.indent.is_some() {
                        self.out.push(' ');
                    }
                    self.value(item, depth + 1)?;
                }
                self.newline(depth);
                self.out.push('}');
            }
            Value::Object(o) => self.object(o.as_ref(), depth)?,
        }
        Ok(())
    }

    /// Host objects marshal as their Go types do: through a `MarshalJSON`
    /// method (whose output Go compacts, and re-indents under
    /// MarshalIndent) or a `MarshalText` method. Objects with neither
    /// cannot be described here and are reported as unsupported.
    fn object(&mut self, o: &dyn rhelm_template::Object, depth: usize) -> Result<(), JsonError> {
        let text_of = |v: Value| match v {
            Value::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
            Value::Str(s) => s.to_string(),
            other => rhelm_template::fmt::sprint(&[other]),
        };
        if o.has_method("MarshalJSON") {
            let raw = o.call_method("MarshalJSON", &[]).map_err(|e| {
                JsonError::new(format!("json: error calling MarshalJSON for type {}: {e}", o.type_name()))
            })?;
            let parsed = from_str(&text_of(raw)).map_err(|e| {
                JsonError::new(format!("json: error calling MarshalJSON for type {}: {e}", o.type_name()))
            })?;
            return self.value(&parsed, depth);
        }
        if o.has_method("MarshalText") {
            let raw = o.call_method("MarshalText", &[]).map_err(|e| {
                JsonError::new(format!("json: error calling MarshalText for type {}: {e}", o.type_name()))
            })?;
            write_string(&mut self.out, &text_of(raw), self.escape_html);
            return Ok(());
        }
        Err(JsonError::new(format!("json: unsupported type: {}", o.type_name())))
    }
}

// ---------------------------------------------------------------------------
// Decoding

/// `json.Unmarshal` into an `interface{}`: the first error, if any.
pub fn from_str(s: &str) -> Result<Value, JsonError> {
    match decode(s) {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(e),
    }
}

/// `json.Unmarshal` into an `interface{}`, keeping what Go keeps on error:
/// nothing after a syntax error, the partly decoded value after a type
/// error (an out-of-range number becomes 0, as in Go).
pub fn decode(s: &str) -> (Value, Option<JsonError>) {
    let mut p = Parser { s: s.as_bytes(), src: s, pos: 0, path: Vec::new(), type_error: None };
    match p.document() {
        Ok(v) => (v, p.type_error),
        Err(e) => (Value::Nil, Some(e)),
    }
}

/// What a Go `map[string]interface{}` target receives from Unmarshal.
pub enum MapTarget {
    /// JSON `null`: Go sets the map to nil.
    Null,
    Map(BTreeMap<Arc<str>, Value>),
}

/// `json.Unmarshal` into a `map[string]interface{}`, as Helm's `fromJson`
/// uses it: the entries decoded, and the first error.
pub fn decode_map(s: &str) -> (MapTarget, Option<JsonError>) {
    match decode(s) {
        (Value::Map(m), err) => (MapTarget::Map((*m.entries).clone()), err),
        (Value::Nil, None) => (MapTarget::Null, None),
        // A syntax error: nothing was decoded.
        (Value::Nil, Some(e)) => (MapTarget::Map(BTreeMap::new()), Some(e)),
        (other, _) => (MapTarget::Map(BTreeMap::new()), Some(kind_error(&other, "map[string]interface {}"))),
    }
}

/// `json.Unmarshal` into a `[]interface{}` (Helm's `fromJsonArray`).
/// `Ok(None)` is JSON `null`, which leaves Go's slice nil.
pub fn decode_list(s: &str) -> Result<Option<Vec<Value>>, JsonError> {
    match decode(s) {
        (Value::List(l), None) => Ok(Some((*l.items).clone())),
        (Value::List(_) | Value::Nil, Some(e)) => Err(e),
        (Value::Nil, None) => Ok(None),
        (other, _) => Err(kind_error(&other, "[]interface {}")),
    }
}

/// Go's UnmarshalTypeError for a top-level value of the wrong kind.
fn kind_error(v: &Value, target: &str) -> JsonError {
    let kind = match v {
        Value::Bool(_) => "bool",
        Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    };
    JsonError::new(format!("json: cannot unmarshal {kind} into Go value of type {target}"))
}

/// Go's limit on nesting (`exceeded max depth`).
const MAX_DEPTH: usize = 10_000;

/// One step of the path to the value being decoded, for type errors.
enum PathStep {
    Key(String),
    Index(usize),
}

enum Frame {
    List(Vec<Value>),
    Map(BTreeMap<Arc<str>, Value>, Arc<str>),
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    path: Vec<PathStep>,
    /// The first type error; decoding goes on after it, as in Go.
    type_error: Option<JsonError>,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eof() -> JsonError {
        JsonError::new("unexpected end of JSON input")
    }

    /// `invalid character 'x' <context>`, quoting the whole character.
    fn invalid(&self, context: &str) -> JsonError {
        let c = self.src[self.pos..].chars().next().unwrap_or('\u{fffd}');
        JsonError::new(format!("invalid character {} {context}", quote_rune(c)))
    }

    fn document(&mut self) -> Result<Value, JsonError> {
        let v = self.value()?;
        self.skip_space();
        if self.pos < self.s.len() {
            return Err(self.invalid("after top-level value"));
        }
        Ok(v)
    }

    /// An iterative parse so that deep nesting cannot overflow the stack.
    fn value(&mut self) -> Result<Value, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Parse one value start.
            self.skip_space();
            let mut v = match self.peek() {
                None => return Err(Self::eof()),
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Value::list(Vec::new())
                    } else {
                        if stack.len() >= MAX_DEPTH {
                            return Err(JsonError::new("exceeded max depth"));
                        }
                        stack.push(Frame::List(Vec::new()));
                        self.path.push(PathStep::Index(0));
                        continue;
                    }
                }
                Some(b'{') => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::empty_map()
                    } else {
                        if stack.len() >= MAX_DEPTH {
                            return Err(JsonError::new("exceeded max depth"));
                        }
                        let key = self.object_key()?;
                        self.path.push(PathStep::Key(key.to_string()));
                        stack.push(Frame::Map(BTreeMap::new(), key));
                        continue;
                    }
                }
                Some(_) => self.scalar()?,
            };
            // Close containers as far as this value completes them.
            loop {
                let Some(frame) = stack.last_mut() else { return Ok(v) };
                self.skip_space();
                match frame {
                    Frame::List(items) => {
                        items.push(v);
                        match self.peek() {
                            None => return Err(Self::eof()),
                            Some(b',') => {
                                self.pos += 1;
                                if let Some(PathStep::Index(i)) = self.path.last_mut() {
                                    *i += 1;
                                }
                                break;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let Some(Frame::List(items)) = stack.pop() else { unreachable!() };
                                self.path.pop();
                                v = Value::list(items);
                            }
                            Some(_) => return Err(self.invalid("after array element")),
                        }
                    }
                    Frame::Map(entries, key) => {
                        entries.insert(key.clone(), v);
                        match self.peek() {
                            None => return Err(Self::eof()),
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_space();
                                let k = self.object_key()?;
                                *key = k.clone();
                                if let Some(step) = self.path.last_mut() {
                                    *step = PathStep::Key(k.to_string());
                                }
                                break;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let Some(Frame::Map(entries, _)) = stack.pop() else { unreachable!() };
                                self.path.pop();
                                v = Value::map(entries);
                            }
                            Some(_) => return Err(self.invalid("after object key:value pair")),
                        }
                    }
                }
            }
        }
    }

    /// A key string and its colon.
    fn object_key(&mut self) -> Result<Arc<str>, JsonError> {
        match self.peek() {
            None => return Err(Self::eof()),
            Some(b'"') => {}
            Some(_) => return Err(self.invalid("looking for beginning of object key string")),
        }
        let key = self.string()?;
        self.skip_space();
        match self.peek() {
            None => Err(Self::eof()),
            Some(b':') => {
                self.pos += 1;
                Ok(Arc::from(key))
            }
            Some(_) => Err(self.invalid("after object key")),
        }
    }

    fn scalar(&mut self) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'"') => Ok(Value::string(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Nil),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.invalid("looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        for want in word.bytes() {
            match self.peek() {
                None => return Err(Self::eof()),
                Some(c) if c == want => self.pos += 1,
                Some(_) => {
                    return Err(self.invalid(&format!("in literal {word} (expecting {})", quote_rune(want as char))));
                }
            }
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err(Self::eof()),
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.invalid("in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b'0'..=b'9') => self.digits(),
                Some(_) => return Err(self.invalid("in numeric literal")),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b'0'..=b'9') => self.digits(),
                Some(_) => return Err(self.invalid("in numeric literal")),
            }
        }
        let text = &self.src[start..self.pos];
        let f: f64 = text.parse().unwrap_or(f64::INFINITY);
        if f.is_infinite() {
            self.note_type_error(text);
            return Ok(Value::Float(0.0));
        }
        Ok(Value::Float(f))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Go reports the number, the dotted JSON-pointer path to it, and
    /// "Go struct field" when the innermost step is an object member.
    fn note_type_error(&mut self, number: &str) {
        if self.type_error.is_some() {
            return;
        }
        let mut path = String::new();
        for step in &self.path {
            path.push('.');
            match step {
                PathStep::Key(k) => path.push_str(&k.replace('~', "~0").replace('/', "~1")),
                PathStep::Index(i) => path.push_str(&i.to_string()),
            }
        }
        let place = match self.path.last() {
            None => "Go value".to_string(),
            Some(PathStep::Key(_)) => format!("Go struct field {path}"),
            Some(PathStep::Index(_)) => path,
        };
        self.type_error =
            Some(JsonError::new(format!("json: cannot unmarshal number {number} into {place} of type float64")));
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let rest = &self.src[self.pos..];
            let Some(c) = rest.chars().next() else { return Err(Self::eof()) };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => out.push_str(&self.escape()?),
                c if (c as u32) < 0x20 => return Err(self.invalid("in string")),
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// One escape sequence, starting at the backslash.
    fn escape(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        let Some(&c) = self.s.get(self.pos + 1) else { return Err(Self::eof()) };
        let simple = match c {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(ch) = simple {
            self.pos += 2;
            return Ok(ch.to_string());
        }
        if c != b'u' {
            return Err(self.bad_escape(start, 2));
        }
        let first = self.hex4(start)?;
        self.pos = start + 6;
        if !(0xD800..0xDC00).contains(&first) {
            // A lone low surrogate is replaced, as Go does.
            return Ok(char::from_u32(first).unwrap_or('\u{fffd}').to_string());
        }
        // A high surrogate: pair it with a following \uDC00-\uDFFF escape.
        if self.s.get(self.pos) == Some(&b'\\') && self.s.get(self.pos + 1) == Some(&b'u') {
            let second = self.hex4(self.pos)?;
            if (0xDC00..0xE000).contains(&second) {
                self.pos += 6;
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}').to_string());
            }
        }
        Ok('\u{fffd}'.to_string())
    }

    /// The four hex digits of a `\u` escape starting at `at`.
    fn hex4(&self, at: usize) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for i in 0..4 {
            let Some(&d) = self.s.get(at + 2 + i) else { return Err(Self::eof()) };
            let digit = (d as char).to_digit(16).ok_or_else(|| self.bad_escape(at, 6))?;
            v = v * 16 + digit;
        }
        Ok(v)
    }

    /// Go quotes the escape as written, up to `len` bytes (whole characters).
    fn bad_escape(&self, at: usize, len: usize) -> JsonError {
        let text: String = self.src[at..]
            .chars()
            .scan(0, |n, c| {
                *n += c.len_utf8();
                (*n <= len || *n - c.len_utf8() < 2).then_some(c)
            })
            .collect();
        JsonError::new(format!("invalid escape sequence `{text}` in string"))
    }
}

/// Go's `strconv.QuoteRune`.
pub(crate) fn quote_rune(c: char) -> String {
    let quoted = rhelm_template::strconv::quote(&c.to_string());
    let inner = &quoted[1..quoted.len() - 1];
    let inner = match inner {
        "\\\"" => "\"",
        "'" => "\\'",
        other => other,
    };
    format!("'{inner}'")
}

// ---------------------------------------------------------------------------
// Template functions

/// Sprig's JSON functions. Helm replaces `toJson`, `mustToJson` and
/// `fromJson` with its own (see `yaml::register`).
pub fn register(m: &mut FuncMap) {
    m.insert(
        "toJson",
        Function::new(&[Type::Any], None, |a| Ok(Value::string(to_string(&a[0], true).unwrap_or_default()))),
    );
    m.insert("mustToJson", Function::new(&[Type::Any], None, |a| must(to_string(&a[0], true))));
    m.insert(
        "toPrettyJson",
        Function::new(&[Type::Any], None, |a| Ok(Value::string(to_string_pretty(&a[0], true).unwrap_or_default()))),
    );
    m.insert("mustToPrettyJson", Function::new(&[Type::Any], None, |a| must(to_string_pretty(&a[0], true))));
    // Sprig's toRawJson panics on error, so it fails like its must variant.
    m.insert("toRawJson", Function::new(&[Type::Any], None, |a| must(to_string(&a[0], false))));
    m.insert("mustToRawJson", Function::new(&[Type::Any], None, |a| must(to_string(&a[0], false))));
    m.insert("fromJson", Function::new(&[Type::String], None, |a| Ok(decode(str_arg(&a[0])).0)));
    m.insert(
        "mustFromJson",
        Function::new(&[Type::String], None, |a| from_str(str_arg(&a[0])).map_err(|e| Error::msg(e.to_string()))),
    );
}

/// Helm's own `toJson`, `mustToJson`, `fromJson` and `fromJsonArray`.
pub(crate) fn register_helm(m: &mut FuncMap) {
    m.insert(
        "toJson",
        Function::new(&[Type::Any], None, |a| Ok(Value::string(to_string(&a[0], true).unwrap_or_default()))),
    );
    m.insert("mustToJson", Function::new(&[Type::Any], None, |a| must(to_string(&a[0], true))));
    m.insert(
        "fromJson",
        Function::new(&[Type::String], None, |a| {
            let (target, err) = decode_map(str_arg(&a[0]));
            let mut entries = match target {
                // A nil map; rhelm has no nil maps, and an empty one prints the same with %v.
                MapTarget::Null => BTreeMap::new(),
                MapTarget::Map(m) => m,
            };
            if let Some(e) = err {
                entries.insert(Arc::from("Error"), Value::string(e.to_string()));
            }
            Ok(Value::map(entries))
        }),
    );
    m.insert(
        "fromJsonArray",
        Function::new(&[Type::String], None, |a| {
            Ok(Value::list(match decode_list(str_arg(&a[0])) {
                Ok(items) => items.unwrap_or_default(),
                Err(e) => vec![Value::string(e.to_string())],
            }))
        }),
    );
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn must(r: Result<String, JsonError>) -> Result<Value, Error> {
    r.map(Value::string).map_err(|e| Error::msg(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> String {
        to_string(&from_str(s).unwrap(), true).unwrap()
    }

    #[test]
    fn numbers_format_as_go() {
        let f = |x: f64| format_number(x).unwrap();
        assert_eq!(f(1e21), "1e+21");
        assert_eq!(f(1e20), "100000000000000000000");
        assert_eq!(f(0.000001), "0.000001");
        assert_eq!(f(1e-7), "1e-7");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(5e-324), "5e-324");
        assert_eq!(f(1.5e300), "1.5e+300");
        assert_eq!(format_number(f64::NAN).unwrap_err().to_string(), "json: unsupported value: NaN");
        assert_eq!(format_number(f64::NEG_INFINITY).unwrap_err().to_string(), "json: unsupported value: -Inf");
    }

    #[test]
    fn strings_escape_as_go() {
        let mut s = String::new();
        write_string(&mut s, "\u{8}\u{c}\u{1}<>&\u{2028}é\"\\", true);
        assert_eq!(s, r#""\b\f\u0001\u003c\u003e\u0026\u2028é\"\\""#);
        s.clear();
        write_string(&mut s, "<&>", false);
        assert_eq!(s, r#""<&>""#);
    }

    #[test]
    fn round_trips() {
        assert_eq!(
            j(r#" {"b":[1,2.5,{"c":null}],"a":"x\u00e9","t":true} "#),
            r#"{"a":"xé","b":[1,2.5,{"c":null}],"t":true}"#
        );
        assert_eq!(j(r#""\ud83d\ude00\ud800x""#), "\"😀\u{fffd}x\"");
    }

    #[test]
    fn errors_read_as_go() {
        let e = |s: &str| from_str(s).unwrap_err().to_string();
        assert_eq!(e(""), "unexpected end of JSON input");
        assert_eq!(e("x"), "invalid character 'x' looking for beginning of value");
        assert_eq!(e("é"), "invalid character 'é' looking for beginning of value");
        assert_eq!(e("'"), r"invalid character '\'' looking for beginning of value");
        assert_eq!(e("[1 2]"), "invalid character '2' after array element");
        assert_eq!(e(r#"{"a" 1}"#), "invalid character '1' after object key");
        assert_eq!(e(r#"{"a":1,}"#), "invalid character '}' looking for beginning of object key string");
        assert_eq!(e("01"), "invalid character '1' after top-level value");
        assert_eq!(e("trux"), "invalid character 'x' in literal true (expecting 'e')");
        assert_eq!(e("\"\t\""), r"invalid character '\t' in string");
        assert_eq!(e(r#""\x""#), r"invalid escape sequence `\x` in string");
        assert_eq!(e(r#""\u12G4""#), r"invalid escape sequence `\u12G4` in string");
        assert_eq!(e(r#""\u00""#), r#"invalid escape sequence `\u00"` in string"#);
        assert_eq!(e("[-]"), "invalid character ']' in numeric literal");
        assert_eq!(e("1e400"), "json: cannot unmarshal number 1e400 into Go value of type float64");
        assert_eq!(e("[1e400]"), "json: cannot unmarshal number 1e400 into .0 of type float64");
        assert_eq!(
            e(r#"{"a/b~":[{"":1e400}]}"#),
            "json: cannot unmarshal number 1e400 into Go struct field .a~1b~0.0. of type float64"
        );
    }

    /// Helm reports "exceeded max depth" for input nested deeper than 10000
    /// that is invalid; it accepts valid input at any depth, which rhelm
    /// refuses past 10000 levels rather than risk its stack.
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        assert_eq!(from_str(&"[".repeat(10_000)).unwrap_err().to_string(), "unexpected end of JSON input");
        assert_eq!(from_str(&"[".repeat(10_001)).unwrap_err().to_string(), "exceeded max depth");
        assert_eq!(from_str(&format!("{}x", "[".repeat(20_000))).unwrap_err().to_string(), "exceeded max depth");
    }
}
