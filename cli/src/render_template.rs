//! `rhelm render-template FILE [--values FILE]`: runs the template engine on
//! one file, with the data shaped as Helm shapes it (`.Values`), so the
//! engine can be tried from the shell before charts exist.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rhelm_template::{FuncMap, MissingKey, TemplateSet, Value};

#[derive(clap::Args)]
pub struct Args {
    /// The template file
    file: PathBuf,
    /// A JSON file whose content becomes .Values (numbers are float64, as in Helm)
    #[arg(short = 'f', long = "values")]
    values: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let values = match &args.values {
        Some(p) => {
            let raw = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let json: serde_json::Value = serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", p.display()))?;
            from_json(&json)
        }
        None => Value::empty_map(),
    };
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), values);
    let data = Value::map(top);
    let name = args.file.display().to_string();
    let mut set = TemplateSet::new("gotpl", FuncMap::new());
    set.set_missing_key(MissingKey::Zero);
    set.parse(&name, &text).map_err(|e| e.to_string())?;
    let out = set.render(&name, &data).map_err(|e| e.to_string())?;
    Ok(out.replace("<no value>", ""))
}

/// JSON to the value model the way Helm's encoding/json decoding does it.
fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::map(o.iter().map(|(k, v)| (Arc::from(k.as_str()), from_json(v))).collect()),
    }
}
