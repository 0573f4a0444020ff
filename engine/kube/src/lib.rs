//! Kubernetes access for rhelm, with no knowledge of Helm releases: a
//! client from the user's kubeconfig, discovery (kinds to API resources and
//! the capability list), server-side apply, deletion, and readiness waits.
//!
//! The API is blocking: a [`Kube`] owns a small tokio runtime and runs each
//! call on it, so the release actions read as the sequence of steps they are.
//! Calls that touch many objects ([`Kube::apply_all`]) run concurrently inside.

mod apply;
mod connect;
mod discovery;
mod error;
mod resource;
mod tables;
mod wait;

pub use apply::{ApplyOptions, Propagation};
pub use connect::{Kube, KubeOptions, ServerVersion};
pub use error::KubeError;
pub use resource::Resource;
pub use tables::TableGroup;
pub use wait::WaitKind;

/// How many requests run at once. Each concurrent request needs its own
/// HTTP/1.1 connection and TLS handshake, which costs more than waiting
/// for a kept-alive one beyond a few at a time.
const MAX_CONCURRENT_REQUESTS: usize = 6;

/// Runs futures at most [`MAX_CONCURRENT_REQUESTS`] at a time, results in order.
pub(crate) async fn concurrent<I, F>(futs: I) -> Vec<F::Output>
where
    I: IntoIterator<Item = F>,
    F: std::future::Future,
{
    use futures::StreamExt;
    futures::stream::iter(futs).buffered(MAX_CONCURRENT_REQUESTS).collect().await
}
