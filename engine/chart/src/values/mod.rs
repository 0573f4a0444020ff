//! Helm's values pipeline: user values from the CLI (`options`), chart
//! defaults coalesced under them (`coalesce`), dependency processing
//! (conditions, tags, aliases, import-values: `dependencies`) and
//! `values.schema.json` validation (`schema`).

mod coalesce;
mod dependencies;

pub use coalesce::{coalesce_values, merge_values, try_coalesce_values};
pub use dependencies::process_dependencies;
mod options;

pub use options::{LocalReader, ValueOptions, ValueReader};
mod schema;
mod stack;

pub use schema::{validate_against_schema, validate_single, validate_tree};
