//! A quick "valid" for the schemas charts usually ship.
//!
//! boon compiles a schema in time quadratic in its number of subschemas
//! (each new one is looked up in a list of those queued), and validates it
//! against the draft's metaschema first. A bitnami schema has thousands of
//! subschemas, and compiling one took longer than rendering the chart.
//!
//! Most of those schemas use a handful of keywords (`type`, `properties`,
//! `items`, `enum`, `required`, bounds, `pattern`, `if`) plus annotations,
//! and the values meet them. For such a schema [`surely_valid`] walks
//! schema and values together once. It answers `true` only when boon would
//! accept both the schema and the values; anything it does not fully know
//! (another keyword, a `$ref`, a draft other than 2020-12 or 7, a value it
//! would have to compare loosely) makes it answer `false`, and boon decides
//! and words the error as before. So the answer never changes, only the
//! time it takes.

use std::collections::HashMap;

use serde_json::{Number, Value as J};

/// Whether `instance` certainly meets `schema` (and `schema` its metaschema).
pub(super) fn surely_valid(schema: &J, instance: &J) -> bool {
    let Some(draft) = draft_of(schema) else { return false };
    let mut checker = Checker { draft, patterns: HashMap::new() };
    checker.well_formed(schema, true) && checker.meets(schema, instance) == Some(true)
}

#[derive(Clone, Copy, PartialEq)]
enum Draft {
    V7,
    V2020,
}

/// The draft boon picks for the root: 2020-12 without `$schema`.
fn draft_of(schema: &J) -> Option<Draft> {
    let J::Object(obj) = schema else { return Some(Draft::V2020) };
    let Some(url) = obj.get("$schema") else { return Some(Draft::V2020) };
    let url = url.as_str()?;
    let url = url.strip_suffix('#').unwrap_or(url);
    let url = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"))?;
    match url {
        "json-schema.org/schema" | "json-schema.org/draft/2020-12/schema" => Some(Draft::V2020),
        "json-schema.org/draft-07/schema" => Some(Draft::V7),
        _ => None,
    }
}

/// Every keyword of drafts 4 to 2020-12. A key outside this list is an
/// annotation nobody checks; a key inside it that [`Checker::well_formed`]
/// does not handle sends the schema to boon.
const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "dependentSchemas",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

const TYPES: &[&str] = &["array", "boolean", "integer", "null", "number", "object", "string"];

struct Checker<'s> {
    draft: Draft,
    /// The schema's `pattern`s, compiled as boon compiles them.
    patterns: HashMap<&'s str, regex::Regex>,
}

impl<'s> Checker<'s> {
    /// Whether `schema` uses only the keywords handled here, each as its
    /// draft's metaschema requires.
    fn well_formed(&mut self, schema: &'s J, root: bool) -> bool {
        let obj = match schema {
            J::Bool(_) => return true,
            J::Object(obj) => obj,
            _ => return false,
        };
        obj.iter().all(|(key, v)| match key.as_str() {
            "$schema" => root,
            "title" | "description" | "$comment" => v.is_string(),
            "default" => true,
            "examples" => v.is_array(),
            "readOnly" | "writeOnly" | "deprecated" => v.is_boolean(),
            "type" => match v {
                J::String(t) => TYPES.contains(&t.as_str()),
                J::Array(ts) => {
                    !ts.is_empty()
                        && ts
                            .iter()
                            .enumerate()
                            .all(|(i, t)| t.as_str().is_some_and(|t| TYPES.contains(&t)) && !ts[..i].contains(t))
                }
                _ => false,
            },
            "enum" => match v {
                J::Array(items) if self.draft == Draft::V2020 => items.iter().all(plain),
                // Draft 7 wants at least one value, and no two equal.
                J::Array(items) => {
                    !items.is_empty()
                        && items
                            .iter()
                            .enumerate()
                            .all(|(i, a)| plain(a) && items[..i].iter().all(|b| same(a, b) == Some(false)))
                }
                _ => false,
            },
            "const" => plain(v),
            "required" => match v {
                J::Array(names) => names.iter().enumerate().all(|(i, n)| n.is_string() && !names[..i].contains(n)),
                _ => false,
            },
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => v.as_number().is_some_and(exact),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => v.is_u64(),
            "pattern" => v.as_str().is_some_and(|p| self.pattern(p)),
            "properties" => match v {
                J::Object(props) => props.values().all(|s| self.well_formed(s, false)),
                _ => false,
            },
            "additionalProperties" | "if" | "then" | "else" => self.well_formed(v, false),
            // Draft 7's array form of `items` is not handled.
            "items" => !v.is_array() && self.well_formed(v, false),
            other => !KEYWORDS.contains(&other),
        })
    }

    /// Compiles a `pattern` as boon does. Its ECMA-262 translation
    /// rewrites `\d`, `\w` and `\s` (and their negations) to ASCII classes
    /// and leaves escaped punctuation alone; a pattern with any other
    /// escaped letter is left to boon.
    fn pattern(&mut self, p: &'s str) -> bool {
        if self.patterns.contains_key(p) {
            return true;
        }
        let mut rust = String::with_capacity(p.len());
        let mut chars = p.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                rust.push(c);
                continue;
            }
            match chars.next() {
                Some('d') => rust.push_str("[0-9]"),
                Some('D') => rust.push_str("[^0-9]"),
                Some('w') => rust.push_str("[A-Za-z0-9_]"),
                Some('W') => rust.push_str("[^A-Za-z0-9_]"),
                Some('s') => rust.push_str("[ \t\n\r\u{000b}\u{000c}\u{00a0}\u{feff}\u{2003}\u{2029}]"),
                Some('S') => rust.push_str("[^ \t\n\r\u{000b}\u{000c}\u{00a0}\u{feff}\u{2003}\u{2029}]"),
                Some(e) if e.is_ascii_punctuation() => {
                    rust.push('\\');
                    rust.push(e);
                }
                _ => return false,
            }
        }
        match regex::Regex::new(&rust) {
            Ok(re) => {
                self.patterns.insert(p, re);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `instance` meets a [`Checker::well_formed`] `schema`:
    /// `None` when that depends on something not handled here.
    fn meets(&self, schema: &J, instance: &J) -> Option<bool> {
        let obj = match schema {
            J::Bool(b) => return Some(*b),
            J::Object(obj) => obj,
            _ => return None,
        };
        let mut verdict = Some(true);
        for (key, v) in obj {
            let one = match key.as_str() {
                "type" => Some(match v {
                    J::String(t) => has_type(instance, t),
                    J::Array(ts) => ts.iter().any(|t| t.as_str().is_some_and(|t| has_type(instance, t))),
                    _ => return None,
                }),
                "enum" => {
                    let items = v.as_array()?;
                    let mut found = Some(false);
                    for a in items {
                        match same(a, instance) {
                            Some(true) => {
                                found = Some(true);
                                break;
                            }
                            Some(false) => {}
                            None => found = None,
                        }
                    }
                    found
                }
                "const" => same(v, instance),
                "required" => match instance {
                    J::Object(m) => Some(v.as_array()?.iter().all(|n| n.as_str().is_some_and(|n| m.contains_key(n)))),
                    _ => Some(true),
                },
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => match instance {
                    J::Number(n) => within(key, v, n),
                    _ => Some(true),
                },
                "minLength" | "maxLength" => match instance {
                    J::String(s) => bounded(key, v, s.chars().count()),
                    _ => Some(true),
                },
                "minItems" | "maxItems" => match instance {
                    J::Array(a) => bounded(key, v, a.len()),
                    _ => Some(true),
                },
                "minProperties" | "maxProperties" => match instance {
                    J::Object(m) => bounded(key, v, m.len()),
                    _ => Some(true),
                },
                "pattern" => match instance {
                    J::String(s) => Some(self.patterns.get(v.as_str()?)?.is_match(s)),
                    _ => Some(true),
                },
                "properties" => match (v, instance) {
                    (J::Object(props), J::Object(m)) => {
                        all(props.iter().filter_map(|(name, s)| m.get(name).map(|x| self.meets(s, x))))
                    }
                    _ => Some(true),
                },
                "additionalProperties" => match instance {
                    J::Object(m) => {
                        let declared = obj.get("properties").and_then(J::as_object);
                        all(m
                            .iter()
                            .filter(|(name, _)| !declared.is_some_and(|p| p.contains_key(*name)))
                            .map(|(_, x)| self.meets(v, x)))
                    }
                    _ => Some(true),
                },
                "items" => match instance {
                    J::Array(a) => all(a.iter().map(|x| self.meets(v, x))),
                    _ => Some(true),
                },
                "if" => match self.meets(v, instance)? {
                    true => obj.get("then").map_or(Some(true), |s| self.meets(s, instance)),
                    false => obj.get("else").map_or(Some(true), |s| self.meets(s, instance)),
                },
                _ => Some(true),
            };
            match one {
                Some(false) => return Some(false),
                None => verdict = None,
                Some(true) => {}
            }
        }
        verdict
    }
}

/// All of the verdicts: `false` if any is, else unknown if any is.
fn all(verdicts: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut verdict = Some(true);
    for one in verdicts {
        match one {
            Some(false) => return Some(false),
            None => verdict = None,
            Some(true) => {}
        }
    }
    verdict
}

/// A value compared exactly the same way here and in boon.
fn plain(v: &J) -> bool {
    match v {
        J::Null | J::Bool(_) | J::String(_) => true,
        J::Number(n) => exact(n),
        _ => false,
    }
}

/// A number that every comparison here treats as boon does: a float, or an
/// integer that a float64 holds exactly.
fn exact(n: &Number) -> bool {
    match n.as_i64() {
        Some(i) => i.unsigned_abs() <= 1 << 53,
        None => n.is_f64(),
    }
}

/// Equality of a [`plain`] value and any other as boon's `equals` sees it;
/// `None` when that would take a loose comparison.
fn same(a: &J, b: &J) -> Option<bool> {
    let compound = |v: &J| v.is_array() || v.is_object();
    if (plain(a) && compound(b)) || (compound(a) && plain(b)) {
        return Some(false);
    }
    if !plain(a) || !plain(b) {
        return None;
    }
    Some(match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    })
}

fn has_type(instance: &J, t: &str) -> bool {
    match (t, instance) {
        ("null", J::Null) | ("boolean", J::Bool(_)) | ("string", J::String(_)) => true,
        ("array", J::Array(_)) | ("object", J::Object(_)) | ("number", J::Number(_)) => true,
        ("integer", J::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn within(key: &str, bound: &J, n: &Number) -> Option<bool> {
    if !exact(n) {
        return None;
    }
    let (b, x) = (bound.as_f64()?, n.as_f64()?);
    Some(match key {
        "minimum" => x >= b,
        "maximum" => x <= b,
        "exclusiveMinimum" => x > b,
        _ => x < b,
    })
}

fn bounded(key: &str, bound: &J, len: usize) -> Option<bool> {
    let b = bound.as_u64()?;
    let len = len as u64;
    Some(if key.starts_with("min") { len >= b } else { len <= b })
}

#[cfg(test)]
mod tests {
    //! The quick check against boon on random schemas and values: whenever
    //! it says valid, boon must agree, and on schemas made only of what it
    //! handles it must say valid whenever boon does.

    use super::surely_valid;
    use serde_json::{json, Value as J};

    /// xorshift64*, so a failure names a seed that reproduces it.
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
        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    const NAMES: &[&str] = &["a", "b", "c"];
    const STRINGS: &[&str] = &["", "a", "ab", "b", "x.y", "12", "é", " ", "a1_", "B-2"];
    const PATTERNS: &[&str] = &["^a", "b$", "\\d+", "^[a-z\\w]*$", "\\s", "x\\.y", "^\\D*$", "[^\\W]{2}", "^(a|b)+$"];
    const TYPES: &[&str] = &["array", "boolean", "integer", "null", "number", "object", "string"];

    fn plain_value(rng: &mut Rng) -> J {
        match rng.below(6) {
            0 => J::Null,
            1 => J::Bool(rng.chance(50)),
            2 => json!(rng.below(6) as i64 - 2),
            3 => json!(*rng.pick(&[1.5, 2.0, -0.5, 3.25])),
            _ => json!(rng.pick(STRINGS)),
        }
    }

    fn instance(rng: &mut Rng, depth: usize) -> J {
        match rng.below(if depth == 0 { 6 } else { 9 }) {
            0..=5 => plain_value(rng),
            6 | 7 => {
                J::Object((0..rng.below(4)).map(|_| (rng.pick(NAMES).to_string(), instance(rng, depth - 1))).collect())
            }
            _ => J::Array((0..rng.below(4)).map(|_| instance(rng, depth - 1)).collect()),
        }
    }

    /// A schema of the keywords the quick check handles, each well formed
    /// for both drafts; with `odd`, sometimes something it does
    /// not handle or that is malformed, and then `*clean` turns false.
    fn schema(rng: &mut Rng, depth: usize, odd: bool, clean: &mut bool) -> J {
        if rng.chance(8) {
            return J::Bool(rng.chance(80));
        }
        let mut obj = serde_json::Map::new();
        for _ in 0..rng.below(4) {
            let (key, value) = match rng.below(17) {
                0 => (
                    "type",
                    if rng.chance(70) {
                        json!(rng.pick(TYPES))
                    } else {
                        let first = rng.below(TYPES.len());
                        json!([TYPES[first], TYPES[(first + 1 + rng.below(6)) % 7]])
                    },
                ),
                1 if depth > 0 => {
                    let props = (0..rng.below(3))
                        .map(|_| (rng.pick(NAMES).to_string(), schema(rng, depth - 1, odd, clean)))
                        .collect();
                    ("properties", J::Object(props))
                }
                2 if depth > 0 => ("additionalProperties", schema(rng, depth - 1, odd, clean)),
                3 if depth > 0 => ("items", schema(rng, depth - 1, odd, clean)),
                4 => {
                    let mut items: Vec<J> = Vec::new();
                    for _ in 0..1 + rng.below(3) {
                        let v = plain_value(rng);
                        if !items.iter().any(|i| super::same(i, &v) != Some(false)) {
                            items.push(v);
                        }
                    }
                    ("enum", J::Array(items))
                }
                5 => ("const", plain_value(rng)),
                6 => ("required", json!(NAMES[..rng.below(4)])),
                7 => (
                    *rng.pick(&["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
                    json!(*rng.pick(&[0, 1, 2])),
                ),
                8 => (*rng.pick(&["minimum", "maximum"]), json!(*rng.pick(&[0.5, 1.5, -1.0]))),
                9 => (
                    *rng.pick(&["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]),
                    json!(rng.below(4)),
                ),
                10 => ("pattern", json!(rng.pick(PATTERNS))),
                11 if depth > 0 => ("if", schema(rng, depth - 1, odd, clean)),
                12 if depth > 0 => (*rng.pick(&["then", "else"]), schema(rng, depth - 1, odd, clean)),
                13 => (*rng.pick(&["description", "title", "$comment"]), json!("text")),
                14 => (*rng.pick(&["default", "form", "x-ui"]), instance(rng, 1)),
                15 => ("examples", json!([1, "a"])),
                _ if odd && rng.chance(30) => {
                    *clean = false;
                    let (key, value) = rng
                        .pick(&[
                            ("$ref", json!("#")),
                            ("format", json!("ipv4")),
                            ("uniqueItems", json!(true)),
                            ("pattern", json!("\\bfoo")),
                            ("pattern", json!("a\\")),
                            ("pattern", json!("(")),
                            ("type", json!("float")),
                            ("type", json!(["string", "string"])),
                            ("type", json!([])),
                            ("minLength", json!(-1)),
                            ("minLength", json!(1.0)),
                            ("maxItems", json!("2")),
                            ("enum", json!([])),
                            ("enum", json!([1, 1.0])),
                            ("enum", json!([[1]])),
                            ("required", json!(["a", "a"])),
                            ("items", json!([true])),
                            ("properties", json!([])),
                            ("$schema", json!("http://json-schema.org/draft-07/schema#")),
                            ("allOf", json!([{ "type": "string" }])),
                            ("description", json!(5)),
                            ("readOnly", json!("yes")),
                            ("minimum", json!(9_007_199_254_740_993_i64)),
                            ("const", json!({ "a": 1 })),
                        ])
                        .clone();
                    (key, value)
                }
                _ => continue,
            };
            obj.insert(key.to_string(), value);
        }
        J::Object(obj)
    }

    fn boon_accepts(schema: &J, instance: &J) -> bool {
        super::super::check_with_boon(schema.clone(), instance, &Default::default()).is_ok()
    }

    #[test]
    fn agrees_with_boon_on_random_schemas() {
        let (mut quick, mut valid, mut cases) = (0, 0, 0);
        for seed in 1..=8000u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let draft = *rng.pick(&[
                None,
                Some("http://json-schema.org/schema#"),
                Some("https://json-schema.org/draft/2020-12/schema"),
                Some("http://json-schema.org/draft-07/schema#"),
                Some("http://json-schema.org/draft-04/schema#"),
            ]);
            let mut clean = !draft.is_some_and(|d| d.contains("draft-04"));
            let odd = rng.chance(40);
            let mut schema = schema(&mut rng, 3, odd, &mut clean);
            if let (Some(url), J::Object(obj)) = (draft, &mut schema) {
                obj.insert("$schema".into(), json!(url));
            }
            for _ in 0..4 {
                let instance = instance(&mut rng, 3);
                let (fast, slow) = (surely_valid(&schema, &instance), boon_accepts(&schema, &instance));
                cases += 1;
                quick += fast as usize;
                valid += slow as usize;
                assert!(
                    !fast || slow,
                    "seed {seed}: quick says valid, boon does not\nschema {schema}\ninstance {instance}"
                );
                assert!(
                    !clean || fast == slow,
                    "seed {seed}: boon says {slow} of a schema the quick check handles\nschema {schema}\ninstance {instance}"
                );
            }
        }
        // Both answers must be common, or the cases test little.
        assert!(quick * 5 > valid && valid * 5 > cases && valid < cases, "{quick} quick, {valid} valid of {cases}");
    }

    #[test]
    fn takes_a_chart_schema_whole() {
        let schema = json!({
            "$schema": "http://json-schema.org/schema#",
            "type": "object",
            "properties": {
                "image": {
                    "type": "object",
                    "form": true,
                    "properties": {
                        "registry": { "type": "string", "default": "docker.io" },
                        "tag": { "type": "string", "pattern": "^[\\w.-]+$" },
                        "pullPolicy": { "type": "string", "enum": ["Always", "IfNotPresent", "Never"] }
                    },
                    "required": ["registry"]
                },
                "replicaCount": { "type": "integer", "minimum": 1, "title": "Replicas", "sliderMax": 10 },
                "auth": {
                    "type": "object",
                    "properties": { "enabled": { "type": "boolean" }, "password": { "type": "string" } },
                    "if": { "properties": { "enabled": { "const": true } } },
                    "then": { "required": ["password"] }
                },
                "extraEnv": { "type": "array", "items": { "type": "object" } }
            }
        });
        let good = json!({
            "image": { "registry": "docker.io", "tag": "1.2.3-debian", "pullPolicy": "IfNotPresent" },
            "replicaCount": 2,
            "auth": { "enabled": true, "password": "x" },
            "extraEnv": [{ "name": "A" }],
            "other": null
        });
        assert!(surely_valid(&schema, &good));
        for bad in [
            json!({ "image": { "tag": "1" } }),
            json!({ "image": { "registry": "r", "tag": "a b" } }),
            json!({ "image": { "registry": "r", "pullPolicy": "Sometimes" } }),
            json!({ "replicaCount": 0 }),
            json!({ "replicaCount": 1.5 }),
            json!({ "auth": { "enabled": true } }),
            json!({ "extraEnv": ["A=1"] }),
        ] {
            assert!(!surely_valid(&schema, &bad), "{bad}");
            assert!(!boon_accepts(&schema, &bad), "{bad}");
        }
    }
}
