//! `rhelm lint PATH...`: Helm's chart checks.

use rhelm_chart::lint::{lint, LintOptions, LintReport};
use rhelm_chart::values::{LocalReader, ValueOptions};

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
        skip_schema_validation: args.skip_schema_validation,
    };
    lint(&args.paths, &opts)
}

/// Helm's `MergeValues` over the values flags.
fn merged_values(args: &Args) -> Result<rhelm_chart::Values, String> {
    let opts = ValueOptions {
        value_files: args.values.clone(),
        string_values: args.set_string.clone(),
        values: args.set.clone(),
        file_values: args.set_file.clone(),
        json_values: args.set_json.clone(),
        literal_values: args.set_literal.clone(),
    };
    opts.merge_values(&LocalReader)
}
