//! `values.schema.json` validation as Helm's `ValidateAgainstSchema`
//! (pkg/chart/common/util/jsonschema.go) does it.
//!
//! Helm uses santhosh-tekuri/jsonschema/v6; `boon` is its Rust port by the
//! same author, with the same drafts (2020-12 by default, `$schema`
//! honoured) and the same error kinds and wording. Its `Display` differs
//! from the Go library's in the header line, so the error tree is printed
//! here the way the Go library prints it.

mod quick;

use std::fmt::Write;

use rhelm_template::{Elem, Value};

use crate::chart::{Chart, Values};

/// Validates `values` against the chart's schema and each subchart's
/// against `values[<subchart>]` (when present and not null), recursively.
/// The error is Helm's whole message, starting `values don't meet the
/// specifications of the schema(s) in the following chart(s):`.
pub fn validate_against_schema(chart: &Chart, values: &Values) -> Result<(), String> {
    validate_against_schema_with_warnings(chart, values).0
}

/// [`validate_against_schema`] with the lines Helm logs on the way: an
/// unresolved `urn:` reference becomes the permissive schema `true` and is
/// warned about once (`level=WARN msg="unresolved URN reference ignored;
/// using permissive schema" urn=...`).
pub fn validate_against_schema_with_warnings(chart: &Chart, values: &Values) -> (Result<(), String>, Vec<String>) {
    schema_checks(chart, values).run()
}

/// The schema validations of a chart tree, prepared so that they can run on
/// another thread while the chart renders: each chart's values are taken
/// as JSON up front, so what the templates later do to the shared value
/// maps cannot reach the check. [`SchemaChecks::run`] gives what
/// [`validate_against_schema_with_warnings`] gives.
pub struct SchemaChecks {
    steps: Vec<Step>,
    depth: usize,
}

enum Step {
    /// A line decided without a schema (a subchart's values of the wrong type).
    Text(String),
    Check {
        chart: String,
        schema: Vec<u8>,
        instance: serde_json::Value,
    },
}

/// Prepares [`SchemaChecks`] for `chart` and `values` (see [`validate_tree`]).
pub fn schema_checks(chart: &Chart, values: &Values) -> SchemaChecks {
    let depth = super::stack::depth(chart, values);
    let mut steps = Vec::new();
    super::stack::with_stack_for(depth, || collect_steps(chart, values, &mut steps));
    SchemaChecks { steps, depth }
}

impl SchemaChecks {
    /// Whether there is a schema to check, that is, work worth a thread.
    pub fn has_schema(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Check { .. }))
    }

    pub fn run(self) -> (Result<(), String>, Vec<String>) {
        let warned = Warned::default();
        let SchemaChecks { steps, depth } = self;
        let result = super::stack::with_stack_for(depth, || run_steps(steps, &warned)).map_err(|e| {
            format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{e}")
        });
        let urns = warned.lock().map(|w| w.clone()).unwrap_or_default();
        let lines = urns
            .iter()
            .map(|urn| {
                let line = crate::manifest::slog_info(
                    "unresolved URN reference ignored; using permissive schema",
                    &[("urn", urn)],
                );
                format!("level=WARN{}", &line["level=INFO".len()..])
            })
            .collect();
        (result, lines)
    }
}

/// The `urn:` references warned about, in order (Helm warns once per URN).
type Warned = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Helm's `ValidateAgainstSchema`, without the header.
pub fn validate_tree(chart: &Chart, values: &Values) -> Result<(), String> {
    let mut steps = Vec::new();
    collect_steps(chart, values, &mut steps);
    run_steps(steps, &Warned::default())
}

/// Helm's walk of the tree: the chart's own schema, then each subchart
/// whose values are present and not null, depth first.
fn collect_steps(chart: &Chart, values: &Values, steps: &mut Vec<Step>) {
    if let Some(schema) = &chart.schema {
        let instance = to_json(&Value::map(values.clone()));
        steps.push(Step::Check { chart: chart.name().to_string(), schema: schema.clone(), instance });
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) if m.elem == Elem::Any => collect_steps(sub, &m.entries, steps),
            Some(other) => steps.push(Step::Text(format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                go_type_name(other)
            ))),
        }
    }
}

fn run_steps(steps: Vec<Step>, warned: &Warned) -> Result<(), String> {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Text(t) => out.push_str(&t),
            Step::Check { chart, schema, instance } => {
                if let Err(e) = check_instance(&instance, &schema, warned) {
                    let _ = write!(out, "{chart}:\n{e}");
                }
            }
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Int64(_) => "int64",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::List(_) => "[]interface {}",
        _ => "interface {}",
    }
}

const SCHEMA_URL: &str = "file:///values.schema.json";

/// Helm's `ValidateAgainstSingleSchema`: the error text ends with `\n` for
/// validation failures, as Helm's `JSONSchemaValidationError` does.
pub fn validate_single(values: &Values, schema_json: &[u8]) -> Result<(), String> {
    check_instance(&to_json(&Value::map(values.clone())), schema_json, &Warned::default())
}

fn check_instance(instance: &serde_json::Value, schema_json: &[u8], warned: &Warned) -> Result<(), String> {
    let schema = parse_schema(schema_json)?;
    if quick::surely_valid(&schema, instance) {
        return Ok(());
    }
    check_with_boon(schema, instance, warned)
}

/// Compiles `schema` with boon (checking it against its metaschema) and
/// validates `instance` with it.
fn check_with_boon(schema: serde_json::Value, instance: &serde_json::Value, warned: &Warned) -> Result<(), String> {
    let mut compiler = boon::Compiler::new();
    let mut loader = boon::SchemeUrlLoader::new();
    loader.register("file", Box::new(boon::FileLoader));
    loader.register("urn", Box::new(PermissiveUrn(warned.clone())));
    compiler.use_loader(Box::new(loader));
    compiler.register_format(boon::Format { name: "ipv4", func: ipv4 });
    compiler.add_resource(SCHEMA_URL, schema).map_err(|e| compile_error(&e))?;
    let mut schemas = boon::Schemas::new();
    let idx = compiler.compile(SCHEMA_URL, &mut schemas).map_err(|e| compile_error(&e))?;
    match schemas.validate(instance, idx) {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut text = String::new();
            display(&e, 0, None, &mut text);
            let header = format!("jsonschema validation failed with {}\n", quote(&format!("{SCHEMA_URL}#")));
            let text = text.strip_prefix(&header).map(str::to_string).unwrap_or(text);
            Err(text + "\n")
        }
    }
}

/// The schema document as the Go library's `UnmarshalJSON` reads it (one
/// value through a `json.Decoder`, then nothing but blanks), or Go's error.
fn parse_schema(bytes: &[u8]) -> Result<serde_json::Value, String> {
    if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        return Err("EOF".into());
    }
    let mut docs = serde_json::Deserializer::from_slice(bytes).into_iter::<serde_json::Value>();
    match docs.next() {
        Some(Ok(v)) => match docs.next() {
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

/// A schema compile error in the Go library's words, where they are known.
fn compile_error(e: &boon::CompileError) -> String {
    use boon::CompileError as C;
    let with_fragment = |url: &str| if url.contains('#') { url.to_string() } else { format!("{url}#") };
    match e {
        C::ValidationError { url, src } => {
            let mut text = String::new();
            let draft_uses_all_of = src.schema_url.contains("json-schema.org/draft/20");
            let flattened = !src.causes.iter().any(|c| matches!(c.kind, boon::ErrorKind::AllOf));
            if let (true, true, boon::ErrorKind::Schema { url }) = (draft_uses_all_of, flattened, &src.kind) {
                // The 2019-09 and 2020-12 metaschemas are an `allOf` of
                // vocabularies; boon drops that level when one fails.
                let _ = write!(text, "jsonschema validation failed with {}", quote(url));
                line(1, &format!("at {}: 'allOf' failed", quote(&src.instance_location.to_string())), &mut text);
                for cause in &src.causes {
                    display(cause, 2, Some(src), &mut text);
                }
            } else {
                display(src, 0, None, &mut text);
            }
            format!("{} is not valid against metaschema: {text}", rhelm_template::fmt::quote(&with_fragment(url)))
        }
        C::JsonPointerNotFound(loc) => format!("json-pointer in {} not found", rhelm_template::fmt::quote(loc)),
        other => other.to_string(),
    }
}

/// Unresolved `urn:` references become the permissive `true` schema, as in Helm.
struct PermissiveUrn(Warned);

impl boon::UrlLoader for PermissiveUrn {
    fn load(&self, url: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        if let Ok(mut w) = self.0.lock() {
            if !w.iter().any(|u| u == url) {
                w.push(url.to_string());
            }
        }
        Ok(serde_json::Value::Bool(true))
    }
}

/// The Go library's `ipv4` format, with its messages: four dot-separated
/// decimals as Go's `strconv.Atoi` reads them (a sign is allowed), no
/// leading zeros, each at most 255.
fn ipv4(v: &serde_json::Value) -> Result<(), Box<dyn std::error::Error>> {
    let serde_json::Value::String(s) = v else { return Ok(()) };
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
        let Ok(n) = g.parse::<i64>() else {
            return Err(format!("strconv.Atoi: parsing {}: value out of range", crate::manifest::go_quote(g)).into());
        };
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

/// The Go library's `ValidationError.Error()`: one line per error, nested
/// causes indented, a `$ref` with a single cause skipped.
fn display(e: &boon::ValidationError, indent: usize, parent: Option<&boon::ValidationError>, out: &mut String) {
    let skip = e.causes.len() == 1 && matches!(e.kind, boon::ErrorKind::Reference { .. });
    let mut next = indent;
    if !skip {
        next = indent + 1;
        let location = e.instance_location.to_string();
        if let Some((wrapper, at)) = parent.and_then(|p| flattened_combinator(p, e, &location)) {
            line(indent, &format!("at {}: {wrapper}", quote(&at)), out);
            next += 1;
        }
        let text = match &e.kind {
            boon::ErrorKind::Schema { url } => format!("jsonschema validation failed with {}", quote(url)),
            kind => format!("at {}: {}", quote(&location), message(kind)),
        };
        line(next - 1, &text, out);
    }
    let parent = if skip { parent } else { Some(e) };
    for cause in &e.causes {
        display(cause, next, parent, out);
    }
}

fn line(indent: usize, text: &str, out: &mut String) {
    if indent > 0 {
        out.push('\n');
        for _ in 0..indent - 1 {
            out.push_str("  ");
        }
        out.push_str("- ");
    }
    out.push_str(text);
}

/// boon reports a combinator (`allOf`, `anyOf`, `oneOf`) that failed with a
/// single error as that error alone; the Go library always reports the
/// combinator with the error as its cause. When the schema path from the
/// parent error to this one goes through a combinator, this returns the
/// missing line's message and instance location.
fn flattened_combinator(
    parent: &boon::ValidationError,
    e: &boon::ValidationError,
    location: &str,
) -> Option<(&'static str, String)> {
    use boon::ErrorKind as K;
    if matches!(parent.kind, K::AllOf | K::AnyOf | K::OneOf(_)) {
        return None;
    }
    let rel = e.schema_url.strip_prefix(parent.schema_url)?;
    let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let pos = segments.iter().rposition(|s| matches!(*s, "allOf" | "anyOf" | "oneOf"))?;
    segments.get(pos + 1).filter(|n| n.parse::<usize>().is_ok())?;
    let wrapper = match segments[pos] {
        "allOf" => "'allOf' failed",
        "anyOf" => "'anyOf' failed",
        _ => "'oneOf' failed, none matched",
    };
    // Instance steps the schema path takes after the combinator's subschema.
    let mut steps = 0;
    let mut i = pos + 2;
    while i < segments.len() {
        match segments[i] {
            "properties" | "patternProperties" | "prefixItems" => {
                steps += 1;
                i += 2;
            }
            "items" if segments.get(i + 1).is_some_and(|n| n.parse::<usize>().is_ok()) => {
                steps += 1;
                i += 2;
            }
            "items" | "additionalProperties" | "additionalItems" | "contains" => {
                steps += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    let mut at = location.to_string();
    for _ in 0..steps {
        at.truncate(at.rfind('/').unwrap_or(0));
    }
    Some((wrapper, at))
}

/// An error kind in the Go library's (v6) words, which differ from boon's.
fn message(kind: &boon::ErrorKind) -> String {
    use boon::ErrorKind as K;
    let joined = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    match kind {
        K::Type { got, want } => {
            let want: Vec<String> = want.iter().map(|t| t.to_string()).collect();
            format!("got {got}, want {}", want.join(" or "))
        }
        K::Enum { want } => {
            if want.iter().all(|v| !v.is_array() && !v.is_object()) {
                if want.len() == 1 {
                    format!("value must be {}", display_json(&want[0]))
                } else {
                    format!("value must be one of {}", joined(&mut want.iter().map(display_json)))
                }
            } else {
                "'enum' failed".into()
            }
        }
        K::Const { want } => {
            if want.is_array() || want.is_object() {
                "'const' failed".into()
            } else {
                format!("value must be {}", display_json(want))
            }
        }
        K::Format { got, want, err } => format!("{} is not valid {want}: {err}", display_json(got)),
        K::MinProperties { got, want } => format!("minProperties: got {}, want {}", group(*got), group(*want)),
        K::MaxProperties { got, want } => format!("maxProperties: got {}, want {}", group(*got), group(*want)),
        K::MinItems { got, want } => format!("minItems: got {}, want {}", group(*got), group(*want)),
        K::MaxItems { got, want } => format!("maxItems: got {}, want {}", group(*got), group(*want)),
        K::AdditionalItems { got } => format!("last {} additionalItem(s) not allowed", group(*got)),
        K::AdditionalProperties { got } => {
            format!("additional properties {} not allowed", joined(&mut got.iter().map(|p| quote(p))))
        }
        K::Required { want } if want.len() == 1 => format!("missing property {}", quote(want[0])),
        K::Required { want } => format!("missing properties {}", joined(&mut want.iter().map(|p| quote(p)))),
        K::Dependency { prop, missing } | K::DependentRequired { prop, missing } => {
            format!("properties {} required, if {} exists", joined(&mut missing.iter().map(|p| quote(p))), quote(prop))
        }
        K::MinContains { got, want } if got.is_empty() => {
            format!("min {} items required to match contains schema, but none matched", group(*want))
        }
        K::MinContains { got, want } => format!(
            "min {} items required to match contains schema, but matched {} items at {}",
            group(*want),
            group(got.len()),
            got.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        ),
        K::MaxContains { got, want } => format!(
            "max {} items required to match contains schema, but matched {} items at {}",
            group(*want),
            group(got.len()),
            got.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        ),
        K::MinLength { got, want } => format!("minLength: got {}, want {}", group(*got), group(*want)),
        K::MaxLength { got, want } => format!("maxLength: got {}, want {}", group(*got), group(*want)),
        K::ContentMediaType { want, err, .. } => format!("value if not of mediatype {}: {err}", quote(want)),
        K::Minimum { got, want } => format!("minimum: got {}, want {}", go_number(got), go_number(want)),
        K::Maximum { got, want } => format!("maximum: got {}, want {}", go_number(got), go_number(want)),
        K::ExclusiveMinimum { got, want } => {
            format!("exclusiveMinimum: got {}, want {}", go_number(got), go_number(want))
        }
        K::ExclusiveMaximum { got, want } => {
            format!("exclusiveMaximum: got {}, want {}", go_number(got), go_number(want))
        }
        K::MultipleOf { got, want } => format!("multipleOf: got {}, want {}", go_number(got), go_number(want)),
        K::UniqueItems { got: [i, j] } => format!("items at {} and {} are equal", group(*i), group(*j)),
        K::PropertyName { prop } => format!("invalid propertyName {}", quote(prop)),
        K::Not => "'not' failed".into(),
        K::AllOf => "'allOf' failed".into(),
        K::AnyOf => "'anyOf' failed".into(),
        K::OneOf(None) => "'oneOf' failed, none matched".into(),
        K::OneOf(Some((i, j))) => format!("'oneOf' failed, subschemas {}, {} matched", group(*i), group(*j)),
        K::ContentSchema => "'contentSchema' failed".into(),
        other => other.to_string(),
    }
}

/// A number as the Go library prints it: float64 with `%v` through an
/// English `message.Printer`, which groups the integer digits by thousands.
fn go_number(n: &serde_json::Number) -> String {
    let mut out = String::new();
    rhelm_template::fmt::write_value(&mut out, &Value::Float(n.as_f64().unwrap_or(0.0)));
    if out.contains(['N', 'I']) {
        return out;
    }
    if let Some((mantissa, exp)) = out.split_once('e') {
        // x/text prints scientific notation as `1.5×10²¹`.
        let exp = exp.trim_start_matches('+');
        // Go's %e writes at least two exponent digits, and x/text keeps them.
        let digits = exp.trim_start_matches('-');
        let sup: String = format!("{:0>2}", digits.trim_start_matches('0'))
            .chars()
            .map(|c| match c {
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                _ => '⁹',
            })
            .collect();
        let minus = if exp.starts_with('-') { "⁻" } else { "" };
        return format!("{mantissa}×10{minus}{sup}");
    }
    let (sign, rest) = out.strip_prefix('-').map_or(("", out.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut s = format!("{sign}{}", group_digits(int));
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    s
}

/// `%d` through an English `message.Printer`.
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

/// The Go library's `display` of a primitive JSON value.
fn display_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => quote(s),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => "value".into(),
        serde_json::Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// The Go library's single-quoting (`%q` with `'` as the quote).
fn quote(s: &str) -> String {
    let q = rhelm_template::fmt::quote(s).replace("\\\"", "\"").replace('\'', "\\'");
    format!("'{}'", &q[1..q.len() - 1])
}

/// Values as JSON for the validator. Numbers from YAML are float64 in Go;
/// the Go library compares them exactly, so a whole float is an integer.
fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) | Value::Int64(i) => J::from(*i),
        Value::Uint8(u) => J::from(*u),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                J::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null)
            }
        }
        Value::Str(s) => J::String(s.to_string()),
        Value::Bytes(b) => J::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => J::Array(l.items.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(m.entries.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()),
        other => {
            let mut s = String::new();
            rhelm_template::fmt::write_value(&mut s, other);
            J::String(s)
        }
    }
}
