//! Retrying requests through short API-server outages (a restart, a lost
//! connection). kube's own retry covers 429/503/504 answers only; a restart
//! shows as refused connections and connections reset mid-request, which
//! would otherwise fail an install half-way.
//!
//! What is retried depends on whether the request may have reached the
//! server: a refused connection never did, so any request is sent again; a
//! connection lost after sending is retried only for idempotent requests
//! (GET, PUT, DELETE, server-side apply), never for a POST, whose create may
//! have happened (a retried release-record create would then report a
//! concurrent claim that is our own).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::{Method, Request, Response};
use kube::client::Body;
use tower::{BoxError, Layer, Service};

/// How long one request keeps being retried by default: long enough for an
/// API server to restart on a loaded machine (20-50 s on the test
/// cluster), short next to Helm's default five-minute timeout. Actions
/// lower it to their --timeout.
pub(crate) const BUDGET: Duration = Duration::from_secs(90);
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// The retry budget in milliseconds, shared with the [`crate::Kube`] that
/// can lower it.
pub(crate) type Budget = Arc<AtomicU64>;

pub(crate) fn budget() -> Budget {
    Arc::new(AtomicU64::new(BUDGET.as_millis() as u64))
}

pub(crate) struct RetryLayer(pub(crate) Budget);

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;
    fn layer(&self, inner: S) -> Retry<S> {
        Retry { inner: Arc::new(Mutex::new(inner)), budget: self.0.clone(), reached: Arc::new(AtomicBool::new(false)) }
    }
}

/// Shares the (not cloneable) inner stack between the attempts of a
/// request; the lock is held only to start a call, never across awaits.
pub(crate) struct Retry<S> {
    inner: Arc<Mutex<S>>,
    budget: Budget,
    /// Whether the server has answered once. Until it has, a failure is
    /// not an outage but a wrong or absent cluster (client-go's
    /// localhost:8080 fallback, a stopped cluster): it is reported at once,
    /// as Helm does, instead of after the whole budget.
    reached: Arc<AtomicBool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// The request never left: connection refused.
    NotSent,
    /// The connection broke; the server may have acted on the request.
    Lost,
    Other,
}

fn classify(e: &BoxError) -> Failure {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e.as_ref());
    let mut lost = false;
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => return Failure::NotSent,
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => lost = true,
                _ => {}
            }
        }
        let text = err.to_string();
        // hyper's connect failures (refused, TLS handshake with a server
        // still starting, connect timeout) all happen before the request
        // is written.
        if text.contains("Connection refused")
            || text.contains("connection refused")
            || text == "client error (Connect)"
        {
            return Failure::NotSent;
        }
        if text.contains("connection closed before message completed")
            || text.contains("connection reset")
            || text.contains("Connection reset")
            || text.contains("broken pipe")
        {
            lost = true;
        }
        cur = err.source();
    }
    if lost {
        Failure::Lost
    } else {
        Failure::Other
    }
}

fn idempotent(req: &Request<Body>) -> bool {
    match *req.method() {
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => true,
        // Server-side apply states the whole intent; sending it twice is the
        // same as once. Merge and JSON patches are not assumed to be.
        Method::PATCH => req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/apply-patch")),
        _ => false,
    }
}

fn copy(req: &Request<Body>) -> Option<Request<Body>> {
    let body = req.body().try_clone()?;
    let mut b = Request::builder().method(req.method().clone()).uri(req.uri().clone()).version(req.version());
    if let Some(h) = b.headers_mut() {
        h.extend(req.headers().clone());
    }
    let mut out = b.body(body).ok()?;
    *out.extensions_mut() = req.extensions().clone();
    Some(out)
}

impl<S, B> Service<Request<Body>> for Retry<S>
where
    S: Service<Request<Body>, Response = Response<B>, Error = BoxError> + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<B>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match self.inner.lock() {
            Ok(mut s) => s.poll_ready(cx),
            Err(_) => Poll::Ready(Err("kubernetes client poisoned".into())),
        }
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let inner = self.inner.clone();
        let budget = Duration::from_millis(self.budget.load(Ordering::Relaxed));
        let reached = self.reached.clone();
        let safe = idempotent(&req);
        Box::pin(async move {
            let start = Instant::now();
            let mut delay = FIRST_DELAY;
            let mut req = req;
            loop {
                let spare = copy(&req);
                let fut = {
                    futures::future::poll_fn(|cx| match inner.lock() {
                        Ok(mut s) => s.poll_ready(cx),
                        Err(_) => Poll::Ready(Err("kubernetes client poisoned".into())),
                    })
                    .await?;
                    let mut s = inner.lock().map_err(|_| BoxError::from("kubernetes client poisoned"))?;
                    s.call(req)
                };
                let err = match fut.await {
                    Ok(res) => {
                        reached.store(true, Ordering::Relaxed);
                        return Ok(res);
                    }
                    Err(e) => e,
                };
                let again = reached.load(Ordering::Relaxed)
                    && match classify(&err) {
                        Failure::NotSent => true,
                        Failure::Lost => safe,
                        Failure::Other => false,
                    };
                match spare {
                    Some(next) if again && start.elapsed() + delay < budget => {
                        tokio::time::sleep(delay).await;
                        delay = (delay * 2).min(MAX_DELAY);
                        req = next;
                    }
                    _ => return Err(err),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_is_not_sent_and_reset_is_lost() {
        let refused: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(classify(&refused), Failure::NotSent);
        let reset: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert_eq!(classify(&reset), Failure::Lost);
        let other: BoxError = "certificate unknown".into();
        assert_eq!(classify(&other), Failure::Other);
    }

    #[test]
    fn only_idempotent_requests_are_resent_after_a_loss() {
        let req =
            |m: Method, ct: &str| Request::builder().method(m).header("content-type", ct).body(Body::empty()).unwrap();
        assert!(idempotent(&req(Method::GET, "")));
        assert!(idempotent(&req(Method::PATCH, "application/apply-patch+yaml")));
        assert!(!idempotent(&req(Method::PATCH, "application/merge-patch+json")));
        assert!(!idempotent(&req(Method::POST, "application/json")));
    }
}
