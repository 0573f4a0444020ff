//! Where the flow collections (`[...]`, `{...}`) of a YAML text lie, as
//! libyaml's scanner sees them.
//!
//! libyaml checks no indentation inside a flow collection: its lines may
//! start at or left of the enclosing block's column (bitnami charts close
//! `args: [` with a `]` under the key). saphyr follows YAML 1.2, which wants
//! them indented past that block, so the decoder moves such lines right
//! before parsing again; line breaks and the values stay the same, since
//! leading blanks of lines inside a flow collection never reach a value.

/// A top-level flow collection: byte offsets of its opening bracket and of
/// its closing one (the end of the text when it is never closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FlowSpan {
    pub open: usize,
    pub close: usize,
}

/// The outermost flow collections of `src`, in order. Block context is read
/// roughly (every line starts a token; block scalars end at the first line
/// not indented past their key), flow context as libyaml's scanner reads it.
pub(super) fn outermost_flow_spans(src: &str) -> Vec<FlowSpan> {
    let b = src.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    // Block context: the state of the current line.
    let mut at_token = true;
    let mut line_start = 0;
    let mut key_col: Option<usize> = None;
    let mut dash_col: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' | b'\r' => {
                i += 1;
                line_start = i;
                at_token = true;
                key_col = None;
                dash_col = None;
            }
            b' ' | b'\t' => {
                i += 1;
            }
            b'#' if i == line_start || matches!(b[i - 1], b' ' | b'\t') => i = line_end(b, i),
            b'%' if i == line_start => i = line_end(b, i),
            b'-' | b'.' if i == line_start && is_document_marker(b, i) => i = line_end(b, i),
            _ if !at_token => {
                // Inside a plain scalar: only `: ` can end it on this line.
                if c == b':' && is_blank_at(b, i + 1) {
                    at_token = true;
                }
                i += 1;
            }
            b'[' | b'{' => {
                let close = flow_end(b, i);
                spans.push(FlowSpan { open: i, close });
                i = close + 1;
                at_token = false;
            }
            b'\'' | b'"' => {
                i = quoted_end(b, i) + 1;
                at_token = false;
            }
            b'|' | b'>' => {
                let indent = key_col.or(dash_col).map_or(-1, |c| c as isize);
                i = block_scalar_end(b, line_end(b, i), indent);
                line_start = i;
                at_token = true;
                key_col = None;
                dash_col = None;
            }
            b'-' | b'?' | b':' if is_blank_at(b, i + 1) => {
                if c == b'-' {
                    dash_col = Some(i - line_start);
                }
                i += 1;
            }
            b'&' | b'!' => i = name_end(b, i),
            b'*' => {
                i = name_end(b, i);
                at_token = false;
            }
            _ => {
                let start_col = i - line_start;
                // A plain scalar; if it is a key, remember where it starts.
                let mut j = i;
                while j < b.len() && !matches!(b[j], b'\n' | b'\r') {
                    if b[j] == b':' && is_blank_at(b, j + 1) {
                        key_col = Some(start_col);
                        break;
                    }
                    if b[j] == b'#' && matches!(b[j - 1], b' ' | b'\t') {
                        break;
                    }
                    j += 1;
                }
                at_token = j < b.len() && b[j] == b':';
                i = if at_token { j + 1 } else { j };
            }
        }
    }
    spans
}

/// The offset of the bracket that closes the one at `open` (or the end).
fn flow_end(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut at_token = true;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        match c {
            b'[' | b'{' => {
                depth += 1;
                at_token = true;
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
                at_token = false;
            }
            b',' => at_token = true,
            b'#' if matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i = line_end(b, i);
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b':' | b'?' if at_token || is_blank_at(b, i + 1) => at_token = true,
            b'\'' | b'"' if at_token => {
                i = quoted_end(b, i);
                at_token = false;
            }
            b'&' | b'!' if at_token => {
                i = name_end(b, i);
                continue;
            }
            _ => at_token = false,
        }
        i += 1;
    }
    b.len()
}

/// The offset of the quote closing the quoted scalar opened at `open`.
fn quoted_end(b: &[u8], open: usize) -> usize {
    let q = b[open];
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 1,
            b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == q => return i,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The start of the first line after `from` that is not blank and not
/// indented past `indent`.
fn block_scalar_end(b: &[u8], from: usize, indent: isize) -> usize {
    let mut i = from;
    while i < b.len() {
        let start = if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
        let spaces = b[start..].iter().take_while(|&&c| c == b' ').count();
        let rest = b.get(start + spaces).copied();
        if !matches!(rest, None | Some(b'\n' | b'\r')) && spaces as isize <= indent {
            return start;
        }
        i = line_end(b, start);
    }
    b.len()
}

fn name_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}') {
        i += 1;
    }
    i
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n' || c == b'\r').map_or(b.len(), |p| from + p)
}

fn is_blank_at(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn is_document_marker(b: &[u8], i: usize) -> bool {
    (b[i..].starts_with(b"---") || b[i..].starts_with(b"...")) && is_blank_at(b, i + 3)
}

/// `src` with the lines inside the outermost flow collection around byte
/// `at` moved right of its opening bracket and their leading tabs made
/// spaces, or None when `at` is in none or nothing needs changing. Blank lines and document markers (which end a flow
/// collection for libyaml too) are left as they are.
pub(super) fn indent_flow_lines(src: &str, at: usize) -> Option<String> {
    let span = outermost_flow_spans(src).into_iter().find(|s| s.open < at && at <= s.close)?;
    let b = src.as_bytes();
    let open_line = b[..span.open].iter().rposition(|&c| c == b'\n' || c == b'\r').map_or(0, |p| p + 1);
    let want = src[open_line..span.open].chars().count() + 1;
    let mut out = String::with_capacity(src.len() + 64);
    let mut changed = false;
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let inside = start > span.open && start <= span.close;
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.chars().take_while(|&c| c == ' ' || c == '\t').count();
        if inside && lead < body.len() && (lead < want || body[..lead].contains('\t')) && !is_document_marker(b, start) {
            // Tabs too: libyaml skips them as blanks in flow context.
            out.extend(std::iter::repeat_n(' ', want.max(lead)));
            out.push_str(&line[lead..]);
            changed = true;
        } else {
            out.push_str(line);
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_outermost_flow_collections() {
        let src = "a: [1, [2]]\nb: 'x [' # [\nc: |\n  [\nd: {e: \"]\"}\nf: a[b]\n";
        let spans: Vec<_> = outermost_flow_spans(src).iter().map(|s| &src[s.open..=s.close]).collect();
        assert_eq!(spans, ["[1, [2]]", "{e: \"]\"}"]);
    }

    #[test]
    fn moves_lines_right_of_the_bracket() {
        let src = "a:\n  b: [\n1,\n\n  2\n]\n  c: 3\n";
        assert_eq!(indent_flow_lines(src, 11).unwrap(), "a:\n  b: [\n      1,\n\n      2\n      ]\n  c: 3\n");
        assert_eq!(indent_flow_lines(src, 2), None);
        assert_eq!(indent_flow_lines("a: [\n\t1]\n", 5).unwrap(), "a: [\n    1]\n");
    }
}
