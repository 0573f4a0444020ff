//! `rhelm render-template FILE [--values FILE]`: runs the template engine,
//! with Helm's functions, on one file, with the data shaped as Helm shapes
//! it (`.Values`), so the engine can be tried from the shell before charts exist.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rhelm_template::{MissingKey, TemplateSet, Value};

#[derive(clap::Args)]
pub struct Args {
    /// The template file
    file: PathBuf,
    /// A YAML (or JSON) file whose content becomes .Values, read as Helm reads values files
    #[arg(short = 'f', long = "values")]
    values: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let values = match &args.values {
        Some(p) => {
            let raw = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            rhelm_functions::yaml::from_str(&raw).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => Value::empty_map(),
    };
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), values);
    let data = Value::map(top);
    let name = args.file.display().to_string();
    let mut set = TemplateSet::new("gotpl", rhelm_functions::helm_funcs());
    set.set_missing_key(MissingKey::Zero);
    set.parse(&name, &text).map_err(|e| e.to_string())?;
    let out = set.render(&name, &data).map_err(|e| e.to_string())?;
    Ok(out.replace("<no value>", ""))
}
