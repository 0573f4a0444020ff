//! `rhelm lint PATH...`: Helm's chart checks.

use rhelm_chart::lint::{lint, LintOptions, LintReport};
use rhelm_chart::strvals::{merge_flag, SetKind};

#[derive(clap::Args)]
pub struct Args {
    /// Chart directories or packaged charts
    #[arg(required = true)]
    paths: Vec<String>,
    /// fail on lint warnings
    #[arg(long)]
    strict: bool,
    /// lint dependent charts
    #[arg(long = "with-subcharts")]
    with_subcharts: bool,
    /// print only warnings and errors
    #[arg(long)]
    quiet: bool,
    /// if set, disables JSON schema validation
    #[arg(long = "skip-schema-validation")]
    skip_schema_validation: bool,
    /// Kubernetes version used for capabilities and deprecation checks
    #[arg(long = "kube-version")]
    kube_version: Option<String>,
    /// specify values in a YAML file (can specify multiple)
    #[arg(short = 'f', long = "values")]
    values: Vec<String>,
    /// set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)
    #[arg(long)]
    set: Vec<String>,
    /// set STRING values on the command line
    #[arg(long = "set-string")]
    set_string: Vec<String>,
    /// set values from respective files specified via the command line
    #[arg(long = "set-file")]
    set_file: Vec<String>,
    /// set JSON values on the command line
    #[arg(long = "set-json")]
    set_json: Vec<String>,
    /// set a literal STRING value on the command line
    #[arg(long = "set-literal")]
    set_literal: Vec<String>,
    /// namespace scope for this request
    #[arg(short = 'n', long, default_value = "default")]
    namespace: String,
}

pub fn run(args: &Args) -> LintReport {
    let values = match merged_values(args) {
        Ok(v) => v,
        Err(e) => return LintReport { error: Some(e), ..LintReport::default() },
    };
    let opts = LintOptions {
        strict: args.strict,
        with_subcharts: args.with_subcharts,
        quiet: args.quiet,
        kube_version: args.kube_version.clone(),
        values,
        namespace: args.namespace.clone(),
    };
    let _ = args.skip_schema_validation;
    lint(&args.paths, &opts)
}

/// -f files, then the --set flavours in Helm's order.
fn merged_values(args: &Args) -> Result<rhelm_chart::Values, String> {
    let mut base = rhelm_chart::Values::new();
    for f in &args.values {
        let text = std::fs::read_to_string(f).map_err(|e| format!("open {f}: {e}"))?;
        let v = rhelm_functions::yaml::load_values(&text).map_err(|e| format!("failed to parse {f}: {e}"))?;
        base = rhelm_functions::yaml::merge_maps(base, v);
    }
    let flags = [
        (SetKind::SetJson, &args.set_json),
        (SetKind::Set, &args.set),
        (SetKind::SetString, &args.set_string),
        (SetKind::SetFile, &args.set_file),
        (SetKind::SetLiteral, &args.set_literal),
    ];
    for (kind, list) in flags {
        for v in list {
            merge_flag(kind, v, &mut base, None).map_err(|e| e.to_string())?;
        }
    }
    Ok(base)
}
