//! The round-trip property of the encoders, shared by the unit tests and
//! the fuzz target: what `toYaml` (or `toJson`) writes, `fromYaml` (or
//! `fromJson`) reads back as the same value, with numbers as float64.
//!
//! A few values do not survive the trip in Helm either, and are left out of
//! the comparison (never out of the run, which must not panic): a `<<` key
//! (read back as a merge key), strings holding CR, U+2028 or U+2029 (written
//! raw inside quotes, where YAML folds line breaks), and NaN/infinities
//! (which JSON refuses).

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::Value;

/// Builds a JSON-like value from fuzz bytes: nested maps and lists, strings
/// drawn from a YAML-hostile alphabet, ints, floats, bools and nils.
pub fn value_from_bytes(bytes: &[u8]) -> Value {
    let mut src = Source { bytes, pos: 0 };
    src.value(0)
}

struct Source<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Characters that exercise quoting, escaping, indicators and line breaks.
const ALPHABET: &[&str] = &[
    "a",
    "b",
    "Z",
    "0",
    "1",
    "9",
    " ",
    "  ",
    "\n",
    "\t",
    ":",
    "#",
    "-",
    "?",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    ".",
    "~",
    "=",
    "<",
    "é",
    "日",
    "🎉",
    "\u{1}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{feff}",
    "yes",
    "no",
    "on",
    "null",
    "true",
    "0x1F",
    "017",
    "1e3",
    "1_0",
    "---",
    "...",
    "2001-12-14",
    "1:20",
    "<<",
    "\r",
    "\u{2028}",
];

impl Source<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn value(&mut self, depth: usize) -> Value {
        let tag = self.byte();
        match tag % 10 {
            0 => Value::Nil,
            1 => Value::Bool(tag & 0x10 != 0),
            2 => Value::Int(i64::from(self.byte() as i8) * i64::from(self.byte())),
            3 => Value::Int64(i64::from_le_bytes(std::array::from_fn(|_| self.byte()))),
            4 => Value::Float(f64::from_bits(u64::from_le_bytes(std::array::from_fn(|_| self.byte())))),
            5 => Value::Float(f64::from(self.byte() as i8) / 8.0),
            6 | 7 => Value::string(self.string()),
            8 if depth < 6 => {
                let n = usize::from(self.byte() % 5);
                Value::list((0..n).map(|_| self.value(depth + 1)).collect())
            }
            9 if depth < 6 => {
                let n = usize::from(self.byte() % 5);
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.string();
                    let v = self.value(depth + 1);
                    m.insert(Arc::from(k.as_str()), v);
                }
                Value::map(m)
            }
            _ => Value::str("leaf"),
        }
    }

    fn string(&mut self) -> String {
        let n = usize::from(self.byte() % 12);
        let mut s = String::new();
        for _ in 0..n {
            let b = self.byte();
            if b == 0xFF {
                // Occasionally a long run, to reach the 80-column folding and 128-byte keys.
                s.push_str(&"word ".repeat(usize::from(self.byte() % 40)));
            } else {
                s.push_str(ALPHABET[usize::from(b) % ALPHABET.len()]);
            }
        }
        s
    }
}

/// Checks both round trips for `v`; `Err` describes a mismatch.
pub fn check(v: &Value) -> Result<(), String> {
    let comparable = is_comparable(v);
    if let Ok(json_text) = crate::json::to_string(v, true) {
        let back = crate::json::from_str(&json_text).map_err(|e| format!("fromJson failed on {json_text:?}: {e}"))?;
        if comparable {
            same(&normalized(v), &back).map_err(|e| format!("JSON round trip of {json_text:?}: {e}"))?;
        }
    }
    if let Ok(yaml_text) = super::to_string_v2(v) {
        let back = super::from_str(&yaml_text);
        if comparable {
            let back = back.map_err(|e| format!("fromYaml failed on {yaml_text:?}: {e}"))?;
            same(&normalized(v), &back).map_err(|e| format!("YAML round trip of {yaml_text:?}: {e}"))?;
        }
    }
    // toYamlPretty output must at least read back without a panic.
    if let Ok(text) = super::to_string_v3(v) {
        let _ = super::from_str(&text);
    }
    Ok(())
}

fn is_comparable(v: &Value) -> bool {
    match v {
        Value::Float(f) => f.is_finite(),
        Value::Str(s) => !s.contains(['\r', '\u{2028}', '\u{2029}']),
        Value::List(l) => l.items.iter().all(is_comparable),
        Value::Map(m) => {
            m.entries.iter().all(|(k, v)| &**k != "<<" && is_comparable(&Value::Str(k.clone())) && is_comparable(v))
        }
        _ => true,
    }
}

/// The value as it reads back: every number a float64, `-0` as `0`
/// (the JSON round trip inside `toYaml` writes `-0` as the integer 0).
fn normalized(v: &Value) -> Value {
    match v {
        Value::Int(i) | Value::Int64(i) => Value::Float(*i as f64),
        Value::Uint8(u) => Value::Float(f64::from(*u)),
        Value::Float(f) if *f == 0.0 => Value::Float(0.0),
        Value::List(l) => Value::list(l.items.iter().map(normalized).collect()),
        Value::Map(m) => Value::map(m.entries.iter().map(|(k, v)| (k.clone(), normalized(v))).collect()),
        other => other.clone(),
    }
}

fn same(want: &Value, got: &Value) -> Result<(), String> {
    let ok = match (want, got) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            if a.items.len() != b.items.len() {
                false
            } else {
                for (x, y) in a.items.iter().zip(b.items.iter()) {
                    same(x, y)?;
                }
                true
            }
        }
        (Value::Map(a), Value::Map(b)) => {
            if a.entries.len() != b.entries.len() || !a.entries.keys().eq(b.entries.keys()) {
                false
            } else {
                for (x, y) in a.entries.values().zip(b.entries.values()) {
                    same(x, y)?;
                }
                true
            }
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("want {want:?}, got {got:?}"))
    }
}
