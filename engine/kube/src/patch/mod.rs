//! Computing the patches of a client-side update, as Helm's client
//! libraries do: strategic merge patches for built-in kinds (with the
//! list metadata the API server publishes) and JSON merge patches for the
//! rest.

pub mod merge;
mod openapi;
pub mod strategic;

pub use openapi::{Node, OpenApi};
