//! Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) and the `strconv`
//! float and quote formatting it relies on, reproduced byte for byte.
//!
//! The code follows the structure of Go's `fmt/print.go`, `fmt/format.go`
//! and `strconv/ftoa.go` closely on purpose: the output of templates is
//! compared with Helm's, so every odd corner (flags surviving into error
//! annotations, `%x` on floats, half-even rounding of exact binary values)
//! has to behave exactly as Go's does, and mirroring the original logic is
//! the surest way to get there.

use crate::value::{List, Map, Object, Value};

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";
const MAX_RUNE: u64 = 0x10FFFF;
const RUNE_ERROR: u32 = 0xFFFD;

/// fmt.Fprint of one operand with %v (top-level Nil prints "<nil>"), appended to out.
pub fn write_value(out: &mut String, v: &Value) {
    Printer::new(out).print_arg(v, 'v');
}

/// fmt.Sprint(args...): operands formatted with %v; a space is added between
/// operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    Printer::new(&mut out).do_print(args);
    out
}

/// fmt.Sprintln: spaces always added between operands, newline appended.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    let mut p = Printer::new(&mut out);
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
    }
    out.push('\n');
    out
}

/// fmt.Sprintf with Go's full verb/flag/width/precision/argument-index
/// semantics and error annotations.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    Printer::new(&mut out).do_printf(format, args);
    out
}

/// strconv.FormatFloat(f, fmt, prec, 64). Besides `e E f g G` it also
/// accepts `b x X` like Go; any other format byte yields `%` and the byte.
pub fn format_float(f: f64, fmt: u8, prec: i32) -> String {
    let mut dst = Vec::new();
    append_float(&mut dst, f, fmt, prec);
    // Every byte written by append_float is ASCII.
    String::from_utf8(dst).expect("float formatting is ASCII")
}

/// strconv.Quote: a double-quoted Go string literal.
pub fn quote(s: &str) -> String {
    quote_with(s.as_bytes(), b'"', false)
}

// ---------------------------------------------------------------------------
// The printer: Go's `pp` and `fmt` structs folded together.

/// Go's fmtFlags. `plus_v`/`sharp_v` record `%+v`/`%#v`, which are distinct
/// verbs rather than flags, so `plus`/`sharp` are cleared when they are set.
#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
}

struct Printer<'a> {
    buf: &'a mut String,
    f: Flags,
    wid: i64,
    prec: i64,
    /// The format used an explicit argument index, which disables the
    /// EXTRA check (Go deems it too costly to track usage then).
    reordered: bool,
    /// The most recent argument index was valid.
    good_arg_num: bool,
}

impl<'a> Printer<'a> {
    fn new(buf: &'a mut String) -> Self {
        Printer { buf, f: Flags::default(), wid: 0, prec: 0, reordered: false, good_arg_num: true }
    }

    fn clear_flags(&mut self) {
        self.f = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    // --- padding -----------------------------------------------------------

    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        // Zero padding is only ever applied on the left.
        let c = if self.f.zero && !self.f.minus { '0' } else { ' ' };
        self.buf.extend(std::iter::repeat(c).take(n as usize));
    }

    /// Go's pad/padString: `count` is the text's length in runes, which is
    /// what the width is measured in.
    fn pad_counted(&mut self, s: &str, count: usize) {
        if !self.f.wid_present || self.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.wid - count as i64;
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.push_str(s);
        }
    }

    fn pad(&mut self, s: &str) {
        self.pad_counted(s, s.chars().count());
    }

    /// Pads raw bytes, which may not be UTF-8 (a `[]byte` printed with %s):
    /// the width counts each invalid byte as one rune, as Go does.
    fn pad_bytes(&mut self, b: &[u8]) {
        let count = rune_count(b);
        self.pad_counted(&String::from_utf8_lossy(b), count);
    }

    /// Runs `body` with the zero flag off: numbers that handle zero padding
    /// themselves must not get it again from pad().
    fn without_zero(&mut self, body: impl FnOnce(&mut Self)) {
        let old = self.f.zero;
        self.f.zero = false;
        body(self);
        self.f.zero = old;
    }

    // --- basic formatters (Go's fmt/format.go) -----------------------------

    fn fmt_boolean(&mut self, v: bool) {
        self.pad(if v { "true" } else { "false" });
    }

    /// %U: "U+0078", or with # "U+0078 'x'".
    fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.f.prec_present && self.prec > 4 { self.prec as usize } else { 4 };
        let mut s = format!("U+{u:0prec$X}");
        if self.f.sharp && u <= MAX_RUNE && is_print(u as u32) {
            if let Some(c) = char::from_u32(u as u32) {
                s.push_str(" '");
                s.push(c);
                s.push('\'');
            }
        }
        self.without_zero(|p| p.pad(&s));
    }

    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };

        // Two ways to ask for leading zeros: %.3d or %03d. An explicit
        // precision wins and turns zero padding into space padding.
        let mut prec: i64 = 0;
        if self.f.prec_present {
            prec = self.prec;
            // Precision 0 and value 0 print nothing but the padding.
            if prec == 0 && u == 0 {
                let wid = self.wid;
                self.without_zero(|p| p.write_padding(wid));
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.wid;
            if negative || self.f.plus || self.f.space {
                prec -= 1; // leave room for the sign
            }
        }

        // Built right to left, then reversed.
        let mut buf: Vec<u8> = Vec::with_capacity(24);
        while u >= base {
            buf.push(digits[(u % base) as usize]);
            u /= base;
        }
        buf.push(digits[u as usize]);
        while (buf.len() as i64) < prec {
            buf.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => buf.extend_from_slice(b"b0"),
                8 if buf.last() != Some(&b'0') => buf.push(b'0'),
                16 => buf.extend_from_slice(&[digits[16], b'0']),
                _ => {}
            }
        }
        if verb == 'O' {
            buf.extend_from_slice(b"o0");
        }
        if negative {
            buf.push(b'-');
        } else if self.f.plus {
            buf.push(b'+');
        } else if self.f.space {
            buf.push(b' ');
        }
        buf.reverse();
        let s = String::from_utf8(buf).expect("digits are ASCII");
        self.without_zero(|p| p.pad(&s));
    }

    /// Go's fmt0x64: hex with or without a leading 0x.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    /// Cuts `s` to the precision, counted in runes.
    fn truncate<'s>(&self, s: &'s [u8]) -> &'s [u8] {
        if self.f.prec_present {
            let mut n = self.prec;
            let mut i = 0;
            while i < s.len() {
                n -= 1;
                if n < 0 {
                    return &s[..i];
                }
                i += decode_rune(&s[i..]).1;
            }
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let t = self.truncate(s.as_bytes());
        // Truncation happens at rune boundaries, so `t` is still UTF-8.
        let t = std::str::from_utf8(t).expect("cut at a rune boundary");
        self.pad(t);
    }

    fn fmt_bs(&mut self, b: &[u8]) {
        let t = self.truncate(b);
        self.pad_bytes(t);
    }

    /// %x / %X of a string or byte slice: hex of each byte, with `# ` variants.
    fn fmt_sbx(&mut self, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len() as i64;
        if self.f.prec_present && self.prec < length {
            length = self.prec;
        }
        let mut width = 2 * length;
        if width <= 0 {
            if self.f.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.f.space {
            if self.f.sharp {
                width *= 2; // each byte gets its own 0x
            }
            width += length - 1; // separated by spaces
        } else if self.f.sharp {
            width += 2; // a single 0x for the whole string
        }
        if self.f.wid_present && self.wid > width && !self.f.minus {
            self.write_padding(self.wid - width);
        }
        let prefix = [b'0', digits[16]];
        let mut out = Vec::with_capacity(width as usize);
        if self.f.sharp {
            out.extend_from_slice(&prefix);
        }
        for (i, &c) in s[..length as usize].iter().enumerate() {
            if self.f.space && i > 0 {
                out.push(b' ');
                if self.f.sharp {
                    out.extend_from_slice(&prefix);
                }
            }
            out.push(digits[(c >> 4) as usize]);
            out.push(digits[(c & 0xF) as usize]);
        }
        self.buf.push_str(std::str::from_utf8(&out).expect("hex is ASCII"));
        if self.f.wid_present && self.wid > width && self.f.minus {
            self.write_padding(self.wid - width);
        }
    }

    /// %q of a string: a Go string literal, backquoted with # when possible,
    /// ASCII-only with +.
    fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let q = format!("`{}`", String::from_utf8_lossy(s));
            self.pad(&q);
            return;
        }
        let q = quote_with(s, b'"', self.f.plus);
        self.pad(&q);
    }

    /// The rune %c and %q print for an integer: invalid values become U+FFFD.
    fn rune_of(c: u64) -> u32 {
        if c > MAX_RUNE {
            RUNE_ERROR
        } else {
            c as u32
        }
    }

    fn fmt_c(&mut self, c: u64) {
        let ch = char::from_u32(Self::rune_of(c)).unwrap_or('\u{FFFD}');
        self.pad(ch.encode_utf8(&mut [0; 4]));
    }

    fn fmt_qc(&mut self, c: u64) {
        let q = quote_rune_with(Self::rune_of(c), b'\'', self.f.plus);
        self.pad(&q);
    }

    /// Go's fmt.fmtFloat: strconv formatting plus sign, `#` and padding rules.
    fn fmt_float(&mut self, v: f64, verb: u8, prec: i32) {
        let prec = if self.f.prec_present { self.prec as i32 } else { prec };
        // num[0] is reserved for the sign.
        let mut num = vec![b'+'];
        append_float(&mut num, v, verb, prec);
        if num[1] == b'-' || num[1] == b'+' {
            num.remove(0);
        }
        // A space flag puts a space where a + would go, unless + is asked for.
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        // Infinities and NaN are never zero padded; NaN loses its sign
        // unless a sign was asked for.
        if num[1] == b'I' || num[1] == b'N' {
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            let s = ascii(&num);
            self.without_zero(|p| p.pad(&s));
            return;
        }
        if self.f.sharp && verb != b'b' {
            num = sharp_float(num, verb, prec);
        }
        if self.f.plus || num[0] != b'+' {
            // With zero padding the sign goes before the zeros.
            if self.f.zero && !self.f.minus && self.f.wid_present && self.wid > num.len() as i64 {
                self.buf.push(num[0] as char);
                self.write_padding(self.wid - num.len() as i64);
                self.buf.push_str(&ascii(&num[1..]));
                return;
            }
            self.pad(&ascii(&num));
            return;
        }
        self.pad(&ascii(&num[1..]));
    }

    // --- verb dispatch (Go's fmt/print.go) -----------------------------------

    fn bad_verb(&mut self, verb: char, arg: &Value) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if arg.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&arg.type_name());
            self.buf.push('=');
            // The flags of the failed verb stay in effect, as in Go.
            self.print_arg(arg, 'v');
        }
        self.buf.push(')');
    }

    fn fmt_bool(&mut self, v: bool, verb: char) {
        match verb {
            't' | 'v' => self.fmt_boolean(v),
            _ => self.bad_verb(verb, &Value::Bool(v)),
        }
    }

    /// Integer verbs; `arg` is the operand, for error annotations.
    fn fmt_int_verb(&mut self, v: u64, signed: bool, verb: char, arg: &Value) {
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(v, true),
            'v' | 'd' => self.fmt_integer(v, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// Float verbs with their default precisions.
    fn fmt_float_verb(&mut self, v: f64, verb: char) {
        match verb {
            'v' => self.fmt_float(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, verb as u8, 6),
            'F' => self.fmt_float(v, b'f', 6),
            _ => self.bad_verb(verb, &Value::Float(v)),
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char, arg: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s.as_bytes()),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
            'q' => self.fmt_q(s.as_bytes()),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// A `[]byte`; `type_string` is `[]byte` at top level and `[]uint8`
    /// inside containers, as Go's reflection names it there.
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_string: &str) {
        match verb {
            'v' | 'd' if self.f.sharp_v => {
                self.buf.push_str(type_string);
                self.buf.push('{');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.fmt_0x64(c as u64, true);
                }
                self.buf.push('}');
            }
            'v' | 'd' => {
                self.buf.push('[');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_integer(c as u64, 10, false, verb, LDIGITS);
                }
                self.buf.push(']');
            }
            's' => self.fmt_bs(b),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(b),
            // Any other verb applies to each byte as a uint8.
            _ => {
                self.buf.push('[');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_int_verb(c as u64, false, verb, &Value::Uint8(c));
                }
                self.buf.push(']');
            }
        }
    }

    /// %p: Go prints an address, which has no stable counterpart here; the
    /// non-pointer kinds get Go's bad-verb annotation.
    fn fmt_pointer(&mut self, arg: &Value) {
        match arg {
            Value::List(_) | Value::Map(_) | Value::Bytes(_) | Value::Object(_) => {
                self.fmt_0x64(0, !self.f.sharp)
            }
            _ => self.bad_verb('p', arg),
        }
    }

    /// Go's printArg: one top-level operand.
    fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        match verb {
            'T' => self.fmt_s(&arg.type_name()),
            'p' => self.fmt_pointer(arg),
            _ => match arg {
                Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte"),
                _ => self.print_value(arg, verb),
            },
        }
    }

    /// Go's printValue for a value held in an operand or a container.
    fn print_value(&mut self, v: &Value, verb: char) {
        match v {
            // Only reached for a nil interface inside a container: Go prints
            // it whatever the verb.
            Value::Nil if self.f.sharp_v => self.buf.push_str("interface {}(nil)"),
            Value::Nil => self.buf.push_str("<nil>"),
            Value::Bool(b) => self.fmt_bool(*b, verb),
            Value::Int(i) | Value::Int64(i) => self.fmt_int_verb(*i as u64, true, verb, v),
            Value::Uint8(u) => self.fmt_int_verb(*u as u64, false, verb, v),
            Value::Float(x) => self.fmt_float_verb(*x, verb),
            Value::Str(s) => self.fmt_string(s, verb, v),
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]uint8"),
            Value::List(l) => self.print_list(v, l, verb),
            Value::Map(m) => self.print_map(v, m, verb),
            Value::Object(o) => self.print_object(v, o.as_ref(), verb),
        }
    }

    fn print_list(&mut self, v: &Value, l: &List, verb: char) {
        let (open, sep, close) = if self.f.sharp_v { ("{", ", ", "}") } else { ("[", " ", "]") };
        if self.f.sharp_v {
            self.buf.push_str(&v.type_name());
        }
        self.buf.push_str(open);
        for (i, item) in l.items.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(sep);
            }
            self.print_value(item, verb);
        }
        self.buf.push_str(close);
    }

    /// Keys are formatted with the verb too (so `%x` hex-encodes them).
    fn print_map(&mut self, v: &Value, m: &Map, verb: char) {
        let (open, sep, close) = if self.f.sharp_v { ("{", ", ", "}") } else { ("map[", " ", "]") };
        if self.f.sharp_v {
            self.buf.push_str(&v.type_name());
        }
        self.buf.push_str(open);
        for (i, (k, item)) in m.entries.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(sep);
            }
            self.print_value(&Value::Str(k.clone()), verb);
            self.buf.push(':');
            self.print_value(item, verb);
        }
        self.buf.push_str(close);
    }

    /// Host objects print like Go Stringers: their text takes the string
    /// verbs, anything else is a bad verb.
    fn print_object(&mut self, v: &Value, o: &dyn Object, verb: char) {
        let mut text = String::new();
        o.format(&mut text);
        match verb {
            'v' => self.fmt_s(&text),
            's' | 'x' | 'X' | 'q' => self.fmt_string(&text, verb, v),
            _ => self.bad_verb(verb, v),
        }
    }

    // --- Print and Printf drivers ------------------------------------------

    fn do_print(&mut self, args: &[Value]) {
        let mut prev_string = false;
        for (i, arg) in args.iter().enumerate() {
            let is_string = is_string_kind(arg);
            // A space goes between two operands when neither is a string.
            if i > 0 && !is_string && !prev_string {
                self.buf.push(' ');
            }
            self.print_arg(arg, 'v');
            prev_string = is_string;
        }
    }

    /// Go's argNumber: an optional `[n]` at `i` selects the next operand.
    fn arg_number(&mut self, arg_num: usize, format: &[u8], i: usize, num_args: usize) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && index >= 0 && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index; // the previous item was an index like [3]
        self.reordered = false;
        let mut i = 0;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            self.buf.push_str(&format[lasti..i]);
            if i >= end {
                break;
            }
            i += 1; // skip %

            self.clear_flags();
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    c => {
                        // Fast path: flags and a lower-case verb only.
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' || c == b'w' {
                                self.set_v_flags();
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }

            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());

            // Width.
            if i < end && fb[i] == b'*' {
                i += 1;
                let present;
                (self.wid, present, arg_num) = int_from_arg(a, arg_num);
                self.f.wid_present = present;
                if !present {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                // A negative width means left alignment.
                if self.wid < 0 {
                    self.wid = -self.wid;
                    self.f.minus = true;
                }
                after_index = false;
            } else {
                let present;
                (self.wid, present, i) = parse_num(fb, i, end);
                self.f.wid_present = present;
                if after_index && present {
                    self.good_arg_num = false; // "%[3]2d"
                }
            }

            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false; // "%[3].2d"
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let present;
                    (self.prec, present, arg_num) = int_from_arg(a, arg_num);
                    self.f.prec_present = present;
                    if self.prec < 0 {
                        self.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let present;
                    (self.prec, present, i) = parse_num(fb, i, end);
                    // A bare "." means precision 0.
                    if !present {
                        self.prec = 0;
                    }
                    self.f.prec_present = true;
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, fb, i, a.len());
            }

            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().expect("i is inside the format");
            i += verb.len_utf8();

            if verb == '%' {
                // Percent takes no operand and ignores width and precision.
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' || verb == 'w' {
                    self.set_v_flags();
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }

        // Unused operands are reported, unless indexes were used.
        if !self.reordered && arg_num < a.len() {
            self.clear_flags();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in a[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// %#v and %+v are verbs of their own: move # and + to their v forms.
    fn set_v_flags(&mut self) {
        self.f.sharp_v = self.f.sharp;
        self.f.sharp = false;
        self.f.plus_v = self.f.plus;
        self.f.plus = false;
    }
}

fn is_string_kind(v: &Value) -> bool {
    match v {
        Value::Str(_) => true,
        Value::Object(o) => o.kind() == crate::value::ObjectKind::String,
        _ => false,
    }
}

/// Go's tooLarge: widths and precisions are capped at a million.
fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's parsenum: (number, whether digits were present, new index). An
/// absurdly long number consumes the rest of the format.
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let (mut num, mut isnum, mut i) = (0i64, false, start);
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[i] - b'0') as i64;
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

/// Go's parseArgNumber for `[n]` at the start of `format`: the zero-based
/// index, the bytes consumed, and whether it parsed.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parse_num(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's intFromArg: a `*` width or precision operand, which must be an integer.
fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = a.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (num, is_int) = match arg {
        Value::Int(n) | Value::Int64(n) => (*n, true),
        Value::Uint8(n) => (*n as i64, true),
        _ => (0, false),
    };
    if too_large(num) {
        return (0, false, arg_num + 1);
    }
    (num, is_int, arg_num + 1)
}

/// The `#` flag on floats: always a decimal point, and for %g/%x the
/// trailing zeros up to the precision (6 by default) that strconv dropped.
fn sharp_float(mut num: Vec<u8>, verb: u8, prec: i32) -> Vec<u8> {
    let mut digits = match verb {
        b'v' | b'g' | b'G' | b'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    let mut tail = Vec::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    let mut i = 1; // num[0] is the sign
    while i < num.len() {
        match num[i] {
            b'.' => has_point = true,
            b'p' | b'P' => {
                tail = num.split_off(i);
                break;
            }
            b'e' | b'E' if verb != b'x' && verb != b'X' => {
                tail = num.split_off(i);
                break;
            }
            c => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                // Significant digits are counted from the first non-zero one.
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    if !has_point {
        // A lone 0 counts as one digit.
        if num.len() == 2 && num[1] == b'0' {
            digits -= 1;
        }
        num.push(b'.');
    }
    while digits > 0 {
        num.push(b'0');
        digits -= 1;
    }
    num.extend_from_slice(&tail);
    num
}

fn ascii(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---------------------------------------------------------------------------
// UTF-8 as Go sees it: invalid bytes decode one at a time as U+FFFD.

/// Go's utf8.DecodeRune: (rune, width); an invalid sequence gives (U+FFFD, 1).
fn decode_rune(b: &[u8]) -> (u32, usize) {
    let Some(&b0) = b.first() else {
        return (RUNE_ERROR, 0);
    };
    let n = match b0 {
        0x00..=0x7F => return (b0 as u32, 1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (RUNE_ERROR, 1),
    };
    // std's validation rejects overlongs and surrogates exactly like Go.
    match b.get(..n).map(std::str::from_utf8) {
        Some(Ok(s)) => (s.chars().next().expect("non-empty") as u32, n),
        _ => (RUNE_ERROR, 1),
    }
}

fn rune_count(b: &[u8]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        i += decode_rune(&b[i..]).1;
        n += 1;
    }
    n
}

// ---------------------------------------------------------------------------
// strconv quoting.

/// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and
/// the ASCII space.
pub(crate) fn is_print(r: u32) -> bool {
    if r <= 0xFF {
        return (0x20..=0x7E).contains(&r) || ((0xA1..=0xFF).contains(&r) && r != 0xAD);
    }
    let Some(c) = char::from_u32(r) else {
        return false;
    };
    // Rust's debug escaping keeps exactly the characters outside the C* and
    // Z* categories, Go's definition. Placed after another character so
    // combining marks are not escaped for starting a string.
    let mut buf = [0u8; 8];
    buf[0] = b'a';
    let len = 1 + c.encode_utf8(&mut buf[1..]).len();
    let s = std::str::from_utf8(&buf[..len]).expect("valid UTF-8");
    s.escape_debug().count() == 2
}

/// Go's appendEscapedRune.
fn append_escaped_rune(buf: &mut String, r: u32, quote: u8, ascii_only: bool) {
    if r == quote as u32 || r == '\\' as u32 {
        buf.push('\\');
        buf.push(char::from_u32(r).expect("ASCII"));
        return;
    }
    let printable = if ascii_only { r < 0x80 && is_print(r) } else { is_print(r) };
    if printable {
        buf.push(char::from_u32(r).expect("printable runes are chars"));
        return;
    }
    match r {
        0x07 => buf.push_str("\\a"),
        0x08 => buf.push_str("\\b"),
        0x0C => buf.push_str("\\f"),
        0x0A => buf.push_str("\\n"),
        0x0D => buf.push_str("\\r"),
        0x09 => buf.push_str("\\t"),
        0x0B => buf.push_str("\\v"),
        _ if r < 0x20 || r == 0x7F => buf.push_str(&format!("\\x{r:02x}")),
        _ if r < 0x10000 => buf.push_str(&format!("\\u{r:04x}")),
        _ => buf.push_str(&format!("\\U{r:08x}")),
    }
}

/// Go's appendQuotedWith over raw bytes (a `[]byte` may hold invalid UTF-8,
/// whose bytes are written as \xNN).
fn quote_with(s: &[u8], quote: u8, ascii_only: bool) -> String {
    let mut buf = String::with_capacity(s.len() + 2);
    buf.push(quote as char);
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        if width == 1 && r == RUNE_ERROR {
            buf.push_str(&format!("\\x{:02x}", s[i]));
        } else {
            append_escaped_rune(&mut buf, r, quote, ascii_only);
        }
        i += width;
    }
    buf.push(quote as char);
    buf
}

/// Go's QuoteRune / QuoteRuneToASCII; surrogates become U+FFFD.
fn quote_rune_with(r: u32, quote: u8, ascii_only: bool) -> String {
    let r = if char::from_u32(r).is_some() { r } else { RUNE_ERROR };
    let mut buf = String::new();
    buf.push(quote as char);
    append_escaped_rune(&mut buf, r, quote, ascii_only);
    buf.push(quote as char);
    buf
}

/// Go's strconv.CanBackquote: no control characters but tab, no backquote,
/// no invalid UTF-8 and no byte order mark.
fn can_backquote(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        i += width;
        if width > 1 {
            if r == 0xFEFF {
                return false;
            }
            continue;
        }
        if r == RUNE_ERROR || (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7F {
            return false;
        }
    }
    true
}

// ---------------------------------------------------------------------------
// strconv float formatting: Go's multiprecision path (bigFtoa), which its
// fast Ryu paths are tested to agree with.

/// A decimal number 0.d[0]d[1]... × 10^dp with no trailing zeros; zero has
/// no digits. Always exact: float64 values need at most 767 digits.
#[derive(Clone, Debug)]
struct Decimal {
    d: Vec<u8>,
    dp: i32,
}

impl Decimal {
    /// The exact decimal value of mant × 2^exp2.
    fn exact(mant: u64, exp2: i32) -> Decimal {
        if mant == 0 {
            return Decimal { d: Vec::new(), dp: 0 };
        }
        // Little-endian base-1e9 limbs.
        const BASE: u64 = 1_000_000_000;
        let mut limbs = vec![(mant % BASE) as u32, ((mant / BASE) % BASE) as u32, (mant / BASE / BASE) as u32];
        let mul = |limbs: &mut Vec<u32>, m: u64| {
            let mut carry = 0u64;
            for l in limbs.iter_mut() {
                let x = *l as u64 * m + carry;
                *l = (x % BASE) as u32;
                carry = x / BASE;
            }
            while carry > 0 {
                limbs.push((carry % BASE) as u32);
                carry /= BASE;
            }
        };
        // mant × 2^e stays an integer; mant × 2^-k = mant × 5^k / 10^k.
        let (factor, max_pow, mut n) = if exp2 >= 0 { (2u64, 29, exp2) } else { (5u64, 13, -exp2) };
        while n > 0 {
            let k = n.min(max_pow);
            mul(&mut limbs, factor.pow(k as u32));
            n -= k;
        }
        while limbs.len() > 1 && *limbs.last().unwrap() == 0 {
            limbs.pop();
        }
        let mut text = limbs.last().unwrap().to_string();
        for l in limbs.iter().rev().skip(1) {
            text.push_str(&format!("{l:09}"));
        }
        let mut d = text.into_bytes();
        let dp = d.len() as i32 + exp2.min(0);
        while d.last() == Some(&b'0') {
            d.pop();
        }
        Decimal { d, dp }
    }

    fn nd(&self) -> i32 {
        self.d.len() as i32
    }

    /// Whether rounding to nd digits goes up: half way rounds to even
    /// (the value is exact, so a trailing 5 really is half way).
    fn should_round_up(&self, nd: i32) -> bool {
        let n = nd as usize;
        if self.d[n] == b'5' && nd + 1 == self.nd() {
            return nd > 0 && (self.d[n - 1] - b'0') % 2 == 1;
        }
        self.d[n] >= b'5'
    }

    fn round(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        if self.should_round_up(nd) {
            self.round_up(nd);
        } else {
            self.round_down(nd);
        }
    }

    fn round_down(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        self.d.truncate(nd as usize);
        while self.d.last() == Some(&b'0') {
            self.d.pop();
        }
        if self.d.is_empty() {
            self.dp = 0;
        }
    }

    fn round_up(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        for i in (0..nd as usize).rev() {
            if self.d[i] < b'9' {
                self.d[i] += 1;
                self.d.truncate(i + 1);
                return;
            }
        }
        // All nines: 999 rounds up to 1000.
        self.d.clear();
        self.d.push(b'1');
        self.dp += 1;
    }

    fn digit(&self, i: i32) -> u8 {
        if i >= 0 && i < self.nd() {
            self.d[i as usize]
        } else {
            b'0'
        }
    }
}

const MANT_BITS: i32 = 52;
const BIAS: i32 = -1023;

/// Go's roundShortest: the fewest digits that still read back as the float
/// mant × 2^(exp - 52).
fn round_shortest(d: &mut Decimal, mant: u64, exp: i32) {
    if mant == 0 {
        d.d.clear();
        return;
    }
    let minexp = BIAS + 1;
    // Already shortest when the next shorter number is farther away than
    // the rounding interval.
    if exp > minexp && 332 * (d.dp - d.nd()) >= 100 * (exp - MANT_BITS) {
        return;
    }
    // Any decimal strictly between the halfway points to the neighbours
    // (or on them, for an even mantissa) reads back as this float.
    let upper = Decimal::exact(mant * 2 + 1, exp - MANT_BITS - 1);
    let (mantlo, explo) =
        if mant > 1 << MANT_BITS || exp == minexp { (mant - 1, exp) } else { (mant * 2 - 1, exp - 1) };
    let lower = Decimal::exact(mantlo * 2 + 1, explo - MANT_BITS - 1);
    let inclusive = mant % 2 == 0;

    // 0: d and upper agree so far; 1: they differ by one then 9s vs 0s;
    // 2: rounding up certainly stays below upper.
    let mut upperdelta = 0u8;
    let mut ui = 0i32;
    loop {
        let mi = ui - upper.dp + d.dp;
        if mi >= d.nd() {
            break;
        }
        let li = ui - upper.dp + lower.dp;
        let l = lower.digit(li);
        let m = d.digit(mi);
        let u = upper.digit(ui);

        let okdown = l != m || inclusive && li + 1 == lower.nd();
        if upperdelta == 0 && m + 1 < u {
            upperdelta = 2;
        } else if upperdelta == 0 && m != u {
            upperdelta = 1;
        } else if upperdelta == 1 && (m != b'9' || u != b'0') {
            upperdelta = 2;
        }
        let okup = upperdelta > 0 && (inclusive || upperdelta > 1 || ui + 1 < upper.nd());

        match (okdown, okup) {
            (true, true) => return d.round(mi + 1),
            (true, false) => return d.round_down(mi + 1),
            (false, true) => return d.round_up(mi + 1),
            (false, false) => {}
        }
        ui += 1;
    }
}

/// Go's genericFtoa for float64.
fn append_float(dst: &mut Vec<u8>, val: f64, fmt: u8, prec: i32) {
    let bits = val.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> MANT_BITS) & 0x7FF) as i32;
    let mut mant = bits & ((1u64 << MANT_BITS) - 1);
    match exp {
        0x7FF => {
            let s: &[u8] = if mant != 0 {
                b"NaN"
            } else if neg {
                b"-Inf"
            } else {
                b"+Inf"
            };
            dst.extend_from_slice(s);
            return;
        }
        0 => exp += 1, // denormal
        _ => mant |= 1 << MANT_BITS,
    }
    exp += BIAS;
    match fmt {
        b'b' => fmt_b(dst, neg, mant, exp),
        b'x' | b'X' => fmt_x(dst, prec, fmt, neg, mant, exp),
        _ => big_ftoa(dst, prec, fmt, neg, mant, exp),
    }
}

fn big_ftoa(dst: &mut Vec<u8>, mut prec: i32, fmt: u8, neg: bool, mant: u64, exp: i32) {
    let mut d = Decimal::exact(mant, exp - MANT_BITS);
    let shortest = prec < 0;
    if shortest {
        round_shortest(&mut d, mant, exp);
        prec = match fmt {
            b'e' | b'E' => (d.nd() - 1).max(0),
            b'f' => (d.nd() - d.dp).max(0),
            b'g' | b'G' => d.nd(),
            _ => prec,
        };
    } else {
        match fmt {
            b'e' | b'E' => d.round(prec + 1),
            b'f' => d.round(d.dp + prec),
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                d.round(prec);
            }
            _ => {}
        }
    }
    format_digits(dst, shortest, neg, &d, prec, fmt);
}

fn format_digits(dst: &mut Vec<u8>, shortest: bool, neg: bool, d: &Decimal, mut prec: i32, fmt: u8) {
    match fmt {
        b'e' | b'E' => fmt_e(dst, neg, d, prec, fmt),
        b'f' => fmt_f(dst, neg, d, prec),
        b'g' | b'G' => {
            // Trailing fractional zeros in the %e form are trimmed.
            let mut eprec = prec;
            if eprec > d.nd() && d.nd() >= d.dp {
                eprec = d.nd();
            }
            // %e is used when the exponent is below -4 or at least the
            // precision; shortest output decides as if the precision were 6.
            if shortest {
                eprec = 6;
            }
            let exp = d.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > d.nd() {
                    prec = d.nd();
                }
                return fmt_e(dst, neg, d, prec - 1, fmt + b'e' - b'g');
            }
            if prec > d.dp {
                prec = d.nd();
            }
            fmt_f(dst, neg, d, (prec - d.dp).max(0));
        }
        _ => dst.extend_from_slice(&[b'%', fmt]),
    }
}

/// %e: -d.dddde±dd
fn fmt_e(dst: &mut Vec<u8>, neg: bool, d: &Decimal, prec: i32, fmt: u8) {
    if neg {
        dst.push(b'-');
    }
    dst.push(d.digit(0));
    if prec > 0 {
        dst.push(b'.');
        for i in 1..=prec {
            dst.push(d.digit(i));
        }
    }
    dst.push(fmt);
    // Zero has exponent 0.
    let exp = if d.d.is_empty() { 0 } else { d.dp - 1 };
    dst.push(if exp < 0 { b'-' } else { b'+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        dst.push(b'0');
    }
    dst.extend_from_slice(exp.to_string().as_bytes());
}

/// %f: -ddddddd.ddddd
fn fmt_f(dst: &mut Vec<u8>, neg: bool, d: &Decimal, prec: i32) {
    if neg {
        dst.push(b'-');
    }
    if d.dp > 0 {
        for i in 0..d.dp {
            dst.push(d.digit(i));
        }
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 0..prec {
            dst.push(d.digit(d.dp + i));
        }
    }
}

/// %b: -ddddp±ddd, the mantissa and a binary exponent.
fn fmt_b(dst: &mut Vec<u8>, neg: bool, mant: u64, exp: i32) {
    if neg {
        dst.push(b'-');
    }
    let exp = exp - MANT_BITS;
    let sign = if exp >= 0 { "+" } else { "" };
    dst.extend_from_slice(format!("{mant}p{sign}{exp}").as_bytes());
}

/// %x: -0x1.yyyyp±ddd, a hex fraction and a binary exponent.
fn fmt_x(dst: &mut Vec<u8>, prec: i32, fmt: u8, neg: bool, mut mant: u64, mut exp: i32) {
    if mant == 0 {
        exp = 0;
    }
    // Shift so the leading 1 (if any) is at bit 60.
    mant <<= 60 - MANT_BITS;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    // Round to prec hex digits, half to even.
    if (0..15).contains(&prec) {
        let shift = prec as u32 * 4;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            // Rounding carried into a new leading digit.
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 17] = if fmt == b'X' { UDIGITS } else { LDIGITS };
    if neg {
        dst.push(b'-');
    }
    dst.extend_from_slice(&[b'0', fmt, b'0' + ((mant >> 60) & 1) as u8]);
    mant <<= 4; // drop the leading digit
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    dst.push(if exp < 0 { b'-' } else { b'+' });
    dst.extend_from_slice(format!("{:02}", exp.unsigned_abs()).as_bytes());
}
