//! The scanner: Go's `text/template/parse/lex.go` state machine, run eagerly.
//!
//! Tokens, their byte positions and their error texts follow Go's lexer
//! exactly, because parse errors and execution error columns are computed
//! from them.

use crate::scan::{memchr, memchr3};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Nil
                | ItemType::Range
                | ItemType::Template
                | ItemType::With
        )
    }
}

/// A token. Copied freely by the parser, so it holds no owned data: an
/// `Error` item's message lives in [`Lexed::error`]. Its line, needed only
/// for error messages, is counted from `pos` when one is made.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub typ: ItemType,
    pub pos: usize,
    /// The item's text (empty for an error).
    pub val: &'a str,
}

/// The scanner's output: the items, ending in EOF or an error, and that error's message.
pub(crate) struct Lexed<'a> {
    pub items: Vec<Item<'a>>,
    pub error: Option<String>,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => write!(f, "EOF"),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", crate::fmt::quote(&head))
                } else {
                    write!(f, "{}", crate::fmt::quote(&self.val))
                }
            }
        }
    }
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "." => ItemType::Dot,
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// ASCII bytes that Go's isAlphaNumeric accepts: `_`, letters and digits.
static WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = b == b'_' as usize || (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Go's isAlphaNumeric: `_`, unicode letters and digits. Rust's `is_alphabetic`
/// and `is_numeric` are slightly wider (letter-like numbers), which only matters
/// for exotic identifiers.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(b: &[u8]) -> bool {
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// `%#U` formatting of a rune: `U+0021 '!'`.
pub(crate) fn sharp_u(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if crate::fmt::is_print(c as u32) {
        format!("{code} '{c}'")
    } else {
        code
    }
}

pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    items: Vec<Item<'a>>,
    error: Option<String>,
    break_ok: bool,
    continue_ok: bool,
}

/// A state of the scanner, as Go's state functions. A `match` in one loop
/// rather than a function pointer, so the common step, from one token
/// inside an action to the next, is a branch and not an indirect call.
#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    /// EOF or an error item was emitted.
    Done,
}

impl<'a> Lexer<'a> {
    /// Scans the whole input into `items` (emptied first). The last item
    /// is EOF or an error.
    pub fn lex(input: &'a str, break_ok: bool, continue_ok: bool, mut items: Vec<Item<'a>>) -> Lexed<'a> {
        items.clear();
        // About one item per 7 bytes in Helm templates: sized once, the
        // vector is not copied as it grows.
        items.reserve(input.len() / 6 + 16);
        let mut l = Lexer { input, pos: 0, start: 0, paren_depth: 0, items, error: None, break_ok, continue_ok };
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => lex_text(&mut l),
                State::LeftDelim => lex_left_delim(&mut l),
                State::Comment => lex_comment(&mut l),
                State::RightDelim => lex_right_delim(&mut l),
                State::InsideAction => lex_inside_action(&mut l),
                State::Done => break,
            };
        }
        Lexed { items: l.items, error: l.error }
    }

    /// The 1-based line of byte `pos` of `text`.
    pub fn line_at(text: &str, pos: usize) -> usize {
        // A plain count, which LLVM vectorises: memchr's would ask the CPU
        // for its features (see `scan`), and execution errors that a
        // template recovers from compute locations too.
        1 + text.as_bytes()[..pos.min(text.len())].iter().filter(|&&b| b == b'\n').count()
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        let b = *self.input.as_bytes().get(self.pos)?;
        if b.is_ascii() {
            return Some(b as char);
        }
        self.rest().chars().next()
    }

    fn emit(&mut self, typ: ItemType) -> State {
        let item = Item { typ, pos: self.start, val: &self.input[self.start..self.pos] };
        self.items.push(item);
        self.start = self.pos;
        State::InsideAction
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn errorf(&mut self, msg: String) -> State {
        self.items.push(Item { typ: ItemType::Error, pos: self.start, val: "" });
        self.error = Some(msg);
        State::Done
    }

    fn skip_alphanumeric(&mut self) {
        let bytes = self.input.as_bytes();
        let mut pos = self.pos;
        while let Some(&b) = bytes.get(pos) {
            if WORD[b as usize] {
                pos += 1;
            } else if b.is_ascii() {
                break;
            } else {
                self.pos = pos;
                match self.peek() {
                    Some(c) if is_alphanumeric(c) => pos += c.len_utf8(),
                    _ => break,
                }
            }
        }
        self.pos = pos;
    }

    /// Takes the next byte if it is one of `valid` (always ASCII).
    fn accept(&mut self, valid: &str) -> bool {
        match self.input.as_bytes().get(self.pos) {
            Some(b) if valid.as_bytes().contains(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input.as_bytes()[self.pos..];
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes()) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM.as_bytes()), false)
    }

    fn at_terminator(&self) -> bool {
        match self.input.as_bytes().get(self.pos) {
            None => true,
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'.' | b',' | b'|' | b':' | b')' | b'(') => true,
            _ => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }
}

/// The first `{{`: a SIMD search for `{` (rare outside actions) and a check of the next byte.
fn find_left_delim(text: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr(b'{', &text[from..]) {
        let at = from + i;
        if text.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn lex_text(l: &mut Lexer<'_>) -> State {
    if let Some(x) = find_left_delim(l.rest().as_bytes()) {
        if x > 0 {
            l.pos += x;
            let delim_end = l.pos + LEFT_DELIM.len();
            let mut trim = 0;
            if has_left_trim_marker(&l.input[delim_end..]) {
                let text = &l.input[l.start..l.pos];
                trim = text.len() - text.trim_end_matches(is_space).len();
            }
            l.pos -= trim;
            if l.pos > l.start {
                l.emit(ItemType::Text);
            }
            l.pos += trim;
            l.ignore();
        }
        return State::LeftDelim;
    }
    l.pos = l.input.len();
    if l.pos > l.start {
        l.emit(ItemType::Text);
    }
    l.emit(ItemType::Eof);
    State::Done
}

fn lex_left_delim(l: &mut Lexer<'_>) -> State {
    l.pos += LEFT_DELIM.len();
    let trim = has_left_trim_marker(l.rest());
    let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
    if l.input[l.pos + after_marker..].starts_with(LEFT_COMMENT) {
        l.pos += after_marker;
        l.ignore();
        return State::Comment;
    }
    l.emit(ItemType::LeftDelim);
    l.pos += after_marker;
    l.ignore();
    l.paren_depth = 0;
    State::InsideAction
}

fn lex_comment(l: &mut Lexer<'_>) -> State {
    l.pos += LEFT_COMMENT.len();
    let Some(x) = l.rest().find(RIGHT_COMMENT) else {
        return l.errorf("unclosed comment".into());
    };
    l.pos += x + RIGHT_COMMENT.len();
    let (delim, trim) = l.at_right_delim();
    if !delim {
        return l.errorf("comment ends before closing delimiter".into());
    }
    if trim {
        l.pos += TRIM_MARKER_LEN;
    }
    l.pos += RIGHT_DELIM.len();
    if trim {
        let rest = l.rest();
        l.pos += rest.len() - rest.trim_start_matches(is_space).len();
    }
    l.ignore();
    State::Text
}

fn lex_right_delim(l: &mut Lexer<'_>) -> State {
    let (_, trim) = l.at_right_delim();
    if trim {
        l.pos += TRIM_MARKER_LEN;
        l.ignore();
    }
    l.pos += RIGHT_DELIM.len();
    l.emit(ItemType::RightDelim);
    if trim {
        let rest = l.rest();
        l.pos += rest.len() - rest.trim_start_matches(is_space).len();
        l.ignore();
    }
    State::Text
}

fn lex_inside_action(l: &mut Lexer<'_>) -> State {
    // Token after token until the action ends or the scan stops.
    loop {
        match lex_action_token(l) {
            State::InsideAction => {}
            next => return next,
        }
    }
}

/// One token inside an action, dispatched on its first byte: every byte
/// that starts a token is ASCII, so a character is decoded only for the
/// rest (a letter of an identifier, or an error).
fn lex_action_token(l: &mut Lexer<'_>) -> State {
    let bytes = l.input.as_bytes();
    let Some(&b) = bytes.get(l.pos) else {
        return l.errorf("unclosed action".into());
    };
    // Only `}` and a space can start `}}` or ` -}}`.
    if matches!(b, b'}' | b' ' | b'\t' | b'\r' | b'\n') {
        if l.at_right_delim().0 {
            return right_delim_or_error(l);
        }
        if b != b'}' {
            return lex_space(l);
        }
    }
    if !b.is_ascii() {
        return match l.peek() {
            Some(c) if is_alphanumeric(c) => lex_identifier(l),
            Some(c) => {
                l.pos += c.len_utf8();
                l.errorf(format!("unrecognized character in action: {}", sharp_u(c)))
            }
            None => l.errorf("unclosed action".into()),
        };
    }
    l.pos += 1;
    match b {
        b'=' => l.emit(ItemType::Assign),
        b':' => {
            if l.next() != Some('=') {
                return l.errorf("expected :=".into());
            }
            l.emit(ItemType::Declare)
        }
        b'|' => l.emit(ItemType::Pipe),
        b'"' => lex_quote(l),
        b'`' => lex_raw_quote(l),
        b'$' => lex_variable(l),
        b'\'' => lex_char(l),
        // Go looks one byte ahead so that `.field` is a field and `.5` a number.
        b'.' if bytes.get(l.pos).is_some_and(|c| !c.is_ascii_digit()) => lex_field_or_variable(l, ItemType::Field),
        b'.' | b'+' | b'-' | b'0'..=b'9' => {
            l.pos -= 1;
            lex_number(l)
        }
        b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
            l.pos -= 1;
            lex_identifier(l)
        }
        b'(' => {
            l.paren_depth += 1;
            l.emit(ItemType::LeftParen)
        }
        b')' => {
            if l.paren_depth == 0 {
                return l.errorf("unexpected right paren".into());
            }
            l.paren_depth -= 1;
            l.emit(ItemType::RightParen)
        }
        c if !c.is_ascii_control() => l.emit(ItemType::Char),
        c => l.errorf(format!("unrecognized character in action: {}", sharp_u(c as char))),
    }
}

/// At `}}` or ` -}}`: the end of the action, unless a parenthesis is open.
fn right_delim_or_error(l: &mut Lexer<'_>) -> State {
    if l.paren_depth == 0 {
        return lex_right_delim(l);
    }
    l.errorf("unclosed left paren".into())
}

fn lex_space(l: &mut Lexer<'_>) -> State {
    let bytes = l.input.as_bytes();
    let start = l.pos;
    while matches!(bytes.get(l.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        l.pos += 1;
    }
    let num_spaces = l.pos - start;
    // A trim-marked right delimiter starts with a space: leave it for lex_right_delim.
    if has_right_trim_marker(&bytes[l.pos - 1..])
        && bytes[l.pos - 1 + TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes())
    {
        l.pos -= 1;
        if num_spaces == 1 {
            return State::RightDelim;
        }
    }
    l.emit(ItemType::Space)
}

fn lex_identifier(l: &mut Lexer<'_>) -> State {
    {
        l.skip_alphanumeric();
        let word = &l.input[l.start..l.pos];
        if !l.at_terminator() {
            let c = l.peek().unwrap_or('\u{0}');
            return l.errorf(format!("bad character {}", sharp_u(c)));
        }
        let typ = match keyword(word) {
            Some(ItemType::Break) if !l.break_ok => ItemType::Identifier,
            Some(ItemType::Continue) if !l.continue_ok => ItemType::Identifier,
            Some(k) => k,
            None if word == "true" || word == "false" => ItemType::Bool,
            None => ItemType::Identifier,
        };
        return l.emit(typ);
    }
}

fn lex_variable(l: &mut Lexer<'_>) -> State {
    if l.at_terminator() {
        return l.emit(ItemType::Variable);
    }
    lex_field_or_variable(l, ItemType::Variable)
}

fn lex_field_or_variable(l: &mut Lexer<'_>, typ: ItemType) -> State {
    if l.at_terminator() {
        return l.emit(if typ == ItemType::Variable { ItemType::Variable } else { ItemType::Dot });
    }
    l.skip_alphanumeric();
    if !l.at_terminator() {
        let c = l.peek().unwrap_or('\u{0}');
        return l.errorf(format!("bad character {}", sharp_u(c)));
    }
    l.emit(typ)
}

fn lex_char(l: &mut Lexer<'_>) -> State {
    loop {
        match l.next() {
            Some('\\') => {
                if matches!(l.next(), None | Some('\n')) {
                    return l.errorf("unterminated character constant".into());
                }
            }
            None | Some('\n') => return l.errorf("unterminated character constant".into()),
            Some('\'') => break,
            Some(_) => {}
        }
    }
    l.emit(ItemType::CharConstant)
}

fn lex_number(l: &mut Lexer<'_>) -> State {
    if !l.scan_number() {
        let text = l.input[l.start..l.pos].to_string();
        return l.errorf(format!("bad number syntax: {}", crate::fmt::quote(&text)));
    }
    if matches!(l.peek(), Some('+' | '-')) {
        // Complex: 1+2i. No spaces, must end in 'i'.
        if !l.scan_number() || !l.input[..l.pos].ends_with('i') {
            let text = l.input[l.start..l.pos].to_string();
            return l.errorf(format!("bad number syntax: {}", crate::fmt::quote(&text)));
        }
        return l.emit(ItemType::Complex);
    }
    l.emit(ItemType::Number)
}

fn lex_quote(l: &mut Lexer<'_>) -> State {
    let bytes = l.input.as_bytes();
    loop {
        // The bytes that matter are ASCII, so a byte search cannot stop
        // inside a multi-byte character.
        let Some(off) = memchr3(b'"', b'\\', b'\n', &bytes[l.pos..]) else {
            l.pos = bytes.len();
            return l.errorf("unterminated quoted string".into());
        };
        l.pos += off + 1;
        match bytes[l.pos - 1] {
            b'"' => break,
            b'\\' => {
                // The escaped character, whatever it is, except a newline.
                if matches!(l.next(), None | Some('\n')) {
                    return l.errorf("unterminated quoted string".into());
                }
            }
            _ => return l.errorf("unterminated quoted string".into()),
        }
    }
    l.emit(ItemType::String)
}

fn lex_raw_quote(l: &mut Lexer<'_>) -> State {
    match memchr(b'`', &l.input.as_bytes()[l.pos..]) {
        Some(off) => l.pos += off + 1,
        None => {
            l.pos = l.input.len();
            return l.errorf("unterminated raw quoted string".into());
        }
    }
    l.emit(ItemType::RawString)
}
