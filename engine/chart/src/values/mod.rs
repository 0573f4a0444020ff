//! Helm's values pipeline, in the order `helm template`/`install` runs it:
//!
//! 1. [`ValueOptions::merge_values`]: the user-supplied values from `-f`
//!    files and the `--set` family (`values.Options.MergeValues`).
//! 2. [`process_dependencies`]: aliases, `enabled` from tags and
//!    conditions, disabled subcharts removed, import-values folded into each
//!    chart's values (`chartutil.ProcessDependencies`).
//! 3. [`coalesce_values`]: chart defaults under the user's values, with the
//!    4.3.1 null rules (`CoalesceValues`); what `.Values` is.
//! 4. [`validate_against_schema`]: every chart's `values.schema.json`
//!    (`ValidateAgainstSchema`).
//!
//! Helm logs warnings along the way; each step returns them as the exact
//! stderr lines Helm 4.3.1 prints (`level=INFO msg="warning: ..."`,
//! `level=WARN msg="returned non-bool value" ...`). Some are logged while
//! Go iterates a map, so Helm's order among them is random; ours follows
//! key order.

mod coalesce;
mod dependencies;
mod options;
mod schema;
mod stack;

pub use coalesce::{coalesce_tables_of, coalesce_values, merge_values, try_coalesce_values};
pub use dependencies::{is_compatible_range, process_dependencies};
pub use options::{LocalReader, ValueOptions, ValueReader};
pub use schema::{
    schema_checks, validate_against_schema, validate_against_schema_with_warnings, validate_single, validate_tree,
    SchemaChecks,
};
