//! What install, upgrade and `--dry-run` render: Helm's `renderResources`
//! as the release actions call it, returning the release's manifest, hooks
//! and notes instead of printing them.

use crate::chart::{Chart, Values};
use crate::manifest::{self, Hook, Manifest};
use crate::render::{self, RenderOptions};

/// A chart rendered for a release.
#[derive(Debug, Clone, Default)]
pub struct ReleaseRender {
    /// The release manifest as Helm stores it: `---\n# Source: p\n<doc>\n`
    /// for each non-hook document in install order (untrimmed, 2.5).
    pub manifest: String,
    /// The sorted non-hook documents.
    pub manifests: Vec<Manifest>,
    /// Hooks, sorted by kind.
    pub hooks: Vec<Hook>,
    /// The rendered NOTES.txt (the chart's own; subcharts' too when asked).
    pub notes: String,
    /// Lines Helm logs to stderr on the way.
    pub notices: Vec<String>,
}

/// Renders `chart` with `values` (already coalesced) for a release.
/// `subchart_notes` is `--render-subchart-notes`; `hide_secret` is
/// `--hide-secret` (dry runs print a placeholder for Secrets).
pub fn render_release(
    chart: &Chart,
    values: &Values,
    options: &RenderOptions,
    subchart_notes: bool,
    hide_secret: bool,
) -> Result<ReleaseRender, String> {
    let mut files = render::render(chart, values, options).map_err(|e| e.message)?;
    let notes = manifest::take_notes(&mut files, chart.name(), subchart_notes);
    let opts = manifest::RenderOptions { hide_secret, ..manifest::RenderOptions::default() };
    let rendered = manifest::render_resources(&files, &[], &opts, &render::parse_head).map_err(|e| e.error.to_string())?;
    Ok(ReleaseRender {
        manifest: rendered.manifest,
        manifests: rendered.manifests,
        hooks: rendered.hooks,
        notes,
        notices: rendered.notices,
    })
}
