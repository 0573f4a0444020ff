//! go-yaml v3's parser (parserc.go) and its node composer (decode.go's
//! `parser`), producing [`Node`] trees with comments as yaml.v3 does.

use super::node::{
    short_tag, Kind, Node, DOUBLE_QUOTED_STYLE, FLOW_STYLE, FOLDED_STYLE, LITERAL_STYLE, SINGLE_QUOTED_STYLE,
    TAGGED_STYLE,
};
use super::scanner::{self, Mark, Scanner, Token, TokenType, YamlErr, R};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EventType {
    #[default]
    None,
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias,
    Scalar,
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

/// A parser event (marks and implicit flags kept as go-yaml has them).
#[derive(Clone, Debug, Default)]
#[allow(dead_code)]
pub struct Event {
    pub typ: EventType,
    pub start_mark: Mark,
    pub end_mark: Mark,
    pub head_comment: Vec<u8>,
    pub line_comment: Vec<u8>,
    pub foot_comment: Vec<u8>,
    pub value: Vec<u8>,
    pub anchor: Vec<u8>,
    pub tag: Vec<u8>,
    pub implicit: bool,
    pub quoted_implicit: bool,
    /// Scalar style bits (scanner constants), or 1 block / 2 flow for
    /// collections.
    pub style: u8,
}

const BLOCK_STYLE: u8 = 1;
const FLOW_COLLECTION: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser {
    s: Scanner,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    head_comment: Vec<u8>,
    line_comment: Vec<u8>,
    foot_comment: Vec<u8>,
    stem_comment: Vec<u8>,
    /// The composer's one-event lookahead.
    event: Option<Event>,
    done_init: bool,
    anchors: std::collections::HashSet<String>,
}

fn perr<T>(problem: &str, problem_mark: Mark) -> R<T> {
    Err(YamlErr { problem: problem.into(), problem_mark, ..YamlErr::default() })
}

fn perr_ctx<T>(context: &str, context_mark: Mark, problem: &str, problem_mark: Mark) -> R<T> {
    Err(YamlErr { problem: problem.into(), problem_mark, context: context.into(), context_mark, ..YamlErr::default() })
}

impl Parser {
    pub fn new(input: &[u8]) -> Parser {
        Parser {
            s: Scanner::new(input),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            head_comment: Vec::new(),
            line_comment: Vec::new(),
            foot_comment: Vec::new(),
            stem_comment: Vec::new(),
            event: None,
            done_init: false,
            anchors: std::collections::HashSet::new(),
        }
    }

    fn peek_token(&mut self) -> R<Token> {
        if !self.s.token_available {
            self.s.fetch_more_tokens()?;
        }
        let idx = self.s.tokens_head;
        self.unfold_comments(idx);
        Ok(self.s.tokens[idx].clone())
    }

    fn unfold_comments(&mut self, idx: usize) {
        let (typ, start) = (self.s.tokens[idx].typ, self.s.tokens[idx].start_mark);
        while self.s.comments_head < self.s.comments.len()
            && start.index >= self.s.comments[self.s.comments_head].token_mark.index
        {
            let comment = std::mem::take(&mut self.s.comments[self.s.comments_head]);
            if !comment.head.is_empty() {
                if typ == TokenType::BlockEnd {
                    // No heads on ends: keep it for a follow-up token.
                    self.s.comments[self.s.comments_head] = comment;
                    break;
                }
                if !self.head_comment.is_empty() {
                    self.head_comment.push(b'\n');
                }
                self.head_comment.extend_from_slice(&comment.head);
            }
            if !comment.foot.is_empty() {
                if !self.foot_comment.is_empty() {
                    self.foot_comment.push(b'\n');
                }
                self.foot_comment.extend_from_slice(&comment.foot);
            }
            if !comment.line.is_empty() {
                if !self.line_comment.is_empty() {
                    self.line_comment.push(b'\n');
                }
                self.line_comment.extend_from_slice(&comment.line);
            }
            self.s.comments_head += 1;
        }
    }

    fn skip_token(&mut self) {
        self.s.token_available = false;
        self.s.tokens_parsed += 1;
        self.s.stream_end_produced = self.s.tokens[self.s.tokens_head].typ == TokenType::StreamEnd;
        self.s.tokens_head += 1;
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn set_event_comments(&mut self, e: &mut Event) {
        e.head_comment = std::mem::take(&mut self.head_comment);
        e.line_comment = std::mem::take(&mut self.line_comment);
        e.foot_comment = std::mem::take(&mut self.foot_comment);
        self.stem_comment.clear();
    }

    /// yaml_parser_parse: the next event (StreamEnd repeated at the end).
    pub fn parse(&mut self) -> R<Event> {
        if self.s.stream_end_produced || self.state == State::End {
            return Ok(Event::default());
        }
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => Ok(Event::default()),
        }
    }

    fn parse_stream_start(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        if token.typ != TokenType::StreamStart {
            return perr("did not find expected <stream-start>", token.start_mark);
        }
        self.state = State::ImplicitDocumentStart;
        self.skip_token();
        Ok(Event {
            typ: EventType::StreamStart,
            start_mark: token.start_mark,
            end_mark: token.end_mark,
            ..Event::default()
        })
    }

    fn parse_document_start(&mut self, implicit: bool) -> R<Event> {
        let mut token = self.peek_token()?;
        if !implicit {
            while token.typ == TokenType::DocumentEnd {
                self.skip_token();
                token = self.peek_token()?;
            }
        }
        if implicit
            && token.typ != TokenType::VersionDirective
            && token.typ != TokenType::TagDirective
            && token.typ != TokenType::DocumentStart
            && token.typ != TokenType::StreamEnd
        {
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            let mut head_comment = Vec::new();
            if !self.head_comment.is_empty() {
                let hc = &self.head_comment;
                let mut i = hc.len() - 1;
                while i > 0 {
                    if hc[i] == b'\n' {
                        if i == hc.len() - 1 {
                            head_comment = hc[..i].to_vec();
                            self.head_comment = hc[i + 1..].to_vec();
                            break;
                        } else if hc[i - 1] == b'\n' {
                            head_comment = hc[..i - 1].to_vec();
                            self.head_comment = hc[i + 1..].to_vec();
                            break;
                        }
                    }
                    i -= 1;
                }
            }
            Ok(Event {
                typ: EventType::DocumentStart,
                start_mark: token.start_mark,
                end_mark: token.end_mark,
                head_comment,
                ..Event::default()
            })
        } else if token.typ != TokenType::StreamEnd {
            let start_mark = token.start_mark;
            let token = self.peek_token()?;
            if token.typ != TokenType::DocumentStart {
                return perr("did not find expected <document start>", token.start_mark);
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            let end_mark = token.end_mark;
            self.skip_token();
            Ok(Event { typ: EventType::DocumentStart, start_mark, end_mark, implicit: false, ..Event::default() })
        } else {
            self.state = State::End;
            self.skip_token();
            Ok(Event {
                typ: EventType::StreamEnd,
                start_mark: token.start_mark,
                end_mark: token.end_mark,
                ..Event::default()
            })
        }
    }

    fn parse_document_content(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        if matches!(
            token.typ,
            TokenType::VersionDirective
                | TokenType::TagDirective
                | TokenType::DocumentStart
                | TokenType::DocumentEnd
                | TokenType::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(token.start_mark));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        let start_mark = token.start_mark;
        let mut end_mark = token.start_mark;
        let mut implicit = true;
        if token.typ == TokenType::DocumentEnd {
            end_mark = token.end_mark;
            self.skip_token();
            implicit = false;
        }
        self.state = State::DocumentStart;
        let mut e = Event { typ: EventType::DocumentEnd, start_mark, end_mark, implicit, ..Event::default() };
        self.set_event_comments(&mut e);
        if !e.head_comment.is_empty() && e.foot_comment.is_empty() {
            e.foot_comment = std::mem::take(&mut e.head_comment);
        }
        Ok(e)
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> R<Event> {
        let mut token = self.peek_token()?;
        if token.typ == TokenType::Alias {
            self.pop_state();
            let mut e = Event {
                typ: EventType::Alias,
                start_mark: token.start_mark,
                end_mark: token.end_mark,
                anchor: token.value.clone(),
                ..Event::default()
            };
            self.set_event_comments(&mut e);
            self.skip_token();
            return Ok(e);
        }
        let mut start_mark = token.start_mark;
        let mut end_mark = token.start_mark;
        let mut tag_token = false;
        let (mut tag_handle, mut tag_suffix, mut anchor) = (Vec::new(), Vec::new(), Vec::new());
        let mut tag_mark = Mark::default();
        if token.typ == TokenType::Anchor {
            anchor = token.value.clone();
            start_mark = token.start_mark;
            end_mark = token.end_mark;
            self.skip_token();
            token = self.peek_token()?;
            if token.typ == TokenType::Tag {
                tag_token = true;
                tag_handle = token.value.clone();
                tag_suffix = token.suffix.clone();
                tag_mark = token.start_mark;
                end_mark = token.end_mark;
                self.skip_token();
                token = self.peek_token()?;
            }
        } else if token.typ == TokenType::Tag {
            tag_token = true;
            tag_handle = token.value.clone();
            tag_suffix = token.suffix.clone();
            start_mark = token.start_mark;
            tag_mark = token.start_mark;
            end_mark = token.end_mark;
            self.skip_token();
            token = self.peek_token()?;
            if token.typ == TokenType::Anchor {
                anchor = token.value.clone();
                end_mark = token.end_mark;
                self.skip_token();
                token = self.peek_token()?;
            }
        }
        let mut tag = Vec::new();
        if tag_token {
            if tag_handle.is_empty() {
                tag = std::mem::take(&mut tag_suffix);
            } else {
                // The default %TAG directives (directives are refused).
                let prefix: Option<&[u8]> = match tag_handle.as_slice() {
                    b"!" => Some(b"!"),
                    b"!!" => Some(b"tag:yaml.org,2002:"),
                    _ => None,
                };
                match prefix {
                    Some(p) => {
                        tag = p.to_vec();
                        tag.extend_from_slice(&tag_suffix);
                    }
                    None => {}
                }
                if tag.is_empty() {
                    return perr_ctx("while parsing a node", start_mark, "found undefined tag handle", tag_mark);
                }
            }
        }
        let implicit = tag.is_empty();
        if indentless_sequence && token.typ == TokenType::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event {
                typ: EventType::SequenceStart,
                start_mark,
                end_mark: token.end_mark,
                anchor,
                tag,
                implicit,
                style: BLOCK_STYLE,
                ..Event::default()
            });
        }
        if token.typ == TokenType::Scalar {
            let mut plain_implicit = false;
            let mut quoted_implicit = false;
            if (tag.is_empty() && token.style == scanner::PLAIN) || tag.as_slice() == b"!" {
                plain_implicit = true;
            } else if tag.is_empty() {
                quoted_implicit = true;
            }
            self.pop_state();
            let mut e = Event {
                typ: EventType::Scalar,
                start_mark,
                end_mark: token.end_mark,
                value: token.value.clone(),
                anchor,
                tag,
                implicit: plain_implicit,
                quoted_implicit,
                style: token.style,
                ..Event::default()
            };
            self.set_event_comments(&mut e);
            self.skip_token();
            return Ok(e);
        }
        if token.typ == TokenType::FlowSequenceStart {
            self.state = State::FlowSequenceFirstEntry;
            let mut e = Event {
                typ: EventType::SequenceStart,
                start_mark,
                end_mark: token.end_mark,
                anchor: anchor.clone(),
                tag: tag.clone(),
                implicit,
                style: FLOW_COLLECTION,
                ..Event::default()
            };
            self.set_event_comments(&mut e);
            return Ok(e);
        }
        if token.typ == TokenType::FlowMappingStart {
            self.state = State::FlowMappingFirstKey;
            let mut e = Event {
                typ: EventType::MappingStart,
                start_mark,
                end_mark: token.end_mark,
                anchor: anchor.clone(),
                tag: tag.clone(),
                implicit,
                style: FLOW_COLLECTION,
                ..Event::default()
            };
            self.set_event_comments(&mut e);
            return Ok(e);
        }
        if block && token.typ == TokenType::BlockSequenceStart {
            self.state = State::BlockSequenceFirstEntry;
            let mut e = Event {
                typ: EventType::SequenceStart,
                start_mark,
                end_mark: token.end_mark,
                anchor: anchor.clone(),
                tag: tag.clone(),
                implicit,
                style: BLOCK_STYLE,
                ..Event::default()
            };
            if !self.stem_comment.is_empty() {
                e.head_comment = std::mem::take(&mut self.stem_comment);
            }
            return Ok(e);
        }
        if block && token.typ == TokenType::BlockMappingStart {
            self.state = State::BlockMappingFirstKey;
            let mut e = Event {
                typ: EventType::MappingStart,
                start_mark,
                end_mark: token.end_mark,
                anchor: anchor.clone(),
                tag: tag.clone(),
                implicit,
                style: BLOCK_STYLE,
                ..Event::default()
            };
            if !self.stem_comment.is_empty() {
                e.head_comment = std::mem::take(&mut self.stem_comment);
            }
            return Ok(e);
        }
        if !anchor.is_empty() || !tag.is_empty() {
            self.pop_state();
            return Ok(Event {
                typ: EventType::Scalar,
                start_mark,
                end_mark,
                anchor,
                tag,
                implicit,
                quoted_implicit: false,
                style: scanner::PLAIN,
                ..Event::default()
            });
        }
        let context = if block { "while parsing a block node" } else { "while parsing a flow node" };
        perr_ctx(context, start_mark, "did not find expected node content", token.start_mark)
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> R<Event> {
        if first {
            let token = self.peek_token()?;
            self.marks.push(token.start_mark);
            self.skip_token();
        }
        let mut token = self.peek_token()?;
        if token.typ == TokenType::BlockEntry {
            let mark = token.end_mark;
            let prior_head_len = self.head_comment.len();
            self.skip_token();
            self.split_stem_comment(prior_head_len)?;
            token = self.peek_token()?;
            if token.typ != TokenType::BlockEntry && token.typ != TokenType::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if token.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip_token();
            return Ok(Event {
                typ: EventType::SequenceEnd,
                start_mark: token.start_mark,
                end_mark: token.end_mark,
                ..Event::default()
            });
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        perr_ctx(
            "while parsing a block collection",
            context_mark,
            "did not find expected '-' indicator",
            token.start_mark,
        )
    }

    fn parse_indentless_sequence_entry(&mut self) -> R<Event> {
        let mut token = self.peek_token()?;
        if token.typ == TokenType::BlockEntry {
            let mark = token.end_mark;
            let prior_head_len = self.head_comment.len();
            self.skip_token();
            self.split_stem_comment(prior_head_len)?;
            token = self.peek_token()?;
            if !matches!(token.typ, TokenType::BlockEntry | TokenType::Key | TokenType::Value | TokenType::BlockEnd) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.pop_state();
        Ok(Event {
            typ: EventType::SequenceEnd,
            start_mark: token.start_mark,
            end_mark: token.start_mark,
            ..Event::default()
        })
    }

    fn split_stem_comment(&mut self, stem_len: usize) -> R<()> {
        if stem_len == 0 {
            return Ok(());
        }
        let token = self.peek_token()?;
        if token.typ != TokenType::BlockSequenceStart && token.typ != TokenType::BlockMappingStart {
            return Ok(());
        }
        self.stem_comment = self.head_comment[..stem_len].to_vec();
        if self.head_comment.len() == stem_len {
            self.head_comment.clear();
        } else {
            self.head_comment = self.head_comment[stem_len + 1..].to_vec();
        }
        Ok(())
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> R<Event> {
        if first {
            let token = self.peek_token()?;
            self.marks.push(token.start_mark);
            self.skip_token();
        }
        let mut token = self.peek_token()?;
        if token.typ == TokenType::Key {
            let mark = token.end_mark;
            self.skip_token();
            token = self.peek_token()?;
            if !matches!(token.typ, TokenType::Key | TokenType::Value | TokenType::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        } else if token.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            let mut e = Event {
                typ: EventType::MappingEnd,
                start_mark: token.start_mark,
                end_mark: token.end_mark,
                ..Event::default()
            };
            self.set_event_comments(&mut e);
            self.skip_token();
            return Ok(e);
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        perr_ctx("while parsing a block mapping", context_mark, "did not find expected key", token.start_mark)
    }

    fn parse_block_mapping_value(&mut self) -> R<Event> {
        let mut token = self.peek_token()?;
        if token.typ == TokenType::Value {
            let mark = token.end_mark;
            self.skip_token();
            token = self.peek_token()?;
            if !matches!(token.typ, TokenType::Key | TokenType::Value | TokenType::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(token.start_mark))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> R<Event> {
        if first {
            let token = self.peek_token()?;
            self.marks.push(token.start_mark);
            self.skip_token();
        }
        let mut token = self.peek_token()?;
        if token.typ != TokenType::FlowSequenceEnd {
            if !first {
                if token.typ == TokenType::FlowEntry {
                    self.skip_token();
                    token = self.peek_token()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return perr_ctx(
                        "while parsing a flow sequence",
                        context_mark,
                        "did not find expected ',' or ']'",
                        token.start_mark,
                    );
                }
            }
            if token.typ == TokenType::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip_token();
                return Ok(Event {
                    typ: EventType::MappingStart,
                    start_mark: token.start_mark,
                    end_mark: token.end_mark,
                    implicit: true,
                    style: FLOW_COLLECTION,
                    ..Event::default()
                });
            } else if token.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut e = Event {
            typ: EventType::SequenceEnd,
            start_mark: token.start_mark,
            end_mark: token.end_mark,
            ..Event::default()
        };
        self.set_event_comments(&mut e);
        self.skip_token();
        Ok(e)
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        if !matches!(token.typ, TokenType::Value | TokenType::FlowEntry | TokenType::FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = token.end_mark;
        self.skip_token();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        if token.typ == TokenType::Value {
            self.skip_token();
            let token = self.peek_token()?;
            if token.typ != TokenType::FlowEntry && token.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(token.start_mark))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> R<Event> {
        let token = self.peek_token()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event {
            typ: EventType::MappingEnd,
            start_mark: token.start_mark,
            end_mark: token.start_mark,
            ..Event::default()
        })
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> R<Event> {
        if first {
            let token = self.peek_token()?;
            self.marks.push(token.start_mark);
            self.skip_token();
        }
        let mut token = self.peek_token()?;
        if token.typ != TokenType::FlowMappingEnd {
            if !first {
                if token.typ == TokenType::FlowEntry {
                    self.skip_token();
                    token = self.peek_token()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return perr_ctx(
                        "while parsing a flow mapping",
                        context_mark,
                        "did not find expected ',' or '}'",
                        token.start_mark,
                    );
                }
            }
            if token.typ == TokenType::Key {
                self.skip_token();
                token = self.peek_token()?;
                if !matches!(token.typ, TokenType::Value | TokenType::FlowEntry | TokenType::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(token.start_mark));
            } else if token.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut e = Event {
            typ: EventType::MappingEnd,
            start_mark: token.start_mark,
            end_mark: token.end_mark,
            ..Event::default()
        };
        self.set_event_comments(&mut e);
        self.skip_token();
        Ok(e)
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> R<Event> {
        let mut token = self.peek_token()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(token.start_mark));
        }
        if token.typ == TokenType::Value {
            self.skip_token();
            token = self.peek_token()?;
            if token.typ != TokenType::FlowEntry && token.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(token.start_mark))
    }
}

fn empty_scalar(mark: Mark) -> Event {
    Event {
        typ: EventType::Scalar,
        start_mark: mark,
        end_mark: mark,
        implicit: true,
        style: scanner::PLAIN,
        ..Event::default()
    }
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// The composer (decode.go's parser type).
impl Parser {
    fn peek(&mut self) -> R<EventType> {
        if self.event.is_none() {
            self.event = Some(self.parse()?);
        }
        Ok(self.event.as_ref().map(|e| e.typ).unwrap_or_default())
    }

    fn expect(&mut self, t: EventType) -> R<Event> {
        if self.event.is_none() {
            self.event = Some(self.parse()?);
        }
        let e = self.event.take().unwrap_or_default();
        if e.typ == EventType::StreamEnd {
            return perr("attempted to go past the end of stream; corrupted value?", Mark::default());
        }
        if e.typ != t {
            return perr(&format!("expected {t:?} event but got {:?}", e.typ), Mark::default());
        }
        Ok(e)
    }

    fn cur(&self) -> &Event {
        self.event.as_ref().expect("peeked event")
    }

    /// Decoder.Decode into a Node: the next document, None at the end.
    pub fn next_document(&mut self) -> R<Option<Node>> {
        if !self.done_init {
            self.expect(EventType::StreamStart)?;
            self.done_init = true;
        }
        match self.peek()? {
            EventType::StreamEnd | EventType::None => Ok(None),
            EventType::DocumentStart => Ok(Some(self.document()?)),
            _ => Ok(Some(self.compose()?)),
        }
    }

    /// decode.go's `p.node`: an explicit tag (other than `!`) wins and
    /// marks the node as tagged; else the default tag, else the resolved one.
    fn new_node(&self, kind: Kind, default_tag: &str, value: String) -> Node {
        let e = self.cur();
        let tag = String::from_utf8_lossy(&e.tag).into_owned();
        let (tag, style) = if !tag.is_empty() && tag != "!" {
            (short_tag(&tag), TAGGED_STYLE)
        } else if !default_tag.is_empty() {
            (default_tag.to_string(), 0)
        } else if kind == Kind::Scalar {
            (super::node::resolve_tag(&value).to_string(), 0)
        } else {
            (String::new(), 0)
        };
        Node {
            kind,
            tag,
            style,
            anchor: String::from_utf8_lossy(&e.anchor).into_owned(),
            value,
            head_comment: s(&e.head_comment),
            line_comment: s(&e.line_comment),
            foot_comment: s(&e.foot_comment),
            ..Node::default()
        }
    }

    fn compose(&mut self) -> R<Node> {
        match self.peek()? {
            EventType::Scalar => self.scalar(),
            EventType::Alias => self.alias(),
            EventType::MappingStart => self.mapping(),
            EventType::SequenceStart => self.sequence(),
            EventType::DocumentStart => self.document(),
            t => perr(&format!("unexpected event {t:?}"), Mark::default()),
        }
    }

    fn document(&mut self) -> R<Node> {
        let mut n = self.new_node(Kind::Document, "", String::new());
        self.expect(EventType::DocumentStart)?;
        let child = self.compose()?;
        n.content.push(child);
        if self.peek()? == EventType::DocumentEnd {
            n.foot_comment = s(&self.cur().foot_comment);
        }
        self.expect(EventType::DocumentEnd)?;
        Ok(n)
    }

    fn alias(&mut self) -> R<Node> {
        let name = s(&self.cur().anchor);
        let mut n = self.new_node(Kind::Alias, "", name.clone());
        n.anchor.clear();
        if !self.anchors.contains(&name) {
            return Err(YamlErr { problem: format!("unknown anchor '{name}' referenced"), ..YamlErr::default() });
        }
        self.expect(EventType::Alias)?;
        Ok(n)
    }

    fn note_anchor(&mut self, n: &Node) {
        if !n.anchor.is_empty() {
            self.anchors.insert(n.anchor.clone());
        }
    }

    fn scalar(&mut self) -> R<Node> {
        let e = self.cur();
        let style = if e.style & scanner::DOUBLE_QUOTED != 0 {
            DOUBLE_QUOTED_STYLE
        } else if e.style & scanner::SINGLE_QUOTED != 0 {
            SINGLE_QUOTED_STYLE
        } else if e.style & scanner::LITERAL != 0 {
            LITERAL_STYLE
        } else if e.style & scanner::FOLDED != 0 {
            FOLDED_STYLE
        } else {
            0
        };
        let value = s(&e.value);
        let default_tag = if style != 0 {
            "!!str"
        } else if value == "<<" {
            "!!merge"
        } else {
            ""
        };
        let mut n = self.new_node(Kind::Scalar, default_tag, value);
        n.style |= style;
        self.note_anchor(&n);
        self.expect(EventType::Scalar)?;
        Ok(n)
    }

    fn sequence(&mut self) -> R<Node> {
        let mut n = self.new_node(Kind::Sequence, "!!seq", String::new());
        self.note_anchor(&n);
        if self.cur().style & FLOW_COLLECTION != 0 {
            n.style |= FLOW_STYLE;
        }
        self.expect(EventType::SequenceStart)?;
        while self.peek()? != EventType::SequenceEnd {
            let child = self.compose()?;
            n.content.push(child);
        }
        n.line_comment = s(&self.cur().line_comment);
        n.foot_comment = s(&self.cur().foot_comment);
        self.expect(EventType::SequenceEnd)?;
        Ok(n)
    }

    fn mapping(&mut self) -> R<Node> {
        let mut n = self.new_node(Kind::Mapping, "!!map", String::new());
        self.note_anchor(&n);
        let mut block = true;
        if self.cur().style & FLOW_COLLECTION != 0 {
            block = false;
            n.style |= FLOW_STYLE;
        }
        self.expect(EventType::MappingStart)?;
        while self.peek()? != EventType::MappingEnd {
            let mut k = self.compose()?;
            if block && !k.foot_comment.is_empty() {
                let len = n.content.len();
                if len > 1 {
                    // (len(n.Content) > 2 after appending k in Go.)
                    n.content[len - 2].foot_comment = std::mem::take(&mut k.foot_comment);
                }
            }
            n.content.push(k);
            let mut v = self.compose()?;
            let ki = n.content.len() - 1;
            if n.content[ki].foot_comment.is_empty() && !v.foot_comment.is_empty() {
                n.content[ki].foot_comment = std::mem::take(&mut v.foot_comment);
            }
            n.content.push(v);
        }
        n.line_comment = s(&self.cur().line_comment);
        n.foot_comment = s(&self.cur().foot_comment);
        if n.style & FLOW_STYLE == 0 && !n.foot_comment.is_empty() && n.content.len() > 1 {
            let len = n.content.len();
            n.content[len - 2].foot_comment = std::mem::take(&mut n.foot_comment);
        }
        self.expect(EventType::MappingEnd)?;
        Ok(n)
    }
}
