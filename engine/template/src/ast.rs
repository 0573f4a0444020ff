//! The parse tree. `Display` reproduces Go's `Node.String()`, which appears
//! in execution errors as the `<...>` context.

use std::fmt::{self, Display, Write};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct List {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

// The rarer and larger shapes are boxed: every node of a list takes the
// size of the largest, and text nodes, half of all, need 24 bytes.
#[derive(Debug, Clone)]
pub enum Node {
    Text { pos: usize, text: TextSlice },
    Action { pos: usize, pipe: Pipe },
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template { pos: usize, name: Arc<str>, pipe: Option<Box<Pipe>> },
    Break { pos: usize },
    Continue { pos: usize },
}

/// A piece of the template's text, kept in the text itself: copying every
/// text node out took as much memory again as the text, in an allocation
/// each.
#[derive(Clone)]
pub struct TextSlice {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl TextSlice {
    /// `range` must lie on character boundaries of `text`.
    pub fn new(text: Arc<str>, range: std::ops::Range<usize>) -> TextSlice {
        debug_assert!(text.get(range.clone()).is_some());
        TextSlice { text, range }
    }
}

impl std::ops::Deref for TextSlice {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl fmt::Debug for TextSlice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The shared shape of if, range and with.
#[derive(Debug, Clone)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    /// Declared or assigned variable names, `$` included.
    pub decl: Vec<Arc<str>>,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// An operand of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    /// `.A.B`: the field names without dots.
    Field {
        pos: usize,
        idents: Vec<Arc<str>>,
    },
    /// `$x.A.B`: `$x` then the field names.
    Variable {
        pos: usize,
        idents: Vec<Arc<str>>,
    },
    /// `(pipe).A.B` or another term followed by fields.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<Arc<str>>,
    },
    Identifier {
        pos: usize,
        name: Arc<str>,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        value: bool,
    },
    Number {
        pos: usize,
        number: Box<Number>,
    },
    String {
        pos: usize,
        quoted: Arc<str>,
        text: Arc<str>,
    },
    Pipe(Box<Pipe>),
}

/// A numeric literal with every interpretation Go's parser derives from it.
#[derive(Debug, Clone, Default)]
pub struct Number {
    pub text: String,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub complex: (f64, f64),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for id in idents {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => {
                for (i, id) in idents.iter().enumerate() {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_char('.'),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { value, .. } => write!(f, "{value}"),
            Arg::Number { number, .. } => f.write_str(&number.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = arg {
                write!(f, "({p})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::stack::maybe_grow(64 * 1024, 1024 * 1024, || self.fmt_inner(f))
    }
}

impl Pipe {
    fn fmt_inner(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(v)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let branch = |f: &mut fmt::Formatter<'_>, name: &str, b: &Branch| {
            write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
            if let Some(e) = &b.else_list {
                write!(f, "{{{{else}}}}{e}")?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text { text, .. } => f.write_str(text),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::Range(b) => branch(f, "range", b),
            Node::With(b) => branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                let name = crate::fmt::quote(name);
                match pipe {
                    Some(p) => write!(f, "{{{{template {name} {p}}}}}"),
                    None => write!(f, "{{{{template {name}}}}}"),
                }
            }
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

impl Node {
    pub fn pos(&self) -> usize {
        match self {
            Node::Text { pos, .. }
            | Node::Action { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
        }
    }
}

/// Go's `parse.IsEmptyTree`: only whitespace text (and nothing else) counts as empty.
pub fn is_empty_list(list: &List) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}

// Deeply nested templates make deeply nested trees; dropping them through
// the compiler's recursive drop glue would overflow the stack, so both
// recursive shapes (block lists and parenthesised pipelines) are dismantled
// with an explicit work list.

impl Drop for List {
    fn drop(&mut self) {
        let mut stack: Vec<Node> = std::mem::take(&mut self.nodes);
        while let Some(node) = stack.pop() {
            if let Node::If(mut b) | Node::Range(mut b) | Node::With(mut b) = node {
                stack.append(&mut b.list.nodes);
                if let Some(e) = b.else_list.as_mut() {
                    stack.append(&mut e.nodes);
                }
            }
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        let mut args: Vec<Arg> = self.cmds.drain(..).flat_map(|c| c.args).collect();
        while let Some(arg) = args.pop() {
            match arg {
                Arg::Pipe(mut p) => args.extend(p.cmds.drain(..).flat_map(|c| c.args)),
                Arg::Chain { node, .. } => args.push(*node),
                _ => {}
            }
        }
    }
}
