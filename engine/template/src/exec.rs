//! The executor: Go's `text/template/exec.go` walk over the parse tree.
//!
//! Go's reflection distinguishes an *invalid* value (a missing key under the
//! default option, the result of a nil pipeline) from a *nil interface* (a
//! map or slice element of type `interface{}` that holds nil). The
//! distinction decides between printing nothing and failing with
//! `nil pointer evaluating interface {}.x`, so values in flight carry it.

use std::sync::Arc;

use crate::ast::{Arg, Branch, Command, List, Node, Number, Pipe};
use crate::error::Error;
use crate::func::{Builtin, Function, Type};
use crate::parse::Tree;
use crate::set::{MissingKey, Overlay, TemplateSet};
use crate::value::{Elem, Value};

/// Go's limit on nested template invocations.
pub const MAX_EXEC_DEPTH: usize = 100_000;

/// A value plus whether it is still wrapped in an `interface{}`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Val {
    pub v: Value,
    pub iface: bool,
}

impl Val {
    fn plain(v: Value) -> Val {
        Val { v, iface: false }
    }

    fn is_invalid(&self) -> bool {
        self.v.is_nil() && !self.iface
    }

    /// What a pipeline stage leaves: interfaces unwrapped.
    fn unwrapped(self) -> Val {
        Val { v: self.v, iface: false }
    }
}

/// The node execution is at, for error locations and contexts.
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Node(&'t Node),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Arg(&'t Arg),
}

enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, Error>;

/// What a function sees of the engine: enough to execute other templates
/// of the same set (Helm's `include`).
pub struct CallContext<'a> {
    pub(crate) set: &'a TemplateSet,
    pub(crate) overlay: Option<&'a Overlay>,
    pub(crate) depth: usize,
}

impl CallContext<'_> {
    pub fn set(&self) -> &TemplateSet {
        self.set
    }

    /// The templates laid over the set for this execution, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay
    }

    /// Executes the named template of the same set (and overlay) with `data` as dot.
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        self.set.execute_at_depth(name, data, &mut out, self.depth + 1, self.overlay)?;
        Ok(out)
    }

    /// Executes template `name` of `overlay` laid over the set.
    pub fn execute_with_overlay(&mut self, overlay: &Overlay, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        self.set.execute_at_depth(name, data, &mut out, self.depth + 1, Some(overlay))?;
        Ok(out)
    }
}

pub(crate) struct State<'t> {
    set: &'t TemplateSet,
    overlay: Option<&'t Overlay>,
    tree: &'t Tree,
    vars: Vec<(Arc<str>, Val)>,
    depth: usize,
    steps: u64,
    at: At<'t>,
}

impl<'t> State<'t> {
    pub(crate) fn new(
        set: &'t TemplateSet,
        overlay: Option<&'t Overlay>,
        tree: &'t Tree,
        data: Value,
        depth: usize,
    ) -> State<'t> {
        State { set, overlay, tree, vars: vec![(Arc::from("$"), Val::plain(data))], depth, steps: 0, at: At::None }
    }

    pub(crate) fn run(&mut self, data: Value, out: &mut String) -> R<()> {
        let dot = Val::plain(data);
        let tree = self.tree;
        self.walk_list(&dot, &tree.root, out).map(|_| ())
    }

    // --- errors -------------------------------------------------------------

    fn errorf(&self, detail: impl Into<String>) -> Error {
        self.error_with(detail.into(), None)
    }

    fn error_with(&self, detail: String, cause: Option<Arc<Error>>) -> Error {
        let at = match self.at {
            At::None => None,
            At::Node(n) => Some((n.pos(), n.to_string())),
            At::Pipe(p) => Some((p.pos, p.to_string())),
            At::Cmd(c) => Some((c.pos, c.to_string())),
            At::Arg(a) => Some((a.pos(), a.to_string())),
        };
        let at = at.map(|(pos, ctx)| (self.tree.location(pos), ctx));
        Error::exec(&self.tree.name, at, detail, cause)
    }

    // --- variables ----------------------------------------------------------

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, v: Val) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| &**n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn set_top_var(&mut self, n: usize, v: Val) {
        let len = self.vars.len();
        self.vars[len - n].1 = v;
    }

    fn var_value(&self, name: &str) -> R<Val> {
        match self.vars.iter().rev().find(|(n, _)| &**n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    // --- walking ------------------------------------------------------------

    fn walk_list(&mut self, dot: &Val, list: &'t List, out: &mut String) -> R<Flow> {
        for node in &list.nodes {
            match self.walk(dot, node, out)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        match self.set.limits().max_steps {
            Some(max) if self.steps > max => Err(self.errorf(format!("exceeded the execution step limit ({max})"))),
            _ => Ok(()),
        }
    }

    fn walk(&mut self, dot: &Val, node: &'t Node, out: &mut String) -> R<Flow> {
        self.at = At::Node(node);
        self.step()?;
        match node {
            Node::Text { text, .. } => out.push_str(text),
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(node, &val, out);
                }
            }
            Node::If(b) => return self.walk_if_or_with(false, dot, b, out),
            Node::With(b) => return self.walk_if_or_with(true, dot, b, out),
            Node::Range(b) => {
                return crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.walk_range(dot, node, b, out))
            }
            Node::Template { name, pipe, .. } => crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
                self.walk_template(dot, node, name, pipe.as_deref(), out)
            })?,
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Val, b: &'t Branch, out: &mut String) -> R<Flow> {
        let mark = self.mark();
        let result = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.v.truthy() {
                let dot = if with { &val } else { dot };
                crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.walk_list(dot, &b.list, out))
            } else if let Some(else_list) = &b.else_list {
                crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.walk_list(dot, else_list, out))
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.pop(mark);
        result
    }

    fn walk_range(&mut self, dot: &Val, node: &'t Node, r: &'t Branch, out: &mut String) -> R<Flow> {
        self.at = At::Node(node);
        let outer = self.mark();
        let result = self.range_body(dot, r, out);
        self.pop(outer);
        // A break inside the range ends only the range.
        result.map(|flow| match flow {
            Flow::Break => Flow::Normal,
            other => other,
        })
    }

    fn range_body(&mut self, dot: &Val, r: &'t Branch, out: &mut String) -> R<Flow> {
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.mark();
        let ndecl = r.pipe.decl.len();
        let mut ran = false;
        match &val.v {
            Value::List(l) if !l.items.is_empty() => {
                let iface = l.elem == Elem::Any;
                for (i, item) in l.items.iter().enumerate() {
                    ran = true;
                    let elem = Val { v: item.clone(), iface };
                    if let Flow::Break = self.one_iteration(r, mark, Val::plain(Value::Int(i as i64)), elem, out)? {
                        break;
                    }
                }
            }
            Value::Bytes(b) if !b.is_empty() => {
                for (i, byte) in b.iter().enumerate() {
                    ran = true;
                    let elem = Val::plain(Value::Uint8(*byte));
                    if let Flow::Break = self.one_iteration(r, mark, Val::plain(Value::Int(i as i64)), elem, out)? {
                        break;
                    }
                }
            }
            Value::Map(m) if !m.entries.is_empty() => {
                let iface = m.elem == Elem::Any;
                for (k, item) in m.entries.iter() {
                    ran = true;
                    let key = Val::plain(Value::Str(k.clone()));
                    let elem = Val { v: item.clone(), iface };
                    if let Flow::Break = self.one_iteration(r, mark, key, elem, out)? {
                        break;
                    }
                }
            }
            Value::Int(n) | Value::Int64(n) => {
                if ndecl > 1 {
                    let shown = crate::fmt::sprint(std::slice::from_ref(&val.v));
                    return Err(self.errorf(format!("can't use {shown} to iterate over more than one variable")));
                }
                let make = |i: i64| if matches!(val.v, Value::Int(_)) { Value::Int(i) } else { Value::Int64(i) };
                for i in 0..(*n).max(0) {
                    ran = true;
                    if let Flow::Break = self.one_iteration(r, mark, Val::default(), Val::plain(make(i)), out)? {
                        break;
                    }
                }
            }
            Value::Object(o) if o.map_entries().is_some() || o.elements().is_some() => {
                // Host slices and maps (`.Files`, `.Capabilities.APIVersions`).
                let entries: Vec<(Value, Value)> = match o.map_entries() {
                    Some(m) => m.into_iter().map(|(k, v)| (Value::Str(k), v)).collect(),
                    None => o
                        .elements()
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::Int(i as i64), v))
                        .collect(),
                };
                for (key, item) in entries {
                    ran = true;
                    if let Flow::Break = self.one_iteration(r, mark, Val::plain(key), Val::plain(item), out)? {
                        break;
                    }
                }
            }
            Value::List(_) | Value::Bytes(_) | Value::Map(_) | Value::Nil => {}
            other => {
                let shown = crate::fmt::sprint(std::slice::from_ref(other));
                return Err(self.errorf(format!("range can't iterate over {shown}")));
            }
        }
        if !ran {
            if let Some(else_list) = &r.else_list {
                return self.walk_list(dot, else_list, out);
            }
        }
        Ok(Flow::Normal)
    }

    fn one_iteration(&mut self, r: &'t Branch, mark: usize, index: Val, elem: Val, out: &mut String) -> R<Flow> {
        self.step()?;
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                // With two variables the index comes first; with one, the element.
                let first = if decl.len() > 1 { index.clone() } else { elem.clone() };
                self.set_var(&decl[0], first)?;
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let flow = self.walk_list(&elem, &r.list, out);
        self.pop(mark);
        match flow? {
            Flow::Break => Ok(Flow::Break),
            _ => Ok(Flow::Normal),
        }
    }

    fn walk_template(
        &mut self,
        dot: &Val,
        node: &'t Node,
        name: &str,
        pipe: Option<&'t Pipe>,
        out: &mut String,
    ) -> R<()> {
        self.at = At::Node(node);
        let Some(tree) = self.set.lookup_in(self.overlay, name) else {
            return Err(self.errorf(format!("template {} not defined", crate::fmt::quote(name))));
        };
        let max_depth = self.set.limits().max_depth;
        if self.depth == max_depth {
            return Err(self.errorf(format!("exceeded maximum template depth ({max_depth})")));
        }
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Val::default(),
        };
        // No dynamic scoping: the invoked template sees only `$`.
        let vars = std::mem::replace(&mut self.vars, vec![(Arc::from("$"), dot.clone())]);
        let saved_tree = std::mem::replace(&mut self.tree, tree);
        let saved_at = self.at;
        self.depth += 1;
        let result = self.walk_list(&dot, &tree.root, out);
        self.depth -= 1;
        self.tree = saved_tree;
        self.vars = vars;
        self.at = saved_at;
        result.map(|_| ())
    }

    // --- evaluation ---------------------------------------------------------

    fn eval_pipeline(&mut self, dot: &Val, pipe: &'t Pipe) -> R<Val> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?.unwrapped());
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &'t [Arg], fin: &Option<Val>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(self.errorf(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &'t Command, fin: Option<Val>) -> R<Val> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, idents, Some(&cmd.args), fin);
            }
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, Some(&cmd.args), fin),
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, name, At::Cmd(cmd), Some(&cmd.args), fin)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.eval_pipeline(dot, p));
            }
            Arg::Variable { .. } => return self.eval_variable_node(dot, first, Some(&cmd.args), fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool { value, .. } => Ok(Val::plain(Value::Bool(*value))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.errorf("nil is not a command")),
            Arg::Number { number, .. } => self.ideal_constant(first, number),
            Arg::String { text, .. } => Ok(Val::plain(Value::Str(text.clone()))),
            _ => Err(self.errorf(format!("can't evaluate command {}", crate::fmt::quote(&first.to_string())))),
        }
    }

    /// An untyped numeric literal: Go picks int, float64 or complex from its spelling.
    fn ideal_constant(&mut self, node: &'t Arg, n: &Number) -> R<Val> {
        self.at = At::Arg(node);
        let t = &n.text;
        let is_hex_int =
            t.len() > 2 && t.starts_with('0') && matches!(t.as_bytes()[1], b'x' | b'X') && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.is_complex {
            return Ok(Val::plain(Value::Complex(n.complex.0, n.complex.1)));
        }
        if n.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::plain(Value::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Val::plain(Value::Int(n.int64)));
        }
        if n.is_uint {
            return Err(self.errorf(format!("{t} overflows int")));
        }
        Ok(Val::default())
    }

    fn eval_chain_node(&mut self, dot: &Val, chain: &'t Arg, args: Option<&'t [Arg]>, fin: Option<Val>) -> R<Val> {
        self.at = At::Arg(chain);
        let Arg::Chain { node, fields, .. } = chain else { unreachable!("chain node") };
        if let Arg::Nil { .. } = node.as_ref() {
            return Err(self.errorf(format!("indirection through explicit nil in {chain}")));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, pipe, chain, fields, args, fin)
    }

    fn eval_variable_node(&mut self, dot: &Val, var: &'t Arg, args: Option<&'t [Arg]>, fin: Option<Val>) -> R<Val> {
        self.at = At::Arg(var);
        let Arg::Variable { idents, .. } = var else { unreachable!("variable node") };
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            if let Some(args) = args {
                self.not_a_function(args, &fin)?;
            } else if fin.is_some() {
                return Err(self.errorf(format!("can't give argument to non-function {var}")));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &idents[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val,
        mut receiver: Val,
        node: &'t Arg,
        idents: &'t [Arc<str>],
        args: Option<&'t [Arg]>,
        fin: Option<Val>,
    ) -> R<Val> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            receiver = self.eval_field(dot, ident, node, None, None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Val,
        name: &str,
        node: &'t Arg,
        args: Option<&'t [Arg]>,
        fin: Option<Val>,
        receiver: Val,
    ) -> R<Val> {
        if receiver.is_invalid() {
            if self.set.missing_key() == MissingKey::Error {
                return Err(self.errorf(format!("nil data; no entry for key {}", crate::fmt::quote(name))));
            }
            return Ok(Val::default());
        }
        // Go names the static type: `interface {}` for values read out of containers.
        let typ = |r: &Val| if r.iface { "interface {}".to_string() } else { r.v.type_name().into_owned() };
        if receiver.iface && receiver.v.is_nil() {
            return Err(self.errorf(format!("nil pointer evaluating {}.{name}", typ(&receiver))));
        }
        if let Value::Object(obj) = &receiver.v {
            if obj.has_method(name) {
                let obj = obj.clone();
                return self.eval_method(dot, &obj, name, node, args, fin);
            }
        }
        let has_args = args.is_some_and(|a| a.len() > 1) || fin.is_some();
        match &receiver.v {
            Value::Map(m) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                let iface = m.elem == Elem::Any;
                return match m.entries.get(name) {
                    Some(v) => Ok(Val { v: v.clone(), iface }),
                    None => match self.set.missing_key() {
                        MissingKey::Invalid => Ok(Val::default()),
                        MissingKey::Zero => Ok(Val { v: m.elem.zero(), iface }),
                        MissingKey::Error => {
                            Err(self.errorf(format!("map has no entry for key {}", crate::fmt::quote(name))))
                        }
                    },
                };
            }
            Value::Object(obj) => {
                if let Some(v) = obj.field(name) {
                    if has_args {
                        return Err(self.errorf(format!("{name} has arguments but cannot be invoked as function")));
                    }
                    return Ok(Val::plain(v));
                }
            }
            _ => {}
        }
        Err(self.errorf(format!("can't evaluate field {name} in type {}", typ(&receiver))))
    }

    fn eval_method(
        &mut self,
        dot: &Val,
        obj: &Arc<dyn crate::value::Object>,
        name: &str,
        node: &'t Arg,
        args: Option<&'t [Arg]>,
        fin: Option<Val>,
    ) -> R<Val> {
        let mut argv = Vec::new();
        let rest: &'t [Arg] = args.map_or(&[], |a| &a[1..]);
        if let Some(params) = obj.method_params(name) {
            let got = rest.len() + usize::from(fin.is_some());
            if got != params.len() {
                self.at = At::Arg(node);
                return Err(self.errorf(format!("wrong number of args for {name}: want {} got {got}", params.len())));
            }
            for (a, t) in rest.iter().zip(params) {
                argv.push(self.eval_arg(dot, Some(*t), a)?.v);
            }
            if let Some(f) = fin {
                self.at = At::Arg(node);
                argv.push(self.validate_type(f, params.last().copied())?.v);
            }
        } else {
            for a in rest {
                argv.push(self.eval_arg(dot, Some(Type::Any), a)?.v);
            }
            if let Some(f) = fin {
                argv.push(f.v);
            }
        }
        self.at = At::Arg(node);
        obj.call_method(name, &argv).map(Val::plain).map_err(|e| self.errorf(format!("error calling {name}: {e}")))
    }

    fn eval_function(
        &mut self,
        dot: &Val,
        ident: &'t Arg,
        name: &str,
        call_node: At<'t>,
        args: Option<&'t [Arg]>,
        fin: Option<Val>,
    ) -> R<Val> {
        self.at = At::Arg(ident);
        let set = self.set;
        let Some(function) = set.funcs().get(name) else {
            return Err(self.errorf(format!("{} is not a defined function", crate::fmt::quote(name))));
        };
        self.eval_call(dot, function, call_node, name, args, fin)
    }

    fn eval_call(
        &mut self,
        dot: &Val,
        fun: &Function,
        node: At<'t>,
        name: &str,
        args: Option<&'t [Arg]>,
        fin: Option<Val>,
    ) -> R<Val> {
        let args: &'t [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if fun.variadic.is_some() { fun.params.len() } else { args.len() };
        if fun.variadic.is_some() {
            if num_in < num_fixed {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    fun.params.len(),
                    args.len()
                )));
            }
        } else if num_in != fun.params.len() {
            return Err(self.errorf(format!("wrong number of args for {name}: want {} got {num_in}", fun.params.len())));
        }

        if matches!(fun.builtin, Some(Builtin::And | Builtin::Or)) {
            let want = fun.builtin == Some(Builtin::Or);
            let mut v = Val::default();
            for arg in args {
                v = self.eval_arg(dot, Some(Type::Reflect), arg)?;
                if v.v.truthy() == want {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        if fun.builtin == Some(Builtin::Call) {
            return self.eval_builtin_call(dot, node, args, fin);
        }

        let mut vals: Vec<Val> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            vals.push(self.eval_arg(dot, Some(fun.params[i]), &args[i])?);
            i += 1;
        }
        if let Some(vt) = fun.variadic {
            while i < args.len() {
                vals.push(self.eval_arg(dot, Some(vt), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match fun.variadic {
                Some(vt) if num_in > num_fixed => vt,
                _ => fun.params[num_in - 1],
            };
            vals.push(self.validate_type(f, Some(t))?);
        }
        // `len` sees through reflect.Value: a nil interface is a nil pointer,
        // while an invalid value makes reflect itself panic.
        if fun.builtin == Some(Builtin::Len) && vals[0].v.is_nil() {
            self.at = node;
            let cause = Error::msg(if vals[0].iface {
                "len of nil pointer"
            } else {
                "reflect: call of reflect.Value.Type on zero Value"
            });
            return Err(self.error_with(format!("error calling len: {cause}"), Some(Arc::new(cause))));
        }
        let argv: Vec<Value> = vals.into_iter().map(|v| v.v).collect();
        let mut ctx = CallContext { set: self.set, overlay: self.overlay, depth: self.depth };
        // Functions may execute templates in turn (include, tpl): grow the stack here too.
        let result = crate::stack::maybe_grow(256 * 1024, 4 * 1024 * 1024, || (fun.imp)(&mut ctx, &argv));
        match result {
            Ok(v) => Ok(Val::plain(v)),
            Err(e) => {
                self.at = node;
                let detail = format!("error calling {name}: {e}");
                Err(self.error_with(detail, Some(Arc::new(e))))
            }
        }
    }

    /// The builtin `call`: no value in this engine is a function, so it can
    /// only report what Go reports for non-functions.
    fn eval_builtin_call(&mut self, dot: &Val, node: At<'t>, args: &'t [Arg], fin: Option<Val>) -> R<Val> {
        let callee = match args.first() {
            Some(a) => Some((a.to_string(), self.eval_arg(dot, Some(Type::Reflect), a)?.v)),
            None => fin.map(|f| (String::new(), f.v)),
        };
        self.at = node;
        let detail = match callee {
            Some((_, Value::Nil)) | None => "error calling call: call of nil".to_string(),
            Some((name, v)) => format!("error calling call: non-function {name} of type {}", v.type_name()),
        };
        Err(self.errorf(detail))
    }

    /// Go's `validateType`: the value must be assignable to the parameter.
    fn validate_type(&self, value: Val, typ: Option<Type>) -> R<Val> {
        let Some(typ) = typ else { return Ok(value) };
        if value.is_invalid() {
            if typ.can_be_nil() {
                return Ok(Val::plain(typ.zero()));
            }
            return Err(self.errorf(format!("invalid value; expected {}", typ.go_name())));
        }
        if value.iface && !matches!(typ, Type::Any | Type::Reflect) {
            if !value.v.is_nil() && typ.accepts(&value.v) {
                return Ok(value.unwrapped());
            }
            let got = if value.v.is_nil() { "interface {}".into() } else { value.v.type_name().into_owned() };
            return Err(self.errorf(format!("wrong type for value; expected {}; got {got}", typ.go_name())));
        }
        if !typ.accepts(&value.v) {
            return Err(self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                typ.go_name(),
                value.v.type_name()
            )));
        }
        Ok(value)
    }

    fn eval_arg(&mut self, dot: &Val, typ: Option<Type>, n: &'t Arg) -> R<Val> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                let t = typ.unwrap_or(Type::Any);
                if t.can_be_nil() {
                    return Ok(Val::plain(t.zero()));
                }
                return Err(self.errorf(format!("cannot assign nil to {}", t.go_name())));
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(dot, dot.clone(), n, idents, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable { .. } => {
                let v = self.eval_variable_node(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = crate::stack::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.eval_pipeline(dot, p))?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, n, name, At::Arg(n), None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain_node(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        let Some(typ) = typ else { return self.eval_empty_interface(dot, n) };
        match typ {
            Type::Bool => match n {
                Arg::Bool { value, .. } => Ok(Val::plain(Value::Bool(*value))),
                _ => Err(self.errorf(format!("expected bool; found {n}"))),
            },
            Type::String => match n {
                Arg::String { text, .. } => Ok(Val::plain(Value::Str(text.clone()))),
                _ => Err(self.errorf(format!("expected string; found {n}"))),
            },
            Type::Int | Type::Int64 => match n {
                Arg::Number { number, .. } if number.is_int => {
                    Ok(Val::plain(if typ == Type::Int { Value::Int(number.int64) } else { Value::Int64(number.int64) }))
                }
                _ => Err(self.errorf(format!("expected integer; found {n}"))),
            },
            Type::Uint8 => match n {
                Arg::Number { number, .. } if number.is_uint => Ok(Val::plain(Value::Uint8(number.uint64 as u8))),
                _ => Err(self.errorf(format!("expected unsigned integer; found {n}"))),
            },
            Type::Float64 => match n {
                Arg::Number { number, .. } if number.is_float => Ok(Val::plain(Value::Float(number.float64))),
                _ => Err(self.errorf(format!("expected float; found {n}"))),
            },
            Type::Any | Type::Reflect => self.eval_empty_interface(dot, n),
            _ => Err(self.errorf(format!("can't handle {n} for arg of type {}", typ.go_name()))),
        }
    }

    fn eval_empty_interface(&mut self, dot: &Val, n: &'t Arg) -> R<Val> {
        self.at = At::Arg(n);
        match n {
            Arg::Bool { value, .. } => Ok(Val::plain(Value::Bool(*value))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Number { number, .. } => self.ideal_constant(n, number),
            Arg::String { text, .. } => Ok(Val::plain(Value::Str(text.clone()))),
            Arg::Nil { .. } => Err(self.errorf("evalEmptyInterface: nil (can't happen)")),
            other => self.eval_arg(dot, None, other),
        }
    }

    fn print_value(&mut self, node: &'t Node, val: &Val, out: &mut String) {
        self.at = At::Node(node);
        if val.v.is_nil() {
            out.push_str("<no value>");
        } else if let Value::Object(o) = &val.v {
            o.format_printed(out);
        } else {
            crate::fmt::write_value(out, &val.v);
        }
    }
}
