//! values.yaml rules (Helm's `rules/values.go`): the file parses, and the
//! user's values over it meet values.schema.json (subcharts not included).

use super::support::{Linter, Severity};

const FILE: &str = "values.yaml";

pub fn values(linter: &mut Linter, opts: &super::LintOptions) {
    let path = linter.chart_dir.join(FILE);
    let exists = std::fs::metadata(&path).is_ok();
    if !linter.rule(Severity::Info, FILE, if exists { Ok(()) } else { Err("file does not exist".into()) }) {
        return;
    }
    let result = match std::fs::read(&path) {
        Err(e) => Err(format!("unable to parse YAML: read {}: {}", path.display(), super::errno_text(&e))),
        Ok(data) => match crate::load::parse_yaml(&data) {
            Err(e) => Err(format!("unable to parse YAML: {e}")),
            Ok(rhelm_template::Value::Map(m)) => schema(linter, &m.entries, opts),
            Ok(rhelm_template::Value::Nil) => schema(linter, &Default::default(), opts),
            // Helm decodes the file into its `common.Values` map type.
            Ok(other) => Err(format!(
                "unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type common.Values",
                json_kind(&other)
            )),
        },
    };
    linter.rule(Severity::Error, FILE, result);
}

fn json_kind(v: &rhelm_template::Value) -> &'static str {
    use rhelm_template::Value;
    match v {
        Value::List(_) => "array",
        Value::Bool(_) => "bool",
        Value::Str(_) => "string",
        Value::Map(_) => "object",
        _ => "number",
    }
}

/// The top-level values (user values over values.yaml) against the chart's
/// own values.schema.json, when there is a non-empty one.
fn schema(linter: &Linter, values: &crate::chart::Values, opts: &super::LintOptions) -> Result<(), String> {
    let path = linter.chart_dir.join("values.schema.json");
    let schema = std::fs::read(&path).unwrap_or_default();
    if schema.is_empty() || opts.skip_schema_validation {
        return Ok(());
    }
    let merged = crate::strvals::merge_maps(values.clone(), &opts.values);
    crate::values::validate_single(&merged, &schema)
}
