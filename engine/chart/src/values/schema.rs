//! `values.schema.json` validation (`ValidateAgainstSchema` in
//! `pkg/chart/common/util/jsonschema.go`).
//!
//! Helm uses santhosh-tekuri/jsonschema/v6; `boon` is the same author's Rust
//! port and words its errors the same way (`at '/port': minimum: got 0,
//! want 1`), which is why it is used here rather than the `jsonschema` crate,
//! whose messages differ. Draft 2020-12 is the default, `$schema` is honoured.
//! `$ref`s to `file:` URLs load; http(s) and urn references do not yet.

use std::cell::RefCell;
use std::rc::Rc;

use rhelm_template::Value;
use serde_json::Value as Json;

use crate::chart::{Chart, Values};

const SCHEMA_URL: &str = "file:///values.schema.json";

/// Validates the whole chart tree: each chart with a schema against its
/// values, each subchart against `values[<name>]` when that is present and
/// not null. The error is the text Helm prints after `Error: `.
pub fn validate_against_schema(chart: &Chart, values: &Values) -> Result<(), String> {
    validate_against_schema_with_warnings(chart, values).0
}

/// As [`validate_against_schema`], with the warnings Helm prints on the way
/// (an unresolved `urn:` reference is replaced by the permissive schema
/// `true`, with one warning per URN).
pub fn validate_against_schema_with_warnings(chart: &Chart, values: &Values) -> (Result<(), String>, Vec<String>) {
    let warned: Warned = Rc::default();
    let result = match tree_errors(chart, values, &warned) {
        None => Ok(()),
        Some(e) => Err(format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{e}")),
    };
    let warnings = warned
        .borrow()
        .iter()
        .map(|urn: &String| super::slog_warn("unresolved URN reference ignored; using permissive schema", &[("urn", urn)]))
        .collect();
    (result, warnings)
}

fn tree_errors(chart: &Chart, values: &Values, warned: &Warned) -> Option<String> {
    let mut out = String::new();
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_schema(values, schema, warned) {
            out.push_str(&format!("{}:\n{e}", chart.name()));
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) if m.elem == rhelm_template::Elem::Any => {
                if let Some(e) = tree_errors(sub, &m.entries, warned) {
                    out.push_str(&e);
                }
            }
            Some(other) => out.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// One schema against one values map (`ValidateAgainstSingleSchema`): the
/// failures, one `- at '<pointer>': <message>` line each, ending in a newline.
pub fn validate_single_schema(values: &Values, schema: &[u8]) -> Result<(), String> {
    validate_schema(values, schema, &Rc::default())
}

fn validate_schema(values: &Values, schema: &[u8], warned: &Warned) -> Result<(), String> {
    let schema_json = parse_schema(schema)?;
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.use_loader(Box::new(Loader { warned: warned.clone() }));
    compiler.register_format(boon::Format { name: "ipv4", func: ipv4 });
    compiler.add_resource(SCHEMA_URL, schema_json).map_err(|e| compile_error(&e))?;
    let index = compiler.compile(SCHEMA_URL, &mut schemas).map_err(|e| compile_error(&e))?;
    let instance = Json::Object(values.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect());
    match schemas.validate(&instance, index) {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut out = String::new();
            // Helm drops the root line, which names the schema URL.
            if matches!(e.kind, boon::ErrorKind::Schema { .. }) {
                for c in &e.causes {
                    render(c, 1, false, &mut out);
                }
            } else {
                render(&e, 1, false, &mut out);
            }
            Err(out)
        }
    }
}

/// One error and its causes, one `- at '<pointer>': <message>` line each,
/// nested causes indented two spaces a level, as jsonschema/v6 prints them.
/// A `$ref` with a single cause is not shown itself, only its cause.
/// boon drops an `allOf` node that has a single failing subschema, which
/// jsonschema/v6 keeps; such an error is recognised by its schema location
/// (`.../allOf/N`) and given its `allOf` line back.
fn render(e: &boon::ValidationError, depth: usize, under_all_of: bool, out: &mut String) {
    let skip = e.causes.len() == 1 && matches!(e.kind, boon::ErrorKind::Reference { .. });
    let mut depth = depth;
    let is_all_of = matches!(e.kind, boon::ErrorKind::AllOf);
    if !under_all_of && !is_all_of && ends_with_all_of_index(e.schema_url) {
        for _ in 1..depth {
            out.push_str("  ");
        }
        out.push_str(&format!("- at {}: 'allOf' failed\n", go_quote(&e.instance_location.to_string())));
        depth += 1;
    }
    if !skip {
        for _ in 1..depth {
            out.push_str("  ");
        }
        out.push_str(&format!("- at {}: {}\n", go_quote(&e.instance_location.to_string()), message(&e.kind)));
        depth += 1;
    }
    for c in &e.causes {
        render(c, depth, is_all_of, out);
    }
}

fn ends_with_all_of_index(url: &str) -> bool {
    match url.rsplit_once("/allOf/") {
        Some((_, n)) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// jsonschema/v6's wording of each kind of failure.
fn message(kind: &boon::ErrorKind) -> String {
    use boon::ErrorKind as K;
    let num = |n: &serde_json::Number| go_float(n.as_f64().unwrap_or(0.0));
    let joined = |v: &[&str]| v.iter().map(|s| go_quote(s)).collect::<Vec<_>>().join(", ");
    match kind {
        K::Group | K::Reference { .. } => "validation failed".into(),
        K::Schema { url } => format!("validation failed with {}", go_quote(url)),
        K::ContentSchema => "'contentSchema' failed".into(),
        K::PropertyName { prop } => format!("invalid property {}", go_quote(prop)),
        K::RefCycle { url, kw_loc1, kw_loc2 } => {
            format!("both {kw_loc1} and {kw_loc2} resolve to {} causing reference cycle", crate::manifest::go_quote(url))
        }
        K::FalseSchema => "false schema".into(),
        K::Type { got, want } => {
            format!("got {got}, want {}", want.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or "))
        }
        K::Enum { want } => {
            if want.iter().any(|v| v.is_array() || v.is_object()) {
                "'enum' failed".into()
            } else if want.len() == 1 {
                format!("value must be {}", display(&want[0]))
            } else {
                format!("value must be one of {}", want.iter().map(display).collect::<Vec<_>>().join(", "))
            }
        }
        K::Const { want } => {
            if want.is_array() || want.is_object() {
                "'const' failed".into()
            } else {
                format!("value must be {}", display(want))
            }
        }
        K::Format { got, want, err } => format!("{} is not valid {want}: {err}", display(got)),
        K::MinProperties { got, want } => format!("minProperties: got {}, want {}", group(*got), group(*want)),
        K::MaxProperties { got, want } => format!("maxProperties: got {}, want {}", group(*got), group(*want)),
        K::AdditionalProperties { got } => {
            let v: Vec<&str> = got.iter().map(|s| s.as_ref()).collect();
            format!("additional properties {} not allowed", joined(&v))
        }
        K::Required { want } => {
            if want.len() == 1 {
                format!("missing property {}", go_quote(want[0]))
            } else {
                format!("missing properties {}", joined(want))
            }
        }
        K::Dependency { prop, missing } | K::DependentRequired { prop, missing } => {
            format!("properties {} required, if {} exists", joined(missing), go_quote(prop))
        }
        K::MinItems { got, want } => format!("minItems: got {}, want {}", group(*got), group(*want)),
        K::MaxItems { got, want } => format!("maxItems: got {}, want {}", group(*got), group(*want)),
        K::Contains => "no items match contains schema".into(),
        K::MinContains { got, want } => {
            if got.is_empty() {
                format!("min {want} items required to match contains schema, but none matched")
            } else {
                format!(
                    "min {want} items required to match contains schema, but matched {} items at {}",
                    got.len(),
                    got.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
                )
            }
        }
        K::MaxContains { got, want } => format!(
            "max {want} items required to match contains schema, but matched {} items at {}",
            got.len(),
            got.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        ),
        K::UniqueItems { got } => format!("items at {} and {} are equal", group(got[0]), group(got[1])),
        K::AdditionalItems { got } => format!("last {} additionalItem(s) not allowed", group(*got)),
        K::MinLength { got, want } => format!("minLength: got {}, want {}", group(*got), group(*want)),
        K::MaxLength { got, want } => format!("maxLength: got {}, want {}", group(*got), group(*want)),
        K::Pattern { got, want } => format!("{} does not match pattern {}", go_quote(got), go_quote(want)),
        K::ContentEncoding { want, err } => format!("value is not {} encoded: {err}", go_quote(want)),
        K::ContentMediaType { want, err, .. } => format!("value if not of mediatype {}: {err}", go_quote(want)),
        K::Minimum { got, want } => format!("minimum: got {}, want {}", num(got), num(want)),
        K::Maximum { got, want } => format!("maximum: got {}, want {}", num(got), num(want)),
        K::ExclusiveMinimum { got, want } => format!("exclusiveMinimum: got {}, want {}", num(got), num(want)),
        K::ExclusiveMaximum { got, want } => format!("exclusiveMaximum: got {}, want {}", num(got), num(want)),
        K::MultipleOf { got, want } => format!("multipleOf: got {}, want {}", num(got), num(want)),
        K::Not => "'not' failed".into(),
        K::AllOf => "'allOf' failed".into(),
        K::AnyOf => "'anyOf' failed".into(),
        K::OneOf(None) => "'oneOf' failed, none matched".into(),
        K::OneOf(Some((a, b))) => format!("'oneOf' failed, subschemas {a}, {b} matched"),
    }
}

/// jsonschema/v6's `quote`: Go's `%q` in single quotes, `"` left bare and `'` escaped.
fn go_quote(s: &str) -> String {
    let q = crate::manifest::go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// A primitive JSON value as jsonschema/v6 shows it.
fn display(v: &Json) -> String {
    match v {
        Json::String(s) => go_quote(s),
        Json::Array(_) | Json::Object(_) => "value".into(),
        Json::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// jsonschema/v6 prints numbers through golang.org/x/text's English
/// printer: `%v` of a float is `%g`-like (shortest digits, scientific when
/// the exponent is below -4 or at least 6) with the exponent written
/// `×10⁰⁶`, and integer parts grouped by thousands.
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let digits: String = format!("{:02}", exp.unsigned_abs()).chars().map(superscript).collect();
        let sign = if exp < 0 { "\u{207b}" } else { "" };
        return format!("{mantissa}\u{d7}10{sign}{digits}");
    }
    let plain = format!("{f}");
    let (neg, body) = plain.strip_prefix('-').map_or((false, plain.as_str()), |b| (true, b));
    let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&group_digits(int));
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn superscript(c: char) -> char {
    match c {
        '1' => '\u{b9}',
        '2' => '\u{b2}',
        '3' => '\u{b3}',
        d => char::from_u32(0x2070 + d.to_digit(10).unwrap_or(0)).unwrap_or(d),
    }
}

/// An integer with thousands separators, as x/text's English printer writes `%d`.
fn group(n: usize) -> String {
    group_digits(&n.to_string())
}

fn group_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value as jsonschema sees Go's: whole floats are integers.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Nil | Value::Object(_) | Value::Complex(..) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Json::from(*i),
        Value::Uint8(u) => Json::from(*u),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Json::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null)
            }
        }
        Value::Str(s) => Json::String(s.to_string()),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => Json::Array(l.items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(m.entries.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()),
    }
}

/// Helm's `$ref` loaders: files, and `urn:` references, which Helm cannot
/// resolve and replaces by `true` with a warning. http(s) references are not
/// fetched yet.
struct Loader {
    warned: Warned,
}

/// The `urn:` references warned about, in order.
type Warned = Rc<RefCell<Vec<String>>>;

impl boon::UrlLoader for Loader {
    fn load(&self, url: &str) -> Result<Json, Box<dyn std::error::Error>> {
        if url.starts_with("urn:") {
            let mut w = self.warned.borrow_mut();
            if !w.iter().any(|u| u == url) {
                w.push(url.to_string());
            }
            return Ok(Json::Bool(true));
        }
        if let Some(rest) = url.strip_prefix("file://") {
            let text = std::fs::read(rest)?;
            return Ok(serde_json::from_slice(&text)?);
        }
        Err(format!("loading {url} is not supported").into())
    }
}

/// jsonschema/v6's wording of the compile errors Helm users meet most.
fn compile_error(e: &boon::CompileError) -> String {
    use boon::CompileError as C;
    match e {
        C::ValidationError { url, src } => {
            let mut out = format!("{} is not valid against metaschema: ", crate::manifest::go_quote(url));
            match &src.kind {
                boon::ErrorKind::Schema { url } => {
                    let url = if url.contains('#') { url.to_string() } else { format!("{url}#") };
                    out.push_str(&format!("jsonschema validation failed with {}\n", go_quote(&url)));
                    for c in &src.causes {
                        render(c, 1, false, &mut out);
                    }
                }
                _ => render(src, 1, false, &mut out),
            }
            out.trim_end_matches('\n').to_string()
        }
        C::JsonPointerNotFound(loc) => format!("json-pointer in {} not found", crate::manifest::go_quote(loc)),
        C::InvalidJsonPointer(loc) => format!("invalid json-pointer {}", crate::manifest::go_quote(loc)),
        other => other.to_string(),
    }
}

/// jsonschema/v6's `ipv4` format, with its messages: four dot-separated
/// decimals as Go's `strconv.Atoi` reads them (a sign is allowed), no
/// leading zeros, each at most 255.
fn ipv4(v: &Json) -> Result<(), Box<dyn std::error::Error>> {
    let Json::String(s) = v else { return Ok(()) };
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let digits = g.strip_prefix(['+', '-']).unwrap_or(g);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("strconv.Atoi: parsing {}: invalid syntax", crate::manifest::go_quote(g)).into());
        }
        let n: i64 = match g.parse() {
            Ok(n) => n,
            Err(_) => return Err(format!("strconv.Atoi: parsing {}: value out of range", crate::manifest::go_quote(g)).into()),
        };
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

/// jsonschema/v6's `UnmarshalJSON`: one JSON value read by a Go
/// `json.Decoder`, then nothing but blanks; the errors are Go's.
fn parse_schema(bytes: &[u8]) -> Result<Json, String> {
    if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        return Err("EOF".into());
    }
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Json>();
    match values.next() {
        Some(Ok(v)) => match values.next() {
            None => Ok(v),
            Some(_) => Err("invalid character after top-level value".into()),
        },
        Some(Err(e)) if e.is_eof() => Err("unexpected EOF".into()),
        Some(Err(e)) => {
            let text = String::from_utf8_lossy(bytes);
            Err(match rhelm_functions::json::from_str(&text) {
                Err(go) => go.message().to_string(),
                Ok(_) => e.to_string(),
            })
        }
        None => Err("EOF".into()),
    }
}
