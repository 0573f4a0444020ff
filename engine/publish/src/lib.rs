//! Releasing charts from a git repository the way helm/chart-releaser and
//! its GitHub Action do, in one program: find the charts that changed since
//! the last release tag, package them, create a GitHub release per chart
//! with the archive as its asset, merge the new versions into index.yaml on
//! the pages branch and push it (or open a pull request), and optionally
//! push the same archives to an OCI registry.
//!
//! git is driven through the `git` program, as chart-releaser does: it is on
//! every runner, it already holds the credentials `actions/checkout` set up,
//! and it behaves exactly as the user's own git.

mod build;
pub mod changed;
pub mod git;
pub mod github;
pub mod name_template;
pub mod pages;
pub mod releaser;
