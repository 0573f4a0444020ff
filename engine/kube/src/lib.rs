//! Kubernetes access for rhelm, with no knowledge of Helm releases: a
//! client from the user's kubeconfig, discovery (kinds to API resources and
//! the capability list), server-side and client-side apply, deletion, and
//! readiness waits.
//!
//! The API is blocking: a [`Kube`] owns a small tokio runtime and runs each
//! call on it, so the release actions read as the sequence of steps they are.
//! Calls that touch many objects ([`Kube::apply_all`]) run concurrently inside.

mod apply;
mod client_side;
mod connect;
mod discovery;
mod error;
mod legacy;
mod managed_fields;
mod patch;
mod resource;
mod retry;
mod status;
mod tables;
mod validate;
mod wait;

pub use apply::{ApplyOptions, Propagation};
pub use client_side::Write;
pub use connect::{Kube, KubeOptions, ServerVersion};
pub use error::KubeError;
pub use resource::Resource;
pub use status::{Judgement, Status};
pub use tables::TableGroup;
pub use wait::WaitKind;
