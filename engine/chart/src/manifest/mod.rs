//! From rendered templates to the stream `helm template` prints (Helm 4.3.1).
//!
//! The pipeline, in the order Helm runs it:
//!
//! 1. [`take_notes`]: `*NOTES.txt` files leave the map.
//! 2. [`sort_manifests`]: each file (byte order of path; partials and blank
//!    files skipped) is split by [`split_manifests`], each document's head is
//!    decoded by a caller-supplied [`HeadParser`] and the document becomes a
//!    [`Hook`] or a [`Manifest`]; both lists are stably sorted by kind.
//! 3. [`render_resources`]: the release manifest (CRDs first with
//!    `--include-crds`), or the `--output-dir` writes.
//! 4. [`template_output`]: what `helm template` prints: the trimmed manifest,
//!    the hooks, `--show-only` selection, `--output-dir` hook writes.
//!
//! [`helm_template`] runs steps 1 to 4. Nothing here decodes YAML or reads
//! files: the results are strings and lists of writes for the CLI to carry out.

mod hooks;
mod output;
mod sort;
mod split;
mod text;

/// Go's `filepath.Match`, shared with `.helmignore` matching.
pub use crate::ignore::{glob_match as go_match, BadPattern};
pub use hooks::{
    classify, parse_weight, Classified, Head, HeadParser, Hook, HookEvent, BEFORE_HOOK_CREATION, HOOK_ANNOTATION,
    HOOK_DELETE_ANNOTATION, HOOK_FAILED, HOOK_OUTPUT_LOG_ANNOTATION, HOOK_SUCCEEDED, HOOK_WEIGHT_ANNOTATION,
};
pub use output::{
    helm_template, render_resources, source_path, take_notes, template_output, Crd, FileWrite, RenderError,
    RenderOptions, Rendered, TemplateOptions, TemplateOutput, WriteMode, NOTES_SUFFIX,
};
pub use sort::{
    kind_rank, sort_by_kind, sort_manifests, Manifest, SortError, SortedManifests, INSTALL_ORDER, UNINSTALL_ORDER,
};
pub use split::{split_manifests, split_manifests_keyed};
pub use text::{go_clean, go_join, go_quote, slog_info};
