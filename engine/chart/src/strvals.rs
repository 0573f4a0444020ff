//! Helm's `--set` family of flags (`pkg/strvals`): `--set`, `--set-string`,
//! `--set-json`, `--set-file` and `--set-literal`.
//!
//! Each flag argument is parsed into the accumulated values map in place,
//! exactly as Helm's `ParseInto` & co. merge into `map[string]interface{}`.
//! Helm's parser is recursive and relies on Go's reference semantics (maps and
//! slices are shared, so a change made deep inside a failed parse can still be
//! visible). This implementation walks a key path with an explicit stack and
//! puts every container it takes out back where Go would have left it, so
//! arbitrarily deep paths cannot overflow the Rust stack and the quirks that
//! survive a parse (the ones `io.EOF` turns into success) match Helm's.
//!
//! [`merge_flag`] applies one CLI flag the way `values.Options.MergeValues`
//! does, with the CLI's error wrapping (`failed parsing --set data: ...`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rhelm_template::{Elem, Value};

/// A values map: Go's `map[string]interface{}`.
pub type Values = BTreeMap<Arc<str>, Value>;

/// The largest list index a key path may use (`strvals.MaxIndex`).
pub const MAX_INDEX: i64 = 65536;

/// The most `.`-separated name levels a key path may have (`strvals.MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// An error with Helm's wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrvalsError {
    message: String,
}

impl StrvalsError {
    pub fn new(message: impl Into<String>) -> Self {
        StrvalsError { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for StrvalsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StrvalsError {}

/// Reads the value of a `--set-file` entry: given the value text (a path), returns the value
/// to store, or an error message (Go's `RunesValueReader`).
pub type FileReader<'r> = &'r mut dyn FnMut(&str) -> Result<Value, String>;

// ---------------------------------------------------------------------------
// Public API

/// `strvals.ParseInto`: `--set` syntax with typed values (int64, bool, null, string).
pub fn parse_into(s: &str, dest: &mut Values) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Typed).parse(dest)
}

/// `strvals.ParseIntoString`: `--set` syntax, every value a string.
pub fn parse_into_string(s: &str, dest: &mut Values) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Strings).parse(dest)
}

/// `strvals.ParseJSON`: `key=JSON,...`; an empty value is null.
pub fn parse_json(s: &str, dest: &mut Values) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Json).parse(dest)
}

/// `strvals.ParseLiteralInto`: the value is everything after the first `=`, verbatim.
pub fn parse_literal_into(s: &str, dest: &mut Values) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Literal).parse(dest)
}

/// `strvals.ParseIntoFile`: `--set` syntax whose values are given to `reader`.
pub fn parse_into_file(s: &str, dest: &mut Values, reader: FileReader<'_>) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::File(reader)).parse(dest)
}

/// `strvals.Parse`: a fresh map (also returned, partly filled, beside an error).
pub fn parse(s: &str) -> Result<Values, StrvalsError> {
    let mut m = Values::new();
    parse_into(s, &mut m).map(|()| m)
}

/// `strvals.ParseString`.
pub fn parse_string(s: &str) -> Result<Values, StrvalsError> {
    let mut m = Values::new();
    parse_into_string(s, &mut m).map(|()| m)
}

/// `strvals.ParseLiteral`.
pub fn parse_literal(s: &str) -> Result<Values, StrvalsError> {
    let mut m = Values::new();
    parse_literal_into(s, &mut m).map(|()| m)
}

/// `strvals.ParseFile`.
pub fn parse_file(s: &str, reader: FileReader<'_>) -> Result<Values, StrvalsError> {
    let mut m = Values::new();
    parse_into_file(s, &mut m, reader).map(|()| m)
}

/// `json.Unmarshal` into an `interface{}`, as Go's encoding/json does it (numbers are
/// float64); the error is Go's text.
pub fn json_unmarshal(s: &str) -> Result<Value, StrvalsError> {
    json::decode_whole(s).map_err(StrvalsError::new)
}

/// The kind of a values flag, in the order Helm applies them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetKind {
    SetJson,
    Set,
    SetString,
    SetFile,
    SetLiteral,
}

impl SetKind {
    /// The flag's name, e.g. `--set-json`.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::SetJson => "--set-json",
            SetKind::Set => "--set",
            SetKind::SetString => "--set-string",
            SetKind::SetFile => "--set-file",
            SetKind::SetLiteral => "--set-literal",
        }
    }

    pub fn from_flag(flag: &str) -> Option<SetKind> {
        Some(match flag {
            "--set-json" => SetKind::SetJson,
            "--set" => SetKind::Set,
            "--set-string" => SetKind::SetString,
            "--set-file" => SetKind::SetFile,
            "--set-literal" => SetKind::SetLiteral,
            _ => return None,
        })
    }
}

/// Applies one flag argument to `dest` as `values.Options.MergeValues` does, returning the
/// error text Helm prints after `Error: `. Helm applies all `--set-json` flags first, then
/// `--set`, `--set-string`, `--set-file` and `--set-literal` (see [`SetKind`]'s order); the
/// caller sorts. `reader` is used by `--set-file` only; Helm's reads the file (or stdin for
/// `-`, or a URL) and returns its content as a string.
pub fn merge_flag(
    kind: SetKind,
    value: &str,
    dest: &mut Values,
    reader: Option<FileReader<'_>>,
) -> Result<(), StrvalsError> {
    let wrap = |e: StrvalsError| StrvalsError::new(format!("failed parsing {} data: {}", kind.flag(), e));
    match kind {
        SetKind::SetJson => {
            let trimmed = value.trim();
            if trimmed.starts_with('{') {
                let parsed = json::decode_whole(trimmed)
                    .ok()
                    .and_then(|v| match v {
                        Value::Map(m) => Some(m.entries),
                        _ => None,
                    })
                    .ok_or_else(|| StrvalsError::new(format!("failed parsing --set-json data JSON: {value}")))?;
                let base = std::mem::take(dest);
                *dest = merge_maps(base, &parsed);
                Ok(())
            } else {
                parse_json(value, dest)
                    .map_err(|_| StrvalsError::new(format!("failed parsing --set-json data {value}")))
            }
        }
        SetKind::Set => parse_into(value, dest).map_err(wrap),
        SetKind::SetString => parse_into_string(value, dest).map_err(wrap),
        SetKind::SetLiteral => parse_literal_into(value, dest).map_err(wrap),
        SetKind::SetFile => match reader {
            Some(r) => parse_into_file(value, dest, r).map_err(wrap),
            None => {
                let mut r = read_local_file;
                parse_into_file(value, dest, &mut r).map_err(wrap)
            }
        },
    }
}

/// Helm's `--set-file` reader for local paths: `-` (after trimming) is stdin, anything else a
/// file whose content becomes a string. Errors are worded as Go's `os` package words them.
/// (Helm also fetches URLs whose scheme has a getter; that is left to the CLI.)
pub fn read_local_file(path: &str) -> Result<Value, String> {
    use std::io::Read;
    let bytes = if path.trim() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("read /dev/stdin: {}", go_errno_text(&e)))?;
        buf
    } else {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(format!("read {path}: is a directory")),
            _ => {}
        }
        std::fs::read(path).map_err(|e| format!("open {path}: {}", go_errno_text(&e)))?
    };
    Ok(Value::string(String::from_utf8_lossy(&bytes).into_owned()))
}

fn go_errno_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            // Rust's text is strerror plus " (os error N)"; Go's is strerror, lower-cased first letter.
            let t = e.to_string();
            let t = t.split(" (os error").next().unwrap_or(&t).to_string();
            let mut c = t.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => t,
            }
        }
    }
}

/// `loader.MergeMaps(a, b)`: `b`'s entries over `a`'s, maps merged recursively.
pub fn merge_maps(mut a: Values, b: &Values) -> Values {
    for (k, v) in b {
        if let Value::Map(bm) = v {
            if bm.elem == Elem::Any {
                if let Some(Value::Map(am)) = a.get(k) {
                    if am.elem == Elem::Any {
                        let merged = merge_maps((*am.entries).clone(), &bm.entries);
                        a.insert(k.clone(), Value::map(merged));
                        continue;
                    }
                }
            }
        }
        a.insert(k.clone(), v.clone());
    }
    a
}

/// strvals' `typedVal` for `--set`: `true`/`false`/`null` (case-insensitive), base-10 int64s
/// that do not start with `0` (and `0` itself); anything else stays a string.
pub fn typed_value(s: &str) -> Value {
    if eq_fold(s, "true") {
        return Value::Bool(true);
    }
    if eq_fold(s, "false") {
        return Value::Bool(false);
    }
    if eq_fold(s, "null") {
        return Value::Nil;
    }
    if s == "0" {
        return Value::Int64(0);
    }
    if !s.is_empty() && !s.starts_with('0') {
        if let Ok(i) = parse_int10(s) {
            return Value::Int64(i);
        }
    }
    Value::str(s)
}

/// Go's `strings.EqualFold` against a lower-case ASCII word. Of the letters that matter, only
/// `s` has a non-ASCII case partner (`ſ`, U+017F).
fn eq_fold(s: &str, word: &str) -> bool {
    let mut a = s.chars();
    for w in word.chars() {
        match a.next() {
            Some(c) if c == w || c == w.to_ascii_uppercase() || (w == 's' && c == 'ſ') || (w == 'k' && c == 'K') => {}
            _ => return false,
        }
    }
    a.next().is_none()
}

#[derive(Debug, PartialEq, Eq)]
enum NumErr {
    Syntax,
    Range,
}

/// `strconv.ParseInt(s, 10, 64)`.
fn parse_int10(s: &str) -> Result<i64, NumErr> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return Err(NumErr::Syntax);
    }
    let mut n: u64 = 0;
    for b in body.bytes() {
        if !b.is_ascii_digit() {
            return Err(NumErr::Syntax);
        }
        n = n.checked_mul(10).and_then(|n| n.checked_add(u64::from(b - b'0'))).ok_or(NumErr::Range)?;
    }
    if !neg && n > i64::MAX as u64 {
        return Err(NumErr::Range);
    }
    if neg && n > i64::MAX as u64 + 1 {
        return Err(NumErr::Range);
    }
    Ok(if neg { (n as i128).wrapping_neg() as i64 } else { n as i64 })
}

/// `strconv.Atoi` with its error text.
fn atoi(s: &str) -> Result<i64, PErr> {
    parse_int10(s).map_err(|e| {
        let what = match e {
            NumErr::Syntax => "invalid syntax",
            NumErr::Range => "value out of range",
        };
        PErr::msg(format!("strconv.Atoi: parsing {}: {what}", rhelm_template::strconv::quote(s)))
    })
}

// ---------------------------------------------------------------------------
// The parser

/// An error inside the parser: Go's `error` values, plus recovered panics.
#[derive(Debug)]
struct PErr {
    text: String,
    /// `errors.Is(err, io.EOF)`: such errors end the parse successfully.
    eof: bool,
    /// A Go runtime panic (a failed type assertion), recovered by the enclosing `key()`.
    panic: bool,
}

impl PErr {
    fn msg(text: String) -> PErr {
        PErr { text, eof: false, panic: false }
    }

    fn eof() -> PErr {
        PErr { text: "EOF".into(), eof: true, panic: false }
    }

    fn panic(text: String) -> PErr {
        PErr { text, eof: false, panic: true }
    }

    /// `fmt.Errorf("prefix%w", e)`.
    fn wrap(prefix: &str, e: PErr) -> PErr {
        PErr { text: format!("{prefix}{}", e.text), eof: e.eof, panic: false }
    }

    /// What `key()`'s deferred `recover` makes of a panic.
    fn recovered(self) -> PErr {
        if self.panic {
            PErr::msg(format!("unable to parse key: {}", self.text))
        } else {
            self
        }
    }
}

type PResult = Result<(), PErr>;

/// The failed type assertion `v.(T)` as Go's runtime words it.
fn assertion(v: &Value, want: &str) -> PErr {
    let have = if v.is_nil() { "nil".into() } else { v.type_name().into_owned() };
    PErr::panic(format!("interface conversion: interface {{}} is {have}, not {want}"))
}

const MAP_T: &str = "map[string]interface {}";
const LIST_T: &str = "[]interface {}";

/// Takes a `map[string]interface{}` out of a value.
fn into_map(v: Value) -> Result<Values, Value> {
    match v {
        Value::Map(m) if m.elem == Elem::Any => Ok((*m.entries.snapshot()).clone()),
        other => Err(other),
    }
}

/// Takes a `[]interface{}` out of a value.
fn into_list(v: Value) -> Result<Vec<Value>, Value> {
    match v {
        Value::List(l) if l.elem == Elem::Any => Ok(Arc::try_unwrap(l.items).unwrap_or_else(|a| (*a).clone())),
        other => Err(other),
    }
}

fn is_map(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.elem == Elem::Any)
}

fn is_list(v: &Value) -> bool {
    matches!(v, Value::List(l) if l.elem == Elem::Any)
}

/// strvals' `set`: an empty key is silently dropped.
fn set(data: &mut Values, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(Arc::from(key), v);
    }
}

/// strvals' `setIndex`.
fn set_index(list: &mut Vec<Value>, index: i64, v: Value) -> PResult {
    if index < 0 {
        return Err(PErr::msg(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return Err(PErr::msg(format!("index of {index} is greater than maximum supported index of {MAX_INDEX}")));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = v;
    Ok(())
}

enum Mode<'r> {
    /// `--set`
    Typed,
    /// `--set-string`
    Strings,
    /// `--set-json`
    Json,
    /// `--set-literal`
    Literal,
    /// `--set-file`
    File(FileReader<'r>),
}

/// A `bytes.Buffer` read rune by rune.
struct Scanner<'a> {
    s: &'a str,
    pos: usize,
    last: usize,
}

impl<'a> Scanner<'a> {
    fn read(&mut self) -> Option<char> {
        let c = self.s[self.pos..].chars().next()?;
        self.last = c.len_utf8();
        self.pos += self.last;
        Some(c)
    }

    fn unread(&mut self) {
        self.pos -= self.last;
        self.last = 0;
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.s.len());
        self.last = 0;
    }
}

/// The values being worked on at one level of a key path.
enum Cur {
    /// Inside `key(data)`.
    Key(Values),
    /// Inside `listItem(list, i)`.
    Item(Vec<Value>, i64),
}

/// What a level of the path does once the level below it returns (the rest of Go's
/// recursive call).
enum Frame {
    /// `key()` saw `k.`: the child is `key(inner)`.
    KeyDot { data: Values, key: Arc<str>, existed: bool },
    /// `key()` saw `k[i]`: the child is `listItem(list, i)`.
    KeyIndex { data: Values, key: Arc<str>, existed: Option<usize> },
    /// `listItem()` saw `][j]`: the child is `listItem(list[i], j)`.
    ListIndex { list: Vec<Value>, i: i64, attached: bool },
    /// `listItem()` saw `].`: the child is `key(list[i])`.
    ListDot { list: Vec<Value>, i: i64, attached: bool },
}

struct Parser<'a, 'r> {
    sc: Scanner<'a>,
    mode: Mode<'r>,
}

impl<'a, 'r> Parser<'a, 'r> {
    fn new(s: &'a str, mode: Mode<'r>) -> Self {
        Parser { sc: Scanner { s, pos: 0, last: 0 }, mode }
    }

    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn parse(&mut self, dest: &mut Values) -> Result<(), StrvalsError> {
        loop {
            match self.key(dest) {
                Ok(()) => continue,
                Err(e) if e.eof => return Ok(()),
                Err(e) => return Err(StrvalsError::new(e.text)),
            }
        }
    }

    /// `runesUntil` (with backslash escapes) or `runesUntilLiteral`; `None` is io.EOF.
    fn runes_until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let escapes = !self.literal();
        let mut v = String::new();
        loop {
            match self.sc.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if escapes => match self.sc.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, PErr> {
        let (v, last) = self.runes_until(&[']']);
        if last.is_none() {
            return Err(PErr::eof());
        }
        atoi(&v)
    }

    fn read_value(&mut self, rs: &str) -> Result<Value, PErr> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_value(rs)),
            Mode::Strings | Mode::Literal | Mode::Json => Ok(Value::str(rs)),
            Mode::File(r) => r(rs).map_err(PErr::msg),
        }
    }

    /// `emptyVal`: skips blanks; true at end of input or after a comma.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.sc.unread();
                    return false;
                }
            }
        }
    }

    /// `val`: runes up to a comma.
    fn val(&mut self) -> String {
        self.runes_until(&[',']).0
    }

    /// `valList`: `Ok(None)` is ErrNotList.
    fn val_list(&mut self) -> Result<Option<Vec<Value>>, PErr> {
        match self.sc.read() {
            None => return Err(PErr::eof()),
            Some('{') => {}
            Some(_) => {
                self.sc.unread();
                return Ok(None);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.runes_until(&[',', '}']);
            match last {
                None => return Err(PErr::msg("list must terminate with '}'".into())),
                Some('}') => {
                    if let Some(c) = self.sc.read() {
                        if c != ',' {
                            self.sc.unread();
                        }
                    }
                    list.push(self.read_value(&rs)?);
                    return Ok(Some(list));
                }
                _ => list.push(self.read_value(&rs)?),
            }
        }
    }

    /// A JSON value from the rest of the input (`json.Decoder.Decode`), consuming what the
    /// decoder consumed, then blanks and one comma.
    fn json_value(&mut self) -> Result<Value, PErr> {
        let (v, n) = json::decode_prefix(self.sc.rest()).map_err(PErr::msg)?;
        self.sc.skip(n);
        Ok(v)
    }

    /// The value after `key=` in `key()`: sets it in `data`.
    fn assign_key(&mut self, data: &mut Values, k: &str) -> PResult {
        match self.mode {
            Mode::Json => {
                if self.empty_val() {
                    set(data, k, Value::Nil);
                    return Ok(());
                }
                let v = self.json_value()?;
                set(data, k, v);
                self.empty_val();
                Ok(())
            }
            Mode::Literal => {
                let rest = self.sc.rest();
                self.sc.skip(rest.len());
                set(data, k, Value::str(rest));
                Ok(())
            }
            _ => match self.val_list() {
                Ok(Some(vl)) => {
                    set(data, k, Value::list(vl));
                    Ok(())
                }
                Ok(None) => {
                    let rs = self.val();
                    match self.read_value(&rs) {
                        Ok(v) => {
                            set(data, k, v);
                            Ok(())
                        }
                        Err(e) => {
                            set(data, k, Value::Nil);
                            Err(e)
                        }
                    }
                }
                Err(e) if e.eof => {
                    set(data, k, Value::str(""));
                    Err(e)
                }
                Err(e) => Err(e),
            },
        }
    }

    /// The value after `[i]=` in `listItem()`: sets it at `i`.
    fn assign_item(&mut self, list: &mut Vec<Value>, i: i64) -> PResult {
        match self.mode {
            Mode::Json => {
                if self.empty_val() {
                    return set_index(list, i, Value::Nil);
                }
                let v = self.json_value()?;
                set_index(list, i, v)?;
                self.empty_val();
                Ok(())
            }
            Mode::Literal => {
                let rest = self.sc.rest();
                self.sc.skip(rest.len());
                set_index(list, i, Value::str(rest))
            }
            _ => match self.val_list() {
                Ok(Some(vl)) => set_index(list, i, Value::list(vl)),
                Ok(None) => {
                    let rs = self.val();
                    let v = self.read_value(&rs)?;
                    set_index(list, i, v)
                }
                Err(e) if e.eof => set_index(list, i, Value::str("")),
                Err(e) => Err(e),
            },
        }
    }

    /// One top-level `key(data, 0)` call: one assignment (or the end of input).
    fn key(&mut self, dest: &mut Values) -> PResult {
        let mut stack: Vec<Frame> = Vec::new();
        let mut level = 0usize;
        let mut cur = Cur::Key(std::mem::take(dest));

        // Walk down the key path until something assigns or fails.
        let res: PResult = loop {
            cur = match cur {
                Cur::Key(mut data) => {
                    let stop: &[char] = if self.literal() { &['=', '[', '.'] } else { &['=', '[', ',', '.'] };
                    let (k, last) = self.runes_until(stop);
                    match last {
                        None => {
                            let e = if k.is_empty() {
                                PErr::eof()
                            } else {
                                PErr::msg(format!("key {} has no value", rhelm_template::strconv::quote(&k)))
                            };
                            cur = Cur::Key(data);
                            break Err(e);
                        }
                        Some('=') => {
                            let r = self.assign_key(&mut data, &k);
                            cur = Cur::Key(data);
                            break r;
                        }
                        Some(',') => {
                            set(&mut data, &k, Value::str(""));
                            cur = Cur::Key(data);
                            break Err(PErr::msg(format!(
                                "key {} has no value (cannot end with ,)",
                                rhelm_template::strconv::quote(&k)
                            )));
                        }
                        Some('.') => {
                            level += 1;
                            if level > MAX_NESTED_NAME_LEVEL {
                                cur = Cur::Key(data);
                                break Err(PErr::msg(format!(
                                    "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                                )));
                            }
                            let key: Arc<str> = Arc::from(k.as_str());
                            let (inner, existed) = match data.get(&key) {
                                None => (Values::new(), false),
                                Some(v) if is_map(v) => (into_map(data.remove(&key).unwrap()).ok().unwrap(), true),
                                Some(v) => {
                                    let e = assertion(v, MAP_T);
                                    cur = Cur::Key(data);
                                    break Err(e);
                                }
                            };
                            stack.push(Frame::KeyDot { data, key, existed });
                            Cur::Key(inner)
                        }
                        _ => {
                            // '['
                            let i = match self.key_index() {
                                Ok(i) => i,
                                Err(e) => {
                                    cur = Cur::Key(data);
                                    break Err(PErr::wrap("error parsing index: ", e));
                                }
                            };
                            let key: Arc<str> = Arc::from(k.as_str());
                            let (list, existed) = match data.get(&key) {
                                None => (Vec::new(), None),
                                Some(v) if is_list(v) => {
                                    let l = into_list(data.remove(&key).unwrap()).ok().unwrap();
                                    let n = l.len();
                                    (l, Some(n))
                                }
                                Some(v) => {
                                    let e = assertion(v, LIST_T);
                                    cur = Cur::Key(data);
                                    break Err(e);
                                }
                            };
                            stack.push(Frame::KeyIndex { data, key, existed });
                            Cur::Item(list, i)
                        }
                    }
                }
                Cur::Item(mut list, i) => {
                    if i < 0 {
                        cur = Cur::Item(list, i);
                        break Err(PErr::msg(format!("negative {i} index not allowed")));
                    }
                    let (k, last) = self.runes_until(&['[', '.', '=']);
                    if !k.is_empty() {
                        let runes: Vec<Value> = k.chars().map(|c| Value::Int(c as i64)).collect();
                        let text = rhelm_template::fmt::sprintf("%q", &[Value::list(runes)]);
                        cur = Cur::Item(list, i);
                        break Err(PErr::msg(format!("unexpected data at end of array index: {text}")));
                    }
                    match last {
                        None => {
                            cur = Cur::Item(list, i);
                            break Err(PErr::eof());
                        }
                        Some('=') => {
                            let r = self.assign_item(&mut list, i);
                            cur = Cur::Item(list, i);
                            break r;
                        }
                        Some('[') => {
                            let next = match self.key_index() {
                                Ok(n) => n,
                                Err(e) => {
                                    cur = Cur::Item(list, i);
                                    break Err(PErr::wrap("error parsing index: ", e));
                                }
                            };
                            let idx = i as u64;
                            let (crt, attached) = if (list.len() as u64) > idx {
                                let slot = &mut list[idx as usize];
                                if slot.is_nil() {
                                    (Vec::new(), false)
                                } else if is_list(slot) {
                                    (into_list(std::mem::take(slot)).ok().unwrap(), true)
                                } else {
                                    let e = assertion(slot, LIST_T);
                                    cur = Cur::Item(list, i);
                                    break Err(e);
                                }
                            } else {
                                (Vec::new(), false)
                            };
                            stack.push(Frame::ListIndex { list, i, attached });
                            Cur::Item(crt, next)
                        }
                        _ => {
                            // '.'
                            let idx = i as u64;
                            let (inner, attached) = if (list.len() as u64) > idx {
                                let slot = std::mem::take(&mut list[idx as usize]);
                                // Indices out of order: a non-map element is replaced by {}.
                                (into_map(slot).unwrap_or_default(), true)
                            } else {
                                (Values::new(), false)
                            };
                            stack.push(Frame::ListDot { list, i, attached });
                            Cur::Key(inner)
                        }
                    }
                }
            };
        };

        // Walk back up, doing what each Go frame does after its callee returns.
        let mut res = res;
        while let Some(frame) = stack.pop() {
            match frame {
                Frame::KeyDot { mut data, key, existed } => {
                    res = res.map_err(PErr::recovered);
                    let Cur::Key(inner) = cur else { unreachable!() };
                    let empty = inner.is_empty();
                    // An existing map was changed in place; a new one is set if non-empty.
                    if existed || (!empty && !key.is_empty()) {
                        data.insert(key.clone(), Value::map(inner));
                    }
                    if res.is_ok() && empty {
                        res = Err(PErr::msg(format!("key map {} has no value", rhelm_template::strconv::quote(&key))));
                    }
                    cur = Cur::Key(data);
                }
                Frame::KeyIndex { mut data, key, existed } => {
                    let Cur::Item(list, _) = cur else { unreachable!() };
                    if res.as_ref().is_err_and(|e| e.panic) {
                        // The panic skips `set`; an existing slice keeps in-place changes.
                        if existed.is_some() {
                            data.insert(key, Value::list(list));
                        }
                    } else if !key.is_empty() {
                        data.insert(key, Value::list(list));
                    } else if existed == Some(list.len()) {
                        // `set` ignores the empty key, but the slice Go changed in place is
                        // the one stored there (unless it was reallocated to grow).
                        data.insert(key, Value::list(list));
                    } else if let Some(n) = existed {
                        let mut l = list;
                        l.truncate(n);
                        data.insert(key, Value::list(l));
                    }
                    cur = Cur::Key(data);
                }
                Frame::ListIndex { mut list, i, attached } => {
                    let Cur::Item(child, _) = cur else { unreachable!() };
                    if res.is_err() {
                        if attached {
                            list[i as usize] = Value::list(child);
                        }
                    } else {
                        res = set_index(&mut list, i, Value::list(child));
                    }
                    cur = Cur::Item(list, i);
                }
                Frame::ListDot { mut list, i, attached } => {
                    res = res.map_err(PErr::recovered);
                    let Cur::Key(inner) = cur else { unreachable!() };
                    if attached {
                        list[i as usize] = Value::map(inner);
                    } else if res.is_ok() {
                        res = set_index(&mut list, i, Value::map(inner));
                    }
                    cur = Cur::Item(list, i);
                }
            }
        }
        let Cur::Key(root) = cur else { unreachable!() };
        *dest = root;
        res.map_err(PErr::recovered)
    }
}

/// Go's `encoding/json` decoding into `interface{}`: objects become `map[string]interface{}`,
/// arrays `[]interface{}`, numbers float64. Iterative, so nesting depth is bounded only by
/// the scanner's limit of 10000, as in Go.
mod json {
    use super::Values;
    use rhelm_template::Value;

    const MAX_DEPTH: usize = 10000;
    const UNEXPECTED_EOF: &str = "unexpected EOF";

    /// Go's `quoteChar`.
    fn quote_char(c: u8) -> String {
        match c {
            b'\'' => r"'\''".into(),
            b'"' => "'\"'".into(),
            _ => format!("'{}'", char::from(c)),
        }
    }

    fn invalid(c: u8, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(c))
    }

    fn is_ws(c: u8) -> bool {
        matches!(c, b' ' | b'\t' | b'\n' | b'\r')
    }

    enum Ctx {
        Arr(Vec<Value>),
        Obj(Values, String),
    }

    struct Dec<'a> {
        b: &'a [u8],
        s: &'a str,
        p: usize,
        /// The first conversion error (a number out of float64 range); Go saves it and
        /// reports it only if the syntax is valid.
        saved: Option<String>,
    }

    impl Dec<'_> {
        fn ws(&mut self) {
            while self.p < self.b.len() && is_ws(self.b[self.p]) {
                self.p += 1;
            }
        }

        fn peek(&self) -> Result<u8, String> {
            self.b.get(self.p).copied().ok_or_else(|| UNEXPECTED_EOF.to_string())
        }

        fn hex4(&self, at: usize) -> Option<u32> {
            let h = self.b.get(at..at + 4)?;
            let mut r = 0u32;
            for &c in h {
                r = r * 16 + (c as char).to_digit(16)?;
            }
            Some(r)
        }

        fn string(&mut self) -> Result<String, String> {
            self.p += 1; // opening quote
            let mut out = String::new();
            loop {
                let c = self.peek()?;
                match c {
                    b'"' => {
                        self.p += 1;
                        return Ok(out);
                    }
                    b'\\' => {
                        self.p += 1;
                        let e = self.peek()?;
                        self.p += 1;
                        match e {
                            b'"' | b'\\' | b'/' => out.push(e as char),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'n' => out.push('\n'),
                            b'r' => out.push('\r'),
                            b't' => out.push('\t'),
                            b'u' => {
                                for k in 0..4 {
                                    let h =
                                        self.b.get(self.p + k).copied().ok_or_else(|| UNEXPECTED_EOF.to_string())?;
                                    if !h.is_ascii_hexdigit() {
                                        return Err(invalid(h, "in \\u hexadecimal character escape"));
                                    }
                                }
                                let r = self.hex4(self.p).unwrap();
                                self.p += 4;
                                if (0xD800..0xE000).contains(&r) {
                                    // A surrogate: only a high one followed by an escaped low one
                                    // makes a character; anything else is U+FFFD.
                                    let low = if self.b.get(self.p) == Some(&b'\\')
                                        && self.b.get(self.p + 1) == Some(&b'u')
                                    {
                                        self.hex4(self.p + 2)
                                    } else {
                                        None
                                    };
                                    match low {
                                        Some(lo) if (0xD800..0xDC00).contains(&r) && (0xDC00..0xE000).contains(&lo) => {
                                            let c = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                            self.p += 6;
                                        }
                                        _ => out.push('\u{FFFD}'),
                                    }
                                } else {
                                    out.push(char::from_u32(r).unwrap_or('\u{FFFD}'));
                                }
                            }
                            _ => return Err(invalid(e, "in string escape code")),
                        }
                    }
                    c if c < 0x20 => return Err(invalid(c, "in string literal")),
                    _ => {
                        // Copy one UTF-8 character (the input is a valid &str).
                        let ch = self.s[self.p..].chars().next().unwrap();
                        out.push(ch);
                        self.p += ch.len_utf8();
                    }
                }
            }
        }

        fn digits(&mut self) {
            while self.p < self.b.len() && self.b[self.p].is_ascii_digit() {
                self.p += 1;
            }
        }

        fn number(&mut self) -> Result<Value, String> {
            let start = self.p;
            if self.b[self.p] == b'-' {
                self.p += 1;
            }
            let c = self.peek()?;
            match c {
                b'0' => self.p += 1,
                b'1'..=b'9' => self.digits(),
                _ => return Err(invalid(c, "in numeric literal")),
            }
            if self.b.get(self.p) == Some(&b'.') {
                self.p += 1;
                let c = self.peek()?;
                if !c.is_ascii_digit() {
                    return Err(invalid(c, "after decimal point in numeric literal"));
                }
                self.digits();
            }
            if matches!(self.b.get(self.p), Some(b'e' | b'E')) {
                self.p += 1;
                if matches!(self.peek()?, b'+' | b'-') {
                    self.p += 1;
                }
                let c = self.peek()?;
                if !c.is_ascii_digit() {
                    return Err(invalid(c, "in exponent of numeric literal"));
                }
                self.digits();
            }
            let text = &self.s[start..self.p];
            let f: f64 = text.parse().unwrap_or(f64::INFINITY);
            if f.is_infinite() {
                if self.saved.is_none() {
                    self.saved = Some(format!("json: cannot unmarshal number {text} into Go value of type float64"));
                }
                return Ok(Value::Nil);
            }
            Ok(Value::Float(f))
        }

        fn literal(&mut self, word: &str, v: Value) -> Result<Value, String> {
            self.p += 1;
            for &want in &word.as_bytes()[1..] {
                let c = self.peek()?;
                if c != want {
                    return Err(invalid(c, &format!("in literal {word} (expecting {})", quote_char(want))));
                }
                self.p += 1;
            }
            Ok(v)
        }

        fn object_key(&mut self) -> Result<String, String> {
            self.ws();
            let c = self.peek()?;
            if c != b'"' {
                return Err(invalid(c, "looking for beginning of object key string"));
            }
            let k = self.string()?;
            self.ws();
            let c = self.peek()?;
            if c != b':' {
                return Err(invalid(c, "after object key"));
            }
            self.p += 1;
            Ok(k)
        }

        /// One value from `p`; leading whitespace already skipped by the caller or here.
        fn value(&mut self) -> Result<Value, String> {
            let mut stack: Vec<Ctx> = Vec::new();
            'value: loop {
                self.ws();
                let c = self.peek()?;
                let mut v = match c {
                    b'{' | b'[' => {
                        if stack.len() + 1 > MAX_DEPTH {
                            return Err(invalid(c, "exceeded max depth"));
                        }
                        self.p += 1;
                        self.ws();
                        let close = if c == b'{' { b'}' } else { b']' };
                        if self.peek()? == close {
                            self.p += 1;
                            if c == b'{' {
                                Value::empty_map()
                            } else {
                                Value::list(Vec::new())
                            }
                        } else if c == b'{' {
                            let k = self.object_key()?;
                            stack.push(Ctx::Obj(Values::new(), k));
                            continue 'value;
                        } else {
                            stack.push(Ctx::Arr(Vec::new()));
                            continue 'value;
                        }
                    }
                    b'"' => Value::string(self.string()?),
                    b'-' | b'0'..=b'9' => self.number()?,
                    b't' => self.literal("true", Value::Bool(true))?,
                    b'f' => self.literal("false", Value::Bool(false))?,
                    b'n' => self.literal("null", Value::Nil)?,
                    c => return Err(invalid(c, "looking for beginning of value")),
                };
                // Attach the finished value to its container, closing containers as they end.
                loop {
                    match stack.last_mut() {
                        None => return Ok(v),
                        Some(Ctx::Arr(items)) => {
                            items.push(v);
                            self.ws();
                            let c = self.peek()?;
                            self.p += 1;
                            match c {
                                b',' => continue 'value,
                                b']' => {
                                    let Some(Ctx::Arr(items)) = stack.pop() else { unreachable!() };
                                    v = Value::list(items);
                                }
                                c => return Err(invalid(c, "after array element")),
                            }
                        }
                        Some(Ctx::Obj(m, key)) => {
                            m.insert(std::mem::take(key).into(), v);
                            self.ws();
                            let c = self.peek()?;
                            self.p += 1;
                            match c {
                                b',' => {
                                    let k = self.object_key()?;
                                    if let Some(Ctx::Obj(_, key)) = stack.last_mut() {
                                        *key = k;
                                    }
                                    continue 'value;
                                }
                                b'}' => {
                                    let Some(Ctx::Obj(m, _)) = stack.pop() else { unreachable!() };
                                    v = Value::map(m);
                                }
                                c => return Err(invalid(c, "after object key:value pair")),
                            }
                        }
                    }
                }
            }
        }
    }

    /// `json.Decoder.Decode` on `s`: the value and the number of bytes it consumed
    /// (`InputOffset`), which ends right after the value.
    pub fn decode_prefix(s: &str) -> Result<(Value, usize), String> {
        let mut d = Dec { b: s.as_bytes(), s, p: 0, saved: None };
        d.ws();
        if d.p == s.len() {
            return Err("EOF".into());
        }
        let v = d.value()?;
        match d.saved {
            Some(e) => Err(e),
            None => Ok((v, d.p)),
        }
    }

    /// `json.Unmarshal` of the whole of `s`.
    pub fn decode_whole(s: &str) -> Result<Value, String> {
        let mut d = Dec { b: s.as_bytes(), s, p: 0, saved: None };
        let v =
            d.value().map_err(|e| if e == UNEXPECTED_EOF { "unexpected end of JSON input".to_string() } else { e })?;
        d.ws();
        if let Some(&c) = d.b.get(d.p) {
            return Err(invalid(c, "after top-level value"));
        }
        match d.saved {
            Some(e) => Err(e),
            None => Ok(v),
        }
    }
}
