//! Chart repositories as Helm's `pkg/repo`, `pkg/downloader` and
//! `pkg/registry` see them: the index format, the user's repositories.yaml
//! and its cache, HTTP and OCI transports, search, resolving a chart
//! reference (`repo/chart`, URL, archive, `oci://`) to an archive, and chart
//! dependencies (Chart.lock).
//!
//! Knows charts (through rhelm-chart) but nothing of releases or clusters.

pub mod cache;
pub mod chart_ref;
pub mod dependency;
pub mod http;
pub mod index;
pub mod oci;
pub mod repo_file;
pub mod search;
pub mod settings;
