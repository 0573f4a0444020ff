//! go-yaml v3's emitter (emitterc.go) and node encoder (encode.go's
//! `node`), as kyaml's encoder runs them: indent 2, compact sequences,
//! unicode, no line width. No anchors or tags reach it.

use super::node::{
    long_tag, Kind, Node, DOUBLE_QUOTED_STYLE, FLOW_STYLE, FOLDED_STYLE, LITERAL_STYLE, SINGLE_QUOTED_STYLE,
    TAGGED_STYLE,
};
use super::scanner::{width, DOUBLE_QUOTED, FOLDED, LITERAL, PLAIN, SINGLE_QUOTED};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Ev {
    #[default]
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

#[derive(Clone, Debug, Default)]
struct Event {
    typ: Ev,
    head: Vec<u8>,
    line: Vec<u8>,
    foot: Vec<u8>,
    tail: Vec<u8>,
    value: Vec<u8>,
    anchor: Vec<u8>,
    /// The long tag.
    tag: Vec<u8>,
    implicit: bool,
    quoted_implicit: bool,
    /// Scalar style bits, or FLOW for flow collections.
    style: u8,
}

const FLOW: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    StreamStart,
    FirstDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowSequenceTrailItem,
    FlowSequenceItem,
    FlowMappingFirstKey,
    FlowMappingTrailKey,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    End,
}

#[derive(Default)]
struct ScalarData {
    value: Vec<u8>,
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
    style: u8,
}

pub struct Emitter {
    pub out: Vec<u8>,
    best_indent: i64,
    best_width: i64,
    state: St,
    states: Vec<St>,
    events: Vec<Event>,
    events_head: usize,
    indents: Vec<i64>,
    indent: i64,
    compact_sequence_indent: bool,
    flow_level: i64,
    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    column: i64,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    space_above: bool,
    foot_indent: i64,
    tag_handle: Vec<u8>,
    tag_suffix: Vec<u8>,
    anchor: Vec<u8>,
    anchor_alias: bool,
    scalar_data: ScalarData,
    head_comment: Vec<u8>,
    line_comment: Vec<u8>,
    foot_comment: Vec<u8>,
    tail_comment: Vec<u8>,
    key_line_comment: Vec<u8>,
    pub error: Option<String>,
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}
fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}
fn is_blank(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b' ' || c == b'\t'
}
fn is_break(b: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (at(b, i), at(b, i + 1), at(b, i + 2));
    b0 == b'\r' || b0 == b'\n' || (b0 == 0xC2 && b1 == 0x85) || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
}
fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || at(b, i) == 0
}
fn is_printable(b: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (at(b, i), at(b, i + 1), at(b, i + 2));
    b0 == 0x0A
        || (0x20..=0x7E).contains(&b0)
        || (b0 == 0xC2 && b1 >= 0xA0)
        || (b0 > 0xC2 && b0 < 0xED)
        || (b0 == 0xED && b1 < 0xA0)
        || b0 == 0xEE
        || (b0 == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
}
fn is_bom(b: &[u8], _i: usize) -> bool {
    // go-yaml looks at the start of the value, whatever the index.
    at(b, 0) == 0xEF && at(b, 1) == 0xBB && at(b, 2) == 0xBF
}

impl Emitter {
    pub fn new() -> Emitter {
        Emitter {
            out: Vec::new(),
            best_indent: 2,
            best_width: -1,
            state: St::StreamStart,
            states: Vec::new(),
            events: Vec::new(),
            events_head: 0,
            indents: Vec::new(),
            indent: 0,
            compact_sequence_indent: true,
            flow_level: 0,
            root_context: false,
            sequence_context: false,
            mapping_context: false,
            simple_key_context: false,
            column: 0,
            whitespace: false,
            indention: false,
            open_ended: false,
            space_above: false,
            foot_indent: 0,
            tag_handle: Vec::new(),
            tag_suffix: Vec::new(),
            anchor: Vec::new(),
            anchor_alias: false,
            scalar_data: ScalarData::default(),
            head_comment: Vec::new(),
            line_comment: Vec::new(),
            foot_comment: Vec::new(),
            tail_comment: Vec::new(),
            key_line_comment: Vec::new(),
            error: None,
        }
    }

    fn put(&mut self, c: u8) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        if self.column == 0 {
            self.space_above = true;
        }
        self.column = 0;
        self.indention = true;
    }

    fn write(&mut self, s: &[u8], i: &mut usize) {
        let w = width(s[*i]).max(1);
        let end = (*i + w).min(s.len());
        self.out.extend_from_slice(&s[*i..end]);
        self.column += 1;
        *i += w;
    }

    fn write_all(&mut self, s: &[u8]) {
        let mut i = 0;
        while i < s.len() {
            self.write(s, &mut i);
        }
    }

    fn write_break(&mut self, s: &[u8], i: &mut usize) {
        if s[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(s, i);
            if self.column == 0 {
                self.space_above = true;
            }
            self.column = 0;
            self.indention = true;
        }
    }

    fn fail(&mut self, problem: &str) -> bool {
        if self.error.is_none() {
            self.error = Some(problem.to_string());
        }
        false
    }

    fn emit(&mut self, event: Event) -> bool {
        self.events.push(event);
        while !self.need_more_events() {
            let event = self.events[self.events_head].clone();
            self.analyze_event(&event);
            if !self.state_machine(&event) {
                return false;
            }
            self.events_head += 1;
        }
        true
    }

    fn need_more_events(&self) -> bool {
        if self.events_head == self.events.len() {
            return true;
        }
        let accumulate = match self.events[self.events_head].typ {
            Ev::DocumentStart => 1,
            Ev::SequenceStart => 2,
            Ev::MappingStart => 3,
            _ => return false,
        };
        if self.events.len() - self.events_head > accumulate {
            return false;
        }
        let mut level = 0;
        for e in &self.events[self.events_head..] {
            match e.typ {
                Ev::StreamStart | Ev::DocumentStart | Ev::SequenceStart | Ev::MappingStart => level += 1,
                Ev::StreamEnd | Ev::DocumentEnd | Ev::SequenceEnd | Ev::MappingEnd => level -= 1,
                _ => {}
            }
            if level == 0 {
                return false;
            }
        }
        true
    }

    fn increase_indent_compact(&mut self, flow: bool, indentless: bool, compact_seq: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            if self.states.last() == Some(&St::BlockSequenceItem) {
                self.indent += 2;
            } else {
                self.indent = self.best_indent * ((self.indent + self.best_indent) / self.best_indent);
                if compact_seq {
                    self.indent -= 2;
                }
            }
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.increase_indent_compact(flow, indentless, false);
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(St::End);
    }

    fn state_machine(&mut self, e: &Event) -> bool {
        match self.state {
            St::StreamStart => self.emit_stream_start(e),
            St::FirstDocumentStart => self.emit_document_start(e, true),
            St::DocumentStart => self.emit_document_start(e, false),
            St::DocumentContent => self.emit_document_content(e),
            St::DocumentEnd => self.emit_document_end(e),
            St::FlowSequenceFirstItem => self.emit_flow_sequence_item(e, true, false),
            St::FlowSequenceTrailItem => self.emit_flow_sequence_item(e, false, true),
            St::FlowSequenceItem => self.emit_flow_sequence_item(e, false, false),
            St::FlowMappingFirstKey => self.emit_flow_mapping_key(e, true, false),
            St::FlowMappingTrailKey => self.emit_flow_mapping_key(e, false, true),
            St::FlowMappingKey => self.emit_flow_mapping_key(e, false, false),
            St::FlowMappingSimpleValue => self.emit_flow_mapping_value(e, true),
            St::FlowMappingValue => self.emit_flow_mapping_value(e, false),
            St::BlockSequenceFirstItem => self.emit_block_sequence_item(e, true),
            St::BlockSequenceItem => self.emit_block_sequence_item(e, false),
            St::BlockMappingFirstKey => self.emit_block_mapping_key(e, true),
            St::BlockMappingKey => self.emit_block_mapping_key(e, false),
            St::BlockMappingSimpleValue => self.emit_block_mapping_value(e, true),
            St::BlockMappingValue => self.emit_block_mapping_value(e, false),
            St::End => self.fail("expected nothing after STREAM-END"),
        }
    }

    fn emit_stream_start(&mut self, e: &Event) -> bool {
        if e.typ != Ev::StreamStart {
            return self.fail("expected STREAM-START");
        }
        if self.best_width < 0 {
            self.best_width = i64::from(i32::MAX);
        }
        self.indent = -1;
        self.column = 0;
        self.whitespace = true;
        self.indention = true;
        self.space_above = true;
        self.foot_indent = -1;
        self.state = St::FirstDocumentStart;
        true
    }

    fn emit_document_start(&mut self, e: &Event, first: bool) -> bool {
        if e.typ == Ev::DocumentStart {
            let mut implicit = e.implicit;
            if !first {
                implicit = false;
            }
            if !implicit {
                self.write_indent();
                self.write_indicator(b"---", true, false, false);
                self.write_indent();
            }
            if !self.head_comment.is_empty() {
                self.process_head_comment();
                self.put_break();
            }
            self.state = St::DocumentContent;
            return true;
        }
        if e.typ == Ev::StreamEnd {
            if self.open_ended {
                self.write_indicator(b"...", true, false, false);
                self.write_indent();
            }
            self.state = St::End;
            return true;
        }
        self.fail("expected DOCUMENT-START or STREAM-END")
    }

    fn emit_document_content(&mut self, e: &Event) -> bool {
        self.states.push(St::DocumentEnd);
        self.process_head_comment();
        if !self.emit_node(e, true, false, false, false) {
            return false;
        }
        self.process_line_comment();
        self.process_foot_comment();
        true
    }

    fn emit_document_end(&mut self, e: &Event) -> bool {
        if e.typ != Ev::DocumentEnd {
            return self.fail("expected DOCUMENT-END");
        }
        self.foot_indent = 0;
        self.process_foot_comment();
        self.foot_indent = -1;
        self.write_indent();
        if !e.implicit {
            self.write_indicator(b"...", true, false, false);
            self.write_indent();
        }
        self.state = St::DocumentStart;
        true
    }

    fn emit_flow_sequence_item(&mut self, e: &Event, first: bool, trail: bool) -> bool {
        if first {
            self.write_indicator(b"[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if e.typ == Ev::SequenceEnd {
            self.flow_level -= 1;
            self.pop_indent();
            if self.column == 0 {
                self.write_indent();
            }
            self.write_indicator(b"]", false, false, false);
            self.process_line_comment();
            self.process_foot_comment();
            self.pop_state();
            return true;
        }
        if !first && !trail {
            self.write_indicator(b",", false, false, false);
        }
        self.process_head_comment();
        if self.column == 0 {
            self.write_indent();
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.line_comment.len() + self.foot_comment.len() + self.tail_comment.len() > 0 {
            self.states.push(St::FlowSequenceTrailItem);
        } else {
            self.states.push(St::FlowSequenceItem);
        }
        if !self.emit_node(e, false, true, false, false) {
            return false;
        }
        if self.line_comment.len() + self.foot_comment.len() + self.tail_comment.len() > 0 {
            self.write_indicator(b",", false, false, false);
        }
        self.process_line_comment();
        self.process_foot_comment();
        true
    }

    fn emit_flow_mapping_key(&mut self, e: &Event, first: bool, trail: bool) -> bool {
        if first {
            self.write_indicator(b"{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if e.typ == Ev::MappingEnd {
            if (self.head_comment.len() + self.foot_comment.len() + self.tail_comment.len() > 0) && !first && !trail {
                self.write_indicator(b",", false, false, false);
            }
            self.process_head_comment();
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator(b"}", false, false, false);
            self.process_line_comment();
            self.process_foot_comment();
            self.pop_state();
            return true;
        }
        if !first && !trail {
            self.write_indicator(b",", false, false, false);
        }
        self.process_head_comment();
        if self.column == 0 {
            self.write_indent();
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.check_simple_key() {
            self.states.push(St::FlowMappingSimpleValue);
            return self.emit_node(e, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, false);
        self.states.push(St::FlowMappingValue);
        self.emit_node(e, false, false, true, false)
    }

    fn emit_flow_mapping_value(&mut self, e: &Event, simple: bool) -> bool {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            if self.column > self.best_width {
                self.write_indent();
            }
            self.write_indicator(b":", true, false, false);
        }
        if self.line_comment.len() + self.foot_comment.len() + self.tail_comment.len() > 0 {
            self.states.push(St::FlowMappingTrailKey);
        } else {
            self.states.push(St::FlowMappingKey);
        }
        if !self.emit_node(e, false, false, true, false) {
            return false;
        }
        if self.line_comment.len() + self.foot_comment.len() + self.tail_comment.len() > 0 {
            self.write_indicator(b",", false, false, false);
        }
        self.process_line_comment();
        self.process_foot_comment();
        true
    }

    fn emit_block_sequence_item(&mut self, e: &Event, first: bool) -> bool {
        if first {
            let seq = self.mapping_context && (self.column == 0 || !self.indention) && self.compact_sequence_indent;
            self.increase_indent_compact(false, false, seq);
        }
        if e.typ == Ev::SequenceEnd {
            self.pop_indent();
            self.pop_state();
            return true;
        }
        self.process_head_comment();
        self.write_indent();
        self.write_indicator(b"-", true, false, true);
        self.states.push(St::BlockSequenceItem);
        if !self.emit_node(e, false, true, false, false) {
            return false;
        }
        self.process_line_comment();
        self.process_foot_comment();
        true
    }

    fn emit_block_mapping_key(&mut self, e: &Event, first: bool) -> bool {
        if first {
            self.increase_indent(false, false);
        }
        self.process_head_comment();
        if e.typ == Ev::MappingEnd {
            self.pop_indent();
            self.pop_state();
            return true;
        }
        self.write_indent();
        if !self.line_comment.is_empty() {
            self.key_line_comment = std::mem::take(&mut self.line_comment);
        }
        if self.check_simple_key() {
            self.states.push(St::BlockMappingSimpleValue);
            return self.emit_node(e, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, true);
        self.states.push(St::BlockMappingValue);
        self.emit_node(e, false, false, true, false)
    }

    fn emit_block_mapping_value(&mut self, e: &Event, simple: bool) -> bool {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(b":", true, false, true);
        }
        if !self.key_line_comment.is_empty() {
            if e.typ == Ev::Scalar {
                if self.line_comment.is_empty() {
                    self.line_comment = std::mem::take(&mut self.key_line_comment);
                }
            } else if e.style != FLOW && (e.typ == Ev::MappingStart || e.typ == Ev::SequenceStart) {
                std::mem::swap(&mut self.line_comment, &mut self.key_line_comment);
                self.process_line_comment();
                std::mem::swap(&mut self.line_comment, &mut self.key_line_comment);
            }
        }
        self.states.push(St::BlockMappingKey);
        if !self.emit_node(e, false, false, true, false) {
            return false;
        }
        self.process_line_comment();
        self.process_foot_comment();
        true
    }

    fn emit_node(&mut self, e: &Event, root: bool, sequence: bool, mapping: bool, simple_key: bool) -> bool {
        self.root_context = root;
        self.sequence_context = sequence;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match e.typ {
            Ev::Alias => {
                self.process_anchor();
                self.pop_state();
                true
            }
            Ev::Scalar => self.emit_scalar(e),
            Ev::SequenceStart => {
                self.process_anchor();
                self.process_tag();
                self.state =
                    if self.flow_level > 0 || e.style == FLOW || self.check_empty(Ev::SequenceStart, Ev::SequenceEnd) {
                        St::FlowSequenceFirstItem
                    } else {
                        St::BlockSequenceFirstItem
                    };
                true
            }
            Ev::MappingStart => {
                self.process_anchor();
                self.process_tag();
                self.state =
                    if self.flow_level > 0 || e.style == FLOW || self.check_empty(Ev::MappingStart, Ev::MappingEnd) {
                        St::FlowMappingFirstKey
                    } else {
                        St::BlockMappingFirstKey
                    };
                true
            }
            _ => self.fail("expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS"),
        }
    }

    fn emit_scalar(&mut self, e: &Event) -> bool {
        self.select_scalar_style(e);
        self.process_anchor();
        self.process_tag();
        self.increase_indent(true, false);
        self.process_scalar();
        self.pop_indent();
        self.pop_state();
        true
    }

    fn check_empty(&self, start: Ev, end: Ev) -> bool {
        if self.events.len() - self.events_head < 2 {
            return false;
        }
        self.events[self.events_head].typ == start && self.events[self.events_head + 1].typ == end
    }

    fn check_simple_key(&self) -> bool {
        let tag = self.anchor.len() + self.tag_handle.len() + self.tag_suffix.len();
        let length = match self.events[self.events_head].typ {
            Ev::Alias => self.anchor.len(),
            Ev::Scalar => {
                if self.scalar_data.multiline {
                    return false;
                }
                tag + self.scalar_data.value.len()
            }
            Ev::SequenceStart => {
                if !self.check_empty(Ev::SequenceStart, Ev::SequenceEnd) {
                    return false;
                }
                tag
            }
            Ev::MappingStart => {
                if !self.check_empty(Ev::MappingStart, Ev::MappingEnd) {
                    return false;
                }
                tag
            }
            _ => return false,
        };
        length <= 128
    }

    fn select_scalar_style(&mut self, e: &Event) {
        let no_tag = self.tag_handle.is_empty() && self.tag_suffix.is_empty();
        let mut style = e.style;
        if style == 0 {
            style = PLAIN;
        }
        if self.simple_key_context && self.scalar_data.multiline {
            style = DOUBLE_QUOTED;
        }
        if style == PLAIN {
            if (self.flow_level > 0 && !self.scalar_data.flow_plain_allowed)
                || (self.flow_level == 0 && !self.scalar_data.block_plain_allowed)
            {
                style = SINGLE_QUOTED;
            }
            if self.scalar_data.value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = SINGLE_QUOTED;
            }
            if no_tag && !e.implicit {
                style = SINGLE_QUOTED;
            }
        }
        if style == SINGLE_QUOTED && !self.scalar_data.single_quoted_allowed {
            style = DOUBLE_QUOTED;
        }
        if (style == LITERAL || style == FOLDED)
            && (!self.scalar_data.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = DOUBLE_QUOTED;
        }
        if no_tag && !e.quoted_implicit && style != PLAIN {
            self.tag_handle = b"!".to_vec();
        }
        self.scalar_data.style = style;
    }

    fn process_anchor(&mut self) {
        if self.anchor.is_empty() {
            return;
        }
        let c: &[u8] = if self.anchor_alias { b"*" } else { b"&" };
        self.write_indicator(c, true, false, false);
        let a = self.anchor.clone();
        self.write_all(&a);
        self.whitespace = false;
        self.indention = false;
    }

    fn process_tag(&mut self) {
        if self.tag_handle.is_empty() && self.tag_suffix.is_empty() {
            return;
        }
        if !self.tag_handle.is_empty() {
            if !self.whitespace {
                self.put(b' ');
            }
            let h = self.tag_handle.clone();
            self.write_all(&h);
            self.whitespace = false;
            self.indention = false;
            if !self.tag_suffix.is_empty() {
                let sfx = self.tag_suffix.clone();
                self.write_tag_content(&sfx, false);
            }
        } else {
            self.write_indicator(b"!<", true, false, false);
            let sfx = self.tag_suffix.clone();
            self.write_tag_content(&sfx, false);
            self.write_indicator(b">", false, false, false);
        }
    }

    fn write_tag_content(&mut self, value: &[u8], need_whitespace: bool) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        let mut i = 0;
        while i < value.len() {
            let c = value[i];
            let must_write = matches!(
                c,
                b';' | b'/'
                    | b'?'
                    | b':'
                    | b'@'
                    | b'&'
                    | b'='
                    | b'+'
                    | b'$'
                    | b','
                    | b'_'
                    | b'.'
                    | b'~'
                    | b'*'
                    | b'\''
                    | b'('
                    | b')'
                    | b'['
                    | b']'
            ) || c.is_ascii_alphanumeric()
                || c == b'-';
            if must_write {
                self.write(value, &mut i);
            } else {
                let w = width(value[i]).max(1);
                for _ in 0..w {
                    let octet = at(value, i);
                    i += 1;
                    self.put(b'%');
                    let hex = |d: u8| if d < 10 { d + b'0' } else { d + b'A' - 10 };
                    self.put(hex(octet >> 4));
                    self.put(hex(octet & 0x0f));
                }
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn process_scalar(&mut self) {
        let value = std::mem::take(&mut self.scalar_data.value);
        let allow_breaks = !self.simple_key_context;
        match self.scalar_data.style {
            PLAIN => self.write_plain_scalar(&value, allow_breaks),
            SINGLE_QUOTED => self.write_single_quoted_scalar(&value, allow_breaks),
            DOUBLE_QUOTED => self.write_double_quoted_scalar(&value, allow_breaks),
            LITERAL => self.write_literal_scalar(&value),
            _ => self.write_folded_scalar(&value),
        }
        self.scalar_data.value = value;
    }

    fn process_head_comment(&mut self) {
        if !self.tail_comment.is_empty() {
            self.write_indent();
            let c = std::mem::take(&mut self.tail_comment);
            self.write_comment(&c);
            self.foot_indent = self.indent.max(0);
        }
        if self.head_comment.is_empty() {
            return;
        }
        self.write_indent();
        let c = std::mem::take(&mut self.head_comment);
        self.write_comment(&c);
    }

    fn process_line_comment_linebreak(&mut self, linebreak: bool) {
        if self.line_comment.is_empty() {
            if linebreak {
                self.put_break();
            }
            return;
        }
        if !self.whitespace {
            self.put(b' ');
        }
        let c = std::mem::take(&mut self.line_comment);
        self.write_comment(&c);
    }

    fn process_line_comment(&mut self) {
        self.process_line_comment_linebreak(false);
    }

    fn process_foot_comment(&mut self) {
        if self.foot_comment.is_empty() {
            return;
        }
        self.write_indent();
        let c = std::mem::take(&mut self.foot_comment);
        self.write_comment(&c);
        self.foot_indent = self.indent.max(0);
    }

    fn analyze_tag(&mut self, tag: &[u8]) {
        // The default %TAG directives, in go-yaml's order.
        for (handle, prefix) in [(&b"!"[..], &b"!"[..]), (&b"!!"[..], &b"tag:yaml.org,2002:"[..])] {
            if tag.starts_with(prefix) {
                self.tag_handle = handle.to_vec();
                self.tag_suffix = tag[prefix.len()..].to_vec();
                return;
            }
        }
        self.tag_suffix = tag.to_vec();
    }

    fn analyze_event(&mut self, e: &Event) {
        self.tag_handle.clear();
        self.tag_suffix.clear();
        self.anchor.clear();
        self.anchor_alias = false;
        self.scalar_data.value.clear();
        if !e.head.is_empty() {
            self.head_comment = e.head.clone();
        }
        if !e.line.is_empty() {
            self.line_comment = e.line.clone();
        }
        if !e.foot.is_empty() {
            self.foot_comment = e.foot.clone();
        }
        if !e.tail.is_empty() {
            self.tail_comment = e.tail.clone();
        }
        match e.typ {
            Ev::Alias => {
                self.anchor = e.anchor.clone();
                self.anchor_alias = true;
            }
            Ev::Scalar => {
                self.anchor = e.anchor.clone();
                if !e.tag.is_empty() && !e.implicit && !e.quoted_implicit {
                    self.analyze_tag(&e.tag);
                }
                self.analyze_scalar(&e.value);
            }
            Ev::SequenceStart | Ev::MappingStart => {
                self.anchor = e.anchor.clone();
                if !e.tag.is_empty() && !e.implicit {
                    self.analyze_tag(&e.tag);
                }
            }
            _ => {}
        }
    }

    fn analyze_scalar(&mut self, value: &[u8]) {
        let sd = &mut self.scalar_data;
        sd.value = value.to_vec();
        if value.is_empty() {
            sd.multiline = false;
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = true;
            sd.single_quoted_allowed = true;
            sd.block_allowed = false;
            return;
        }
        let mut block_indicators = false;
        let mut flow_indicators = false;
        let mut line_breaks = false;
        let mut special_characters = false;
        let mut tab_characters = false;
        let mut leading_space = false;
        let mut leading_break = false;
        let mut trailing_space = false;
        let mut trailing_break = false;
        let mut break_space = false;
        let mut space_break = false;
        let mut previous_space = false;
        let mut previous_break = false;
        if value.len() >= 3 && (value.starts_with(b"---") || value.starts_with(b"...")) {
            block_indicators = true;
            flow_indicators = true;
        }
        let mut preceded_by_whitespace = true;
        let mut i = 0;
        while i < value.len() {
            let w = width(value[i]).max(1);
            let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
            if i == 0 {
                match value[i] {
                    b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
                    | b'%' | b'@' | b'`' => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    b'?' | b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'-' => {
                        if followed_by_whitespace {
                            flow_indicators = true;
                            block_indicators = true;
                        }
                    }
                    _ => {}
                }
            } else {
                match value[i] {
                    b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                    b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'#' => {
                        if preceded_by_whitespace {
                            flow_indicators = true;
                            block_indicators = true;
                        }
                    }
                    _ => {}
                }
            }
            if value[i] == b'\t' {
                tab_characters = true;
            } else if !is_printable(value, i) {
                special_characters = true;
            }
            if is_space(value, i) {
                if i == 0 {
                    leading_space = true;
                }
                if i + w == value.len() {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(value, i) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if i + w == value.len() {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blankz(value, i);
            i += w;
        }
        sd.multiline = line_breaks;
        sd.flow_plain_allowed = true;
        sd.block_plain_allowed = true;
        sd.single_quoted_allowed = true;
        sd.block_allowed = true;
        if leading_space || leading_break || trailing_space || trailing_break {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
        }
        if trailing_space {
            sd.block_allowed = false;
        }
        if break_space {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
            sd.single_quoted_allowed = false;
        }
        if space_break || tab_characters || special_characters {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
            sd.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            sd.block_allowed = false;
        }
        if line_breaks {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
        }
        if flow_indicators {
            sd.flow_plain_allowed = false;
        }
        if block_indicators {
            sd.block_plain_allowed = false;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        if self.foot_indent == indent {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.space_above = false;
        self.foot_indent = -1;
    }

    fn write_indicator(&mut self, indicator: &[u8], need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        self.write_all(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn write_plain_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        if !value.is_empty() && !self.whitespace {
            self.put(b' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks && !spaces && self.column > self.best_width && !is_space(value, i + 1) {
                    self.write_indent();
                    i += width(value[i]).max(1);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
        if self.root_context {
            self.open_ended = true;
        }
    }

    fn write_single_quoted_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        self.write_indicator(b"'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < value.len() - 1
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += width(value[i]).max(1);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if value[i] == b'\'' {
                    self.put(b'\'');
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator(b"\"", true, false, false);
        let mut i = 0;
        while i < value.len() {
            if !is_printable(value, i)
                || is_bom(value, i)
                || is_break(value, i)
                || value[i] == b'"'
                || value[i] == b'\\'
            {
                let mut octet = value[i];
                let (mut w, mut v): (usize, u32) = if octet & 0x80 == 0 {
                    (1, u32::from(octet & 0x7F))
                } else if octet & 0xE0 == 0xC0 {
                    (2, u32::from(octet & 0x1F))
                } else if octet & 0xF0 == 0xE0 {
                    (3, u32::from(octet & 0x0F))
                } else if octet & 0xF8 == 0xF0 {
                    (4, u32::from(octet & 0x07))
                } else {
                    (1, 0)
                };
                for k in 1..w {
                    octet = at(value, i + k);
                    v = (v << 6) + (u32::from(octet) & 0x3F);
                }
                i += w;
                self.put(b'\\');
                match v {
                    0x00 => self.put(b'0'),
                    0x07 => self.put(b'a'),
                    0x08 => self.put(b'b'),
                    0x09 => self.put(b't'),
                    0x0A => self.put(b'n'),
                    0x0B => self.put(b'v'),
                    0x0C => self.put(b'f'),
                    0x0D => self.put(b'r'),
                    0x1B => self.put(b'e'),
                    0x22 => self.put(b'"'),
                    0x5C => self.put(b'\\'),
                    0x85 => self.put(b'N'),
                    0xA0 => self.put(b'_'),
                    0x2028 => self.put(b'L'),
                    0x2029 => self.put(b'P'),
                    _ => {
                        if v <= 0xFF {
                            self.put(b'x');
                            w = 2;
                        } else if v <= 0xFFFF {
                            self.put(b'u');
                            w = 4;
                        } else {
                            self.put(b'U');
                            w = 8;
                        }
                        let mut k = (w as i64 - 1) * 4;
                        while k >= 0 {
                            let digit = ((v >> k as u32) & 0x0F) as u8;
                            self.put(if digit < 10 { digit + b'0' } else { digit + b'A' - 10 });
                            k -= 4;
                        }
                    }
                }
                spaces = false;
            } else if is_space(value, i) {
                if allow_breaks && !spaces && self.column > self.best_width && i > 0 && i < value.len() - 1 {
                    self.write_indent();
                    if is_space(value, i + 1) {
                        self.put(b'\\');
                    }
                    i += width(value[i]).max(1);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else {
                self.write(value, &mut i);
                spaces = false;
            }
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_scalar_hints(&mut self, value: &[u8]) {
        if is_space(value, 0) || is_break(value, 0) {
            let hint = [b'0' + self.best_indent as u8];
            self.write_indicator(&hint, false, false, false);
        }
        self.open_ended = false;
        let mut chomp_hint = 0u8;
        if value.is_empty() {
            chomp_hint = b'-';
        } else {
            let mut i = value.len() - 1;
            while value[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(value, i) {
                chomp_hint = b'-';
            } else if i == 0 {
                chomp_hint = b'+';
                self.open_ended = true;
            } else {
                i -= 1;
                while value[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(value, i) {
                    chomp_hint = b'+';
                    self.open_ended = true;
                }
            }
        }
        if chomp_hint != 0 {
            self.write_indicator(&[chomp_hint], false, false, false);
        }
    }

    fn write_literal_scalar(&mut self, value: &[u8]) {
        self.write_indicator(b"|", true, false, false);
        self.write_block_scalar_hints(value);
        self.process_line_comment_linebreak(true);
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_folded_scalar(&mut self, value: &[u8]) {
        self.write_indicator(b">", true, false, false);
        self.write_block_scalar_hints(value);
        self.process_line_comment_linebreak(true);
        self.whitespace = true;
        let mut breaks = true;
        let mut leading_spaces = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                if !breaks && !leading_spaces && value[i] == b'\n' {
                    // (go-yaml scans from the start of the value here.)
                    let mut k = 0;
                    while is_break(value, k) {
                        k += width(value[k]).max(1);
                    }
                    if !is_blankz(value, k) {
                        self.put_break();
                    }
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    leading_spaces = is_blank(value, i);
                }
                if !breaks && is_space(value, i) && !is_space(value, i + 1) && self.column > self.best_width {
                    self.write_indent();
                    i += width(value[i]).max(1);
                } else {
                    self.write(value, &mut i);
                }
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_comment(&mut self, comment: &[u8]) {
        let mut breaks = false;
        let mut pound = false;
        let mut i = 0;
        while i < comment.len() {
            if is_break(comment, i) {
                self.write_break(comment, &mut i);
                breaks = true;
                pound = false;
            } else {
                if breaks {
                    self.write_indent();
                }
                if !pound {
                    if comment[i] != b'#' {
                        self.put(b'#');
                        self.put(b' ');
                    }
                    pound = true;
                }
                self.write(comment, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
        if !breaks {
            self.put_break();
        }
        self.whitespace = true;
    }
}

/// The encoder: yaml.Encoder (kyaml's settings) over whole documents.
pub struct Encoder {
    em: Emitter,
    started: bool,
}

impl Default for Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder {
    pub fn new() -> Encoder {
        Encoder { em: Emitter::new(), started: false }
    }

    fn emit(&mut self, e: Event) -> Result<(), String> {
        if self.em.emit(e) {
            Ok(())
        } else {
            Err(self.em.error.clone().unwrap_or_else(|| "unknown problem generating YAML content".into()))
        }
    }

    /// Encode(document node).
    pub fn encode(&mut self, doc: &Node) -> Result<(), String> {
        if !self.started {
            self.emit(Event { typ: Ev::StreamStart, ..Event::default() })?;
            self.started = true;
        }
        if doc.kind == Kind::Document {
            self.node(doc, Vec::new())
        } else {
            self.emit(Event { typ: Ev::DocumentStart, implicit: true, ..Event::default() })?;
            self.node(doc, Vec::new())?;
            self.emit(Event { typ: Ev::DocumentEnd, implicit: true, ..Event::default() })
        }
    }

    /// Close: the stream end; returns the output.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        if self.started {
            self.em.open_ended = false;
            self.emit(Event { typ: Ev::StreamEnd, ..Event::default() })?;
        }
        Ok(self.em.out)
    }

    fn node(&mut self, node: &Node, tail: Vec<u8>) -> Result<(), String> {
        // An explicit tag is kept; an implied one is dropped when the value
        // resolves to it anyway.
        let mut tag = node.tag.clone();
        let mut force_quoting = false;
        if !tag.is_empty() && node.style & TAGGED_STYLE == 0 {
            match node.kind {
                Kind::Scalar => {
                    let quoted =
                        node.style & (SINGLE_QUOTED_STYLE | DOUBLE_QUOTED_STYLE | LITERAL_STYLE | FOLDED_STYLE);
                    if tag == "!!str" && quoted != 0 {
                        tag.clear();
                    } else {
                        let rtag = super::node::resolve_tag(&node.value);
                        if rtag == tag {
                            tag.clear();
                        } else if tag == "!!str" {
                            tag.clear();
                            force_quoting = true;
                        }
                    }
                }
                Kind::Mapping if tag == "!!map" => tag.clear(),
                Kind::Sequence if tag == "!!seq" => tag.clear(),
                _ => {}
            }
        }
        let long = long_tag(&tag).into_bytes();
        let anchor = node.anchor.as_bytes().to_vec();
        match node.kind {
            Kind::Document => {
                self.emit(Event {
                    typ: Ev::DocumentStart,
                    implicit: true,
                    head: node.head_comment.as_bytes().to_vec(),
                    ..Event::default()
                })?;
                for c in &node.content {
                    self.node(c, Vec::new())?;
                }
                self.emit(Event {
                    typ: Ev::DocumentEnd,
                    implicit: true,
                    foot: node.foot_comment.as_bytes().to_vec(),
                    ..Event::default()
                })
            }
            Kind::Alias => self.emit(Event {
                typ: Ev::Alias,
                anchor: node.value.as_bytes().to_vec(),
                head: node.head_comment.as_bytes().to_vec(),
                line: node.line_comment.as_bytes().to_vec(),
                foot: node.foot_comment.as_bytes().to_vec(),
                ..Event::default()
            }),
            Kind::Sequence => {
                self.emit(Event {
                    typ: Ev::SequenceStart,
                    implicit: tag.is_empty(),
                    anchor,
                    tag: long,
                    style: if node.style & FLOW_STYLE != 0 { FLOW } else { 1 },
                    head: node.head_comment.as_bytes().to_vec(),
                    ..Event::default()
                })?;
                for c in &node.content {
                    self.node(c, Vec::new())?;
                }
                self.emit(Event {
                    typ: Ev::SequenceEnd,
                    line: node.line_comment.as_bytes().to_vec(),
                    foot: node.foot_comment.as_bytes().to_vec(),
                    ..Event::default()
                })
            }
            Kind::Mapping => {
                self.emit(Event {
                    typ: Ev::MappingStart,
                    implicit: tag.is_empty(),
                    anchor,
                    tag: long,
                    style: if node.style & FLOW_STYLE != 0 { FLOW } else { 1 },
                    tail,
                    head: node.head_comment.as_bytes().to_vec(),
                    ..Event::default()
                })?;
                let mut tail: Vec<u8> = Vec::new();
                let mut i = 0;
                while i + 1 < node.content.len() {
                    let k = &node.content[i];
                    let foot = k.foot_comment.as_bytes().to_vec();
                    if !foot.is_empty() {
                        let mut kopy = k.clone();
                        kopy.foot_comment.clear();
                        self.node(&kopy, std::mem::take(&mut tail))?;
                    } else {
                        self.node(k, std::mem::take(&mut tail))?;
                    }
                    tail = foot;
                    self.node(&node.content[i + 1], Vec::new())?;
                    i += 2;
                }
                self.emit(Event {
                    typ: Ev::MappingEnd,
                    tail,
                    line: node.line_comment.as_bytes().to_vec(),
                    foot: node.foot_comment.as_bytes().to_vec(),
                    ..Event::default()
                })
            }
            Kind::Scalar => {
                let style = if node.style & DOUBLE_QUOTED_STYLE != 0 {
                    DOUBLE_QUOTED
                } else if node.style & SINGLE_QUOTED_STYLE != 0 {
                    SINGLE_QUOTED
                } else if node.style & LITERAL_STYLE != 0 {
                    LITERAL
                } else if node.style & FOLDED_STYLE != 0 {
                    FOLDED
                } else if node.value.contains('\n') {
                    LITERAL
                } else if force_quoting {
                    DOUBLE_QUOTED
                } else {
                    PLAIN
                };
                let implicit = tag.is_empty();
                self.emit(Event {
                    typ: Ev::Scalar,
                    implicit,
                    quoted_implicit: implicit,
                    anchor,
                    tag: long,
                    style,
                    value: node.value.as_bytes().to_vec(),
                    head: node.head_comment.as_bytes().to_vec(),
                    line: node.line_comment.as_bytes().to_vec(),
                    foot: node.foot_comment.as_bytes().to_vec(),
                    tail,
                })
            }
        }
    }
}
