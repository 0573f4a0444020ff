//! Go's `regexp/syntax` parser (Perl flags, as `regexp.Compile` uses it),
//! producing a `regex_syntax` HIR with Go's meaning.
//!
//! Parsing follows Go's order of checks so that an invalid pattern fails
//! with Go's error text (`error parsing regexp: missing closing ): `(``),
//! and the HIR spells out Go's semantics explicitly instead of relying on
//! Rust's syntax, whose defaults differ:
//!
//! - `\d \s \w`, `\b \B` and POSIX classes are ASCII-only in Go (Rust's are
//!   Unicode-aware): they become explicit ranges and ASCII word boundaries.
//! - Character classes are computed as Go computes them: each item is case
//!   folded under `(?i)`, negated items are negated after folding, and the
//!   class is negated last. Rust's nested-class and set-operation syntax
//!   (`[a&&b]`, `[[a]]`) does not exist in Go, where `[[a]]` is the class
//!   `[[a]` followed by a literal `]`.
//! - Escapes Go accepts and Rust reads differently (`\<` is a literal `<`
//!   in Go and a word boundary in Rust) and Go-only syntax (`\Q...\E`,
//!   octal `\123`) become plain literals.
//! - Flags are resolved per node (`(?U)` swaps greediness at each
//!   repetition), so no flag syntax reaches Rust.
//! - Unicode names use Go's loose matching and Go's set of names (general
//!   categories and their aliases, scripts, `Any`, `Assigned`, `ASCII`);
//!   names only Rust knows (`\p{Emoji}`) are errors, as in Go.
//! - Capture groups are all emitted unnamed: Go allows names Rust rejects
//!   (`(?P<1>x)`, duplicates). The Go names are kept beside the regex for
//!   `${name}` expansion.
//!
//! Known limits: Go 1.27 has Unicode 17 tables while `regex-syntax` has
//! Unicode 16, so characters first assigned in Unicode 17 are not in
//! `\p{L}` and the like, and the scripts new in Unicode 17 (`Beria_Erfe`,
//! `Sidetic`, `Tai_Yo`, `Tolong_Siki`) are accepted but match nothing. Go's
//! limit on the total number of runes in character classes (32M) is not
//! reproduced.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, Look, Repetition};

/// A parsed pattern: the HIR and Go's subexpression names (`""` for an
/// unnamed group; index 0 is the whole match).
pub(super) struct Parsed {
    pub hir: Hir,
    pub names: Vec<String>,
    /// Go's height of the parse tree (at most 1000).
    pub height: usize,
}

/// Go's `maxRepeat`: the largest count, and the largest product of nested counts.
const MAX_REPEAT: u32 = 1000;
/// Go's `maxSize`: 128 MB of 40-byte instructions.
const MAX_SIZE: u64 = (128 << 20) / 40;
/// Go's `maxHeight`.
const MAX_HEIGHT: usize = 1000;
const MAX_RUNE: u32 = 0x10FFFF;

#[derive(Clone, Copy, Default)]
struct Flags {
    fold: bool,
    /// `(?m)`: `^`/`$` match at line boundaries (Go's OneLine cleared).
    multi_line: bool,
    dot_nl: bool,
    non_greedy: bool,
}

/// A node of the parse tree, with Go's flags already applied. Composite
/// nodes carry their Go size and height, so that the limits are checked
/// as the tree grows (as Go does) without walking it again.
enum Node {
    Empty,
    /// One rune (a `u32`: Go runes may be surrogates, which match nothing).
    Lit(u32, bool),
    Class(ClassUnicode),
    Look(Look),
    Capture(u32, Box<Node>, Meta),
    Rep(Rep, Meta),
    Concat(Vec<Node>, Meta),
    Alt(Vec<Node>, Meta),
}

/// A repetition; `counted` tells `x{n,m}` (Go's OpRepeat) from `*`, `+`, `?`.
struct Rep {
    min: u32,
    max: Option<u32>,
    greedy: bool,
    counted: bool,
    sub: Box<Node>,
}

/// Go's `calcSize` and `calcHeight` of a node.
#[derive(Clone, Copy)]
struct Meta {
    size: u64,
    height: usize,
}

impl Node {
    fn size(&self) -> u64 {
        match self {
            Node::Capture(.., m) | Node::Rep(_, m) | Node::Concat(_, m) | Node::Alt(_, m) => m.size,
            _ => 1,
        }
    }

    fn height(&self) -> usize {
        match self {
            Node::Capture(.., m) | Node::Rep(_, m) | Node::Concat(_, m) | Node::Alt(_, m) => m.height,
            _ => 1,
        }
    }

    fn capture(index: u32, sub: Node) -> Node {
        let meta = Meta { size: sub.size().saturating_add(2), height: sub.height() + 1 };
        Node::Capture(index, Box::new(sub), meta)
    }

    fn rep(rep: Rep) -> Node {
        let sub = rep.sub.size();
        let size = match (rep.counted, rep.max) {
            (_, None) if rep.min == 0 => 2 + sub,
            (false, _) => 1 + sub,
            (true, None) => 1u64.saturating_add(u64::from(rep.min).saturating_mul(sub)),
            (true, Some(max)) => u64::from(max).saturating_mul(sub).saturating_add(u64::from(max - rep.min)),
        };
        let height = rep.sub.height() + 1;
        Node::Rep(rep, Meta { size: size.max(1), height })
    }

    /// A concatenation or alternation (`alt`) of `subs`, with nested ones
    /// of the same kind merged in, as Go's `collapse` does.
    fn collapse(subs: Vec<Node>, alt: bool) -> Node {
        let mut flat = Vec::with_capacity(subs.len());
        for sub in subs {
            match sub {
                Node::Concat(inner, _) if !alt => flat.extend(inner),
                Node::Alt(inner, _) if alt => flat.extend(inner),
                other => flat.push(other),
            }
        }
        if flat.len() == 1 {
            return flat.pop().unwrap_or(Node::Empty);
        }
        let mut size = flat.iter().map(Node::size).fold(0u64, u64::saturating_add);
        if alt {
            size = size.saturating_add(flat.len() as u64 - 1);
        }
        // Go keeps a run of literal runes as one string node, and an
        // alternation of runes and classes as one class.
        let leaf = |n: &Node| matches!(n, Node::Lit(..)) || (alt && matches!(n, Node::Class(_)));
        let height = if flat.iter().all(leaf) { 1 } else { 1 + flat.iter().map(Node::height).max().unwrap_or(0) };
        let meta = Meta { size: size.max(1), height };
        if alt {
            Node::Alt(flat, meta)
        } else {
            Node::Concat(flat, meta)
        }
    }
}

/// A Go syntax error: its code and the offending text.
fn error(code: &str, expr: &str) -> String {
    format!("error parsing regexp: {code}: `{expr}`")
}

const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_RANGE: &str = "invalid character class range";

/// An open group on the parse stack.
struct Frame {
    /// The capture index, for a capturing group.
    cap: Option<u32>,
    /// The flags to restore when the group closes.
    saved: Flags,
    alts: Vec<Vec<Node>>,
    cur: Vec<Node>,
}

impl Frame {
    fn new(cap: Option<u32>, saved: Flags) -> Frame {
        Frame { cap, saved, alts: Vec::new(), cur: Vec::new() }
    }

    /// The group's content: its alternatives, each a concatenation.
    fn finish(mut self) -> Node {
        self.alts.push(self.cur);
        let alts: Vec<Node> = self
            .alts
            .into_iter()
            .map(|seq| if seq.is_empty() { Node::Empty } else { Node::collapse(seq, false) })
            .collect();
        Node::collapse(alts, true)
    }
}

struct Parser<'a> {
    whole: &'a str,
    flags: Flags,
    stack: Vec<Frame>,
    num_cap: u32,
    names: Vec<String>,
}

/// Parses `pattern` with Go's `regexp.Compile` rules.
pub(super) fn parse(pattern: &str) -> Result<Parsed, String> {
    let mut p = Parser {
        whole: pattern,
        flags: Flags::default(),
        stack: vec![Frame::new(None, Flags::default())],
        num_cap: 0,
        names: vec![String::new()],
    };
    let mut t = pattern;
    let mut last_repeat = "";
    while !t.is_empty() {
        let mut repeat = "";
        t = match t.as_bytes()[0] {
            b'(' => p.open_paren(t)?,
            b'|' => {
                let frame = p.top();
                frame.alts.push(std::mem::take(&mut frame.cur));
                &t[1..]
            }
            b')' => {
                p.close_paren()?;
                &t[1..]
            }
            b'^' => {
                p.push(Node::Look(if p.flags.multi_line { Look::StartLF } else { Look::Start }));
                &t[1..]
            }
            b'$' => {
                p.push(Node::Look(if p.flags.multi_line { Look::EndLF } else { Look::End }));
                &t[1..]
            }
            b'.' => {
                let mut class = ClassUnicode::new([ClassUnicodeRange::new('\0', char::MAX)]);
                if !p.flags.dot_nl {
                    class.difference(&ClassUnicode::new([ClassUnicodeRange::new('\n', '\n')]));
                }
                p.push(Node::Class(class));
                &t[1..]
            }
            b'[' => p.parse_class(t)?,
            b'*' | b'+' | b'?' => {
                let (min, max) = match t.as_bytes()[0] {
                    b'*' => (0, None),
                    b'+' => (1, None),
                    _ => (0, Some(1)),
                };
                let after = p.repeat(min, max, false, t, &t[1..], last_repeat)?;
                repeat = t;
                after
            }
            b'{' => match parse_repeat(t) {
                // Not a valid repetition: `{` is a literal.
                None => {
                    p.literal(u32::from('{'));
                    &t[1..]
                }
                Some((min, max, after)) => {
                    let too_big = |n: i64| n > i64::from(MAX_REPEAT);
                    if min < 0 || too_big(min) || too_big(max) || (max >= 0 && min > max) {
                        return Err(error("invalid repeat count", &t[..t.len() - after.len()]));
                    }
                    let max = u32::try_from(max).ok();
                    let after = p.repeat(min as u32, max, true, t, after, last_repeat)?;
                    repeat = t;
                    after
                }
            },
            b'\\' => p.parse_backslash(t)?,
            _ => {
                let c = first_char(t);
                p.literal(u32::from(c));
                &t[c.len_utf8()..]
            }
        };
        last_repeat = repeat;
    }
    if p.stack.len() != 1 {
        return Err(error("missing closing )", pattern));
    }
    let root = p.stack.pop().map(Frame::finish).unwrap_or(Node::Empty);
    check_limits(&root, pattern)?;
    let height = root.height();
    Ok(Parsed { hir: to_hir(root), names: p.names, height })
}

fn first_char(t: &str) -> char {
    t.chars().next().unwrap_or('\u{FFFD}')
}

impl<'a> Parser<'a> {
    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped while parsing.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn push(&mut self, node: Node) {
        self.top().cur.push(node);
    }

    fn literal(&mut self, r: u32) {
        let fold = self.flags.fold;
        self.push(Node::Lit(r, fold));
    }

    /// `(`: a capture, a named capture, a non-capturing group or flags.
    fn open_paren(&mut self, t: &'a str) -> Result<&'a str, String> {
        if t.len() >= 2 && t.as_bytes()[1] == b'?' {
            return self.parse_perl_flags(t);
        }
        self.num_cap += 1;
        self.names.push(String::new());
        let frame = Frame::new(Some(self.num_cap), self.flags);
        self.stack.push(frame);
        Ok(&t[1..])
    }

    fn close_paren(&mut self) -> Result<(), String> {
        if self.stack.len() < 2 {
            return Err(error("unexpected )", self.whole));
        }
        let frame = self.stack.pop().ok_or_else(|| error("unexpected )", self.whole))?;
        self.flags = frame.saved;
        let cap = frame.cap;
        let inner = frame.finish();
        let node = match cap {
            Some(index) => Node::capture(index, inner),
            None => inner,
        };
        check_limits(&node, self.whole)?;
        self.push(node);
        Ok(())
    }

    /// `(?P<name>`, `(?<name>`, `(?flags)`, `(?flags:`.
    fn parse_perl_flags(&mut self, s: &'a str) -> Result<&'a str, String> {
        let b = s.as_bytes();
        let starts_with_p = b.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_with_name = b.len() > 3 && b[2] == b'<';
        if starts_with_p || starts_with_name {
            let name_start = if starts_with_p { 4 } else { 3 };
            let Some(end) = s.find('>') else {
                return Err(error("invalid named capture", s));
            };
            let name = &s[name_start..end];
            if name.is_empty() || !name.bytes().all(|c| c == b'_' || c.is_ascii_alphanumeric()) {
                return Err(error("invalid named capture", &s[..end + 1]));
            }
            self.num_cap += 1;
            self.names.push(name.to_string());
            let frame = Frame::new(Some(self.num_cap), self.flags);
            self.stack.push(frame);
            return Ok(&s[end + 1..]);
        }
        let mut flags = self.flags;
        let mut negated = false;
        let mut saw_flag = false;
        let mut t = &s[2..];
        while let Some(c) = t.chars().next() {
            t = &t[c.len_utf8()..];
            let on = !negated;
            match c {
                'i' => flags.fold = on,
                'm' => flags.multi_line = on,
                's' => flags.dot_nl = on,
                'U' => flags.non_greedy = on,
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                    continue;
                }
                // `(?-)` and `(?i-:` need a flag after the `-`.
                ':' | ')' if !negated || saw_flag => {
                    if c == ':' {
                        let frame = Frame::new(None, self.flags);
                        self.stack.push(frame);
                    }
                    self.flags = flags;
                    return Ok(t);
                }
                _ => break,
            }
            saw_flag = true;
        }
        Err(error("invalid or unsupported Perl syntax", &s[..s.len() - t.len()]))
    }

    /// Applies `*`, `+`, `?` or `{n,m}` (text `before`, which ends where
    /// `after` starts) to the last node.
    fn repeat(
        &mut self,
        min: u32,
        max: Option<u32>,
        counted: bool,
        before: &'a str,
        mut after: &'a str,
        last_repeat: &'a str,
    ) -> Result<&'a str, String> {
        let mut non_greedy = self.flags.non_greedy;
        if after.starts_with('?') {
            after = &after[1..];
            non_greedy = !non_greedy;
        }
        if !last_repeat.is_empty() {
            // `a**` is an error in Perl syntax, not a doubled star.
            return Err(error("invalid nested repetition operator", &last_repeat[..last_repeat.len() - after.len()]));
        }
        let op_text = &before[..before.len() - after.len()];
        let Some(sub) = self.top().cur.pop() else {
            return Err(error("missing argument to repetition operator", op_text));
        };
        let node = Node::rep(Rep { min, max, greedy: !non_greedy, counted, sub: Box::new(sub) });
        check_limits(&node, self.whole)?;
        if counted && (min >= 2 || max.is_some_and(|m| m >= 2)) && !repeat_is_valid(&node, MAX_REPEAT) {
            return Err(error("invalid repeat count", op_text));
        }
        self.push(node);
        Ok(after)
    }

    /// A backslash outside a class: an assertion, `\Q...\E`, a Unicode or
    /// Perl class, or an escaped rune.
    fn parse_backslash(&mut self, t: &'a str) -> Result<&'a str, String> {
        let b = t.as_bytes();
        if b.len() >= 2 {
            let look = match b[1] {
                b'A' => Some(Look::Start),
                b'z' => Some(Look::End),
                b'b' => Some(Look::WordAscii),
                b'B' => Some(Look::WordAsciiNegate),
                _ => None,
            };
            if let Some(look) = look {
                self.push(Node::Look(look));
                return Ok(&t[2..]);
            }
            match b[1] {
                // Any byte: not supported by Go.
                b'C' => return Err(error(INVALID_ESCAPE, &t[..2])),
                b'Q' => {
                    let body = &t[2..];
                    let (lit, rest) = match body.find("\\E") {
                        Some(i) => (&body[..i], &body[i + 2..]),
                        None => (body, ""),
                    };
                    for c in lit.chars() {
                        self.literal(u32::from(c));
                    }
                    return Ok(rest);
                }
                b'p' | b'P' => {
                    let (class, rest) = parse_unicode_class(t, self.flags.fold)?;
                    self.push(Node::Class(class));
                    return Ok(rest);
                }
                _ => {}
            }
            if let Some((class, rest)) = perl_class(t, self.flags.fold) {
                self.push(Node::Class(class));
                return Ok(rest);
            }
        }
        let (r, rest) = parse_escape(t)?;
        self.literal(r);
        Ok(rest)
    }

    /// A bracketed class, `[...]` or `[^...]`.
    fn parse_class(&mut self, s: &'a str) -> Result<&'a str, String> {
        let fold = self.flags.fold;
        let mut t = &s[1..];
        let negated = t.starts_with('^');
        if negated {
            t = &t[1..];
        }
        let mut class = ClassUnicode::empty();
        let mut first = true;
        while t.is_empty() || !t.starts_with(']') || first {
            first = false;
            if t.len() > 2 && t.starts_with("[:") {
                if let Some((item, rest)) = parse_named_class(t, fold)? {
                    class.union(&item);
                    t = rest;
                    continue;
                }
            }
            if t.len() >= 2 && t.starts_with('\\') && matches!(t.as_bytes()[1], b'p' | b'P') {
                let (item, rest) = parse_unicode_class(t, fold)?;
                class.union(&item);
                t = rest;
                continue;
            }
            if let Some((item, rest)) = perl_class(t, fold) {
                class.union(&item);
                t = rest;
                continue;
            }
            let range_text = t;
            let (lo, rest) = parse_class_char(t, s)?;
            t = rest;
            let mut hi = lo;
            // `[a-]` is `a` or `-`.
            if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
                let (h, rest) = parse_class_char(&t[1..], s)?;
                t = rest;
                if h < lo {
                    return Err(error(INVALID_RANGE, &range_text[..range_text.len() - t.len()]));
                }
                hi = h;
            }
            class.union(&rune_range(lo, hi, fold));
        }
        if negated {
            class.negate();
        }
        self.push(Node::Class(class));
        Ok(&t[1..])
    }
}

/// `parseRepeat`: `{n}`, `{n,}` or `{n,m}` as (min, max, rest), with max
/// -1 for no upper bound and min -1 when a count is too large. `None` when
/// the text is not of that form (the `{` is then a literal).
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (mut min, s) = parse_int(s)?;
    let (max, s) = match s.strip_prefix(',') {
        None => (min, s),
        Some(rest) if rest.starts_with('}') => (-1, rest),
        Some(rest) => {
            let (max, rest) = parse_int(rest)?;
            if max < 0 {
                min = -1;
            }
            (max, rest)
        }
    };
    Some((min, max, s.strip_prefix('}')?))
}

/// `parseInt`: decimal digits without a leading zero; -1 when the value
/// reaches 1e8.
fn parse_int(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits >= 2 && s.starts_with('0')) {
        return None;
    }
    let mut n: i64 = 0;
    for c in s[..digits].bytes() {
        if n >= 100_000_000 {
            n = -1;
            break;
        }
        n = n * 10 + i64::from(c - b'0');
    }
    Some((n, &s[digits..]))
}

/// `parseEscape`: the rune an escape sequence at the start of `s` stands for.
fn parse_escape(s: &str) -> Result<(u32, &str), String> {
    let t = &s[1..];
    let Some(c) = t.chars().next() else {
        return Err(error("trailing backslash at end of expression", ""));
    };
    let mut t = &t[c.len_utf8()..];
    let invalid = |rest: &str| error(INVALID_ESCAPE, &s[..s.len() - rest.len()]);
    let octal = |b: Option<&u8>| b.is_some_and(|b| (b'0'..=b'7').contains(b));
    match c {
        // Escaped punctuation is itself (Go also allows `\_`).
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((u32::from(c), t)),
        // `\1`...`\7` alone would be backreferences, which Go rejects.
        '1'..='7' if !octal(t.as_bytes().first()) => Err(invalid(t)),
        '0'..='7' => {
            let mut r = u32::from(c) - u32::from('0');
            for _ in 1..3 {
                if !octal(t.as_bytes().first()) {
                    break;
                }
                r = r * 8 + u32::from(t.as_bytes()[0] - b'0');
                t = &t[1..];
            }
            Ok((r, t))
        }
        'x' => parse_hex_escape(s, t),
        'a' => Ok((7, t)),
        'f' => Ok((12, t)),
        'n' => Ok((10, t)),
        'r' => Ok((13, t)),
        't' => Ok((9, t)),
        'v' => Ok((11, t)),
        _ => Err(invalid(t)),
    }
}

/// `\xFF` or `\x{10FFFF}`; `s` starts at the backslash, `t` after the `x`.
fn parse_hex_escape<'s>(s: &'s str, mut t: &'s str) -> Result<(u32, &'s str), String> {
    let invalid = |rest: &str| error(INVALID_ESCAPE, &s[..s.len() - rest.len()]);
    let Some(c) = t.chars().next() else { return Err(invalid(t)) };
    t = &t[c.len_utf8()..];
    if c == '{' {
        let mut r: u32 = 0;
        let mut nhex = 0;
        loop {
            let Some(c) = t.chars().next() else { return Err(invalid(t)) };
            t = &t[c.len_utf8()..];
            if c == '}' {
                break;
            }
            let Some(v) = c.to_digit(16) else { return Err(invalid(t)) };
            r = r * 16 + v;
            if r > MAX_RUNE {
                return Err(invalid(t));
            }
            nhex += 1;
        }
        if nhex == 0 {
            return Err(invalid(t));
        }
        return Ok((r, t));
    }
    let x = c.to_digit(16);
    let next = t.chars().next();
    if let Some(n) = next {
        t = &t[n.len_utf8()..];
    }
    match (x, next.and_then(|n| n.to_digit(16))) {
        (Some(x), Some(y)) => Ok((x * 16 + y, t)),
        _ => Err(invalid(t)),
    }
}

/// `parseClassChar`: one (possibly escaped) rune inside a class. `whole`
/// is the class text from its `[`, for the missing-bracket error.
fn parse_class_char<'s>(s: &'s str, whole: &str) -> Result<(u32, &'s str), String> {
    match s.chars().next() {
        None => Err(error("missing closing ]", whole)),
        Some('\\') => parse_escape(s),
        Some(c) => Ok((u32::from(c), &s[c.len_utf8()..])),
    }
}

/// The class of runes `lo..=hi`, case folded under `(?i)`. Surrogate code
/// points, which Go accepts in escapes but can never match, are left out.
fn rune_range(lo: u32, hi: u32, fold: bool) -> ClassUnicode {
    let mut ranges = Vec::new();
    let mut push = |a: u32, b: u32| {
        if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) {
            if a <= b {
                ranges.push(ClassUnicodeRange::new(a, b));
            }
        }
    };
    if hi < 0xD800 || lo > 0xDFFF {
        push(lo, hi);
    } else {
        if lo < 0xD800 {
            push(lo, 0xD7FF);
        }
        if hi > 0xDFFF {
            push(0xE000, hi);
        }
    }
    let mut class = ClassUnicode::new(ranges);
    if fold {
        class.case_fold_simple();
    }
    class
}

fn ascii_class(ranges: &[(char, char)]) -> ClassUnicode {
    ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
}

/// A Perl or POSIX group: folded under `(?i)`, then negated if need be.
fn group(ranges: &[(char, char)], negated: bool, fold: bool) -> ClassUnicode {
    let mut class = ascii_class(ranges);
    if fold {
        class.case_fold_simple();
    }
    if negated {
        class.negate();
    }
    class
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const SPACE_PERL: &[(char, char)] = &[('\t', '\n'), ('\x0C', '\r'), (' ', ' ')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

/// `\d \D \s \S \w \W`: ASCII-only in Go (`\s` has no `\v`).
fn perl_class(t: &str, fold: bool) -> Option<(ClassUnicode, &str)> {
    let b = t.as_bytes();
    if b.len() < 2 || b[0] != b'\\' {
        return None;
    }
    let ranges = match b[1].to_ascii_lowercase() {
        b'd' => DIGIT,
        b's' => SPACE_PERL,
        b'w' => WORD,
        _ => return None,
    };
    Some((group(ranges, b[1].is_ascii_uppercase(), fold), &t[2..]))
}

/// `[:alpha:]`, `[:^alpha:]`... inside a class. `Ok(None)` when there is
/// no closing `:]` (the text is then read as ordinary class characters).
fn parse_named_class(s: &str, fold: bool) -> Result<Option<(ClassUnicode, &str)>, String> {
    let Some(i) = s[2..].find(":]") else { return Ok(None) };
    let name = &s[..i + 4];
    let rest = &s[i + 4..];
    let (negated, bare) = match name[2..name.len() - 2].strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, &name[2..name.len() - 2]),
    };
    let ranges: &[(char, char)] = match bare {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\x7F')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\x1F'), ('\x7F', '\x7F')],
        "digit" => DIGIT,
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => WORD,
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return Err(error(INVALID_RANGE, name)),
    };
    Ok(Some((group(ranges, negated, fold), rest)))
}

/// `\pL`, `\p{Greek}`, `\P{L}`, `\p{^L}`: Go's Unicode classes, folded
/// under `(?i)` before any negation.
fn parse_unicode_class(s: &str, fold: bool) -> Result<(ClassUnicode, &str), String> {
    let mut negated = s.as_bytes()[1] == b'P';
    let t = &s[2..];
    let (seq, mut name, rest) = match t.chars().next() {
        Some('{') => {
            let Some(end) = s.find('}') else { return Err(error(INVALID_RANGE, s)) };
            (&s[..end + 1], &s[3..end], &s[end + 1..])
        }
        // A one-letter name; `\p` at the very end has an empty one.
        Some(c) => (&s[..2 + c.len_utf8()], &t[..c.len_utf8()], &t[c.len_utf8()..]),
        None => (s, "", ""),
    };
    if let Some(n) = name.strip_prefix('^') {
        negated = !negated;
        name = n;
    }
    let Some(mut class) = unicode_table(name) else {
        return Err(error(INVALID_RANGE, seq));
    };
    if fold {
        class.case_fold_simple();
    }
    if negated {
        class.negate();
    }
    Ok((class, rest))
}

/// Go's `canonicalName`: separators (`_ - space`) dropped, the first
/// letter upper case and the rest lower case.
fn canonical_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().filter(|c| !matches!(c, '_' | '-' | ' ')) {
        if out.is_empty() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The general categories Go knows (`unicode.Categories`, plus `LC`).
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl",
    "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
];

/// Unicode's long names of the general categories (`unicode.CategoryAliases`).
const CATEGORY_ALIASES: &[(&str, &str)] = &[
    ("Other", "C"),
    ("Control", "Cc"),
    ("cntrl", "Cc"),
    ("Format", "Cf"),
    ("Unassigned", "Cn"),
    ("Private_Use", "Co"),
    ("Surrogate", "Cs"),
    ("Letter", "L"),
    ("Cased_Letter", "LC"),
    ("Lowercase_Letter", "Ll"),
    ("Modifier_Letter", "Lm"),
    ("Other_Letter", "Lo"),
    ("Titlecase_Letter", "Lt"),
    ("Uppercase_Letter", "Lu"),
    ("Mark", "M"),
    ("Combining_Mark", "M"),
    ("Spacing_Mark", "Mc"),
    ("Enclosing_Mark", "Me"),
    ("Nonspacing_Mark", "Mn"),
    ("Number", "N"),
    ("Decimal_Number", "Nd"),
    ("digit", "Nd"),
    ("Letter_Number", "Nl"),
    ("Other_Number", "No"),
    ("Punctuation", "P"),
    ("punct", "P"),
    ("Connector_Punctuation", "Pc"),
    ("Dash_Punctuation", "Pd"),
    ("Close_Punctuation", "Pe"),
    ("Final_Punctuation", "Pf"),
    ("Initial_Punctuation", "Pi"),
    ("Other_Punctuation", "Po"),
    ("Open_Punctuation", "Ps"),
    ("Symbol", "S"),
    ("Currency_Symbol", "Sc"),
    ("Modifier_Symbol", "Sk"),
    ("Math_Symbol", "Sm"),
    ("Other_Symbol", "So"),
    ("Separator", "Z"),
    ("Line_Separator", "Zl"),
    ("Paragraph_Separator", "Zp"),
    ("Space_Separator", "Zs"),
];

/// Go's `unicode.Scripts` (Unicode 17). The last four are new in Unicode
/// 17 and unknown to `regex-syntax`: they match nothing here.
const SCRIPTS: &[&str] = &[
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cypro_Minoan",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Garay",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Gurung_Khema",
    "Han",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kawi",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Kirat_Rai",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nag_Mundari",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Ol_Onal",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Old_Uyghur",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Sunuwar",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Todhri",
    "Toto",
    "Tulu_Tigalari",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
    "Beria_Erfe",
    "Sidetic",
    "Tai_Yo",
    "Tolong_Siki",
];

const UNICODE_17_SCRIPTS: &[&str] = &["Beria_Erfe", "Sidetic", "Tai_Yo", "Tolong_Siki"];

/// The class a Go Unicode name stands for, looked up as Go 1.27 does:
/// `Any`, `Assigned`, `ASCII` and `LC`, then categories, scripts and the
/// categories' long names, all by canonical name.
fn unicode_table(name: &str) -> Option<ClassUnicode> {
    let canon = canonical_name(name);
    let rust_name =
        match canon.as_str() {
            "Any" => "Any",
            "Assigned" => "Assigned",
            "Ascii" => "ASCII",
            "Lc" => "LC",
            _ => CATEGORIES.iter().chain(SCRIPTS).find(|n| canonical_name(n) == canon).copied().or_else(|| {
                CATEGORY_ALIASES.iter().find(|(alias, _)| canonical_name(alias) == canon).map(|(_, c)| *c)
            })?,
        };
    // Surrogates never occur in valid UTF-8; Rust has no class for them.
    if rust_name == "Cs" || UNICODE_17_SCRIPTS.contains(&rust_name) {
        return Some(ClassUnicode::empty());
    }
    match regex_syntax::parse(&format!("\\p{{{rust_name}}}")).map(Hir::into_kind) {
        Ok(regex_syntax::hir::HirKind::Class(Class::Unicode(class))) => Some(class),
        _ => Some(ClassUnicode::empty()),
    }
}

/// Go's `repeatIsValid`: nested counted repetitions may not multiply to
/// more than `n` copies.
fn repeat_is_valid(node: &Node, mut n: u32) -> bool {
    match node {
        Node::Rep(rep, _) => {
            if rep.counted {
                if rep.max == Some(0) {
                    return true;
                }
                let m = rep.max.unwrap_or(rep.min);
                if m > n {
                    return false;
                }
                n = n.checked_div(m).unwrap_or(n);
            }
            repeat_is_valid(&rep.sub, n)
        }
        Node::Capture(_, sub, _) => repeat_is_valid(sub, n),
        Node::Concat(subs, _) | Node::Alt(subs, _) => subs.iter().all(|s| repeat_is_valid(s, n)),
        _ => true,
    }
}

/// Go's limits on the compiled size and the height of the tree, checked
/// on each new composite node as Go checks each push.
fn check_limits(node: &Node, pattern: &str) -> Result<(), String> {
    if node.size() > MAX_SIZE {
        return Err(error("expression too large", pattern));
    }
    if node.height() > MAX_HEIGHT {
        return Err(error("expression nests too deeply", pattern));
    }
    Ok(())
}

fn to_hir(node: Node) -> Hir {
    match node {
        Node::Empty => Hir::empty(),
        Node::Lit(r, fold) => match char::from_u32(r) {
            Some(c) if !fold => Hir::literal(c.to_string().into_bytes()),
            _ => Hir::class(Class::Unicode(rune_range(r, r, fold))),
        },
        Node::Class(class) => Hir::class(Class::Unicode(class)),
        Node::Look(look) => Hir::look(look),
        Node::Capture(index, sub, _) => Hir::capture(Capture { index, name: None, sub: Box::new(to_hir(*sub)) }),
        Node::Rep(Rep { min, max, greedy, sub, .. }, _) => {
            Hir::repetition(Repetition { min, max, greedy, sub: Box::new(to_hir(*sub)) })
        }
        Node::Concat(subs, _) => Hir::concat(subs.into_iter().map(to_hir).collect()),
        Node::Alt(subs, _) => Hir::alternation(subs.into_iter().map(to_hir).collect()),
    }
}
