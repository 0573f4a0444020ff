//! The parser: Go's `text/template/parse/parse.go`, same grammar, same error texts.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::ast::{Arg, Branch, Command, List, Node, Pipe, TextSlice};
use crate::error::Error;
use crate::func::{NameHasher, NameMap};
use crate::lex::{Item, ItemType, Lexer};

/// Go limits expression nesting so a parenthesised bomb cannot exhaust the stack.
const MAX_STACK_DEPTH: usize = 10000;

/// One parsed template: the top-level text of a file or a `define`d block.
#[derive(Debug)]
pub struct Tree {
    pub name: Arc<str>,
    /// The name of the file the text came from (used in error locations).
    pub parse_name: Arc<str>,
    pub text: Arc<str>,
    pub root: List,
}

impl Tree {
    /// Go's `ErrorContext`: `file:line:col` of a byte position (col is 0-based).
    pub fn location(&self, pos: usize) -> String {
        let before = &self.text[..pos.min(self.text.len())];
        let line = Lexer::line_at(&self.text, pos);
        let col = pos - before.rfind('\n').map_or(0, |nl| nl + 1);
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// Everything one call to `parse` defines: the named top-level tree plus the
/// `define`/`block` trees, in the order they completed.
pub(crate) type TreeSet = Vec<Tree>;

pub(crate) struct Parser<'a, 'f> {
    name: Arc<str>,
    text: Arc<str>,
    items: Vec<Item<'a>>,
    /// The message of the lexer's error item, if it stopped on one.
    lex_error: Option<String>,
    idx: usize,
    furthest: usize,
    vars: Vec<Arc<str>>,
    range_depth: usize,
    stack_depth: usize,
    /// Where the action being parsed began, for lexer errors that end it later.
    action_pos: Option<usize>,
    has_function: &'f dyn Fn(&str) -> bool,
    trees: TreeSet,
    defined: NameMap<usize>,
    /// Lists under construction, innermost on top: each is moved out at its
    /// end into a vector of exactly its length, where one grown by pushing
    /// would have room for four or more. Most commands have one or two
    /// arguments, most pipelines one command, and the tree of a chart's
    /// templates is otherwise a third larger.
    open_nodes: Vec<Node>,
    open_cmds: Vec<Command>,
    open_args: Vec<Arg>,
    open_idents: Vec<Arc<str>>,
    /// One shared copy of each field, variable and function name and string
    /// literal: this thread's [`NAMES`], taken for the parse and given back
    /// after it.
    names: Names,
}

type Names = HashSet<Arc<str>, BuildHasherDefault<NameHasher>>;

/// Names met earlier on this thread, shared across the files it parses:
/// the templates of a chart use the same few hundred names (`Values`,
/// `include`, the helpers' fields), which are then allocated once, not
/// once a file. Bounded, so a long-lived thread does not hoard them.
const NAMES_KEPT: usize = 1 << 14;

thread_local! {
    static NAMES: std::cell::Cell<Names> = std::cell::Cell::new(Names::default());
}

/// The most items whose vector a thread keeps for its next parse (4 MiB).
const ITEMS_KEPT: usize = 1 << 17;

thread_local! {
    /// The lexer's item vector of this thread's last parse, emptied: each
    /// file's would otherwise be a new allocation of its own size, and the
    /// memory of a chart's files' vectors, spread over as many allocator
    /// size classes, was touched for the first time file after file.
    static ITEMS: std::cell::Cell<Vec<Item<'static>>> = const { std::cell::Cell::new(Vec::new()) };
}

fn take_items<'a>() -> Vec<Item<'a>> {
    ITEMS.with(|i| i.take())
}

impl Drop for Parser<'_, '_> {
    fn drop(&mut self) {
        let mut names = std::mem::take(&mut self.names);
        if names.len() > NAMES_KEPT {
            names = Names::default();
        }
        NAMES.with(|n| n.set(names));
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        if items.capacity() <= ITEMS_KEPT {
            // SAFETY: the vector is empty, so no item borrows the text; the
            // types differ only in that lifetime, which does not change the
            // layout.
            let items: Vec<Item<'static>> = unsafe { std::mem::transmute::<Vec<Item<'_>>, Vec<Item<'static>>>(items) };
            ITEMS.with(|i| i.set(items));
        }
    }
}

/// The elements of `open` from `start` on, in a vector of their exact length.
fn close<T>(open: &mut Vec<T>, start: usize) -> Vec<T> {
    open.drain(start..).collect()
}

type PResult<T> = Result<T, Error>;

impl<'a, 'f> Parser<'a, 'f> {
    /// Parses `text` as template `name`, returning the trees it defines
    /// (the top-level one first).
    pub fn parse(name: &str, shared: &'a Arc<str>, has_function: &'f dyn Fn(&str) -> bool) -> PResult<TreeSet> {
        let text: &'a str = shared;
        let break_ok = !has_function("break");
        let continue_ok = !has_function("continue");
        let name: Arc<str> = Arc::from(name);
        let lexed = Lexer::lex(text, break_ok, continue_ok, take_items());
        let mut p = Parser {
            name: name.clone(),
            text: shared.clone(),
            items: lexed.items,
            lex_error: lexed.error,
            idx: 0,
            furthest: 0,
            vars: vec![Arc::from("$")],
            range_depth: 0,
            stack_depth: 0,
            action_pos: None,
            has_function,
            trees: Vec::new(),
            defined: NameMap::default(),
            open_nodes: Vec::new(),
            open_cmds: Vec::new(),
            open_args: Vec::new(),
            open_idents: Vec::new(),
            names: NAMES.with(|n| n.take()),
        };
        let root = p.parse_top()?;
        // Go's `Tree.add` of the file's own tree, after its definitions.
        if let Some(&i) = p.defined.get(&name) {
            if !crate::ast::is_empty_list(&p.trees[i].root) && !crate::ast::is_empty_list(&root) {
                return Err(p.errorf(format!("template: multiple definition of template {}", crate::fmt::quote(&name))));
            }
        }
        let top = Tree { name: name.clone(), parse_name: name, text: p.text.clone(), root };
        let mut trees = vec![top];
        trees.append(&mut p.trees);
        Ok(trees)
    }

    fn name(&mut self, text: &str) -> Arc<str> {
        if let Some(name) = self.names.get(text) {
            return name.clone();
        }
        let name: Arc<str> = Arc::from(text);
        self.names.insert(name.clone());
        name
    }

    // --- token stream -------------------------------------------------------

    fn next(&mut self) -> Item<'a> {
        let i = self.idx.min(self.items.len() - 1);
        self.idx = i + 1;
        self.furthest = self.furthest.max(i);
        self.items[i]
    }

    fn backup(&mut self) {
        self.idx -= 1;
    }

    fn peek(&mut self) -> Item<'a> {
        let it = self.next();
        self.backup();
        it
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let it = self.next();
            if it.typ != ItemType::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let it = self.next_non_space();
        self.backup();
        it
    }

    // --- errors -------------------------------------------------------------

    fn line_of(&self, pos: usize) -> usize {
        Lexer::line_at(&self.text, pos)
    }

    fn errorf(&self, msg: impl Into<String>) -> Error {
        let line = self.line_of(self.items[self.furthest.min(self.items.len() - 1)].pos);
        Error::parse(&self.name, line, msg.into())
    }

    fn unexpected<T>(&self, token: &Item<'_>, context: &str) -> PResult<T> {
        if token.typ == ItemType::Error {
            let message = self.lex_error.as_deref().unwrap_or_default();
            // Go names the line an action began on when a lexer error ends it later.
            let mut extra = String::new();
            let action_line = self.action_pos.map(|p| self.line_of(p));
            if let Some(action_line) = action_line.filter(|&l| l != self.line_of(token.pos)) {
                extra = if message.ends_with(" action") {
                    format!(" started at {}:{action_line}", self.name)
                } else {
                    format!(" in action started at {}:{action_line}", self.name)
                };
            }
            return Err(self.errorf(format!("{message}{extra}")));
        }
        Err(self.errorf(format!("unexpected {token} in {context}")))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != expected {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    // --- structure ----------------------------------------------------------

    fn parse_top(&mut self) -> PResult<List> {
        let pos = self.peek().pos;
        let start = self.open_nodes.len();
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let save = self.idx;
                self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = save;
            }
            match self.text_or_action()? {
                Parsed::Node(n) => self.open_nodes.push(n),
                Parsed::End(_) => return Err(self.errorf("unexpected {{end}}")),
                Parsed::Else(_) => return Err(self.errorf("unexpected {{else}}")),
            }
        }
        Ok(List { pos, nodes: close(&mut self.open_nodes, start) })
    }

    /// `{{define "name"}} ... {{end}}`, parsed as a tree of its own with fresh variables.
    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        let name = match token.typ {
            ItemType::String | ItemType::RawString => self.unquote(&token.val)?,
            _ => return self.unexpected(&token, CONTEXT),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let saved = self.enter_tree();
        let (root, end) = self.item_list();
        self.leave_tree(saved);
        let (root, end) = (root?, end);
        if !matches!(end, Parsed::End(_)) {
            return Err(self.errorf(format!("unexpected {} in {CONTEXT}", end.describe())));
        }
        self.add_tree(&name, root)
    }

    fn enter_tree(&mut self) -> (Vec<Arc<str>>, usize) {
        let vars = std::mem::replace(&mut self.vars, vec![Arc::from("$")]);
        let depth = std::mem::replace(&mut self.range_depth, 0);
        (vars, depth)
    }

    fn leave_tree(&mut self, saved: (Vec<Arc<str>>, usize)) {
        self.vars = saved.0;
        self.range_depth = saved.1;
    }

    /// Go's `Tree.add`: a second non-empty definition in one parse is an error;
    /// an empty one never replaces a non-empty one.
    fn add_tree(&mut self, name: &str, root: List) -> PResult<()> {
        let name: Arc<str> = Arc::from(name);
        if let Some(&i) = self.defined.get(&name) {
            if !crate::ast::is_empty_list(&self.trees[i].root) {
                if !crate::ast::is_empty_list(&root) {
                    return Err(
                        self.errorf(format!("template: multiple definition of template {}", crate::fmt::quote(&name)))
                    );
                }
                return Ok(());
            }
            self.trees[i].root = root;
            return Ok(());
        }
        self.defined.insert(name.clone(), self.trees.len());
        self.trees.push(Tree { name, parse_name: self.name.clone(), text: self.text.clone(), root });
        Ok(())
    }

    /// Items up to an `{{end}}` or `{{else}}`, which is returned too.
    fn item_list(&mut self) -> (PResult<List>, Parsed) {
        let pos = self.peek_non_space().pos;
        let start = self.open_nodes.len();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action() {
                Err(e) => return (Err(e), Parsed::End(0)),
                Ok(Parsed::Node(n)) => self.open_nodes.push(n),
                Ok(other) => return (Ok(List { pos, nodes: close(&mut self.open_nodes, start) }), other),
            }
        }
        (Err(self.errorf("unexpected EOF")), Parsed::End(0))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => {
                let start = token.val.as_ptr() as usize - self.text.as_ptr() as usize;
                let text = TextSlice::new(self.text.clone(), start..start + token.val.len());
                Ok(Parsed::Node(Node::Text { pos: token.pos, text }))
            }
            ItemType::LeftDelim => {
                self.action_pos = Some(token.pos);
                let result = crate::stack::maybe_grow(64 * 1024, 1024 * 1024, || self.action());
                self.action_pos = None;
                result
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Parsed::Node),
            ItemType::Break => return self.break_control(token.pos, "break").map(Parsed::Node),
            ItemType::Continue => return self.break_control(token.pos, "continue").map(Parsed::Node),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                let t = self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End(t.pos));
            }
            ItemType::If => return self.branch_control("if").map(|b| Parsed::Node(Node::If(Box::new(b)))),
            ItemType::Range => return self.branch_control("range").map(|b| Parsed::Node(Node::Range(Box::new(b)))),
            ItemType::Template => return self.template_control().map(Parsed::Node),
            ItemType::With => return self.branch_control("with").map(|b| Parsed::Node(Node::With(Box::new(b)))),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action { pos, pipe }))
    }

    fn break_control(&mut self, pos: usize, word: &str) -> PResult<Node> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, &format!("{{{{{word}}}}}"));
        }
        if self.range_depth == 0 {
            return Err(self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}")));
        }
        Ok(if word == "break" { Node::Break { pos } } else { Node::Continue { pos } })
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        // "{{else if" and "{{else with" leave the keyword pending for the caller.
        if matches!(peek.typ, ItemType::If | ItemType::With) {
            return Ok(Parsed::Else(peek.pos));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(token.pos))
    }

    fn branch_control(&mut self, context: &str) -> PResult<Branch> {
        let mark = self.vars.len();
        let result = self.branch_body(context);
        self.vars.truncate(mark);
        result
    }

    fn branch_body(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let list = list?;
        let mut else_list = None;
        if let Parsed::Else(else_pos) = next {
            let peek = self.peek().typ;
            if context == "if" && peek == ItemType::If {
                self.next();
                let nested = self.branch_control("if")?;
                else_list = Some(List { pos: else_pos, nodes: vec![Node::If(Box::new(nested))] });
            } else if context == "with" && peek == ItemType::With {
                self.next();
                let nested = self.branch_control("with")?;
                else_list = Some(List { pos: else_pos, nodes: vec![Node::With(Box::new(nested))] });
            } else {
                let (list, next) = self.item_list();
                let list = list?;
                if !matches!(next, Parsed::End(_)) {
                    return Err(self.errorf(format!("expected end; found {}", next.describe())));
                }
                else_list = Some(list);
            }
        }
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(Box::new(self.pipeline(CONTEXT, ItemType::RightDelim)?));
        }
        Ok(Node::Template { pos: token.pos, name: Arc::from(name), pipe })
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let saved = self.enter_tree();
        let (root, end) = self.item_list();
        self.leave_tree(saved);
        let root = root?;
        if !matches!(end, Parsed::End(_)) {
            return Err(self.errorf(format!("unexpected {} in {CONTEXT}", end.describe())));
        }
        self.add_tree(&name, root)?;
        Ok(Node::Template { pos: token.pos, name: Arc::from(name), pipe: Some(Box::new(pipe)) })
    }

    fn template_name<'t>(&self, token: &Item<'t>, context: &str) -> PResult<Cow<'t, str>> {
        match token.typ {
            ItemType::String | ItemType::RawString => self.unquote(&token.val),
            _ => self.unexpected(token, context),
        }
    }

    // --- pipelines ----------------------------------------------------------

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe { pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        let start = self.open_cmds.len();
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let before = self.idx;
            self.next_non_space();
            let token_after = self.peek();
            let next = self.peek_non_space();
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    let name = self.name(v.val);
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                }
                ItemType::Char if next.val == "," => {
                    self.next_non_space();
                    let name = self.name(v.val);
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => continue 'decls,
                            _ => return Err(self.errorf("range can only initialize variables")),
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ if token_after.typ == ItemType::Space => self.idx = before,
                _ => self.idx = before,
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    pipe.cmds = close(&mut self.open_cmds, start);
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.open_cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number { .. } | Arg::String { .. }
            ) {
                return Err(self.errorf(format!("non executable command in pipeline stage {}", i + 1)));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let start = self.open_args.len();
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                self.open_args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if self.open_args.len() == start {
            return Err(self.errorf("empty command"));
        }
        Ok(Command { pos, args: close(&mut self.open_args, start) })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(mut node) = self.term()? else { return Ok(None) };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let start = self.open_idents.len();
        if let Arg::Field { idents, .. } | Arg::Variable { idents, .. } = &mut node {
            self.open_idents.append(idents);
        }
        let fields_start = self.open_idents.len();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            let name = self.name(&f.val[1..]);
            self.open_idents.push(name);
        }
        Ok(Some(match node {
            Arg::Field { .. } => Arg::Field { pos: chain_pos, idents: close(&mut self.open_idents, start) },
            Arg::Variable { .. } => Arg::Variable { pos: chain_pos, idents: close(&mut self.open_idents, start) },
            Arg::Bool { .. } | Arg::String { .. } | Arg::Number { .. } | Arg::Nil { .. } | Arg::Dot { .. } => {
                return Err(self.errorf(format!("unexpected . after term {}", crate::fmt::quote(&node.to_string()))));
            }
            other => {
                Arg::Chain { pos: chain_pos, node: Box::new(other), fields: close(&mut self.open_idents, fields_start) }
            }
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                if !(self.has_function)(&token.val) {
                    return Err(self.errorf(format!("function {} not defined", crate::fmt::quote(&token.val))));
                }
                Arg::Identifier { pos, name: self.name(token.val) }
            }
            ItemType::Dot => Arg::Dot { pos },
            ItemType::Nil => Arg::Nil { pos },
            ItemType::Variable => {
                let mut parts = token.val.split('.');
                let head = parts.next().unwrap_or("$");
                if !self.vars.iter().any(|v| &**v == head) {
                    return Err(self.errorf(format!("undefined variable {}", crate::fmt::quote(head))));
                }
                let start = self.open_idents.len();
                for part in std::iter::once(head).chain(parts) {
                    let name = self.name(part);
                    self.open_idents.push(name);
                }
                Arg::Variable { pos, idents: close(&mut self.open_idents, start) }
            }
            ItemType::Field => Arg::Field { pos, idents: vec![self.name(&token.val[1..])] },
            ItemType::Bool => Arg::Bool { pos, value: token.val == "true" },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let number = crate::number::parse_number(&token.val, token.typ).map_err(|e| self.errorf(e))?;
                Arg::Number { pos, number: Box::new(number) }
            }
            ItemType::LeftParen => {
                if self.stack_depth >= MAX_STACK_DEPTH {
                    return Err(self.errorf("max expression depth exceeded"));
                }
                self.stack_depth += 1;
                let pipe = crate::stack::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.pipeline("parenthesized pipeline", ItemType::RightParen)
                });
                self.stack_depth -= 1;
                Arg::Pipe(Box::new(pipe?))
            }
            ItemType::String | ItemType::RawString => {
                // Shared like names: most literals are template names given
                // to `include`, the same few dozen all through a chart.
                let text = self.unquote(&token.val)?;
                Arg::String { pos, quoted: self.name(token.val), text: self.name(&text) }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn unquote<'t>(&self, s: &'t str) -> PResult<Cow<'t, str>> {
        crate::number::unquote(s).map_err(|e| self.errorf(e))
    }
}

/// What `text_or_action` found: a node, or the `{{end}}`/`{{else}}` that closes a list.
enum Parsed {
    Node(Node),
    End(#[allow(dead_code)] usize),
    Else(usize),
}

impl Parsed {
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End(_) => "{{end}}".into(),
            Parsed::Else(_) => "{{else}}".into(),
        }
    }
}

#[allow(dead_code)]
fn _assert_send(t: Tree) -> impl Send {
    t
}
