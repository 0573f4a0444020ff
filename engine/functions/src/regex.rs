//! Sprig's regular-expression functions (`regex.go`) with Go's `regexp`
//! semantics, on top of the `regex` crate.
//!
//! Go's and Rust's engines agree on matching (both RE2-like, leftmost-first),
//! but not on syntax, defaults or the APIs around matching. What is done
//! here to make Go's results win:
//!
//! - Patterns are parsed by our rendering of Go's `regexp/syntax` (see
//!   `syntax.rs`: ASCII `\d \s \w \b`, Go's classes, flags and Unicode names,
//!   Go's error texts), which hands the `regex` crate an equivalent pattern.
//! - `FindAll` and `Split` walk the text as Go does: an empty match right
//!   after the previous match is dropped, the search steps one rune past an
//!   empty match, `n < 0` means all and `n == 0` none; `Split` keeps Go's
//!   rules for leading empty matches and for `n` pieces.
//! - `ReplaceAll` uses Go's loop (an empty match abutting the previous
//!   match is not replaced) and Go's `Expand`: `$name` takes the longest
//!   run of letters, digits and `_` (`$1x` is the group named `1x`, hence
//!   empty), `${name}` delimits, `$$` is `$`, a `$` not followed by a name is
//!   kept, and numbers with a leading zero are names.
//! - Non-`must` functions that compile with `regexp.MustCompile` fail with
//!   Go's panic text, `regexp: Compile(`...`): error parsing regexp: ...`.
//!
//! Go returns nil slices where nothing matched (`regexFindAll`, `regexSplit`
//! with `n = 0`); our values have no nil `[]string`, so those are empty
//! lists (identical when printed; `toJson` would print `[]`, not `null`).
//!
//! Compiled patterns are cached: charts call these functions in loops.

mod syntax;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_automata::util::captures::Captures;
use regex_automata::{meta, Input};
use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, Hir, HirKind, Repetition};
use rhelm_template::strconv::quote;
use rhelm_template::{Error, FuncMap, FuncResult, Function, Type, Value};

use crate::conv::string_list;

/// A compiled Go regexp: its HIR, Go's subexpression names and the
/// engines built from it so far.
///
/// Engines are built on first use, one per kind of text, because building
/// them is most of what a template's regexp costs: a chart calls a few
/// patterns a few times each, on short ASCII strings. In Unicode mode a
/// negated class such as `[^a-z]` stands for every other rune and compiles
/// to a large UTF-8 automaton; restricted to ASCII it is one byte class,
/// and on ASCII text it matches exactly the same. Short texts need neither
/// the lazy DFA nor the one-pass DFA (the backtracker answers them), which
/// halves the build again; tiny ones need no literal prefilter either;
/// long texts get the full engine.
struct GoRegex {
    hir: Hir,
    /// Go's height of the parse tree: deep patterns are built on a stack
    /// of their own.
    height: usize,
    names: Vec<String>,
    /// Whether the Go pattern text is empty (Split treats it specially).
    empty_expr: bool,
    /// Indexed by [`EngineKind::index`].
    engines: [OnceLock<Result<meta::Regex, String>>; 6],
}

/// Which text an engine is built for.
#[derive(Clone, Copy)]
struct EngineKind {
    ascii: bool,
    size: TextSize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TextSize {
    /// Up to [`TINY_TEXT`] bytes: names, tags, versions.
    Tiny = 0,
    /// Up to [`SHORT_TEXT`] bytes.
    Short = 1,
    Long = 2,
}

/// Texts up to this length are matched by the backtracker or the PikeVM,
/// without a DFA.
const SHORT_TEXT: usize = 4096;

/// Texts up to this length are also matched without a literal prefilter:
/// building one can cost more than a thousand searches of such a text
/// (Teddy's for bitnami's `-r\d+$|sha256:` was 1% of a chart's render).
const TINY_TEXT: usize = 256;

impl EngineKind {
    fn of(text: &str) -> EngineKind {
        let size = match text.len() {
            n if n <= TINY_TEXT => TextSize::Tiny,
            n if n <= SHORT_TEXT => TextSize::Short,
            _ => TextSize::Long,
        };
        EngineKind { ascii: text.is_ascii(), size }
    }

    fn index(self) -> usize {
        usize::from(self.ascii) | (self.size as usize) << 1
    }
}

/// Patterns compiled so far, with their outcome (errors too). The cache is
/// emptied when it grows past `CACHE_LIMIT`, which only generated patterns
/// can cause.
static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
type Compiled = Result<Arc<GoRegex>, String>;
const CACHE_LIMIT: usize = 1024;

/// `regexp.Compile`: the error is Go's `*syntax.Error` text.
fn compile(pattern: &str) -> Result<Arc<GoRegex>, String> {
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return hit;
    }
    let compiled = compile_uncached(pattern);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(pattern.to_string(), compiled.clone());
    }
    compiled
}

fn compile_uncached(pattern: &str) -> Result<Arc<GoRegex>, String> {
    let parsed = syntax::parse(pattern)?;
    let re = GoRegex {
        hir: parsed.hir,
        height: parsed.height,
        names: parsed.names,
        empty_expr: pattern.is_empty(),
        engines: Default::default(),
    };
    // Go reports every error when compiling; the engine for the commonest
    // text is built now so that a failure to build (only a pattern too big
    // for memory) shows here too.
    re.engine_for(EngineKind { ascii: true, size: TextSize::Tiny }).map_err(|e| format!("{e}: `{pattern}`"))?;
    Ok(Arc::new(re))
}

/// `regexp.MustCompile`: the panic text, as a template function error.
fn must_compile(pattern: &str) -> Result<Arc<GoRegex>, Error> {
    compile(pattern).map_err(|e| Error::msg(format!("regexp: Compile({}): {e}", go_quote_expr(pattern))))
}

/// regexp's `quote`: backquoted when `strconv.CanBackquote` allows it.
fn go_quote_expr(s: &str) -> String {
    let can_backquote = s.chars().all(|c| !((c < ' ' && c != '\t') || c == '`' || c == '\u{7F}' || c == '\u{FEFF}'));
    if can_backquote {
        format!("`{s}`")
    } else {
        quote(s)
    }
}

/// `hir` for ASCII text: every class cut down to its ASCII members, as
/// bytes. On a text of ASCII bytes it matches where `hir` matches.
fn ascii_only(hir: &Hir) -> Hir {
    let ascii = |ranges: &mut dyn Iterator<Item = (u32, u32)>| {
        let bytes = ranges.filter(|&(a, _)| a <= 0x7F).map(|(a, b)| ClassBytesRange::new(a as u8, b.min(0x7F) as u8));
        Hir::class(Class::Bytes(ClassBytes::new(bytes)))
    };
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            ascii(&mut c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))))
        }
        HirKind::Class(Class::Bytes(c)) => {
            ascii(&mut c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition { sub: Box::new(ascii_only(&r.sub)), ..r.clone() }),
        HirKind::Capture(c) => Hir::capture(Capture { sub: Box::new(ascii_only(&c.sub)), ..c.clone() }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_only).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_only).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// The byte length of the rune at `pos` (0 at the end), as Go steps.
fn rune_width(s: &str, pos: usize) -> usize {
    s[pos..].chars().next().map_or(0, char::len_utf8)
}

/// The leftmost-first match in `s` at or after `pos`.
fn search(re: &meta::Regex, s: &str, pos: usize) -> Option<(usize, usize)> {
    re.search(&Input::new(s).range(pos..)).map(|m| (m.start(), m.end()))
}

impl GoRegex {
    /// The engine for `text`, built the first time such a text comes.
    fn engine(&self, text: &str) -> Result<&meta::Regex, Error> {
        self.engine_for(EngineKind::of(text)).map_err(|e| Error::msg(format!("regexp: {e}")))
    }

    fn engine_for(&self, kind: EngineKind) -> Result<&meta::Regex, String> {
        let built = self.engines[kind.index()].get_or_init(|| {
            let build = || {
                // Go's own limits (nesting 1000, 3.3M instructions) were
                // checked by the parser; none is added here.
                let mut config = meta::Config::new().nfa_size_limit(None).utf8_empty(!kind.ascii);
                if kind.size != TextSize::Long {
                    config = config.hybrid(false).onepass(false);
                }
                if kind.size == TextSize::Tiny {
                    config = config.auto_prefilter(false);
                }
                let mut builder = meta::Builder::new();
                builder.configure(config);
                if kind.ascii {
                    builder.build_from_hir(&ascii_only(&self.hir))
                } else {
                    builder.build_from_hir(&self.hir)
                }
                .map_err(|e| format!("error parsing regexp: {e}"))
            };
            // Building recurses once per nesting level, and Go allows a
            // thousand levels: deep patterns get a stack of their own.
            if self.height > 64 {
                rhelm_template::stack::grow(256 << 20, build)
            } else {
                build()
            }
        });
        built.as_ref().map_err(Clone::clone)
    }

    fn find_at(&self, s: &str, pos: usize) -> Result<Option<(usize, usize)>, Error> {
        Ok(search(self.engine(s)?, s, pos))
    }

    /// Go's `allMatches`: up to `n` match spans (`n < 0`: all of them).
    fn find_all(&self, s: &str, n: i64) -> Result<Vec<(usize, usize)>, Error> {
        let re = self.engine(s)?;
        let n = if n < 0 { s.len() as i64 + 1 } else { n };
        let mut out = Vec::new();
        let (mut pos, mut prev_end) = (0usize, None);
        while (out.len() as i64) < n && pos <= s.len() {
            let Some((start, end)) = search(re, s, pos) else { break };
            let mut accept = true;
            if end == pos {
                // An empty match right after the previous match is dropped.
                if Some(start) == prev_end {
                    accept = false;
                }
                let width = rune_width(s, pos);
                pos = if width > 0 { pos + width } else { s.len() + 1 };
            } else {
                pos = end;
            }
            prev_end = Some(end);
            if accept {
                out.push((start, end));
            }
        }
        Ok(out)
    }

    /// Go's `Split`.
    fn split<'s>(&self, s: &'s str, n: i64) -> Result<Vec<&'s str>, Error> {
        if n == 0 {
            return Ok(Vec::new());
        }
        if !self.empty_expr && s.is_empty() {
            return Ok(vec![""]);
        }
        let mut out = Vec::new();
        let (mut beg, mut end) = (0, 0);
        for (start, stop) in self.find_all(s, n)? {
            if n > 0 && out.len() as i64 == n - 1 {
                break;
            }
            end = start;
            // A match at the very start yields no leading empty piece.
            if stop != 0 {
                out.push(&s[beg..end]);
            }
            beg = stop;
        }
        if end != s.len() {
            out.push(&s[beg..]);
        }
        Ok(out)
    }

    /// Go's `replaceAll` loop; `repl` appends the replacement of one match
    /// given its capture locations.
    /// Groups are only located when `groups` is set (Go too only asks for
    /// them when the template has a `$`).
    fn replace_all(
        &self,
        s: &str,
        groups: bool,
        mut repl: impl FnMut(&mut String, &Captures),
    ) -> Result<String, Error> {
        let re = self.engine(s)?;
        let mut buf = String::with_capacity(s.len());
        let (mut last_end, mut from) = (0usize, 0usize);
        let mut caps = re.create_captures();
        while from <= s.len() {
            let found = if groups {
                re.search_captures(&Input::new(s).range(from..), &mut caps);
                caps.get_match().map(|m| (m.start(), m.end()))
            } else {
                search(re, s, from)
            };
            let Some((start, end)) = found else { break };
            buf.push_str(&s[last_end..start]);
            // No replacement for an empty match right after a match.
            if end > last_end || start == 0 {
                repl(&mut buf, &caps);
            }
            last_end = end;
            // Advance past the match, and by at least one rune.
            let width = rune_width(s, from);
            from = if from + width > end {
                from + width
            } else if from + 1 > end {
                from + 1
            } else {
                end
            };
        }
        buf.push_str(&s[last_end..]);
        Ok(buf)
    }

    /// Go's `Regexp.expand` of `template` for one match of `s`.
    fn expand(&self, out: &mut String, template: &str, s: &str, caps: &Captures) {
        let group = |i: usize| caps.get_group(i).map(|span| &s[span.start..span.end]);
        let mut t = template;
        while let Some(i) = t.find('$') {
            out.push_str(&t[..i]);
            t = &t[i + 1..];
            if let Some(rest) = t.strip_prefix('$') {
                out.push('$');
                t = rest;
                continue;
            }
            let Some((name, num, rest)) = extract(t) else {
                // Malformed: the `$` is kept as text.
                out.push('$');
                continue;
            };
            t = rest;
            let text = match num {
                Some(num) => group(num),
                // The first group of that name that took part in the match.
                None => self.names.iter().enumerate().filter(|(_, n)| *n == name).find_map(|(i, _)| group(i)),
            };
            out.push_str(text.unwrap_or(""));
        }
        out.push_str(t);
    }
}

/// Whether Go's `unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_'`.
fn is_name_char(c: char) -> bool {
    static CLASS: OnceLock<Option<ClassUnicode>> = OnceLock::new();
    let class = CLASS.get_or_init(|| match regex_syntax::parse(r"[\p{L}\p{Nd}_]").map(|h| h.into_kind()) {
        Ok(regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c))) => Some(c),
        _ => None,
    });
    match class {
        Some(class) => class
            .ranges()
            .binary_search_by(|r| {
                if r.end() < c {
                    std::cmp::Ordering::Less
                } else if r.start() > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok(),
        None => c.is_alphanumeric() || c == '_',
    }
}

/// Go's `extract`: the name after a `$` (braced or not), its group number
/// when it is one (no leading zeros, below 1e8), and the text after it.
fn extract(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body.chars().take_while(|&c| is_name_char(c)).map(char::len_utf8).sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if braced {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        num = match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => Some(n * 10 + usize::from(b - b'0')),
            _ => None,
        };
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

fn arg_str(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn arg_int(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n)) => *n,
        _ => 0,
    }
}

fn strings(items: Vec<&str>) -> Value {
    string_list(items.into_iter().map(Value::str).collect())
}

fn find_all(re: &GoRegex, s: &str, n: i64) -> FuncResult {
    Ok(strings(re.find_all(s, n)?.into_iter().map(|(a, b)| &s[a..b]).collect()))
}

fn find(re: &GoRegex, s: &str) -> FuncResult {
    Ok(Value::str(re.find_at(s, 0)?.map_or("", |(a, b)| &s[a..b])))
}

fn replace(re: &GoRegex, s: &str, repl: &str) -> FuncResult {
    if !repl.contains('$') {
        return replace_literal(re, s, repl);
    }
    Ok(Value::string(re.replace_all(s, true, |out, caps| re.expand(out, repl, s, caps))?))
}

fn replace_literal(re: &GoRegex, s: &str, repl: &str) -> FuncResult {
    Ok(Value::string(re.replace_all(s, false, |out, _| out.push_str(repl))?))
}

fn split(re: &GoRegex, s: &str, n: i64) -> FuncResult {
    Ok(strings(re.split(s, n)?))
}

/// Whether `re` matches anywhere in `s`.
fn is_match(re: &GoRegex, s: &str) -> Result<bool, Error> {
    Ok(re.engine(s)?.is_match(s))
}

/// Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Registers a pair: `name` compiles with MustCompile (its error is Go's
/// panic), `mustName` with Compile (its error is returned).
fn register_pair(m: &mut FuncMap, name: &str, params: &[Type], f: fn(&GoRegex, &[Value]) -> FuncResult) {
    m.insert(
        name,
        Function::new(params, None, move |a| {
            let re = must_compile(arg_str(a, 0))?;
            f(&re, a)
        }),
    );
    let must = format!("must{}{}", name[..1].to_ascii_uppercase(), &name[1..]);
    m.insert(
        &must,
        Function::new(params, None, move |a| {
            let re = compile(arg_str(a, 0)).map_err(Error::msg)?;
            f(&re, a)
        }),
    );
}

pub(crate) fn register(m: &mut FuncMap) {
    use Type::{Int, String as Str};
    // regexMatch ignores a bad pattern (false); mustRegexMatch reports it.
    m.insert(
        "regexMatch",
        Function::new(&[Str, Str], None, |a| {
            match compile(arg_str(a, 0)) {
                Ok(re) => Ok(Value::Bool(is_match(&re, arg_str(a, 1))?)),
                Err(_) => Ok(Value::Bool(false)),
            }
        }),
    );
    m.insert(
        "mustRegexMatch",
        Function::new(&[Str, Str], None, |a| {
            let re = compile(arg_str(a, 0)).map_err(Error::msg)?;
            Ok(Value::Bool(is_match(&re, arg_str(a, 1))?))
        }),
    );
    register_pair(m, "regexFindAll", &[Str, Str, Int], |re, a| find_all(re, arg_str(a, 1), arg_int(a, 2)));
    register_pair(m, "regexFind", &[Str, Str], |re, a| find(re, arg_str(a, 1)));
    register_pair(m, "regexReplaceAll", &[Str, Str, Str], |re, a| replace(re, arg_str(a, 1), arg_str(a, 2)));
    register_pair(m, "regexReplaceAllLiteral", &[Str, Str, Str], |re, a| {
        replace_literal(re, arg_str(a, 1), arg_str(a, 2))
    });
    register_pair(m, "regexSplit", &[Str, Str, Int], |re, a| split(re, arg_str(a, 1), arg_int(a, 2)));
    m.insert("regexQuoteMeta", Function::new(&[Str], None, |a| Ok(Value::string(quote_meta(arg_str(a, 0))))));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> Arc<GoRegex> {
        compile(p).unwrap()
    }

    fn matches(p: &str, s: &str) -> bool {
        is_match(&re(p), s).unwrap()
    }

    /// Every engine (ASCII or not, short or long text) finds the same
    /// matches as the full Unicode engine on the same text.
    #[test]
    fn engines_agree_on_every_kind_of_text() {
        let long = |s: &str| format!("{}{s}", "-".repeat(SHORT_TEXT));
        let short = |s: &str| format!("{}{s}", "-".repeat(TINY_TEXT));
        for (pattern, text) in [
            ("[^a-z]+", "ab-CD_é9x"),
            ("(?i)k", "k K \u{212A}"),
            (r"\bfoo\b", "foo éfoo foo_"),
            (".", "a\nb"),
            ("(?s).", "a\nb"),
            ("[^é]", "aéb"),
            ("é|x", "xé"),
            (r"(-?[^a-z\d\-])+-?", "My Release_1.é"),
            ("", "aé"),
        ] {
            let r = re(pattern);
            let ascii = text.replace('é', "e").replace('\u{212A}', "K");
            for text in [text.to_string(), ascii.clone(), short(text), short(&ascii), long(text), long(&ascii)] {
                let full = meta::Regex::builder().build_from_hir(&r.hir).unwrap();
                let want: Vec<(usize, usize)> = full.find_iter(text.as_str()).map(|m| (m.start(), m.end())).collect();
                let kind = EngineKind::of(&text);
                let engine = r.engine(&text).unwrap();
                let got: Vec<(usize, usize)> = engine.find_iter(text.as_str()).map(|m| (m.start(), m.end())).collect();
                assert_eq!(got, want, "{pattern} on {text:?} (engine {})", kind.index());
            }
        }
    }

    /// Matching Unicode text builds the Unicode engine; ASCII text never does.
    #[test]
    fn unicode_engines_are_built_only_for_unicode_text() {
        let unicode = EngineKind { ascii: false, size: TextSize::Tiny }.index();
        let r = re("[^a-z]");
        assert!(is_match(&r, "ab1").unwrap());
        assert!(r.engines[unicode].get().is_none());
        assert!(is_match(&r, "abé").unwrap());
        assert!(r.engines[unicode].get().is_some());
    }

    #[test]
    fn find_all_and_split_follow_go() {
        let r = re("a*");
        assert_eq!(r.find_all("baaac", -1).unwrap(), vec![(0, 0), (1, 4), (5, 5)]);
        assert_eq!(r.split("baaac", -1).unwrap(), vec!["b", "c"]);
        assert_eq!(r.replace_all("baaac", false, |o, _| o.push('-')).unwrap(), "-b-c-");
        assert_eq!(re("x*").split("axbxc", 2).unwrap(), vec!["a", "bxc"]);
        assert!(re("a").split("abc", 0).unwrap().is_empty());
        assert_eq!(re("a").split("", -1).unwrap(), vec![""]);
    }

    #[test]
    fn expand_follows_go() {
        let r = re("a(x*)(?P<n>y?)");
        let s = "caxxyd";
        let out = r.replace_all(s, true, |o, l| r.expand(o, "<$1|${1}W|$1W|$n|$$|$|$0|$01|${n>", s, l)).unwrap();
        assert_eq!(out, "c<xx|xxW||y|$|$|axxy||${n>d");
    }

    #[test]
    fn go_syntax_and_errors() {
        assert!(matches(r"\bfoo", "éfoo"), "\\b is ASCII in Go");
        assert!(!matches(r"\d", "٣"), "\\d is ASCII in Go");
        assert!(matches(r"[[a]]", "[]"));
        assert!(matches(r"\<", "<"));
        assert!(matches(r"\Q.*\E", ".*"));
        assert_eq!(compile("(").err().unwrap(), "error parsing regexp: missing closing ): `(`");
        assert_eq!(compile("a**").err().unwrap(), "error parsing regexp: invalid nested repetition operator: `**`");
        assert_eq!(
            compile(r"\p{Emoji}").err().unwrap(),
            "error parsing regexp: invalid character class range: `\\p{Emoji}`"
        );
        assert_eq!(quote_meta("a.b*c"), r"a\.b\*c");
    }

    #[test]
    fn nesting_limits_follow_go() {
        let nest = |open: &str, n: usize, inner: &str| format!("{}{inner}{}", open.repeat(n), ")".repeat(n));
        // Non-capturing groups add no height in Go.
        assert!(compile(&nest("(?:", 3000, "a")).is_ok());
        // An alternation of runes is one class node in Go.
        assert!(compile(&nest("(", 999, "a|b")).is_ok());
        let too_deep = compile(&nest("(", 1000, "a|b")).err().unwrap();
        assert!(too_deep.starts_with("error parsing regexp: expression nests too deeply: `(((("), "{too_deep}");
        // Far deeper input fails the same way, without deep recursion.
        assert!(compile(&nest("(", 100_000, "a")).is_err());
        assert!(compile(&"(".repeat(100_000)).is_err());
    }
}
