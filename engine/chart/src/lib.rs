//! Helm charts as Helm 4.3.1 handles them: loading, values, rendering and
//! the manifest stream `helm template` prints.

pub mod action;
pub mod chart;
pub mod create;
pub mod file_data;
pub mod ignore;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod metadata;
pub mod package;
pub mod postrender;
pub mod release_render;
pub mod render;
pub mod show;
pub mod strvals;
pub mod utf8;
pub mod values;

pub use chart::{Chart, File, Values};
pub use file_data::FileData;
pub use metadata::{Dependency, Lock, Maintainer, Metadata};
