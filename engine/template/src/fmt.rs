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
    // Fast paths for what templates print most; the printer handles the rest.
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Int(i) | Value::Int64(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{i}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Float(f) if f.is_finite() => {
            if !push_shortest_g(out, *f) {
                Printer::new(out).print_arg(v, 'v');
            }
        }
        _ => Printer::new(out).print_arg(v, 'v'),
    }
}

/// `%v` of a finite float64 (strconv 'g', shortest), for values whose
/// shortest form has at most 15 significant digits: such a form is unique,
/// so Rust's digits are Go's and only the layout needs Go's rules (exponent
/// form when the decimal exponent is below -4 or at least 6). Returns false,
/// writing nothing, when the exact algorithm must decide between candidates.
fn push_shortest_g(out: &mut String, f: f64) -> bool {
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').expect("LowerExp has an exponent");
    let exp: i32 = exp.parse().expect("LowerExp exponent is an integer");
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|&c| c != '.').collect();
    if digits.len() > 15 {
        return false;
    }
    if neg {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return true;
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
        return true;
    }
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
        return true;
    }
    let point = exp as usize + 1;
    if digits.len() <= point {
        out.push_str(&digits);
        for _ in digits.len()..point {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..point]);
        out.push('.');
        out.push_str(&digits[point..]);
    }
    true
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
        for _ in 0..n {
            self.buf.push(c);
        }
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
        // Go allows a precision up to 1e6; Rust's own padding stops at
        // u16::MAX, so the zeros are added here.
        let hex = format!("{u:X}");
        let mut s = String::with_capacity(2 + prec.max(hex.len()) + 8);
        s.push_str("U+");
        s.extend(std::iter::repeat_n('0', prec.saturating_sub(hex.len())));
        s.push_str(&hex);
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

    /// Go's fmtComplex: `(re+imi)`, the imaginary part always signed.
    fn fmt_complex(&mut self, re: f64, im: f64, verb: char) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.f.plus;
                self.buf.push('(');
                self.fmt_float_verb(re, verb);
                self.f.plus = true;
                self.fmt_float_verb(im, verb);
                self.buf.push_str("i)");
                self.f.plus = old_plus;
            }
            _ => self.bad_verb(verb, &Value::Complex(re, im)),
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
            Value::List(_) | Value::Map(_) | Value::Bytes(_) | Value::Object(_) => self.fmt_0x64(0, !self.f.sharp),
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
            Value::Complex(r, i) => self.fmt_complex(*r, *i, verb),
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

    /// Go's argNumber: an optional `[n]` at the cursor selects the next
    /// operand; reports whether an index was there.
    fn arg_number(&mut self, c: &mut Cursor, num_args: usize) -> bool {
        if c.fmt.get(c.i) != Some(&b'[') {
            return false;
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&c.fmt[c.i..]);
        c.i += wid;
        if ok && index >= 0 && (index as usize) < num_args {
            c.arg_num = index as usize;
            return true;
        }
        self.good_arg_num = false;
        ok
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let mut c = Cursor { fmt: format.as_bytes(), i: 0, arg_num: 0, after_index: false };
        self.reordered = false;
        while c.i < c.fmt.len() {
            self.good_arg_num = true;
            let lasti = c.i;
            while c.i < c.fmt.len() && c.fmt[c.i] != b'%' {
                c.i += 1;
            }
            self.buf.push_str(&format[lasti..c.i]);
            if c.i >= c.fmt.len() {
                break;
            }
            c.i += 1; // skip %
            self.clear_flags();
            if self.parse_flags(&mut c, a) {
                continue;
            }
            c.after_index = self.arg_number(&mut c, a.len());
            self.parse_width(&mut c, a);
            self.parse_precision(&mut c, a);
            if !c.after_index {
                c.after_index = self.arg_number(&mut c, a.len());
            }
            let Some(verb) = format[c.i..].chars().next() else {
                self.buf.push_str("%!(NOVERB)");
                break;
            };
            c.i += verb.len_utf8();
            self.print_verb(verb, &mut c, a);
        }
        // Unused operands are reported, unless indexes were used.
        if !self.reordered && c.arg_num < a.len() {
            self.report_extra(&a[c.arg_num..]);
        }
    }

    /// Reads the flags after a `%`. Flags followed directly by a lower-case
    /// verb (the common case) are printed at once, and true is returned.
    fn parse_flags(&mut self, c: &mut Cursor, a: &[Value]) -> bool {
        while let Some(&ch) = c.fmt.get(c.i) {
            match ch {
                b'#' => self.f.sharp = true,
                b'0' => self.f.zero = true,
                b'+' => self.f.plus = true,
                b'-' => self.f.minus = true,
                b' ' => self.f.space = true,
                _ if ch.is_ascii_lowercase() && c.arg_num < a.len() => {
                    c.i += 1;
                    self.print_verb(ch as char, c, a);
                    return true;
                }
                _ => return false,
            }
            c.i += 1;
        }
        false
    }

    /// A width: digits, or `*` taking an int operand (negative means `-`).
    fn parse_width(&mut self, c: &mut Cursor, a: &[Value]) {
        if c.fmt.get(c.i) == Some(&b'*') {
            c.i += 1;
            (self.wid, self.f.wid_present, c.arg_num) = int_from_arg(a, c.arg_num);
            if !self.f.wid_present {
                self.buf.push_str("%!(BADWIDTH)");
            }
            if self.wid < 0 {
                self.wid = -self.wid;
                self.f.minus = true;
            }
            c.after_index = false;
        } else {
            (self.wid, self.f.wid_present, c.i) = parse_num(c.fmt, c.i, c.fmt.len());
            if c.after_index && self.f.wid_present {
                self.good_arg_num = false; // "%[3]2d"
            }
        }
    }

    /// A precision: `.` then digits (none means 0), or `.*` taking an int
    /// operand (negative means none). A `.` ending the format is the verb.
    fn parse_precision(&mut self, c: &mut Cursor, a: &[Value]) {
        if c.i + 1 >= c.fmt.len() || c.fmt[c.i] != b'.' {
            return;
        }
        c.i += 1;
        if c.after_index {
            self.good_arg_num = false; // "%[3].2d"
        }
        c.after_index = self.arg_number(c, a.len());
        if c.fmt.get(c.i) == Some(&b'*') {
            c.i += 1;
            (self.prec, self.f.prec_present, c.arg_num) = int_from_arg(a, c.arg_num);
            if self.prec < 0 {
                self.prec = 0;
                self.f.prec_present = false;
            }
            if !self.f.prec_present {
                self.buf.push_str("%!(BADPREC)");
            }
            c.after_index = false;
        } else {
            let present;
            (self.prec, present, c.i) = parse_num(c.fmt, c.i, c.fmt.len());
            if !present {
                self.prec = 0;
            }
            self.f.prec_present = true;
        }
    }

    /// Prints the operand for one verb, or the annotation saying why not.
    fn print_verb(&mut self, verb: char, c: &mut Cursor, a: &[Value]) {
        if verb == '%' {
            // Percent takes no operand and ignores width and precision.
            self.buf.push('%');
        } else if !self.good_arg_num {
            self.buf.push_str(&format!("%!{verb}(BADINDEX)"));
        } else if c.arg_num >= a.len() {
            self.buf.push_str(&format!("%!{verb}(MISSING)"));
        } else {
            if verb == 'v' || verb == 'w' {
                self.set_v_flags();
            }
            self.print_arg(&a[c.arg_num], verb);
            c.arg_num += 1;
        }
    }

    fn report_extra(&mut self, extra: &[Value]) {
        self.clear_flags();
        self.buf.push_str("%!(EXTRA ");
        for (k, arg) in extra.iter().enumerate() {
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

    /// %#v and %+v are verbs of their own: move # and + to their v forms.
    fn set_v_flags(&mut self) {
        self.f.sharp_v = self.f.sharp;
        self.f.sharp = false;
        self.f.plus_v = self.f.plus;
        self.f.plus = false;
    }
}

/// Where Sprintf is in its format and operands.
struct Cursor<'f> {
    fmt: &'f [u8],
    i: usize,
    arg_num: usize,
    /// The previous item was an explicit index like `[3]`.
    after_index: bool,
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

/// Text of bytes known to be ASCII (number formatting output).
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
    let inclusive = mant & 1 == 0;

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
        if (extra | (mant & 1)) > 1 << 59 {
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

#[cfg(test)]
mod tests {
    //! Expected outputs were all produced by the real Helm (Go text/template
    //! and fmt) with `helm-eval`; each case is the template action as Helm
    //! ran it, parsed back here into values.
    use super::*;
    use crate::value::Elem;
    use std::collections::BTreeMap;

    /// The fast `%v` float path must agree with Go's exact algorithm.
    #[test]
    fn fast_float_path_matches_exact_formatting() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut samples =
            vec![0.0, -0.0, 1.0, 1e6, 999999.0, 123456.0, 1e-4, 1e-5, 0.1, 1e21, 5e-324, f64::MAX, 1.5e-7];
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                samples.push(f);
            }
            samples.push((x % 10_000_000) as f64 / 1000.0);
        }
        for f in samples {
            let mut fast = String::new();
            if !push_shortest_g(&mut fast, f) {
                continue;
            }
            let mut exact = String::new();
            Printer::new(&mut exact).print_arg(&Value::Float(f), 'v');
            assert_eq!(fast, exact, "bits {:#x}", f.to_bits());
        }
    }

    /// (template action, Helm's output). Actions are `printf`, `print`,
    /// `println` calls, or a lone operand printed as `{{ x }}` prints it.
    const CASES: &[(&str, &str)] = &[
        ("printf \"%v\" 1e6", "1e+06"),
        ("printf \"%v\" 12345678.0", "1.2345678e+07"),
        ("printf \"%v\" 0.000001", "1e-06"),
        ("printf \"%v\" 1.5e-7", "1.5e-07"),
        ("printf \"%v\" -0.0", "-0"),
        ("printf \"%v\" 12345678901234567890.0", "1.2345678901234567e+19"),
        ("printf \"%v\" 100000.0", "100000"),
        ("printf \"%v\" 123456.0", "123456"),
        ("printf \"%v\" 0.0001", "0.0001"),
        ("printf \"%v\" 0.00001234", "1.234e-05"),
        ("printf \"%v\" 1e21", "1e+21"),
        ("printf \"%v\" 1e20", "1e+20"),
        ("printf \"%v\" 0.1", "0.1"),
        ("printf \"%v\" 3.14159", "3.14159"),
        ("printf \"%v\" 1.0", "1"),
        ("printf \"%v\" 2.5e-310", "2.5e-310"),
        ("printf \"%v\" 1.7976931348623157e308", "1.7976931348623157e+308"),
        ("printf \"%v\" 5e-324", "5e-324"),
        ("printf \"%v\" 0.3", "0.3"),
        ("printf \"%v\" 100.0", "100"),
        ("printf \"%v\" (float64 \"NaN\")", "NaN"),
        ("printf \"%v\" (float64 \"+Inf\")", "+Inf"),
        ("printf \"%v\" (float64 \"-Inf\")", "-Inf"),
        ("printf \"%5.1f|%-8v|%08v|%+v|% v\" (float64 \"NaN\") (float64 \"+Inf\") (float64 \"-Inf\") (float64 \"NaN\") (float64 \"+Inf\")", "  NaN|+Inf    |    -Inf|NaN| Inf"),
        ("printf \"%v %v %v\" 1.1 2.2 3.3000000000000003", "1.1 2.2 3.3000000000000003"),
        ("printf \"%v\" 9007199254740993.0", "9.007199254740992e+15"),
        ("printf \"%v\" 123456789.0", "1.23456789e+08"),
        ("printf \"%v\" 0.000123", "0.000123"),
        ("printf \"%e\" 1234.5678", "1.234568e+03"),
        ("printf \"%E\" 1234.5678", "1.234568E+03"),
        ("printf \"%.2e\" 1234.5678", "1.23e+03"),
        ("printf \"%.0e\" 1234.5678", "1e+03"),
        ("printf \"%.0e\" 2.5", "2e+00"),
        ("printf \"%.0e\" 3.5", "4e+00"),
        ("printf \"%e\" 0.0", "0.000000e+00"),
        ("printf \"%e\" 1e-300", "1.000000e-300"),
        ("printf \"%e\" 1e100", "1.000000e+100"),
        ("printf \"%f\" 1234.5678", "1234.567800"),
        ("printf \"%.2f\" 1234.5678", "1234.57"),
        ("printf \"%.0f\" 2.5", "2"),
        ("printf \"%.0f\" 3.5", "4"),
        ("printf \"%.0f\" 0.5", "0"),
        ("printf \"%.0f\" 1.5", "2"),
        ("printf \"%.0f\" 0.49999999999999994", "0"),
        ("printf \"%.1f\" 0.05", "0.1"),
        ("printf \"%.1f\" 0.25", "0.2"),
        ("printf \"%.1f\" 0.35", "0.3"),
        ("printf \"%.2f\" 1.005", "1.00"),
        ("printf \"%.3f\" 2.0005", "2.001"),
        ("printf \"%.20f\" 0.1", "0.10000000000000000555"),
        ("printf \"%.30f\" 1e-10", "0.000000000100000000000000003643"),
        ("printf \"%f\" 1e20", "100000000000000000000.000000"),
        ("printf \"%F\" 3.5", "3.500000"),
        ("printf \"%g\" 1234.5678", "1234.5678"),
        ("printf \"%g\" 1e6", "1e+06"),
        ("printf \"%g\" 123456.0", "123456"),
        ("printf \"%g\" 1e-5", "1e-05"),
        ("printf \"%.3g\" 1234.5678", "1.23e+03"),
        ("printf \"%.3g\" 100.0", "100"),
        ("printf \"%.3g\" 0.0001234", "0.000123"),
        ("printf \"%.10g\" 1.0", "1"),
        ("printf \"%.0g\" 1.5", "2"),
        ("printf \"%G\" 1e-10", "1E-10"),
        ("printf \"%.2G\" 1234.5678", "1.2E+03"),
        ("printf \"%5.2f\" 3.14159", " 3.14"),
        ("printf \"%-8.2f|\" 3.14159", "3.14    |"),
        ("printf \"%08.3f\" -3.14159", "-003.142"),
        ("printf \"%08.3f\" 3.14159", "0003.142"),
        ("printf \"%+08.3f\" 3.14159", "+003.142"),
        ("printf \"% 8.3f\" 3.14159", "   3.142"),
        ("printf \"% .3f\" -3.14159", "-3.142"),
        ("printf \"%+.3e\" 3.14159", "+3.142e+00"),
        ("printf \"%#g\" 1.0", "1.00000"),
        ("printf \"%#g\" 123456789.0", "1.23456789e+08"),
        ("printf \"%#.3g\" 1.0", "1.00"),
        ("printf \"%#e\" 1.0", "1.000000e+00"),
        ("printf \"%#.0f\" 1.0", "1."),
        ("printf \"%#.0e\" 1.0", "1.e+00"),
        ("printf \"%#v\" 1.0", "1"),
        ("printf \"%#g\" 0.0", "0.00000"),
        ("printf \"%x\" 1.5", "0x1.8p+00"),
        ("printf \"%X\" 1.5", "0X1.8P+00"),
        ("printf \"%x\" 1.0", "0x1p+00"),
        ("printf \"%x\" 0.1", "0x1.999999999999ap-04"),
        ("printf \"%.2x\" 0.1", "0x1.9ap-04"),
        ("printf \"%.0x\" 1.5", "0x1p+01"),
        ("printf \"%x\" 0.0", "0x0p+00"),
        ("printf \"%x\" -2.0", "-0x1p+01"),
        ("printf \"%#x\" 1.0", "0x1.0000p+00"),
        ("printf \"%x\" 5e-324", "0x1p-1074"),
        ("printf \"%x\" 1e300", "0x1.7e43c8800759cp+996"),
        ("printf \"%b\" 1.0", "4503599627370496p-52"),
        ("printf \"%b\" 0.1", "7205759403792794p-56"),
        ("printf \"%b\" -3.5", "-7881299347898368p-51"),
        ("printf \"%10.3e|%-10.3e|\" 123.456 123.456", " 1.235e+02|1.235e+02 |"),
        ("printf \"%010.3e\" -123.456", "-1.235e+02"),
        ("printf \"%d\" 1.5", "%!d(float64=1.5)"),
        ("printf \"%s\" 1.5", "%!s(float64=1.5)"),
        ("printf \"%t\" 1.5", "%!t(float64=1.5)"),
        ("printf \"%c\" 1.5", "%!c(float64=1.5)"),
        ("printf \"%5d\" 1.5", "%!d(float64=  1.5)"),
        ("printf \"%d\" 42", "42"),
        ("printf \"%d\" -42", "-42"),
        ("printf \"%5d|%-5d|%05d\" 42 42 42", "   42|42   |00042"),
        ("printf \"%+d|% d|%+d|% d\" 5 5 -5 -5", "+5| 5|-5|-5"),
        ("printf \"%05d\" -42", "-0042"),
        ("printf \"%-05d|\" -42", "-42  |"),
        ("printf \"%.3d\" 7", "007"),
        ("printf \"%.3d\" -7", "-007"),
        ("printf \"%8.3d|\" 7", "     007|"),
        ("printf \"%08.3d|\" 7", "     007|"),
        ("printf \"%.0d|%5.0d|%-5.0d|\" 0 0 0", "|     |     |"),
        ("printf \"%x|%X|%o|%O|%b\" 255 255 8 8 5", "ff|FF|10|0o10|101"),
        ("printf \"%x\" -255", "-ff"),
        ("printf \"%#x|%#X|%#o|%#b|%#O\" 255 255 8 5 8", "0xff|0XFF|010|0b101|0o010"),
        ("printf \"%#o\" 0", "0"),
        ("printf \"%#08x\" 255", "0x000000ff"),
        ("printf \"%08x\" -255", "-00000ff"),
        ("printf \"% x\" 255", " ff"),
        ("printf \"%+x\" 255", "+ff"),
        ("printf \"%c|%c|%c\" 65 233 128512", "A|é|😀"),
        ("printf \"%c\" -1", "�"),
        ("printf \"%c\" 1114112", "�"),
        ("printf \"%5c|%-5c|\" 65 65", "    A|A    |"),
        ("printf \"%q|%q|%q|%q\" 65 39 10 128512", "'A'|'\\''|'\\n'|'😀'"),
        ("printf \"%+q|%+q\" 233 128512", "'\\u00e9'|'\\U0001f600'"),
        ("printf \"%q\" 7", "'\\a'"),
        ("printf \"%q\" 55296", "'�'"),
        ("printf \"%q\" 1", "'\\x01'"),
        ("printf \"%U|%#U|%U\" 65 65 128512", "U+0041|U+0041 'A'|U+1F600"),
        ("printf \"%#U\" 10", "U+000A"),
        ("printf \"%.6U|%10U|%-10U|%010U\" 65 65 65 65", "U+000041|    U+0041|U+0041    |    U+0041"),
        ("printf \"%U\" -1", "U+FFFFFFFFFFFFFFFF"),
        ("printf \"%s\" 42", "%!s(int=42)"),
        ("printf \"%f\" 42", "%!f(int=42)"),
        ("printf \"%e\" 42", "%!e(int=42)"),
        ("printf \"%t\" 42", "%!t(int=42)"),
        ("printf \"%z\" 42", "%!z(int=42)"),
        ("printf \"%!\" 42", "%!!(int=42)"),
        ("printf \"%d\" (int64 5)", "5"),
        ("printf \"%T|%T|%T\" (int64 5) 5 1.5", "int64|int|float64"),
        ("printf \"%d|%x\" (int64 -9223372036854775807) (int64 -9223372036854775807)", "-9223372036854775807|-7fffffffffffffff"),
        ("printf \"%b\" -1", "-1"),
        ("printf \"%v|%d|%x|%c|%q|%T|%U|%#v\" (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0) (index \"abc\" 0)", "97|97|61|a|'a'|uint8|U+0061|0x61"),
        ("printf \"%s\" (index \"abc\" 0)", "%!s(uint8=97)"),
        ("printf \"%#5v|\" (index \"abc\" 1)", " 0x62|"),
        ("printf \"%#v|%+v\" 42 42", "42|42"),
        ("printf \"%s|%v\" \"hello\" \"hello\"", "hello|hello"),
        ("printf \"%10s|%-10s|\" \"hi\" \"hi\"", "        hi|hi        |"),
        ("printf \"%.3s\" \"hello\"", "hel"),
        ("printf \"%.3s\" \"héllo wörld\"", "hél"),
        ("printf \"%.0s|\" \"hello\"", "|"),
        ("printf \"%5.2s|\" \"héllo\"", "   hé|"),
        ("printf \"%6s|\" \"日本\"", "    日本|"),
        ("printf \"%05s\" \"ab\"", "000ab"),
        ("printf \"%-05s|\" \"ab\"", "ab   |"),
        ("printf \"%q\" \"hello \\\"world\\\"\\n\"", "\"hello \\\"world\\\"\\n\""),
        ("printf \"%q\" \"tab\\there\"", "\"tab\\there\""),
        ("printf \"%q\" \"é日本\\u00a0\\u00ad\\x7f\\x01\"", "\"é日本\\u00a0\\u00ad\\x7f\\x01\""),
        ("printf \"%q\" \"\\a\\b\\f\\r\\v\\\\\"", "\"\\a\\b\\f\\r\\v\\\\\""),
        ("printf \"%+q\" \"héllo 日本 😀\"", "\"h\\u00e9llo \\u65e5\\u672c \\U0001f600\""),
        ("printf \"%#q\" \"hello\"", "`hello`"),
        ("printf \"%#q\" \"has `backquote`\"", "\"has `backquote`\""),
        ("printf \"%#q\" \"new\\nline\"", "\"new\\nline\""),
        ("printf \"%#q\" \"tab\\tok\"", "`tab\tok`"),
        ("printf \"%#+q\" \"é\"", "`é`"),
        ("printf \"%q\" \"\\U0001F600\\u200b\\u0301\\ufeff\"", "\"😀\\u200b́\\ufeff\""),
        ("printf \"%q\" \"a\\u0300b\"", "\"àb\""),
        ("printf \"%10q|%-10q|\" \"a\" \"a\"", "       \"a\"|\"a\"       |"),
        ("printf \"%.2q\" \"hello\"", "\"he\""),
        ("printf \"%x|%X\" \"hello\" \"hello\"", "68656c6c6f|68656C6C6F"),
        ("printf \"% x|%#x|% #x|%# X\" \"hi!\" \"hi!\" \"hi!\" \"hi!\"", "68 69 21|0x686921|0x68 0x69 0x21|0X68 0X69 0X21"),
        ("printf \"%.2x\" \"hello\"", "6865"),
        ("printf \"%10x|%-10x|\" \"hi\" \"hi\"", "      6869|6869      |"),
        ("printf \"%x|%5x|\" \"\" \"\"", "|     |"),
        ("printf \"%d\" \"hello\"", "%!d(string=hello)"),
        ("printf \"%5d\" \"hi\"", "%!d(string=   hi)"),
        ("printf \"%-5d|\" \"hi\"", "%!d(string=hi   )|"),
        ("printf \"%c\" \"x\"", "%!c(string=x)"),
        ("printf \"%t\" \"x\"", "%!t(string=x)"),
        ("printf \"%#v\" \"a\\\"b\"", "\"a\\\"b\""),
        ("printf \"%T\" \"s\"", "string"),
        ("printf \"%10T|%-10T|%.2T\" \"s\" \"s\" \"s\"", "    string|string    |st"),
        ("printf \"%t|%v|%T\" true false true", "true|false|bool"),
        ("printf \"%5t|%-6t|\" true false", " true|false |"),
        ("printf \"%d\" true", "%!d(bool=true)"),
        ("printf \"%s\" false", "%!s(bool=false)"),
        ("printf \"%q\" true", "%!q(bool=true)"),
        ("printf \"%#v\" true", "true"),
        ("printf \"%v\" nil", "<nil>"),
        ("printf \"%d\" nil", "%!d(<nil>)"),
        ("printf \"%s\" nil", "%!s(<nil>)"),
        ("printf \"%T\" nil", "<nil>"),
        ("printf \"%5v|%-6v|\" nil nil", "<nil>|<nil> |"),
        ("printf \"%x\" nil", "%!x(<nil>)"),
        ("printf \"%#v\" nil", "<nil>"),
        ("printf \"%v\" (list 1 2 3)", "[1 2 3]"),
        ("printf \"%d\" (list 1 2 3)", "[1 2 3]"),
        ("printf \"%s\" (list \"a\" \"b\")", "[a b]"),
        ("printf \"%v\" (list)", "[]"),
        ("printf \"%v\" (list 1 \"a\" 1.5 true nil)", "[1 a 1.5 true <nil>]"),
        ("printf \"%d\" (list 1 \"a\" nil)", "[1 %!d(string=a) <nil>]"),
        ("printf \"%s\" (list 1 \"a\")", "[%!s(int=1) a]"),
        ("printf \"%5v|\" (list 1 \"a\")", "[    1     a]|"),
        ("printf \"%-4v|\" (list 1 \"a\")", "[1    a   ]|"),
        ("printf \"%x\" (list 255 \"hi\")", "[ff 6869]"),
        ("printf \"%q\" (list \"a\" 65)", "[\"a\" 'A']"),
        ("printf \"%05.1f\" (list 1.0 2.25)", "[001.0 002.2]"),
        ("printf \"%#v\" (list 1 \"a\" 1.5 nil true)", "[]interface {}{1, \"a\", 1.5, interface {}(nil), true}"),
        ("printf \"%#v\" (list)", "[]interface {}{}"),
        ("printf \"%#v\" (list (list 1) (dict \"a\" 1))", "[]interface {}{[]interface {}{1}, map[string]interface {}{\"a\":1}}"),
        ("printf \"%v\" (list (list 1 2) (list))", "[[1 2] []]"),
        ("printf \"%T\" (list 1)", "[]interface {}"),
        ("printf \"%t\" (list true 1)", "[true %!t(int=1)]"),
        ("printf \"%v\" (splitList \",\" \"a,b,c\")", "[a b c]"),
        ("printf \"%#v\" (splitList \",\" \"a,b\")", "[]string{\"a\", \"b\"}"),
        ("printf \"%T\" (splitList \",\" \"a,b\")", "[]string"),
        ("printf \"%q\" (splitList \",\" \"a,b\")", "[\"a\" \"b\"]"),
        ("printf \"%+v\" (list 1 -1)", "[1 -1]"),
        ("printf \"%+d\" (list 1 -1)", "[+1 -1]"),
        ("printf \"%v\" (dict \"b\" 2 \"a\" 1)", "map[a:1 b:2]"),
        ("printf \"%v\" (dict)", "map[]"),
        ("printf \"%d\" (dict \"a\" 1)", "map[%!d(string=a):1]"),
        ("printf \"%s\" (dict \"a\" \"x\" \"b\" 2)", "map[a:x b:%!s(int=2)]"),
        ("printf \"%x\" (dict \"a\" 255)", "map[61:ff]"),
        ("printf \"%#v\" (dict \"b\" \"x\" \"a\" 1)", "map[string]interface {}{\"a\":1, \"b\":\"x\"}"),
        ("printf \"%#v\" (dict)", "map[string]interface {}{}"),
        ("printf \"%#v\" (dict \"a\" nil)", "map[string]interface {}{\"a\":interface {}(nil)}"),
        ("printf \"%v\" (dict \"a\" nil \"b\" (list 1 nil))", "map[a:<nil> b:[1 <nil>]]"),
        ("printf \"%T\" (dict)", "map[string]interface {}"),
        ("printf \"%5v|\" (dict \"a\" 1)", "map[    a:    1]|"),
        ("printf \"%v\" (dict \"a\" (dict \"b\" (list 1.5 1e7)))", "map[a:map[b:[1.5 1e+07]]]"),
        ("printf \"%q\" (dict \"k\" \"v\")", "map[\"k\":\"v\"]"),
        ("printf \"%d %d\" 1", "1 %!d(MISSING)"),
        ("printf \"%d\" 1 2", "1%!(EXTRA int=2)"),
        ("printf \"%d\" 1 \"x\" nil (list 1)", "1%!(EXTRA string=x, <nil>, []interface {}=[1])"),
        ("printf \"hello\" 1", "hello%!(EXTRA int=1)"),
        ("printf \"%\"", "%!(NOVERB)"),
        ("printf \"abc%\"", "abc%!(NOVERB)"),
        ("printf \"%5\"", "%!(NOVERB)"),
        ("printf \"%-\"", "%!(NOVERB)"),
        ("printf \"%5.2\"", "%!(NOVERB)"),
        ("printf \"%5.\"", "%!.(MISSING)"),
        ("printf \"%5.d\" 3", "    3"),
        ("printf \"%[2]d %[1]d\" 1 2", "2 1"),
        ("printf \"%[2]d %d\" 1 2 3", "2 3"),
        ("printf \"%[3]d\" 1 2", "%!d(BADINDEX)"),
        ("printf \"%[0]d\" 1", "%!d(BADINDEX)"),
        ("printf \"%[x]d\" 1", "%!d(BADINDEX)"),
        ("printf \"%[1]d %[1]x %[1]o\" 10", "10 a 12"),
        ("printf \"%[2]*[1]d|\" 12 5", "   12|"),
        ("printf \"%*d|%-*d|\" 5 1 5 2", "    1|2    |"),
        ("printf \"%*d|\" -5 1", "1    |"),
        ("printf \"%.*f\" 2 3.14159", "3.14"),
        ("printf \"%*.*f|\" 8 2 3.14159", "    3.14|"),
        ("printf \"%*d\" \"x\" 1", "%!(BADWIDTH)1"),
        ("printf \"%.*d\" \"x\" 1", "%!(BADPREC)1"),
        ("printf \"%.*d\" -1 1", "%!(BADPREC)1"),
        ("printf \"%*d\" 10000000 1", "%!(BADWIDTH)1"),
        ("printf \"%*d\" (int64 3) 1", "  1"),
        ("printf \"%*d\" 3.0 1", "%!(BADWIDTH)1"),
        ("printf \"%[1]*d\" 3", "%!d(MISSING)"),
        ("printf \"%[5]d\"", "%!d(BADINDEX)"),
        ("printf \"%[1]2d\" 1", "%!d(BADINDEX)"),
        ("printf \"%[1].2d\" 1", "%!d(BADINDEX)"),
        ("printf \"%[1]\" 1", "%!(NOVERB)"),
        ("printf \"%[1\" 1", "%!(NOVERB)"),
        ("printf \"%[]d\" 1", "%!d(BADINDEX)"),
        ("printf \"%d %[1]d %d\" 1 2", "1 1 2"),
        ("printf \"%d%%%d\" 1 2", "1%2"),
        ("printf \"%5%|%-5%\" ", "%|%"),
        ("printf \"%v %v\" 1", "1 %!v(MISSING)"),
        ("printf \"%é\" 1", "%!é(int=1)"),
        ("printf \"%!d\" 1", "%!!(int=1)d"),
        ("printf \"%.3v\" \"hello\"", "hel"),
        ("printf \"%.3v\" 3.14159", "3.14"),
        ("printf \"%6.3v|\" 3.14159", "  3.14|"),
        ("printf \"%.3v\" 42", "042"),
        ("printf \"%w\" 1", "%!w(int=1)"),
        ("printf \"%w\" \"x\"", "%!w(string=x)"),
        ("printf \"%p\" 1", "%!p(int=1)"),
        ("printf \"%s\" \"x\" 1.5 true", "x%!(EXTRA float64=1.5, bool=true)"),
        ("printf \"%.2d\" 3.14159", "%!d(float64=3.1)"),
        ("printf \"%08s\" (list \"a\" 1)", "[0000000a %!s(int=00000001)]"),
        ("printf \"%010d\" 1000000000000", "1000000000000"),
        ("printf \"%100000000d\" 1", "%!(NOVERB)%!(EXTRA int=1)"),
        ("print 1 2", "1 2"),
        ("print \"a\" \"b\"", "ab"),
        ("print 1 \"a\" 2", "1a2"),
        ("print \"a\" 1 \"b\"", "a1b"),
        ("print 1.5 true nil", "1.5 true <nil>"),
        ("print nil nil", "<nil> <nil>"),
        ("print (list 1) (list 2)", "[1] [2]"),
        ("print", ""),
        ("println 1 \"a\" 2", "1 a 2\n"),
        ("println", "\n"),
        ("println nil (list 1 nil)", "<nil> [1 <nil>]\n"),
        ("print 1e6 1e-7 (int64 3)", "1e+06 1e-07 3"),
        ("1e6", "1e+06"),
        ("0.1", "0.1"),
        ("(list 1 \"a\" nil)", "[1 a <nil>]"),
        ("(dict \"a\" (list 1.5))", "map[a:[1.5]]"),
        ("(index \"abc\" 0)", "97"),
        ("true", "true"),
        ("\"plain\"", "plain"),
        ("(int64 -3)", "-3"),
        ("printf \"%6.2v|\" (list 1.234 5.0)", "[   1.2      5]|"),
        ("printf \"%#x|% x|%# x\" (list \"ab\" 10) (list \"ab\" \"cd\") (list \"ab\")", "[0x6162 0xa]|[61 62 63 64]|[0x61 0x62]"),
        ("printf \"%-#10x|%#-10X|\" 255 255", "0xff      |0XFF      |"),
        ("printf \"%#q\" \"bom\\ufeff\"", "\"bom\\ufeff\""),
        ("printf \"%c|%c\" (int64 66) (index \"xyz\" 2)", "B|z"),
        ("printf \"%.4x|%#.4x|%+.3d|% 05d|%+05d\" 255 255 7 42 42", "00ff|0x00ff|+007| 0042|+0042"),
        ("printf \"%x|%d\" (int64 \"-9223372036854775808\") (int64 \"-9223372036854775808\")", "-8000000000000000|-9223372036854775808"),
        ("printf \"%O|%#b|%o\" -8 -5 -8", "-0o10|-0b101|-10"),
        ("printf \"%.50e\" 0.1", "1.00000000000000005551115123125782702118158340454102e-01"),
        ("printf \"%g|%g|%g|%g\" 0.0001 0.00001 1e5 1e-4", "0.0001|1e-05|100000|0.0001"),
        ("printf \"%.3s\" (splitList \",\" \"abcdef,gh\")", "[abc gh]"),
        ("printf \"%08v|%08q|%-08v|\" \"ab\" \"ab\" 1.5", "000000ab|0000\"ab\"|1.5     |"),
        ("printf \"%+q\" (list \"é\" 233)", "[\"\\u00e9\" '\\u00e9']"),
        ("printf \"%v\" (list (dict) (list (dict \"a\" (list))))", "[map[] [map[a:[]]]]"),
        ("printf \"%08.3v\" 3.14159", "00003.14"),
        ("printf \"%-+8.2f|% -8.2f|\" 3.14159 3.14159", "+3.14   | 3.14   |"),
        ("printf \"%010.2e|%-010.2e|\" 1234.5 1234.5", "001.23e+03|1.23e+03  |"),
        ("printf \"%010v|%010v\" (float64 \"NaN\") (float64 \"-Inf\")", "       NaN|      -Inf"),
        ("printf \"%+010v|% 010v\" (float64 \"NaN\") (float64 \"NaN\")", "       NaN|       NaN"),
        ("printf \"%5.3x|%-7.1X|\" \"hello\" \"hello\"", "68656c|68     |"),
        ("printf \"%.1q\" \"日本語\"", "\"日\""),
        ("printf \"%5.1s|\" \"日本語\"", "    日|"),
        ("printf \"%U\" 128512", "U+1F600"),
        ("printf \"%#.2U|%#U\" 65 128512", "U+0041 'A'|U+1F600 '😀'"),
        ("printf \"%#U\" 768", "U+0300 '̀'"),
        ("printf \"%d|%v\" (list (int64 1) (index \"a\" 0)) (list (int64 1) (index \"a\" 0))", "[1 97]|[1 97]"),
        ("printf \"%T|%T\" (list (list 1)) (dict \"a\" (list))", "[]interface {}|map[string]interface {}"),
        ("printf \"%s|%v|%d\" \"\" \"\" \"\"", "||%!d(string=)"),
        ("printf \"%q|%#q|%x|%X\" \"\" \"\" \"\" \"\"", "\"\"|``||"),
        ("printf \"%3c|%-3c|%03c\" 97 97 97", "  a|a  |00a"),
        ("printf \"%03q|%-4q|\" 97 97", "'a'|'a' |"),
        ("printf \"%03t|%03s|%03v\" true \"x\" (list 1)", "true|00x|[001]"),
        ("printf \"%.2f%%\" 99.5", "99.50%"),
        ("printf \"%d items at %.1f%% cost %s\" 3 12.25 \"USD\"", "3 items at 12.2% cost USD"),
        ("printf \"%[2]s-%[1]s-%s\" \"a\" \"b\"", "b-a-b"),
        ("printf \"%[1]s %[1]q %[1]x\" \"hi\"", "hi \"hi\" 6869"),
        ("printf \"%[-1]d\" 1", "%!d(BADINDEX)"),
        ("printf \"%[2]d\" 1 2", "2"),
        ("printf \"%[1]*.[2]*[3]f|\" 8 2 3.14159", "    3.14|"),
        ("printf \"%-*.*s|\" 6 2 \"hello\"", "he    |"),
        ("printf \"%0*d\" 5 42", "00042"),
        ("printf \"%.*s\" (int64 2) \"hello\"", "he"),
        ("printf \"%.*s\" (index \"\\x03\" 0) \"hello\"", "hel"),
        ("printf \"%*s\" nil \"x\"", "%!(BADWIDTH)x"),
        ("printf \"%v %v %v\" 1 \"two\" 3.0", "1 two 3"),
        ("printf \"%s\" (dict \"b\" (list \"x\" \"y\") \"a\" \"z\")", "map[a:z b:[x y]]"),
        ("print \"a\" 1.5 (list 1) \"b\" (dict \"k\" 2) nil \"c\"", "a1.5 [1]bmap[k:2] <nil>c"),
        ("print (int64 1) (index \"a\" 0) true false", "1 97 true false"),
        ("println \"a\" \"b\" 1.5", "a b 1.5\n"),
        ("print 1e21 1e20 123456789.0 0.000012", "1e+21 1e+20 1.23456789e+08 1.2e-05"),
        ("(list 1e6 1.5e-7 -0.0 100000.0)", "[1e+06 1.5e-07 -0 100000]"),
        ("(dict \"x\" 12345678.0 \"y\" (list true nil \"s\"))", "map[x:1.2345678e+07 y:[true <nil> s]]"),
        ("(splitList \",\" \"x,y\")", "[x y]"),
        ("12345678901234567890.0", "1.2345678901234567e+19"),
        ("printf \"%.16g|%.3f|%f|%.1f|%.0e\" -698.0 -698.0 -698.0 -698.0 -698.0", "-698|-698.000|-698.000000|-698.0|-7e+02"),
        ("printf \"%g|%.10f|%.0e|%.6g|%.1f\" 1.7555213349707779e-118 1.7555213349707779e-118 1.7555213349707779e-118 1.7555213349707779e-118 1.7555213349707779e-118", "1.7555213349707779e-118|0.0000000000|2e-118|1.75552e-118|0.0"),
        ("printf \"%v|%.1f|%.17e|%.6g|%.3e\" 685624046012936.0 685624046012936.0 685624046012936.0 685624046012936.0 685624046012936.0", "6.85624046012936e+14|685624046012936.0|6.85624046012936000e+14|6.85624e+14|6.856e+14"),
        ("printf \"%.1g|%.3g|%.6g|%.0e|%#g\" 0.250037 0.250037 0.250037 0.250037 0.250037", "0.3|0.25|0.250037|3e-01|0.250037"),
        ("printf \"%#.4g|%#g|%.0e|%f|%.17e\" -647564.5430192593 -647564.5430192593 -647564.5430192593 -647564.5430192593 -647564.5430192593", "-6.476e+05|-647564.5430192593|-6e+05|-647564.543019|-6.47564543019259349e+05"),
        ("printf \"%g|%.10f|%x|%.16g|%.3f\" -675393.6244558052 -675393.6244558052 -675393.6244558052 -675393.6244558052 -675393.6244558052", "-675393.6244558052|-675393.6244558052|-0x1.49c833fb8abdap+19|-675393.6244558052|-675393.624"),
        ("printf \"%+.4e|%.10f|%g|%.3e|%.1g\" 2.295168683253024e+278 2.295168683253024e+278 2.295168683253024e+278 2.295168683253024e+278 2.295168683253024e+278", "+2.2952e+278|229516868325302387606522958051857104853170157203327904563634937290540471904316819259242385579251002458404462312983456645738800989032342220604071594595718986110863239323573215212392541452196667480032073082690419097221012598405227392586748493490570176192090242660556119922027003904.0000000000|2.295168683253024e+278|2.295e+278|2e+278"),
        ("printf \"%.1f|%.10f|%.0f|%.2f|%.3e\" -944125.8491558711 -944125.8491558711 -944125.8491558711 -944125.8491558711 -944125.8491558711", "-944125.8|-944125.8491558711|-944126|-944125.85|-9.441e+05"),
        ("printf \"%.3g|%.1f|%.1g|%f|%.2f\" 892330.6907960367 892330.6907960367 892330.6907960367 892330.6907960367 892330.6907960367", "8.92e+05|892330.7|9e+05|892330.690796|892330.69"),
        ("printf \"%.0e|%.3g|%#.4g|%g|%.2f\" 3.920590545061069e+53 3.920590545061069e+53 3.920590545061069e+53 3.920590545061069e+53 3.920590545061069e+53", "4e+53|3.92e+53|3.921e+53|3.920590545061069e+53|392059054506106930325606656585172443189531335553187840.00"),
        ("printf \"%.3f|%.1g|%e|%.0e|%.10f\" 3.7674213402721535e+175 3.7674213402721535e+175 3.7674213402721535e+175 3.7674213402721535e+175 3.7674213402721535e+175", "37674213402721535299161741219496792067915180419785170753934984009445280493506541669008222113277245798961626163173738486148838019653334649548956481243330548615183195663750922240.000|4e+175|3.767421e+175|4e+175|37674213402721535299161741219496792067915180419785170753934984009445280493506541669008222113277245798961626163173738486148838019653334649548956481243330548615183195663750922240.0000000000"),
        ("printf \"%.16g|%.1f|%+.4e|%f|%v\" -756756.0912316387 -756756.0912316387 -756756.0912316387 -756756.0912316387 -756756.0912316387", "-756756.0912316387|-756756.1|-7.5676e+05|-756756.091232|-756756.0912316387"),
        ("printf \"%.10f|%x|%.2f|%#.4g|%g\" 0.12503 0.12503 0.12503 0.12503 0.12503", "0.1250300000|0x1.000fba8826aa9p-03|0.13|0.1250|0.12503"),
        ("printf \"%f|%.3g|%e|%.10f|%v\" -884946.9751181074 -884946.9751181074 -884946.9751181074 -884946.9751181074 -884946.9751181074", "-884946.975118|-8.85e+05|-8.849470e+05|-884946.9751181074|-884946.9751181074"),
        ("printf \"%.0e|%.3f|%.3x|%.16g|%.6g\" -899240.5655809348 -899240.5655809348 -899240.5655809348 -899240.5655809348 -899240.5655809348", "-9e+05|-899240.566|-0x1.b71p+19|-899240.5655809348|-899241"),
        ("printf \"%.1g|%+.4e|%#.4g|%.1f|%.6g\" 9.911402960380688e+16 9.911402960380688e+16 9.911402960380688e+16 9.911402960380688e+16 9.911402960380688e+16", "1e+17|+9.9114e+16|9.911e+16|99114029603806880.0|9.9114e+16"),
        ("printf \"%.0f|%+.4e|%#.4g|%.0e|%f\" -461926.58773325966 -461926.58773325966 -461926.58773325966 -461926.58773325966 -461926.58773325966", "-461927|-4.6193e+05|-4.619e+05|-5e+05|-461926.587733"),
        ("printf \"%.3x|%g|%.6g|%.16g|%.0e\" 259339.75328221265 259339.75328221265 259339.75328221265 259339.75328221265 259339.75328221265", "0x1.fa8p+17|259339.75328221265|259340|259339.7532822127|3e+05"),
        ("printf \"%g|%.16g|%.1g|%f|%.6g\" -790.167 -790.167 -790.167 -790.167 -790.167", "-790.167|-790.167|-8e+02|-790.167000|-790.167"),
        ("printf \"%.2f|%.16g|%.3e|%.10f|%.6g\" 367.0 367.0 367.0 367.0 367.0", "367.00|367|3.670e+02|367.0000000000|367"),
        ("printf \"%f|%x|%.1f|%+.4e|%.0f\" 5216766137150480.0 5216766137150480.0 5216766137150480.0 5216766137150480.0 5216766137150480.0", "5216766137150480.000000|0x1.2889f047b2c1p+52|5216766137150480.0|+5.2168e+15|5216766137150480"),
        ("printf \"%.1f|%.10f|%.1g|%e|%.3f\" 0.12554 0.12554 0.12554 0.12554 0.12554", "0.1|0.1255400000|0.1|1.255400e-01|0.126"),
        ("printf \"%.3x|%#g|%.1f|%#.4g|%.17e\" 44416451377263.0 44416451377263.0 44416451377263.0 44416451377263.0 44416451377263.0", "0x1.433p+45|4.4416451377263e+13|44416451377263.0|4.442e+13|4.44164513772630000e+13"),
        ("printf \"%e|%+.4e|%.2f|%#g|%#.4g\" -522.67 -522.67 -522.67 -522.67 -522.67", "-5.226700e+02|-5.2267e+02|-522.67|-522.670|-522.7"),
        ("printf \"%#.4g|%.16g|%+.4e|%.3f|%v\" 3695923159601.0 3695923159601.0 3695923159601.0 3695923159601.0 3695923159601.0", "3.696e+12|3695923159601|+3.6959e+12|3695923159601.000|3.695923159601e+12"),
        ("printf \"%.16g|%.2f|%.17e|%.3g|%.3e\" 860477.0142857323 860477.0142857323 860477.0142857323 860477.0142857323 860477.0142857323", "860477.0142857323|860477.01|8.60477014285732294e+05|8.6e+05|8.605e+05"),
        ("printf \"%.3g|%v|%#.4g|%e|%.2f\" 48873.36408407171 48873.36408407171 48873.36408407171 48873.36408407171 48873.36408407171", "4.89e+04|48873.36408407171|4.887e+04|4.887336e+04|48873.36"),
        ("printf \"%.3e|%.3f|%.10f|%x|%.3g\" -151355.19318042952 -151355.19318042952 -151355.19318042952 -151355.19318042952 -151355.19318042952", "-1.514e+05|-151355.193|-151355.1931804295|-0x1.279d98ba22e58p+17|-1.51e+05"),
        ("printf \"%.0e|%f|%x|%.16g|%.6g\" 51571.0 51571.0 51571.0 51571.0 51571.0", "5e+04|51571.000000|0x1.92e6p+15|51571|51571"),
        ("printf \"%.3g|%.3f|%.1g|%.16g|%v\" -440387.14348132955 -440387.14348132955 -440387.14348132955 -440387.14348132955 -440387.14348132955", "-4.4e+05|-440387.143|-4e+05|-440387.1434813295|-440387.14348132955"),
        ("printf \"%.1f|%f|%g|%#g|%.0f\" 840153.4417570217 840153.4417570217 840153.4417570217 840153.4417570217 840153.4417570217", "840153.4|840153.441757|840153.4417570217|840153.4417570217|840153"),
        ("printf \"%.0e|%.1f|%.3f|%.17e|%.1g\" 862112.4735249281 862112.4735249281 862112.4735249281 862112.4735249281 862112.4735249281", "9e+05|862112.5|862112.474|8.62112473524928093e+05|9e+05"),
        ("printf \"%.3e|%.3f|%e|%#g|%.1f\" -3049.4632060509175 -3049.4632060509175 -3049.4632060509175 -3049.4632060509175 -3049.4632060509175", "-3.049e+03|-3049.463|-3.049463e+03|-3049.4632060509175|-3049.5"),
        ("printf \"%.17e|%.16g|%#.4g|%.1f|%.3x\" 984.8975 984.8975 984.8975 984.8975 984.8975", "9.84897500000000036e+02|984.8975|984.9|984.9|0x1.ec7p+09"),
        ("printf \"%v|%.6g|%.16g|%.0e|%.10f\" 3.6438911421534e+171 3.6438911421534e+171 3.6438911421534e+171 3.6438911421534e+171 3.6438911421534e+171", "3.6438911421534e+171|3.64389e+171|3.6438911421534e+171|4e+171|3643891142153399966666482919444424156651149193537719882341677105595049397587641829204158552550822757848335150640854058569149555535572481388770927938664121956341830465355776.0000000000"),
        ("printf \"%.0f|%.16g|%.3g|%#.4g|%f\" 4.925227473254759e-57 4.925227473254759e-57 4.925227473254759e-57 4.925227473254759e-57 4.925227473254759e-57", "0|4.925227473254759e-57|4.93e-57|4.925e-57|0.000000"),
        ("printf \"%.6g|%.3g|%.3x|%.17e|%.1g\" 57166403352842.0 57166403352842.0 57166403352842.0 57166403352842.0 57166403352842.0", "5.71664e+13|5.72e+13|0x1.9ffp+45|5.71664033528420000e+13|6e+13"),
        ("printf \"%.3x|%.6g|%.1f|%+.4e|%.3e\" 675.0 675.0 675.0 675.0 675.0", "0x1.518p+09|675|675.0|+6.7500e+02|6.750e+02"),
        ("printf \"%.3e|%.1f|%g|%x|%.3x\" -701.1 -701.1 -701.1 -701.1 -701.1", "-7.011e+02|-701.1|-701.1|-0x1.5e8cccccccccdp+09|-0x1.5e9p+09"),
        ("printf \"%f|%#.4g|%.1g|%.16g|%+.4e\" -865.76 -865.76 -865.76 -865.76 -865.76", "-865.760000|-865.8|-9e+02|-865.76|-8.6576e+02"),
        ("printf \"%q\" \"\\U00000080\\U00000083\\U00000086\\U00000089\\U0000008C\\U0000008F\\U00000092\\U00000095\\U00000098\\U0000009B\\U0000009E\\U000000A1\\U000000A4\\U000000A7\\U000000AA\\U000000AD\\U000000B0\\U000000B3\\U000000B6\\U000000B9\\U000000BC\\U000000BF\\U000000C2\\U000000C5\\U000000C8\\U000000CB\\U000000CE\\U000000D1\\U000000D4\\U000000D7\\U000000DA\\U000000DD\\U000000E0\\U000000E3\\U000000E6\\U000000E9\\U000000EC\\U000000EF\\U000000F2\\U000000F5\"", "\"\\u0080\\u0083\\u0086\\u0089\\u008c\\u008f\\u0092\\u0095\\u0098\\u009b\\u009e¡¤§ª\\u00ad°³¶¹¼¿ÂÅÈËÎÑÔ×ÚÝàãæéìïòõ\""),
        ("printf \"%q\" \"\\U0000D7BF\\U000089CC\\U00004D73\\U00007662\\U0000AA60\\U0000C066\\U0000BF32\\U000044D5\\U00005514\\U000077FC\\U00004A1B\\U00008D68\\U00005590\\U00009465\\U00005EC2\\U00000AEE\\U0000D1D4\\U0000724B\\U00009C78\\U0000589B\\U00000D22\\U00006863\\U0000A5A4\\U00009ED6\\U0000A9D6\\U00002A1D\\U00001761\\U0000AA2F\\U0000A899\\U00005D1B\\U00007F5C\\U00006258\\U0000B5E5\\U00006242\\U0000A3DE\\U0000BCFA\\U00004F67\\U0000C4EF\\U00008550\\U00000DAD\"", "\"ힿ觌䵳癢ꩠ쁦뼲䓕唔矼䨛赨喐鑥廂૮퇔牋鱸墛ഢ档ꖤ黖꧖⨝ᝡꨯꢙ崛罜托뗥扂ꏞ볺佧쓯蕐ත\""),
        ("printf \"%q\" \"\\U00004A38\\U0000D07E\\U000066A0\\U00002CBA\\U00007DC1\\U000090A8\\U000039FF\\U000030BA\\U00003D93\\U00000DB0\\U000033B7\\U00009DA3\\U00006F5B\\U000088EF\\U00003314\\U0000AAFF\\U00000F09\\U00002BA6\\U0000242D\\U0000A3D2\\U00003311\\U00007957\\U00008582\\U0000374F\\U00001749\\U00000DBD\\U00006F32\\U00007AB1\\U0000595F\\U00007061\\U00001068\\U0000BC14\\U0000BEC8\\U00001515\\U0000453E\\U00006F3E\\U00001204\\U00006D88\\U00008645\\U00000ED3\"", "\"䨸큾暠Ⲻ緁邨㧿ズ㶓ධ㎷鶣潛裯㌔\\uaaff༉⮦\\u242dꏒ㌑祗薂㝏ᝉල漲窱奟灡ၨ바뻈ᔕ䔾漾ሄ消虅໓\""),
        ("printf \"%q\" \"\\U0000F0DA\\U0000E361\\U0000F5C5\\U0000E71D\\U0000ED49\\U0000EE1B\\U0000F371\\U0000FC4C\\U0000EB11\\U0000EAC5\\U0000EFB6\\U0000FEE9\\U0000EDC9\\U0000F758\\U0000EEDE\\U0000EB3F\\U0000F93B\\U0000FB2B\\U0000EB57\\U0000F350\\U0000FC4F\\U0000F7F6\\U0000E395\\U0000E507\\U0000FD41\\U0000FF5E\\U0000E126\\U0000EB4B\\U0000F12E\\U0000FADA\\U0000FFAC\\U0000EE33\\U0000F8E7\\U0000FF0F\\U0000F624\\U0000F9FE\\U0000FEEB\\U0000EB70\\U0000E759\\U0000FAD3\"", "\"\\uf0da\\ue361\\uf5c5\\ue71d\\ued49\\uee1b\\uf371ﱌ\\ueb11\\ueac5\\uefb6ﻩ\\uedc9\\uf758\\ueede\\ueb3f碌שׂ\\ueb57\\uf350ﱏ\\uf7f6\\ue395\\ue507﵁～\\ue126\\ueb4b\\uf12e\\ufadaﾬ\\uee33\\uf8e7／\\uf624茶ﻫ\\ueb70\\ue759䀘\""),
        ("printf \"%q\" \"\\U00030365\\U0002D24D\\U000117DE\\U00016AA8\\U00024B9A\\U0001D423\\U00028725\\U0002A8E3\\U0001E37D\\U00016F95\\U00012F28\\U00015A5D\\U0001456D\\U00023672\\U0001C9C4\\U0001BB6B\\U0002C76B\\U0001BC73\\U0001595B\\U000266CE\\U00014A2F\\U0002F1B8\\U00030013\\U00019D40\\U00019141\\U0001F23A\\U0001E6E4\\U0002F095\\U00021C65\\U00029E27\\U00013E05\\U0001EC5F\\U000233C0\\U00026AB7\\U000146CA\\U0001B04A\\U0001A34C\\U00011A88\\U0002CB7E\\U000170D4\"", "\"𰍥𭉍\\U000117de𖪨𤮚𝐣𨜥𪣣\\U0001e37d𖾕\\U00012f28\\U00015a5d𔕭𣙲\\U0001c9c4\\U0001bb6b𬝫𛱳\\U0001595b𦛎\\U00014a2f\\U0002f1b8𰀓\\U00019d40\\U00019141🈺𞛤\\U0002f095𡱥𩸧𓸅\\U0001ec5f𣏀𦪷\\U000146ca𛁊\\U0001a34c𑪈𬭾𗃔\""),
        ("printf \"%q\" \"\\U00015BB3\\U00030D1A\\U00014260\\U0001D256\\U0003059B\\U0002BB7F\\U000164C1\\U0001DC18\\U0001F4E9\\U0001B7CA\\U0001ACFA\\U00023E7C\\U00014C3C\\U0001B7AA\\U00022072\\U00023714\\U0001998C\\U0002CEED\\U00027945\\U00013082\\U000129B4\\U0001C14F\\U00026855\\U0002CD5E\\U0002580F\\U000236D9\\U0002818A\\U00030CA2\\U000125BD\\U00011802\\U000265B5\\U00010358\\U00029D9C\\U00015409\\U0001B311\\U0001AB70\\U000191D9\\U00018799\\U000274B9\\U0002159A\"", "\"\\U00015bb3𰴚𔉠\\U0001d256𰖛𫭿\\U000164c1\\U0001dc18📩\\U0001b7ca\\U0001acfa𣹼\\U00014c3c\\U0001b7aa𢁲𣜔\\U0001998c𬻭𧥅𓂂\\U000129b4\\U0001c14f𦡕𬵞𥠏𣛙𨆊𰲢\\U000125bd𑠂𦖵𐍘𩶜\\U00015409\\U0001b311\\U0001ab70\\U000191d9𘞙𧒹𡖚\""),
    ];

    /// A tokenizer and evaluator for the few template forms the cases use.
    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn skip_space(&mut self) {
            while self.i < self.s.len() && self.s[self.i] == b' ' {
                self.i += 1;
            }
        }

        fn at_end(&mut self) -> bool {
            self.skip_space();
            self.i >= self.s.len() || self.s[self.i] == b')'
        }

        fn word(&mut self) -> &str {
            self.skip_space();
            let start = self.i;
            while self.i < self.s.len() && !b" ()".contains(&self.s[self.i]) {
                self.i += 1;
            }
            std::str::from_utf8(&self.s[start..self.i]).unwrap()
        }

        fn string(&mut self) -> String {
            let close = self.s[self.i];
            self.i += 1;
            let mut out = Vec::new();
            while self.s[self.i] != close {
                let c = self.s[self.i];
                self.i += 1;
                if c != b'\\' || close == b'`' {
                    out.push(c);
                    continue;
                }
                let e = self.s[self.i];
                self.i += 1;
                let simple = match e {
                    b'a' => Some(7),
                    b'b' => Some(8),
                    b'f' => Some(12),
                    b'n' => Some(10),
                    b'r' => Some(13),
                    b't' => Some(9),
                    b'v' => Some(11),
                    b'\\' | b'"' | b'\'' => Some(e),
                    _ => None,
                };
                if let Some(b) = simple {
                    out.push(b);
                    continue;
                }
                let n = match e {
                    b'x' => 2,
                    b'u' => 4,
                    b'U' => 8,
                    _ => panic!("escape \\{}", e as char),
                };
                let hex = std::str::from_utf8(&self.s[self.i..self.i + n]).unwrap();
                self.i += n;
                let v = u32::from_str_radix(hex, 16).unwrap();
                if e == b'x' {
                    out.push(v as u8);
                } else {
                    out.extend_from_slice(char::from_u32(v).unwrap().to_string().as_bytes());
                }
            }
            self.i += 1;
            String::from_utf8(out).unwrap()
        }

        fn term(&mut self) -> Value {
            self.skip_space();
            match self.s[self.i] {
                b'"' | b'`' => Value::string(self.string()),
                b'(' => {
                    self.i += 1;
                    let name = self.word().to_string();
                    let mut args = Vec::new();
                    while !self.at_end() {
                        args.push(self.term());
                    }
                    self.i += 1;
                    call(&name, args)
                }
                _ => match self.word() {
                    "nil" => Value::Nil,
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    w if w.contains(['.', 'e', 'E']) => Value::Float(w.parse().unwrap()),
                    w => Value::Int(w.parse().unwrap()),
                },
            }
        }
    }

    /// The Sprig and builtin functions the cases use to build operands.
    fn call(name: &str, args: Vec<Value>) -> Value {
        match (name, args.as_slice()) {
            ("list", _) => Value::list(args),
            ("dict", _) => {
                let mut m = BTreeMap::new();
                for kv in args.chunks(2) {
                    m.insert(kv[0].as_str().unwrap().into(), kv[1].clone());
                }
                Value::map(m)
            }
            ("int64", [Value::Int(n)]) => Value::Int64(*n),
            ("int64", [Value::Str(s)]) => Value::Int64(s.parse().unwrap()),
            ("float64", [Value::Str(s)]) => Value::Float(s.parse().unwrap()),
            ("index", [Value::Str(s), Value::Int(n)]) => Value::Uint8(s.as_bytes()[*n as usize]),
            ("splitList", [Value::Str(sep), Value::Str(s)]) => {
                Value::typed_list(Elem::String, s.split(&**sep).map(Value::str).collect())
            }
            _ => panic!("unsupported call {name} {args:?}"),
        }
    }

    fn run(action: &str) -> String {
        let mut p = Parser { s: action.as_bytes(), i: 0 };
        let start = p.i;
        let head = p.word().to_string();
        let func: fn(&[Value]) -> String = match head.as_str() {
            "print" => sprint,
            "println" => sprintln,
            "printf" => |a| sprintf(a[0].as_str().unwrap(), &a[1..]),
            _ => {
                p.i = start;
                let mut out = String::new();
                write_value(&mut out, &p.term());
                return out;
            }
        };
        let mut args = Vec::new();
        while !p.at_end() {
            args.push(p.term());
        }
        func(&args)
    }

    #[test]
    fn matches_helm() {
        let mut failures = Vec::new();
        for (action, want) in CASES {
            let got = run(action);
            if got != *want {
                failures.push(format!("{{{{ {action} }}}}\n   want {want:?}\n    got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
    }

    #[test]
    fn format_float_direct() {
        assert_eq!(format_float(1e6, b'g', -1), "1e+06");
        assert_eq!(format_float(0.1, b'f', -1), "0.1");
        assert_eq!(format_float(123.456, b'e', -1), "1.23456e+02");
        assert_eq!(format_float(2.5, b'f', 0), "2");
        assert_eq!(format_float(-0.0, b'g', -1), "-0");
        assert_eq!(format_float(f64::NAN, b'e', 3), "NaN");
        assert_eq!(format_float(1.0, b'E', 2), "1.00E+00");
        assert_eq!(format_float(1e23, b'g', -1), "1e+23");
        assert_eq!(format_float(5e-324, b'e', -1), "5e-324");
    }

    #[test]
    fn quote_direct() {
        assert_eq!(quote("a\"b\\\u{7}\u{1b}é\u{10FFFF}"), "\"a\\\"b\\\\\\a\\x1bé\\U0010ffff\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn bytes_follow_go() {
        let b = Value::Bytes(std::sync::Arc::from(&b"hi"[..]));
        let six = vec![b.clone(); 6];
        assert_eq!(sprintf("%v|%s|%x|%q|%d|%o", &six), "[104 105]|hi|6869|\"hi\"|[104 105]|[150 151]");
        assert_eq!(sprintf("%#v", &six[..1]), "[]byte{0x68, 0x69}");
        assert_eq!(sprintf("%#v", &[Value::list(vec![b])]), "[]interface {}{[]uint8{0x68, 0x69}}");
        assert_eq!(sprintf("%T|%t", &six[..2]), "[]uint8|[%!t(uint8=104) %!t(uint8=105)]");
        let bad = Value::Bytes(std::sync::Arc::from(&b"a\xffb"[..]));
        assert_eq!(sprintf("%q|%5s|", &[bad.clone(), bad]), "\"a\\xffb\"|  a\u{FFFD}b|");
    }
}
