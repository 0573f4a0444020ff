//! The quick reader against the full one: whenever it answers, the full
//! reader must give the same value (and no error).

use std::path::Path;

use rhelm_template::Value;

use super::super::decode::unmarshal_full;
use super::unmarshal;

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.items.len() == y.items.len() && x.items.iter().zip(y.items.iter()).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.entries.len() == y.entries.len()
                && x.entries.iter().zip(y.entries.iter()).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

/// Checks one text; true when the quick reader answered.
fn check(src: &str) -> bool {
    let Some(quick) = unmarshal(src) else { return false };
    match unmarshal_full(src) {
        Ok(full) => assert!(same(&quick, &full), "quick {quick:?}\nfull  {full:?}\nfor:\n{src}"),
        Err(e) => panic!("the quick reader read what the full one refuses ({e}):\n{src}"),
    }
    true
}

#[test]
fn reads_the_usual_shapes() {
    let doc = "\
# A comment
image:
  registry: docker.io   # trailing comment
  tag: \"1.2.3\"
  digest: ''
  pullSecrets: []
  extra: {}
replicaCount: 3
enabled: yes
ratio: 0.5
octal: 017
empty:
list:
- a
- 'b'
-
  nested: true
items:
  - name: one
    value: 1
  - name: two
    sub:
      - x
script: |
  #!/bin/sh
  echo \"hi\"

  exit 0
stripped: |-
  line
description: A plain scalar
  on more lines,

  folded.
\"quoted key\": v
";
    assert!(check(doc));
    let v = unmarshal(doc).unwrap();
    let Value::Map(m) = &v else { panic!() };
    assert!(matches!(m.entries.get("enabled"), Some(Value::Bool(true))));
    assert!(matches!(m.entries.get("octal"), Some(Value::Float(f)) if *f == 15.0));
    assert!(matches!(m.entries.get("empty"), Some(Value::Nil)));
    assert!(matches!(m.entries.get("script"), Some(Value::Str(s)) if &**s == "#!/bin/sh\necho \"hi\"\n\nexit 0\n"));
    assert!(matches!(m.entries.get("stripped"), Some(Value::Str(s)) if &**s == "line"));
    assert!(
        matches!(m.entries.get("description"), Some(Value::Str(s)) if &**s == "A plain scalar on more lines,\nfolded.")
    );
}

#[test]
fn leaves_the_rest_to_the_full_reader() {
    for doc in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: [1, [2]]\n",
        "a: {b: 1}\n",
        "a: >\n  folded\n",
        "a: b\n  - c\n",
        "a: b\n  c # d\n",
        "a: b\n  # c\n  d\n",
        "a:\tb\n",
        "a: b\r\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "<<: {a: 1}\n",
        "? a\n: b\n",
        "a: b: c\n",
        "a: \"multi\n  line\"\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   x\n",
        "just a scalar\n",
        "",
        "# only a comment\n",
        "a: .inf\n",
        "a:\n  - b\n - c\n",
        "a: |\n  x",
        "a: |\n  x\n  ",
    ] {
        assert!(unmarshal(doc).is_none(), "read {doc:?}");
    }
}

/// xorshift64*: a fixed-seed generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "a",
    "name",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "Null",
    "1",
    "-1",
    "+1",
    "017",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1e3",
    "1.5",
    ".5",
    "-.5",
    "1.0",
    "6.8523015e+5",
    "190:20:30",
    ".inf",
    "-.Inf",
    ".nan",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "a b",
    "a#b",
    "a:b",
    "http://x/y",
    "-x",
    "x-",
    "é",
    "日本",
    "a'b",
    "a\"b",
    "<<",
    "=",
    "0.",
    "1__2",
    "12:30",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1e400",
    "0x",
    "+",
    "-",
    "--",
    "-.",
    "a ",
    "",
];

const RAW: &[&str] = &[
    "a: b",
    "a #b",
    "- x",
    "[]",
    "{}",
    "[a]",
    "{a: 1}",
    "|",
    ">",
    "&a",
    "*a",
    "!!str x",
    "'",
    "\"",
    "\\n",
    ": x",
    "?x",
    "%x",
    "@x",
    "`x",
    "#x",
    "a:",
    "x\\",
    "\\x41",
    "\\u00e9",
    "\\ud800",
    "\\U0001F600",
    "\\/",
    "\\t",
    "\\q",
    "\\ ",
    "\\N",
    "\\_",
    "''",
    "\u{a0}",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
];

struct Gen {
    rng: Rng,
    out: String,
}

impl Gen {
    fn scalar(&mut self) -> String {
        let word = if self.rng.below(4) == 0 { self.rng.pick(RAW) } else { self.rng.pick(WORDS) };
        match self.rng.below(6) {
            0 => format!("'{}'", word.replace('\'', "''")),
            1 => format!("\"{}\"", word.replace('"', "\\\"")),
            2 if self.rng.below(3) == 0 => format!("\"{word}\""),
            _ => word.to_string(),
        }
    }

    fn comment(&mut self) -> &'static str {
        match self.rng.below(8) {
            0 => " # note",
            1 => " #",
            2 => "#tight",
            _ => "",
        }
    }

    fn blank_lines(&mut self, indent: usize) {
        match self.rng.below(10) {
            0 => self.out.push('\n'),
            1 => {
                let pad = " ".repeat(self.rng.below(indent + 3));
                self.out.push_str(&format!("{pad}# between\n"));
            }
            2 => self.out.push_str("   \n"),
            _ => {}
        }
    }

    fn literal(&mut self, indent: usize) {
        let chomp = self.rng.pick(&["", "-", "+", "2"]);
        let c = self.comment();
        self.out.push_str(&format!("|{chomp}{c}\n"));
        let deeper = indent + 1 + self.rng.below(3);
        for _ in 0..1 + self.rng.below(4) {
            let extra = if self.rng.below(4) == 0 { self.rng.below(3) } else { 0 };
            let w = self.rng.pick(WORDS);
            match self.rng.below(8) {
                0 => self.out.push('\n'),
                1 => self.out.push_str(&format!("{}\n", " ".repeat(self.rng.below(deeper + 2)))),
                _ => self.out.push_str(&format!("{}{w} # {w}\n", " ".repeat(deeper + extra))),
            }
        }
    }

    fn value(&mut self, indent: usize, depth: usize) {
        let choice = if depth > 3 { self.rng.below(3) } else { self.rng.below(7) };
        match choice {
            0 | 1 => {
                let s = self.scalar();
                let c = self.comment();
                let gap = if self.rng.below(6) == 0 { "  " } else { " " };
                self.out.push_str(&format!("{gap}{s}{c}\n"));
                // Lines continuing a plain scalar, folded into it.
                if self.rng.below(3) == 0 {
                    for _ in 0..1 + self.rng.below(3) {
                        let pad = " ".repeat(indent + self.rng.below(4));
                        let w = self.scalar();
                        match self.rng.below(8) {
                            0 => self.out.push('\n'),
                            1 => self.out.push_str(&format!("{pad}# inside\n")),
                            2 => self.out.push_str(&format!("{pad}- {w}\n")),
                            3 => self.out.push_str(&format!("{pad}{w} # c\n")),
                            _ => self.out.push_str(&format!("{pad}{w}\n")),
                        }
                    }
                }
            }
            2 => {
                self.out.push(' ');
                self.literal(indent);
            }
            3 => {
                let c = self.comment();
                self.out.push_str(&format!("{c}\n"));
                let step = 1 + self.rng.below(3);
                self.mapping(indent + step, depth + 1);
            }
            4 => {
                self.out.push('\n');
                // Indentless sequences sit at the key's own column.
                let at = if self.rng.below(2) == 0 { indent } else { indent + 1 + self.rng.below(2) };
                self.sequence(at, depth + 1);
            }
            5 => self.out.push_str(self.rng.pick(&[
                " []\n",
                " {}\n",
                " [ ]\n",
                " {  }\n",
                " { a }\n",
                " [  ] #\n",
                "\n",
                " [a, \"b\"]\n",
                " ['x',1 ,yes]\n",
                " [a,]\n",
                " [a b]\n",
                " [-]\n",
                " [-1, .5, ~]\n",
                " [a]b\n",
                " [a] # c\n",
            ])),
            _ => {
                self.out.push('\n');
                self.blank_lines(indent);
            }
        }
    }

    fn mapping(&mut self, indent: usize, depth: usize) {
        for _ in 0..1 + self.rng.below(4) {
            self.blank_lines(indent);
            let pad = " ".repeat(indent);
            let key = self.scalar();
            let sep = self.rng.pick(&[":", ":", ":", " :"]);
            self.out.push_str(&format!("{pad}{key}{sep}"));
            self.value(indent, depth);
        }
    }

    fn sequence(&mut self, indent: usize, depth: usize) {
        for _ in 0..1 + self.rng.below(4) {
            self.blank_lines(indent);
            let pad = " ".repeat(indent);
            self.out.push_str(&format!("{pad}-"));
            match self.rng.below(4) {
                0 => {
                    // A mapping starting on the entry's line.
                    let gap = 1 + self.rng.below(2);
                    self.out.push_str(&" ".repeat(gap));
                    let len_before = self.out.len();
                    self.mapping(0, depth + 1);
                    // Re-indent the mapping's later lines under its first key.
                    let tail = self.out.split_off(len_before);
                    let col = indent + 1 + gap;
                    let mut first = true;
                    for line in tail.split_inclusive('\n') {
                        if !first && !line.trim().is_empty() {
                            self.out.push_str(&" ".repeat(col));
                        }
                        self.out.push_str(line);
                        first = false;
                    }
                }
                _ => self.value(indent, depth),
            }
        }
    }
}

/// Random documents and mutations of them: wherever the quick reader
/// answers, it agrees with the full one.
#[test]
fn agrees_with_the_full_reader_on_random_documents() {
    let mut answered = 0;
    let mut total = 0;
    for seed in 1..=6000u64 {
        let mut g = Gen { rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)), out: String::new() };
        if g.rng.below(5) == 0 {
            g.sequence(0, 0);
        } else {
            let indent = g.rng.below(2);
            g.mapping(indent, 0);
        }
        let doc = std::mem::take(&mut g.out);
        total += 1;
        if check(&doc) {
            answered += 1;
        }
        // A few damaged copies: a character removed, doubled or swapped for another.
        let chars: Vec<char> = doc.chars().collect();
        for _ in 0..3 {
            if chars.is_empty() {
                break;
            }
            let at = g.rng.below(chars.len());
            let mut m = chars.clone();
            match g.rng.below(3) {
                0 => {
                    m.remove(at);
                }
                1 => m.insert(at, m[at]),
                _ => {
                    m[at] = g
                        .rng
                        .pick(&[" ", ":", "-", "#", "'", "\"", "|", "\n", "\t", "[", "{", "&"])
                        .chars()
                        .next()
                        .unwrap()
                }
            }
            let damaged: String = m.into_iter().collect();
            total += 1;
            if check(&damaged) {
                answered += 1;
            }
        }
    }
    // The generator is meant to hit the quick path often, not only its refusals.
    assert!(answered * 10 > total, "the quick reader answered only {answered} of {total}");
}

/// Every YAML file and rendered manifest among the test charts and goldens.
#[test]
fn agrees_with_the_full_reader_on_the_test_charts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut stack = vec![root];
    let mut answered = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else { continue };
            let name = p.to_string_lossy();
            if !(name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".stdout")
                || name.ends_with(".txt"))
            {
                continue;
            }
            for doc in text.split("\n---") {
                if check(doc) {
                    answered += 1;
                }
            }
        }
    }
    assert!(answered > 500, "the quick reader answered only {answered} documents");
}
