//! Helm releases for rhelm: the release record as Helm 4 stores it, its
//! wire encoding, and the storage drivers that keep it in a cluster.

pub mod action;
pub mod chart_json;
pub mod codec;
pub mod gojson;
pub mod kubeconfig;
pub mod model;
pub mod resources;
pub mod storage;
pub mod time;

pub use model::{Hook, HookEvent, HookExecution, HookPhase, Info, Release, Status};
pub use storage::{Driver, Storage, StorageError};
