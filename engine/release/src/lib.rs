//! Helm releases for rhelm.
