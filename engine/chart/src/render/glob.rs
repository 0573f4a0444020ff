//! gobwas/glob with `/` as the separator, as `.Files.Glob` compiles its
//! pattern: `*` and `?` stay within one path segment, `**` crosses them,
//! `[...]`/`[!...]` are character classes, `{a,b}` alternatives, `\` escapes.

#[derive(Debug, Clone)]
enum Token {
    Char(char),
    /// `?`: one character other than the separator.
    Single,
    /// `*`: any run of characters without the separator.
    Any,
    /// `**`: any run of characters.
    Super,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
    Alt(Vec<Vec<Token>>),
    /// What an unclosed `{` leaves: gobwas compiles it, and it matches nothing.
    Never,
}

const SEPARATOR: char = '/';

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    /// Compiles `pattern`; `None` where gobwas reports an error (an unclosed
    /// class or alternative, a trailing escape, an empty class).
    pub fn compile(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let tokens = parse_seq(&chars, &mut pos, false)?;
        if pos != chars.len() {
            return None;
        }
        Some(Glob { tokens })
    }

    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        match_tokens(&self.tokens, &chars)
    }
}

fn parse_seq(chars: &[char], pos: &mut usize, in_alt: bool) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            ',' | '}' if in_alt => return Some(out),
            '\\' => {
                // A trailing backslash escapes nothing and is dropped.
                *pos += 1;
                if let Some(&c) = chars.get(*pos) {
                    out.push(Token::Char(c));
                    *pos += 1;
                }
            }
            '?' => {
                out.push(Token::Single);
                *pos += 1;
            }
            '*' => {
                if chars.get(*pos + 1) == Some(&'*') {
                    out.push(Token::Super);
                    *pos += 2;
                } else {
                    out.push(Token::Any);
                    *pos += 1;
                }
            }
            '[' => {
                *pos += 1;
                out.push(parse_class(chars, pos)?);
            }
            '{' => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(chars, pos, true)?);
                    match chars.get(*pos) {
                        Some(',') => *pos += 1,
                        Some('}') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Some(vec![Token::Never]),
                    }
                }
                out.push(Token::Alt(alts));
            }
            _ => {
                out.push(Token::Char(c));
                *pos += 1;
            }
        }
    }
    Some(out)
}

fn parse_class(chars: &[char], pos: &mut usize) -> Option<Token> {
    let negated = chars.get(*pos) == Some(&'!');
    if negated {
        *pos += 1;
    }
    let mut items = Vec::new();
    loop {
        let c = *chars.get(*pos)?;
        if c == ']' {
            *pos += 1;
            break;
        }
        let lo = if c == '\\' {
            *pos += 1;
            *chars.get(*pos)?
        } else {
            c
        };
        *pos += 1;
        if chars.get(*pos) == Some(&'-') {
            // `[a-]` has no upper bound: an error for gobwas.
            let hi = *chars.get(*pos + 1).filter(|&&n| n != ']')?;
            *pos += 2;
            items.push((lo, hi));
        } else {
            items.push((lo, lo));
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(Token::Class { negated, items })
}

/// Backtracking match. Runs of single-character tokens are matched in a
/// loop; only wildcards and alternatives recurse, on a stack grown as needed
/// (patterns come from templates and may be long).
fn match_tokens(tokens: &[Token], text: &[char]) -> bool {
    let mut tokens = tokens;
    let mut text = text;
    loop {
        let Some((first, rest)) = tokens.split_first() else { return text.is_empty() };
        let one = |ok: &dyn Fn(char) -> bool| text.first().is_some_and(|&c| ok(c));
        let matched = match first {
            Token::Char(c) => one(&|t| t == *c),
            Token::Single => one(&|t| t != SEPARATOR),
            Token::Class { negated, items } => one(&|t| items.iter().any(|&(lo, hi)| lo <= t && t <= hi) != *negated),
            Token::Never => false,
            Token::Any | Token::Super | Token::Alt(_) => {
                return rhelm_template::stack::maybe_grow(64 * 1024, 1024 * 1024, || match_wild(first, rest, text));
            }
        };
        if !matched {
            return false;
        }
        tokens = rest;
        text = &text[1..];
    }
}

fn match_wild(first: &Token, rest: &[Token], text: &[char]) -> bool {
    match first {
        Token::Any => {
            for i in 0..=text.len() {
                if match_tokens(rest, &text[i..]) {
                    return true;
                }
                if i < text.len() && text[i] == SEPARATOR {
                    return false;
                }
            }
            false
        }
        Token::Super => (0..=text.len()).any(|i| match_tokens(rest, &text[i..])),
        Token::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_tokens(&joined, text)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(p: &str, t: &str) -> bool {
        Glob::compile(p).unwrap().is_match(t)
    }

    #[test]
    fn segments() {
        assert!(m("conf/*", "conf/a.txt"));
        assert!(!m("conf/*", "conf/sub/b.txt"));
        assert!(m("conf/**", "conf/sub/b.txt"));
        assert!(m("**.txt", "conf/sub/b.txt"));
        assert!(m("*.{txt,md}", "a.md"));
        assert!(m("[a-c].txt", "b.txt"));
        assert!(!m("[!a-c].txt", "b.txt"));
        assert!(m("?.txt", "b.txt"));
        assert!(Glob::compile("[").is_none());
        assert!(!Glob::compile("{a").unwrap().is_match("a"));
        let long = "a".repeat(200_000);
        assert!(m(&long, &long));
        assert!(m(&"*".repeat(20_000), "abc"));
        assert!(Glob::compile("[a-]").is_none());
        assert!(m("*\\", "a.txt"));
    }
}
