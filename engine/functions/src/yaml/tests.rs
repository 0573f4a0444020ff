//! Unit tests: encoder bytes checked against Helm 4.3.1, and round trips.

use super::*;

fn map(entries: &[(&str, Value)]) -> Value {
    Value::map(entries.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect())
}

#[test]
fn to_yaml_basics() {
    let v = map(&[("b", Value::list(vec![Value::Float(1.0), Value::str("x")])), ("a", Value::str("yes"))]);
    assert_eq!(to_string_v2(&v).unwrap(), "a: \"yes\"\nb:\n- 1\n- x\n");
    assert_eq!(to_string_v3(&v).unwrap(), "a: \"yes\"\nb:\n  - 1\n  - x\n");
    assert_eq!(to_string_v2(&Value::Nil).unwrap(), "null\n");
    assert_eq!(to_string_v2(&Value::str("")).unwrap(), "\"\"\n");
    assert_eq!(to_string_v2(&Value::list(vec![])).unwrap(), "[]\n");
    assert_eq!(to_string_v2(&Value::empty_map()).unwrap(), "{}\n");
}

#[test]
fn from_yaml_basics() {
    let v = from_str_map("a: 1\nb: [yes, ~, '017', 017]\nc: {d: 0x10}\n").unwrap();
    assert_eq!(format!("{:?}", v["b"]), "[Bool(true), Nil, Str(\"017\"), Float(15)]");
    assert_eq!(format!("{:?}", v["c"]), "{\"d\": Float(16)}");
}

#[test]
fn key_order_debug() {
    use super::resolve::{natural_less, Flavor};
    assert!(natural_less("a2", "a10", Flavor::V2));
    assert!(!natural_less("a10", "a2", Flavor::V2));
}

#[test]
fn self_alias() {
    assert_eq!(
        from_str("a: &x [*x]").unwrap_err().to_string(),
        "error converting YAML to JSON: yaml: anchor 'x' value contains itself"
    );
}

/// The round-trip property over many generated values (the fuzz target
/// `yaml_roundtrip` explores the same property further).
#[test]
fn encoders_round_trip() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut failures = Vec::new();
    for _ in 0..4000 {
        let bytes: Vec<u8> = (0..96)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let v = roundtrip::value_from_bytes(&bytes);
        if let Err(e) = roundtrip::check(&v) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} failures, first: {}", failures.len(), failures[0]);
}

#[test]
fn values_files_as_helm_loads_them() {
    let v = load_values("a: 1\nm: {x: 1, y: 2}\n---  # c\nb: 2\nm: {y: 3}\n---\n---\n# only comment\n").unwrap();
    assert_eq!(crate::json::to_string(&Value::map(v), true).unwrap(), r#"{"a":1,"b":2,"m":{"true":3,"x":1}}"#);
    let e = |s: &str| load_values(s).unwrap_err().to_string();
    assert_eq!(e("a: 1\n--- x\nb: 2\n"), "error reading yaml document: invalid Yaml document separator: x");
    assert_eq!(
        e("a: 1\n---\n- x\n"),
        "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert_eq!(
        e("a: [1"),
        "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"
    );
}

/// Random text made of syntax characters must never make a decoder panic.
#[test]
fn decoders_survive_random_text() {
    const PIECES: &[&str] = &[
        "a",
        "1",
        "0x",
        "e",
        ".",
        ":",
        ": ",
        "-",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\"",
        "'",
        "\\",
        "\\u",
        "#",
        "\n",
        "\r\n",
        "\t",
        " ",
        "  ",
        "&a",
        "*a",
        "!!",
        "!!int",
        "<<",
        "|",
        ">",
        "---",
        "...",
        "%YAML 1.1",
        "=",
        "[[",
        "]]",
        "\"\"\"",
        "'''",
        "true",
        "null",
        "é",
        "🎉",
        "1979-05-27T07:32:00Z",
        "inf",
        "_",
        "+",
    ];
    let mut state = 0xDEAD_BEEF_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let n = (next() % 24) as usize;
        let text: String = (0..n).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
        let _ = from_str(&text);
        let _ = load_values(&text);
        let _ = crate::json::from_str(&text);
        let _ = crate::toml::from_str(&text);
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        doc.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let start = std::time::Instant::now();
    let err = from_str(&doc).unwrap_err().to_string();
    assert_eq!(err, "error converting YAML to JSON: yaml: document contains excessive aliasing");
    assert!(start.elapsed().as_secs() < 5);
}

/// saphyr-parser counts flow nesting in a byte, so flow collections nested
/// deeper than 255 levels are refused (go-yaml allows 10000); block
/// nesting is limited at go-yaml's 10000.
#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let ok = format!("{}{}", "[".repeat(255), "]".repeat(255));
    assert!(from_str(&ok).is_ok());
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    assert!(from_str(&deep).is_err());
    let block = format!("{}x", "- ".repeat(10_050));
    assert!(from_str(&block).is_err());
}
/// Deep values must not overflow the stack in any encoder or decoder
/// (Go's stacks grow; ours are fixed, so deep work moves to a big stack).
/// The depth stays where dropping a `Value` (which recurses, in the
/// template crate) fits a test thread's stack.
#[test]
fn deep_values_do_not_overflow() {
    let n = 2_500;
    let j = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let v = crate::json::from_str(&j).unwrap();
    assert!(crate::json::to_string(&v, true).unwrap().len() == 2 * n);
    assert!(to_string_v2(&v).is_ok());
    assert!(to_string_v3(&v).is_ok());
    assert!(crate::toml::to_string(&v).is_ok());
    assert!(from_str(&format!("{}x", "- ".repeat(n))).is_ok());
    assert!(crate::toml::from_str(&format!("a = {}{}", "[".repeat(n), "]".repeat(n))).is_ok());
    drop(v);
}

#[test]
fn documents_split_on_separator_lines_only() {
    let docs = |s: &str| split_documents(s).unwrap();
    assert!(docs("").is_empty());
    assert_eq!(docs("a: 1"), ["a: 1\n"]);
    assert_eq!(docs("a: 1\nb: x---y\n ---\n"), ["a: 1\nb: x---y\n ---\n"]);
    assert_eq!(docs("---\na: 1\n--- # next\nb: 2"), ["a: 1\n", "b: 2\n"]);
    assert_eq!(docs("a: 1\n---\n---\n"), ["a: 1\n"]);
    assert!(split_documents("a: 1\n--- x\n").is_err());
}
