//! values.yaml rules (Helm's `rules/values.go`). Schema validation of the
//! coalesced values is not done yet (rhelm has no JSON Schema validator).

use super::support::{Linter, Severity};

const FILE: &str = "values.yaml";

pub fn values(linter: &mut Linter) {
    let path = linter.chart_dir.join(FILE);
    let exists = std::fs::metadata(&path).is_ok();
    if !linter.rule(Severity::Info, FILE, if exists { Ok(()) } else { Err("file does not exist".into()) }) {
        return;
    }
    let result = match std::fs::read(&path) {
        Err(e) => Err(format!("unable to parse YAML: read {}: {}", path.display(), super::errno_text(&e))),
        Ok(data) => match crate::load::parse_yaml(&data) {
            Err(e) => Err(format!("unable to parse YAML: {e}")),
            Ok(rhelm_template::Value::Map(_)) | Ok(rhelm_template::Value::Nil) => Ok(()),
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
