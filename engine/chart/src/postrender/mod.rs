//! `--post-renderer`: Helm 4.3.1's `annotateAndMerge`, the plugin run and
//! `splitAndDeannotate` (pkg/action/action.go), with kyaml's kio reader and
//! writer (sigs.k8s.io/kustomize/kyaml v0.21.1 over go-yaml v3) ported so
//! the documents are re-serialised byte for byte as Helm does.
//!
//! What is not reproduced is refused with an error naming it rather than
//! printed differently: directives, byte order marks inside a document,
//! UTF-16 input, characters go-yaml's reader refuses where its error would
//! race a syntax error, multi-line annotation values, and kio's own
//! `config.kubernetes.io/...` annotations.

mod emitter;
mod kio;
mod node;
mod parser;
mod plugin;
mod scanner;

use std::collections::BTreeMap;

pub use plugin::{find_plugin, PostRenderer};

/// The annotation that carries each document's file through the plugin.
pub const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// Why post-rendering failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Helm's own error, text as Helm prints it (before the `--debug` hint).
    Helm(String),
    /// Input rhelm does not re-serialise exactly as Helm would.
    Unsupported(String),
}

/// Helm's `annotateAndMerge`: every non-partial, non-blank file split into
/// documents, each annotated with its file name, as one kio stream.
pub fn annotate_and_merge(files: &BTreeMap<String, String>) -> Result<String, Error> {
    let mut all = Vec::new();
    for (fname, content) in files {
        let base = fname.rsplit('/').next().unwrap_or(fname);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in crate::manifest::split_manifests(content) {
            if doc.trim().is_empty() {
                continue;
            }
            let nodes = kio::parse_all(doc.as_bytes()).map_err(|e| match e {
                Error::Helm(m) => Error::Helm(format!("error merging manifests: parsing {fname}: {m}")),
                u => u,
            })?;
            for mut n in nodes {
                kio::set_annotation(&mut n, FILENAME_ANNOTATION, fname).map_err(|e| match e {
                    Error::Helm(m) => Error::Helm(format!("error merging manifests: annotating {fname}: {m}")),
                    u => u,
                })?;
                all.push(n);
            }
        }
    }
    kio::string_all(all)
}

/// Helm's `splitAndDeannotate` with an empty fallback prefix.
pub fn split_and_deannotate(out: &[u8]) -> Result<BTreeMap<String, String>, Error> {
    let wrap = |e: Error| match e {
        Error::Helm(m) => Error::Helm(format!("error while parsing post rendered output: error parsing YAML: {m}")),
        u => u,
    };
    let nodes = kio::parse_all(out).map_err(wrap)?;
    let mut by_file: Vec<(String, Vec<node::Node>)> = Vec::new();
    for (i, mut n) in nodes.into_iter().enumerate() {
        let fname = kio::annotation(&n, FILENAME_ANNOTATION)
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| format!("generated-by-postrender-{i}.yaml"));
        kio::clear_annotation(&mut n, FILENAME_ANNOTATION).map_err(|e| match e {
            Error::Helm(m) => {
                Error::Helm(format!("error while parsing post rendered output: clearing filename annotation: {m}"))
            }
            u => u,
        })?;
        match by_file.iter_mut().find(|(f, _)| *f == fname) {
            Some((_, docs)) => docs.push(n),
            None => by_file.push((fname, vec![n])),
        }
    }
    let mut files = BTreeMap::new();
    for (fname, docs) in by_file {
        files.insert(fname, kio::string_all(docs)?);
    }
    Ok(files)
}

/// Helm's `renderResources` post-render step (the combined strategy):
/// merge, run the plugin, split.
/// Log lines (`--debug`) go to `notices`.
pub fn post_render(
    files: &BTreeMap<String, String>,
    pr: &PostRenderer,
    notices: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, Error> {
    let merged = annotate_and_merge(files)?;
    let out = pr.run(&merged, notices).map_err(|e| match e {
        Error::Helm(m) => Error::Helm(format!("error while running post render on files: {m}")),
        u => u,
    })?;
    split_and_deannotate(&out)
}

#[cfg(test)]
mod tests;
