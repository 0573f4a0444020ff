//! libyaml's reading of a block scalar's lines (`|` and `>`), where
//! saphyr-parser reads them differently: tabs where indentation is
//! expected, and a last line the text ends without a line break.

/// A block scalar located in the text from saphyr's span of it.
pub(super) struct BlockScalar<'a> {
    src: &'a str,
    /// Byte just after the header line (the one holding the indicator).
    body: usize,
    /// The indentation the header sets explicitly (`|2`).
    explicit: Option<usize>,
    /// The indentation of the collection holding the scalar (-1 at the top).
    parent: isize,
}

impl<'a> BlockScalar<'a> {
    /// `start` is where saphyr's span starts: the first content character,
    /// or the indicator when the scalar has no content.
    pub(super) fn new(src: &'a str, start: usize, parent: isize) -> BlockScalar<'a> {
        let header_start = if src[start..].starts_with(['|', '>']) {
            start
        } else {
            // The nearest line above the first content line that is not blank.
            let mut end = src[..start].rfind('\n').unwrap_or(0);
            loop {
                let line_start = src[..end].rfind('\n').map_or(0, |i| i + 1);
                if !is_blank(&src[line_start..end]) || line_start == 0 {
                    break line_start;
                }
                end = line_start - 1;
            }
        };
        let body = src[header_start..].find('\n').map_or(src.len(), |i| header_start + i + 1);
        // The header's indicators follow the last `|` or `>` before a comment.
        let header = &src[header_start..body];
        let header = header.split(" #").next().unwrap_or("");
        let indicators = header.rfind(['|', '>']).map_or("", |i| &header[i + 1..]);
        let explicit = indicators
            .bytes()
            .find(|b| (b'1'..=b'9').contains(b))
            .map(|d| parent.max(0) as usize + usize::from(d - b'0'));
        BlockScalar { src, body, explicit, parent }
    }

    /// The lines after the header, among them those libyaml scans for the
    /// scalar: its content and blank lines up to the first line less
    /// indented than the content.
    fn lines(&self) -> impl Iterator<Item = &'a str> {
        let body = &self.src[self.body..];
        let body = body.strip_suffix('\n').unwrap_or(body);
        let lines = if self.body == self.src.len() { None } else { Some(body.split('\n')) };
        lines.into_iter().flatten().map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    /// The 1-based line number of the `n`th line after the header. Counted
    /// only for an error: counting for every scalar would read the text
    /// before each one again.
    fn line_number(&self, n: usize) -> usize {
        self.src[..self.body].matches('\n').count() + 1 + n
    }

    /// The scalar's indentation when the header does not set it: the first
    /// content line's, at least that of the blank lines before it and one
    /// more than the parent's. `None` when there is no content.
    fn detected_indent(&self) -> Option<usize> {
        let mut widest_blank = 0;
        for line in self.lines() {
            let spaces = leading_spaces(line);
            if spaces == line.len() {
                widest_blank = widest_blank.max(spaces);
            } else {
                return Some(spaces.max(widest_blank).max((self.parent + 1).max(1) as usize));
            }
        }
        None
    }

    /// The line of a tab that libyaml finds where it expects indentation:
    /// before the content's indentation is reached (or, while that is not
    /// yet known, after any spaces), on any line it scans for the scalar.
    pub(super) fn tab_in_indentation(&self) -> Option<usize> {
        let mut indent = self.explicit;
        for (n, line) in self.lines().enumerate() {
            let spaces = leading_spaces(line);
            let reach = indent.map_or(spaces, |i| spaces.min(i));
            if line[reach..].starts_with('\t') && indent.is_none_or(|i| reach < i) {
                return Some(self.line_number(n));
            }
            if spaces == line.len() {
                continue;
            }
            match indent {
                None => indent = self.detected_indent(),
                Some(i) if spaces < i => return None,
                Some(_) => {}
            }
        }
        None
    }

    /// Whether the text's last line, which has no line break, belongs to
    /// the scalar: it holds more than spaces, or at least as many spaces as
    /// the scalar's indentation (a scalar with no content takes it).
    pub(super) fn holds_last_line(&self) -> bool {
        let last = &self.src[self.src.rfind('\n').map_or(0, |i| i + 1)..];
        if !is_blank(last) {
            return true;
        }
        match self.explicit.or_else(|| self.detected_indent()) {
            Some(indent) => last.len() >= indent,
            None => true,
        }
    }
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}
