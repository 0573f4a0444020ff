//! Kubernetes access for rhelm.
