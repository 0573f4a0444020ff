//! go-yaml v3's scanner (scannerc.go), comments included, ported line by
//! line: the comment placement of kyaml's output depends on its exact
//! heuristics. Input is UTF-8 already checked by [`super::parser`].

use std::collections::HashMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: i64,
    pub line: i64,
    pub column: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TokenType {
    #[default]
    None,
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

pub const PLAIN: u8 = 1;
pub const SINGLE_QUOTED: u8 = 2;
pub const DOUBLE_QUOTED: u8 = 4;
pub const LITERAL: u8 = 8;
pub const FOLDED: u8 = 16;

#[derive(Clone, Debug, Default)]
pub struct Token {
    pub typ: TokenType,
    pub start_mark: Mark,
    pub end_mark: Mark,
    pub value: Vec<u8>,
    pub suffix: Vec<u8>,
    pub style: u8,
}

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: i64,
    mark: Mark,
}

#[derive(Clone, Debug, Default)]
pub struct Comment {
    pub scan_mark: Mark,
    pub token_mark: Mark,
    pub start_mark: Mark,
    pub end_mark: Mark,
    pub head: Vec<u8>,
    pub line: Vec<u8>,
    pub foot: Vec<u8>,
}

/// A scanner or parser error: go-yaml's problem, context and marks (the
/// context is not part of go-yaml's error text).
#[derive(Clone, Debug, Default)]
#[allow(dead_code)]
pub struct YamlErr {
    pub scanner: bool,
    pub problem: String,
    pub context: String,
    pub context_mark: Mark,
    pub problem_mark: Mark,
    /// A construct rhelm does not reproduce (tags, anchors, directives).
    pub unsupported: bool,
}

pub type R<T> = Result<T, YamlErr>;

pub struct Scanner {
    pub buf: Vec<u8>,
    pub pos: usize,
    pub mark: Mark,
    pub newlines: i64,
    pub comments: Vec<Comment>,
    pub comments_head: usize,
    stream_start_produced: bool,
    pub stream_end_produced: bool,
    flow_level: i64,
    pub tokens: Vec<Token>,
    pub tokens_head: usize,
    pub tokens_parsed: i64,
    pub token_available: bool,
    indent: i64,
    indents: Vec<i64>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: HashMap<i64, usize>,
}

// Character classes (yamlprivateh.go) on the padded buffer.
impl Scanner {
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.buf.get(i).copied().unwrap_or(0)
    }
    #[inline]
    fn c(&self, k: usize) -> u8 {
        self.at(self.pos + k)
    }
    fn is_alpha(&self, k: usize) -> bool {
        let b = self.c(k);
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    }
    fn is_digit(&self, k: usize) -> bool {
        self.c(k).is_ascii_digit()
    }
    fn is_hex(&self, k: usize) -> bool {
        self.c(k).is_ascii_hexdigit()
    }
    fn as_hex(&self, k: usize) -> i64 {
        let b = self.c(k);
        match b {
            b'A'..=b'F' => (b - b'A' + 10) as i64,
            b'a'..=b'f' => (b - b'a' + 10) as i64,
            _ => (b - b'0') as i64,
        }
    }
    fn is_z(&self, k: usize) -> bool {
        self.c(k) == 0
    }
    fn is_space(&self, k: usize) -> bool {
        self.c(k) == b' '
    }
    fn is_tab(&self, k: usize) -> bool {
        self.c(k) == b'\t'
    }
    fn is_blank(&self, k: usize) -> bool {
        let b = self.c(k);
        b == b' ' || b == b'\t'
    }
    fn is_break(&self, k: usize) -> bool {
        let (b0, b1, b2) = (self.c(k), self.c(k + 1), self.c(k + 2));
        b0 == b'\r'
            || b0 == b'\n'
            || (b0 == 0xC2 && b1 == 0x85)
            || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
    }
    fn is_crlf(&self, k: usize) -> bool {
        self.c(k) == b'\r' && self.c(k + 1) == b'\n'
    }
    fn is_breakz(&self, k: usize) -> bool {
        self.is_break(k) || self.is_z(k)
    }
    fn is_blankz(&self, k: usize) -> bool {
        self.is_blank(k) || self.is_breakz(k)
    }
    fn is_bom(&self) -> bool {
        self.at(0) == 0xEF && self.at(1) == 0xBB && self.at(2) == 0xBF
    }
}

pub fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}

impl Scanner {
    pub fn new(input: &[u8]) -> Scanner {
        Scanner {
            buf: input.to_vec(),
            pos: 0,
            mark: Mark::default(),
            newlines: 0,
            comments: Vec::new(),
            comments_head: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            flow_level: 0,
            tokens: Vec::new(),
            tokens_head: 0,
            tokens_parsed: 0,
            token_available: false,
            indent: 0,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: HashMap::new(),
        }
    }

    fn skip(&mut self) {
        if !self.is_blank(0) {
            self.newlines = 0;
        }
        self.mark.index += 1;
        self.mark.column += 1;
        self.pos += width(self.c(0)).max(1);
    }

    fn skip_line(&mut self) {
        if self.is_crlf(0) {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += 2;
            self.newlines += 1;
        } else if self.is_break(0) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += width(self.c(0)).max(1);
            self.newlines += 1;
        }
    }

    fn read(&mut self, s: &mut Vec<u8>) {
        if !self.is_blank(0) {
            self.newlines = 0;
        }
        let w = width(self.c(0)).max(1);
        s.extend_from_slice(&self.buf[self.pos..(self.pos + w).min(self.buf.len())]);
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
    }

    fn read_line(&mut self, s: &mut Vec<u8>) {
        let (b0, b1, b2) = (self.c(0), self.c(1), self.c(2));
        if b0 == b'\r' && b1 == b'\n' {
            s.push(b'\n');
            self.pos += 2;
            self.mark.index += 1;
        } else if b0 == b'\r' || b0 == b'\n' {
            s.push(b'\n');
            self.pos += 1;
        } else if b0 == 0xC2 && b1 == 0x85 {
            s.push(b'\n');
            self.pos += 2;
        } else if b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
            s.extend_from_slice(&[b0, b1, b2]);
            self.pos += 3;
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        self.newlines += 1;
    }

    fn err<T>(&self, context: &str, context_mark: Mark, problem: &str) -> R<T> {
        Err(YamlErr {
            scanner: true,
            problem: problem.to_string(),
            context: context.to_string(),
            context_mark,
            problem_mark: self.mark,
            unsupported: false,
        })
    }

    fn unsupported<T>(&self, what: &str) -> R<T> {
        Err(YamlErr {
            scanner: true,
            problem: what.to_string(),
            problem_mark: self.mark,
            unsupported: true,
            ..YamlErr::default()
        })
    }

    fn insert_token(&mut self, pos: i64, token: Token) {
        if pos < 0 {
            self.tokens.push(token);
        } else {
            self.tokens.insert(self.tokens_head + pos as usize, token);
        }
    }

    /// yaml_parser_fetch_more_tokens.
    pub fn fetch_more_tokens(&mut self) -> R<()> {
        loop {
            if (self.tokens_head as i64) < self.tokens.len() as i64 - 2 {
                let Some(&idx) = self.simple_keys_by_tok.get(&self.tokens_parsed) else { break };
                let mut sk = self.simple_keys[idx];
                let valid = self.simple_key_is_valid(&mut sk)?;
                self.simple_keys[idx] = sk;
                if !valid {
                    break;
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> R<()> {
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        let scan_mark = self.mark;
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column, scan_mark);

        if self.is_z(0) {
            return self.fetch_stream_end();
        }
        if self.mark.column == 0 && self.c(0) == b'%' {
            return self.unsupported("directive");
        }
        if self.mark.column == 0 && self.c(0) == b'-' && self.c(1) == b'-' && self.c(2) == b'-' && self.is_blankz(3) {
            return self.fetch_document_indicator(TokenType::DocumentStart);
        }
        if self.mark.column == 0 && self.c(0) == b'.' && self.c(1) == b'.' && self.c(2) == b'.' && self.is_blankz(3) {
            return self.fetch_document_indicator(TokenType::DocumentEnd);
        }

        let mut comment_mark = self.mark;
        if !self.tokens.is_empty()
            && ((self.flow_level == 0 && self.c(0) == b':') || (self.flow_level > 0 && self.c(0) == b','))
        {
            comment_mark = self.tokens[self.tokens.len() - 1].start_mark;
        }
        self.fetch_token_body()?;
        // The deferred line-comment scan.
        if !self.tokens.is_empty() && self.tokens[self.tokens.len() - 1].typ == TokenType::BlockEntry {
            return Ok(());
        }
        self.scan_line_comment(comment_mark)
    }

    fn fetch_token_body(&mut self) -> R<()> {
        let b = self.c(0);
        match b {
            b'[' => return self.fetch_flow_collection_start(TokenType::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenType::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenType::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenType::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if b == b'-' && self.is_blankz(1) {
            return self.fetch_block_entry();
        }
        if b == b'?' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_key();
        }
        if b == b':' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_value();
        }
        if b == b'*' {
            return self.fetch_anchor(TokenType::Alias);
        }
        if b == b'&' {
            return self.fetch_anchor(TokenType::Anchor);
        }
        if b == b'!' {
            return self.fetch_tag();
        }
        if b == b'|' && self.flow_level == 0 {
            return self.fetch_block_scalar(true);
        }
        if b == b'>' && self.flow_level == 0 {
            return self.fetch_block_scalar(false);
        }
        if b == b'\'' {
            return self.fetch_flow_scalar(true);
        }
        if b == b'"' {
            return self.fetch_flow_scalar(false);
        }
        if !(self.is_blankz(0)
            || matches!(
                b,
                b'-' | b'?'
                    | b':'
                    | b','
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'#'
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            ))
            || (b == b'-' && !self.is_blank(1))
            || (self.flow_level == 0 && (b == b'?' || b == b':') && !self.is_blankz(1))
        {
            return self.fetch_plain_scalar();
        }
        self.err("while scanning for the next token", self.mark, "found character that cannot start any token")
    }

    fn simple_key_is_valid(&mut self, sk: &mut SimpleKey) -> R<bool> {
        if !sk.possible {
            return Ok(false);
        }
        if sk.mark.line < self.mark.line || sk.mark.index + 1024 < self.mark.index {
            if sk.required {
                return self.err("while scanning a simple key", sk.mark, "could not find expected ':'");
            }
            sk.possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> R<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column;
        if self.simple_key_allowed {
            let sk = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head) as i64,
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let n = self.simple_keys.len();
            self.simple_keys[n - 1] = sk;
            self.simple_keys_by_tok.insert(sk.token_number, n - 1);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> R<()> {
        let i = self.simple_keys.len() - 1;
        if self.simple_keys[i].possible {
            if self.simple_keys[i].required {
                return self.err(
                    "while scanning a simple key",
                    self.simple_keys[i].mark,
                    "could not find expected ':'",
                );
            }
            self.simple_keys[i].possible = false;
            let tn = self.simple_keys[i].token_number;
            self.simple_keys_by_tok.remove(&tn);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> R<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head) as i64,
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > 10000 {
            let m = self.simple_keys[self.simple_keys.len() - 1].mark;
            return self.err("while increasing flow level", m, "exceeded max depth of 10000");
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            let last = self.simple_keys.len() - 1;
            let tn = self.simple_keys[last].token_number;
            self.simple_keys_by_tok.remove(&tn);
            self.simple_keys.truncate(last);
        }
    }

    fn roll_indent(&mut self, column: i64, number: i64, typ: TokenType, mark: Mark) -> R<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > 10000 {
                let m = self.simple_keys[self.simple_keys.len() - 1].mark;
                return self.err("while increasing indent level", m, "exceeded max depth of 10000");
            }
            let token = Token { typ, start_mark: mark, end_mark: mark, ..Token::default() };
            let mut number = number;
            if number > -1 {
                number -= self.tokens_parsed;
            }
            self.insert_token(number, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: i64, scan_mark: Mark) {
        if self.flow_level > 0 {
            return;
        }
        let mut block_mark = scan_mark;
        block_mark.index -= 1;
        while self.indent > column {
            let mut stop_index = block_mark.index;
            for i in (0..self.comments.len()).rev() {
                let comment = &self.comments[i];
                if comment.end_mark.index < stop_index {
                    break;
                }
                if comment.start_mark.column == self.indent + 1 {
                    block_mark = comment.start_mark;
                }
                stop_index = comment.scan_mark.index;
            }
            let token =
                Token { typ: TokenType::BlockEnd, start_mark: block_mark, end_mark: block_mark, ..Token::default() };
            self.insert_token(-1, token);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_keys_by_tok.clear();
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let token =
            Token { typ: TokenType::StreamStart, start_mark: self.mark, end_mark: self.mark, ..Token::default() };
        self.insert_token(-1, token);
    }

    fn fetch_stream_end(&mut self) -> R<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1, self.mark);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = Token { typ: TokenType::StreamEnd, start_mark: self.mark, end_mark: self.mark, ..Token::default() };
        self.insert_token(-1, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, typ: TokenType) -> R<()> {
        self.unroll_indent(-1, self.mark);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start_mark = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, typ: TokenType) -> R<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, typ: TokenType) -> R<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> R<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ: TokenType::FlowEntry, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> R<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return self.err("", self.mark, "block sequence entries are not allowed in this context");
            }
            self.roll_indent(self.mark.column, -1, TokenType::BlockSequenceStart, self.mark)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ: TokenType::BlockEntry, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_key(&mut self) -> R<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return self.err("", self.mark, "mapping keys are not allowed in this context");
            }
            self.roll_indent(self.mark.column, -1, TokenType::BlockMappingStart, self.mark)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ: TokenType::Key, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_value(&mut self) -> R<()> {
        let idx = self.simple_keys.len() - 1;
        let mut sk = self.simple_keys[idx];
        let valid = self.simple_key_is_valid(&mut sk)?;
        self.simple_keys[idx] = sk;
        if valid {
            let token = Token { typ: TokenType::Key, start_mark: sk.mark, end_mark: sk.mark, ..Token::default() };
            self.insert_token(sk.token_number - self.tokens_parsed, token);
            self.roll_indent(sk.mark.column, sk.token_number, TokenType::BlockMappingStart, sk.mark)?;
            self.simple_keys[idx].possible = false;
            self.simple_keys_by_tok.remove(&sk.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return self.err("", self.mark, "mapping values are not allowed in this context");
                }
                self.roll_indent(self.mark.column, -1, TokenType::BlockMappingStart, self.mark)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start_mark = self.mark;
        self.skip();
        let end_mark = self.mark;
        self.insert_token(-1, Token { typ: TokenType::Value, start_mark, end_mark, ..Token::default() });
        Ok(())
    }

    fn fetch_anchor(&mut self, typ: TokenType) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start_mark = self.mark;
        self.skip();
        let mut s = Vec::new();
        while self.is_alpha(0) {
            self.read(&mut s);
        }
        let end_mark = self.mark;
        let b = self.c(0);
        if s.is_empty() || !(self.is_blankz(0) || matches!(b, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`')) {
            let context = if typ == TokenType::Anchor { "while scanning an anchor" } else { "while scanning an alias" };
            return self.err(context, start_mark, "did not find expected alphabetic or numeric character");
        }
        self.insert_token(-1, Token { typ, start_mark, end_mark, value: s, ..Token::default() });
        Ok(())
    }

    fn fetch_tag(&mut self) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start_mark = self.mark;
        let mut handle;
        let suffix;
        if self.c(1) == b'<' {
            handle = Vec::new();
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(&[], start_mark)?;
            if self.c(0) != b'>' {
                return self.err("while scanning a tag", start_mark, "did not find the expected '>'");
            }
            self.skip();
        } else {
            handle = self.scan_tag_handle(start_mark)?;
            if handle[0] == b'!' && handle.len() > 1 && handle[handle.len() - 1] == b'!' {
                suffix = self.scan_tag_uri(&[], start_mark)?;
            } else {
                let mut sfx = self.scan_tag_uri(&handle, start_mark)?;
                handle = b"!".to_vec();
                if sfx.is_empty() {
                    std::mem::swap(&mut handle, &mut sfx);
                }
                suffix = sfx;
            }
        }
        if !self.is_blankz(0) {
            return self.err("while scanning a tag", start_mark, "did not find expected whitespace or line break");
        }
        let end_mark = self.mark;
        self.insert_token(
            -1,
            Token { typ: TokenType::Tag, start_mark, end_mark, value: handle, suffix, ..Token::default() },
        );
        Ok(())
    }

    fn scan_tag_handle(&mut self, start_mark: Mark) -> R<Vec<u8>> {
        if self.c(0) != b'!' {
            return self.err("while parsing a tag", start_mark, "did not find expected '!'");
        }
        let mut s = Vec::new();
        self.read(&mut s);
        while self.is_alpha(0) {
            self.read(&mut s);
        }
        if self.c(0) == b'!' {
            self.read(&mut s);
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, head: &[u8], start_mark: Mark) -> R<Vec<u8>> {
        let mut s = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            s.extend_from_slice(&head[1..]);
        }
        loop {
            let b = self.c(0);
            if !(self.is_alpha(0)
                || matches!(
                    b,
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                ))
            {
                break;
            }
            if b == b'%' {
                self.scan_uri_escapes(start_mark, &mut s)?;
            } else {
                self.read(&mut s);
            }
            has_tag = true;
        }
        if !has_tag {
            return self.err("while parsing a tag", start_mark, "did not find expected tag URI");
        }
        Ok(s)
    }

    fn scan_uri_escapes(&mut self, start_mark: Mark, s: &mut Vec<u8>) -> R<()> {
        let mut w = 1024;
        while w > 0 {
            if !(self.c(0) == b'%' && self.is_hex(1) && self.is_hex(2)) {
                return self.err("while parsing a tag", start_mark, "did not find URI escaped octet");
            }
            let octet = ((self.as_hex(1) << 4) + self.as_hex(2)) as u8;
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return self.err("while parsing a tag", start_mark, "found an incorrect leading UTF-8 octet");
                }
            } else if octet & 0xC0 != 0x80 {
                return self.err("while parsing a tag", start_mark, "found an incorrect trailing UTF-8 octet");
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        if std::str::from_utf8(s).is_err() {
            return self.unsupported("tag with an invalid UTF-8 escape");
        }
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> R<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.insert_token(-1, token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.insert_token(-1, token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.insert_token(-1, token);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> R<()> {
        let scan_mark = self.mark;
        loop {
            if self.mark.column == 0 && self.is_bom() && self.pos == 0 {
                self.skip();
            }
            while self.c(0) == b' ' || ((self.flow_level > 0 || !self.simple_key_allowed) && self.c(0) == b'\t') {
                self.skip();
            }
            if !self.comments.is_empty() && self.tokens.len() > 1 {
                let ta = self.tokens[self.tokens.len() - 2].typ;
                let tb = self.tokens[self.tokens.len() - 1].typ;
                let at_break = self.is_break(0);
                let mark = self.mark;
                let n = self.comments.len();
                let comment = &mut self.comments[n - 1];
                if ta == TokenType::BlockSequenceStart
                    && tb == TokenType::BlockEntry
                    && !comment.line.is_empty()
                    && !at_break
                {
                    comment.head = std::mem::take(&mut comment.line);
                    if comment.start_mark.line == mark.line - 1 {
                        comment.token_mark = mark;
                    }
                }
            }
            if self.c(0) == b'#' {
                self.scan_comments(scan_mark)?;
            }
            if self.is_break(0) {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> R<Token> {
        let start_mark = self.mark;
        self.skip();
        let mut chomping = 0i64;
        let mut increment = 0i64;
        if self.c(0) == b'+' || self.c(0) == b'-' {
            chomping = if self.c(0) == b'+' { 1 } else { -1 };
            self.skip();
            if self.is_digit(0) {
                if self.c(0) == b'0' {
                    return self.err(
                        "while scanning a block scalar",
                        start_mark,
                        "found an indentation indicator equal to 0",
                    );
                }
                increment = (self.c(0) - b'0') as i64;
                self.skip();
            }
        } else if self.is_digit(0) {
            if self.c(0) == b'0' {
                return self.err(
                    "while scanning a block scalar",
                    start_mark,
                    "found an indentation indicator equal to 0",
                );
            }
            increment = (self.c(0) - b'0') as i64;
            self.skip();
            if self.c(0) == b'+' || self.c(0) == b'-' {
                chomping = if self.c(0) == b'+' { 1 } else { -1 };
                self.skip();
            }
        }
        while self.is_blank(0) {
            self.skip();
        }
        if self.c(0) == b'#' {
            self.scan_line_comment(start_mark)?;
            while !self.is_breakz(0) {
                self.skip();
            }
        }
        if !self.is_breakz(0) {
            return self.err(
                "while scanning a block scalar",
                start_mark,
                "did not find expected comment or line break",
            );
        }
        if self.is_break(0) {
            self.skip_line();
        }
        let mut end_mark = self.mark;
        let mut indent = 0i64;
        if increment > 0 {
            indent = if self.indent >= 0 { self.indent + increment } else { increment };
        }
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start_mark, &mut end_mark)?;
        let mut leading_blank = false;
        while self.mark.column == indent && !self.is_z(0) {
            let trailing_blank = self.is_blank(0);
            if !literal && !leading_blank && !trailing_blank && !leading_break.is_empty() && leading_break[0] == b'\n' {
                if trailing_breaks.is_empty() {
                    s.push(b' ');
                }
            } else {
                s.extend_from_slice(&leading_break);
            }
            leading_break.clear();
            s.extend_from_slice(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.is_blank(0);
            while !self.is_breakz(0) {
                self.read(&mut s);
            }
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start_mark, &mut end_mark)?;
        }
        if chomping != -1 {
            s.extend_from_slice(&leading_break);
        }
        if chomping == 1 {
            s.extend_from_slice(&trailing_breaks);
        }
        Ok(Token {
            typ: TokenType::Scalar,
            start_mark,
            end_mark,
            value: s,
            style: if literal { LITERAL } else { FOLDED },
            ..Token::default()
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut i64,
        breaks: &mut Vec<u8>,
        start_mark: Mark,
        end_mark: &mut Mark,
    ) -> R<()> {
        *end_mark = self.mark;
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || self.mark.column < *indent) && self.is_space(0) {
                self.skip();
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && self.is_tab(0) {
                return self.err(
                    "while scanning a block scalar",
                    start_mark,
                    "found a tab character where an indentation space is expected",
                );
            }
            if !self.is_break(0) {
                break;
            }
            self.read_line(breaks);
            *end_mark = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn is_document_indicator(&self) -> bool {
        self.mark.column == 0
            && ((self.c(0) == b'-' && self.c(1) == b'-' && self.c(2) == b'-')
                || (self.c(0) == b'.' && self.c(1) == b'.' && self.c(2) == b'.'))
            && self.is_blankz(3)
    }

    fn scan_flow_scalar(&mut self, single: bool) -> R<Token> {
        let start_mark = self.mark;
        self.skip();
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        let mut whitespaces = Vec::new();
        loop {
            if self.is_document_indicator() {
                return self.err("while scanning a quoted scalar", start_mark, "found unexpected document indicator");
            }
            if self.is_z(0) {
                return self.err("while scanning a quoted scalar", start_mark, "found unexpected end of stream");
            }
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                let b = self.c(0);
                if single && b == b'\'' && self.c(1) == b'\'' {
                    s.push(b'\'');
                    self.skip();
                    self.skip();
                } else if single && b == b'\'' {
                    break;
                } else if !single && b == b'"' {
                    break;
                } else if !single && b == b'\\' && self.is_break(1) {
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && b == b'\\' {
                    let mut code_length = 0;
                    match self.c(1) {
                        b'0' => s.push(0),
                        b'a' => s.push(0x07),
                        b'b' => s.push(0x08),
                        b't' | b'\t' => s.push(0x09),
                        b'n' => s.push(0x0A),
                        b'v' => s.push(0x0B),
                        b'f' => s.push(0x0C),
                        b'r' => s.push(0x0D),
                        b'e' => s.push(0x1B),
                        b' ' => s.push(0x20),
                        b'"' => s.push(b'"'),
                        b'\'' => s.push(b'\''),
                        b'\\' => s.push(b'\\'),
                        b'N' => s.extend_from_slice(&[0xC2, 0x85]),
                        b'_' => s.extend_from_slice(&[0xC2, 0xA0]),
                        b'L' => s.extend_from_slice(&[0xE2, 0x80, 0xA8]),
                        b'P' => s.extend_from_slice(&[0xE2, 0x80, 0xA9]),
                        b'x' => code_length = 2,
                        b'u' => code_length = 4,
                        b'U' => code_length = 8,
                        _ => {
                            return self.err(
                                "while parsing a quoted scalar",
                                start_mark,
                                "found unknown escape character",
                            )
                        }
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        let mut value: i64 = 0;
                        for k in 0..code_length {
                            if !self.is_hex(k) {
                                return self.err(
                                    "while parsing a quoted scalar",
                                    start_mark,
                                    "did not find expected hexdecimal number",
                                );
                            }
                            value = (value << 4) + self.as_hex(k);
                        }
                        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                            return self.err(
                                "while parsing a quoted scalar",
                                start_mark,
                                "found invalid Unicode character escape code",
                            );
                        }
                        if value <= 0x7F {
                            s.push(value as u8);
                        } else if value <= 0x7FF {
                            s.push((0xC0 + (value >> 6)) as u8);
                            s.push((0x80 + (value & 0x3F)) as u8);
                        } else if value <= 0xFFFF {
                            s.push((0xE0 + (value >> 12)) as u8);
                            s.push((0x80 + ((value >> 6) & 0x3F)) as u8);
                            s.push((0x80 + (value & 0x3F)) as u8);
                        } else {
                            s.push((0xF0 + (value >> 18)) as u8);
                            s.push((0x80 + ((value >> 12) & 0x3F)) as u8);
                            s.push((0x80 + ((value >> 6) & 0x3F)) as u8);
                            s.push((0x80 + (value & 0x3F)) as u8);
                        }
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    self.read(&mut s);
                }
            }
            if single {
                if self.c(0) == b'\'' {
                    break;
                }
            } else if self.c(0) == b'"' {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }
            if leading_blanks {
                if !leading_break.is_empty() && leading_break[0] == b'\n' {
                    if trailing_breaks.is_empty() {
                        s.push(b' ');
                    } else {
                        s.extend_from_slice(&trailing_breaks);
                    }
                } else {
                    s.extend_from_slice(&leading_break);
                    s.extend_from_slice(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.extend_from_slice(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let end_mark = self.mark;
        Ok(Token {
            typ: TokenType::Scalar,
            start_mark,
            end_mark,
            value: s,
            style: if single { SINGLE_QUOTED } else { DOUBLE_QUOTED },
            ..Token::default()
        })
    }

    fn scan_plain_scalar(&mut self) -> R<Token> {
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        let mut whitespaces = Vec::new();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start_mark = self.mark;
        let mut end_mark = self.mark;
        loop {
            if self.is_document_indicator() {
                break;
            }
            if self.c(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let b = self.c(0);
                if (b == b':' && self.is_blankz(1))
                    || (self.flow_level > 0 && matches!(b, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break[0] == b'\n' {
                            if trailing_breaks.is_empty() {
                                s.push(b' ');
                            } else {
                                s.extend_from_slice(&trailing_breaks);
                            }
                        } else {
                            s.extend_from_slice(&leading_break);
                            s.extend_from_slice(&trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        s.extend_from_slice(&whitespaces);
                        whitespaces.clear();
                    }
                }
                self.read(&mut s);
                end_mark = self.mark;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && self.mark.column < indent && self.is_tab(0) {
                        return self.err(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                        );
                    }
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }
            if self.flow_level == 0 && self.mark.column < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token { typ: TokenType::Scalar, start_mark, end_mark, value: s, style: PLAIN, ..Token::default() })
    }

    fn scan_line_comment(&mut self, token_mark: Mark) -> R<()> {
        if self.newlines > 0 {
            return Ok(());
        }
        let mut start_mark = Mark::default();
        let mut text = Vec::new();
        let mut peek = 0usize;
        while peek < 512 {
            if self.is_blank(peek) {
                peek += 1;
                continue;
            }
            if self.c(peek) == b'#' {
                let seen = self.mark.index + peek as i64;
                loop {
                    if self.is_breakz(0) {
                        if self.mark.index >= seen {
                            break;
                        }
                        self.skip_line();
                    } else if self.mark.index >= seen {
                        if text.is_empty() {
                            start_mark = self.mark;
                        }
                        self.read(&mut text);
                    } else {
                        self.skip();
                    }
                }
            }
            break;
        }
        if !text.is_empty() {
            self.comments.push(Comment { token_mark, start_mark, line: text, ..Comment::default() });
        }
        Ok(())
    }

    fn scan_comments(&mut self, scan_mark_in: Mark) -> R<()> {
        let mut scan_mark = scan_mark_in;
        let mut token = self.tokens[self.tokens.len() - 1].clone();
        if token.typ == TokenType::FlowEntry && self.tokens.len() > 1 {
            token = self.tokens[self.tokens.len() - 2].clone();
        }
        let mut token_mark = token.start_mark;
        let mut start_mark = Mark::default();
        let mut next_indent = self.indent.max(0);
        let mut recent_empty = false;
        let mut first_empty = self.newlines <= 1;
        let mut line = self.mark.line;
        let mut column = self.mark.column;
        let mut text: Vec<u8> = Vec::new();
        let mut foot_line = -1;
        if scan_mark.line > 0 {
            foot_line = self.mark.line - self.newlines + 1;
            if self.newlines == 0 && self.mark.column > 1 {
                foot_line += 1;
            }
        }
        let mut peek: usize = 0;
        while peek < 512 {
            column += 1;
            if self.is_blank(peek) {
                peek += 1;
                continue;
            }
            let c = self.c(peek);
            let close_flow = self.flow_level > 0 && (c == b']' || c == b'}');
            if close_flow || self.is_breakz(peek) {
                if close_flow || !recent_empty {
                    if close_flow
                        || (first_empty
                            && ((start_mark.line == foot_line && token.typ != TokenType::Value)
                                || start_mark.column - 1 < next_indent))
                    {
                        if !text.is_empty() {
                            if start_mark.column - 1 < next_indent {
                                token_mark = start_mark;
                            }
                            let end = Mark { index: self.mark.index + peek as i64, line, column };
                            self.comments.push(Comment {
                                scan_mark,
                                token_mark,
                                start_mark,
                                end_mark: end,
                                foot: std::mem::take(&mut text),
                                ..Comment::default()
                            });
                            scan_mark = end;
                            token_mark = scan_mark;
                        }
                    } else if !text.is_empty() && self.c(peek) != 0 {
                        text.push(b'\n');
                    }
                }
                if !self.is_break(peek) {
                    break;
                }
                first_empty = false;
                recent_empty = true;
                column = 0;
                line += 1;
                peek += 1;
                continue;
            }
            if !text.is_empty() && (close_flow || (column - 1 < next_indent && column != start_mark.column)) {
                let end = Mark { index: self.mark.index + peek as i64, line, column };
                self.comments.push(Comment {
                    scan_mark,
                    token_mark,
                    start_mark,
                    end_mark: end,
                    foot: std::mem::take(&mut text),
                    ..Comment::default()
                });
                scan_mark = end;
                token_mark = scan_mark;
            }
            if self.c(peek) != b'#' {
                break;
            }
            if text.is_empty() {
                start_mark = Mark { index: self.mark.index + peek as i64, line, column };
            } else {
                text.push(b'\n');
            }
            recent_empty = false;
            let seen = self.mark.index + peek as i64;
            loop {
                if self.is_breakz(0) {
                    if self.mark.index >= seen {
                        break;
                    }
                    self.skip_line();
                } else if self.mark.index >= seen {
                    self.read(&mut text);
                } else {
                    self.skip();
                }
            }
            // Go resets peek to 0 and its loop then increments it.
            peek = 1;
            column = 0;
            line = self.mark.line;
            next_indent = self.indent.max(0);
        }
        if !text.is_empty() {
            self.comments.push(Comment {
                scan_mark,
                token_mark: start_mark,
                start_mark,
                end_mark: Mark { index: self.mark.index + peek as i64 - 1, line, column },
                head: text,
                ..Comment::default()
            });
        }
        Ok(())
    }
}
