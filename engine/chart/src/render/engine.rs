//! Helm's `Engine.render`: every template of the chart tree parsed into one
//! set, then each non-partial one executed with its chart's data.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_functions::helm::{self, HelmOptions};
use rhelm_template::worker::Worker;
use rhelm_template::{Map, MissingKey, ParseAhead, TemplateSet, Value};

use super::chart_map::metadata_as_map;
use super::files::Files;
use super::heads::HeadsAhead;
use super::parallel;
use crate::chart::Chart;
use crate::manifest::go_join;

/// One template with the data it executes with.
struct Renderable {
    text: Arc<str>,
    /// The chart's top-level object, shared by all its templates (and by
    /// its parent's `.Subcharts`), as Helm shares one Go map.
    data: Value,
    base_path: String,
}

pub(super) fn key(k: &str) -> Arc<str> {
    Arc::from(k)
}

/// The `.Template` of a template run: its name and its chart's templates path.
pub(super) fn template_field(name: &str, base_path: &str) -> Value {
    let mut t = BTreeMap::new();
    t.insert(key("Name"), Value::str(name));
    t.insert(key("BasePath"), Value::str(base_path));
    Value::map(t)
}

fn get(map: &Value, k: &str) -> Value {
    match map {
        Value::Map(m) => m.entries.get(k).cloned().unwrap_or_default(),
        _ => Value::Nil,
    }
}

/// Helm's `recAllTpls`: collects the chart's templates (a library chart
/// gives only its partials) and returns its top-level object.
fn collect(chart: &Chart, parent_path: Option<&str>, parent: &Value, out: &mut BTreeMap<String, Renderable>) -> Value {
    let is_root = parent_path.is_none();
    let mut chart_map = metadata_as_map(&chart.metadata);
    chart_map.insert(key("IsRoot"), Value::Bool(is_root));
    let values = if is_root {
        get(parent, "Values")
    } else {
        // values.Table("Values.<name>"): a map there, else an empty table.
        match get(&get(parent, "Values"), chart.name()) {
            v @ Value::Map(_) => v,
            _ => Value::empty_map(),
        }
    };
    let values = match values {
        Value::Nil => Value::empty_map(),
        v => v,
    };
    let mut fields = BTreeMap::new();
    fields.insert(key("Chart"), Value::map(chart_map));
    fields.insert(key("Files"), Files::new(&chart.files).value());
    fields.insert(key("Release"), get(parent, "Release"));
    fields.insert(key("Capabilities"), get(parent, "Capabilities"));
    fields.insert(key("Values"), values);
    let next = Value::map(fields);
    let full_path = chart.full_path(parent_path);
    let mut subcharts = BTreeMap::new();
    for dep in &chart.dependencies {
        let sub = collect(dep, Some(&full_path), &next, out);
        subcharts.insert(key(dep.name()), sub);
    }
    if let Value::Map(m) = &next {
        m.entries.update(|c| c.insert(key("Subcharts"), Value::map(subcharts)));
    }
    let base_path = go_join(&[&full_path, "templates"]);
    for (name, text) in own_templates(chart, &full_path) {
        out.insert(name, Renderable { text, data: next.clone(), base_path: base_path.clone() });
    }
    next
}

/// The chart's own templates by their names in the set (a library chart
/// gives only its partials).
fn own_templates<'a>(chart: &'a Chart, full_path: &'a str) -> impl Iterator<Item = (String, Arc<str>)> + 'a {
    chart
        .templates
        .iter()
        .filter(|t| !chart.is_library() || base_name(&t.name).starts_with('_'))
        .map(move |t| (go_join(&[full_path, &t.name]), crate::utf8::lossy_shared(t.data.shared())))
}

/// The text of every template of the tree that [`collect`] takes.
fn all_templates(chart: &Chart, parent_path: Option<&str>, out: &mut Vec<Arc<str>>) {
    let full_path = chart.full_path(parent_path);
    for dep in &chart.dependencies {
        all_templates(dep, Some(&full_path), out);
    }
    out.extend(own_templates(chart, &full_path).map(|(_, text)| text));
}

fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Runs one template as Helm's loop does: its chart's map gets its
/// `Template` first, and `<no value>` is dropped from the output.
pub(super) fn execute_in_turn(
    set: &TemplateSet,
    name: &str,
    chart_data: &Value,
    base_path: &str,
) -> Result<String, rhelm_template::Error> {
    if let Value::Map(Map { entries, .. }) = chart_data {
        entries.update(|c| c.insert(key("Template"), template_field(name, base_path)));
    }
    let mut out = String::new();
    set.execute(name, chart_data, &mut out)?;
    Ok(helm::drop_no_value(out))
}

/// Helm's `sortTemplates`: deepest paths first, equal depths in reverse
/// byte order.
fn parse_order(keys: impl Iterator<Item = String>) -> Vec<String> {
    let mut keys: Vec<String> = keys.collect();
    keys.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    keys
}

/// The function set templates are parsed and run with.
fn new_set(lint_mode: bool) -> TemplateSet {
    let mut funcs = rhelm_functions::helm_funcs();
    helm::register_with(&mut funcs, HelmOptions { lint_mode });
    let mut set = TemplateSet::new("gotpl", funcs);
    set.set_missing_key(MissingKey::Zero);
    set
}

/// The helper thread of one render, started before the chart is read so
/// that it builds the function set meanwhile; it then parses templates as
/// they are read (see [`RenderHelper::on_file`] and [`parse_ahead`]),
/// decodes rendered documents and frees the parse trees.
pub struct RenderHelper {
    worker: Option<Worker>,
    job: ParseAhead,
}

impl RenderHelper {
    /// Starts the thread, on a machine with a second core.
    pub fn start(lint_mode: bool) -> RenderHelper {
        let worker = Worker::start();
        let job = ParseAhead::start(worker.as_ref(), move || new_set(lint_mode));
        RenderHelper { worker, job }
    }

    /// For the chart loader: hands each file of a chart directory that is
    /// a template (`templates/` of the chart or of a subchart below
    /// `charts/`) to the helper to parse, as soon as it is read.
    pub fn on_file(&self) -> impl Fn(&str, &Arc<[u8]>) + '_ {
        |path: &str, data: &Arc<[u8]>| {
            if is_template_path(path) {
                self.job.push(crate::utf8::lossy_shared(data));
            }
        }
    }
}

/// Whether a file at `path` under a chart directory is a template of the
/// chart or of a subchart unpacked below `charts/`. Only a guess where it
/// matters: what it misses is handed over after loading, and what it takes
/// wrongly is parsed for nothing.
fn is_template_path(path: &str) -> bool {
    crate::load::path_in_chart(path).starts_with("templates/")
}

/// Templates being parsed while values are still being read: see
/// [`parse_ahead`].
pub struct ParsingAhead {
    job: ParseAhead,
    worker: Option<Worker>,
}

impl ParsingAhead {
    /// Whether another thread is parsing: the chart is large enough for
    /// work to be worth sharing.
    pub fn is_parallel(&self) -> bool {
        self.job.is_parallel()
    }

    /// The helper thread, for more work of this render.
    pub fn worker(&self) -> Option<&Worker> {
        self.worker.as_ref()
    }
}

/// Starts parsing `chart`'s templates on the helper thread. The chart's
/// subcharts may still be disabled or renamed by its values; rendering
/// takes only the trees of the texts it asks for under the same names.
pub fn parse_ahead(chart: &Chart, helper: RenderHelper) -> ParsingAhead {
    // Templates the loader did not show (those of a packed chart or
    // subchart); the ones it did are not parsed twice. The order does not
    // matter: `finish` takes what is left largest first.
    let mut texts = Vec::new();
    all_templates(chart, None, &mut texts);
    for text in texts {
        helper.job.push(text);
    }
    let RenderHelper { worker, job } = helper;
    ParsingAhead { job, worker }
}

/// Renders every template of `chart` with `top` (see
/// [`super::to_render_values`]), with the trees of `ahead` where they
/// apply. Errors are Helm's texts.
pub fn render_templates(
    chart: &Chart,
    top: &Value,
    lint_mode: bool,
    ahead: Option<ParsingAhead>,
    heads: Option<&HeadsAhead>,
) -> Result<BTreeMap<String, String>, String> {
    let mut templates = BTreeMap::new();
    collect(chart, None, top, &mut templates);

    let order = parse_order(templates.keys().cloned());
    let texts: Vec<(&str, Arc<str>)> = order.iter().map(|n| (n.as_str(), templates[n].text.clone())).collect();
    let (set, worker, parallel) = match ahead {
        Some(ParsingAhead { job, worker }) => {
            // Lint mode logs per thread (see `helm::take_lint_log`).
            let parallel = job.is_parallel() && !lint_mode;
            let set = job.finish(&texts, || new_set(lint_mode)).map_err(|e| helm::error_text(&e))?;
            (set, worker, parallel)
        }
        None => {
            let mut set = new_set(lint_mode);
            set.parse_all(&texts).map_err(|e| helm::error_text(&e))?;
            (set, None, false)
        }
    };
    let set = Arc::new(set);
    let runs: Vec<&String> = order.iter().filter(|n| !base_name(n).starts_with('_')).collect();
    let mut rendered = BTreeMap::new();
    match worker.as_ref().filter(|_| parallel) {
        Some(w) => {
            let jobs: Vec<parallel::Job> = runs
                .iter()
                .map(|n| {
                    let r = &templates[n.as_str()];
                    parallel::Job { name: n, chart_data: &r.data, base_path: &r.base_path }
                })
                .collect();
            let outputs =
                parallel::render(&set, &jobs, w, heads.and_then(HeadsAhead::here)).map_err(|e| helm::error_text(&e))?;
            rendered.extend(runs.iter().map(|n| n.to_string()).zip(outputs));
        }
        None => {
            for name in runs {
                let r = &templates[name.as_str()];
                let out = execute_in_turn(&set, name, &r.data, &r.base_path).map_err(|e| helm::error_text(&e))?;
                if let Some(h) = heads {
                    h.send(&out);
                }
                rendered.insert(name.to_string(), out);
            }
        }
    }
    // The helper may still hold the set, in a run of templates it came to
    // late; it then frees the set itself.
    if let Ok(set) = Arc::try_unwrap(set) {
        set.drop_in_background(worker.as_ref());
    }
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::parse_order;

    #[test]
    fn deepest_first_then_reverse_order() {
        let keys = ["a/b", "a/c", "a/b/c", "a/b/d", "a", "b"].map(String::from);
        assert_eq!(parse_order(keys.into_iter()), ["a/b/d", "a/b/c", "a/c", "a/b", "b", "a"]);
    }
}
