//! Helm charts as Helm 4.3.1 handles them: loading, values, rendering and
//! the manifest stream `helm template` prints.

pub mod ignore;
pub mod manifest;
pub mod strvals;
