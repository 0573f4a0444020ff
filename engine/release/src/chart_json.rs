//! The chart inside a release record, as Helm 4's `chart.Chart` marshals
//! (pkg/chart/v2/chart.go and metadata.go json tags). Only the top-level
//! chart is stored: Helm's subchart list is an unexported field.

use std::collections::BTreeMap;

use rhelm_chart::{Chart, Dependency, File, Lock, Maintainer, Metadata};
use rhelm_template::Value;

use crate::gojson::{b64, write_map, write_value, Fields, Obj};
use crate::time;

/// Go's zero `time.Time`, which `schemamodtime` (no omitzero) prints.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The raw file whose presence in a stored chart means the chart had a
/// values.yaml: Helm leaves `Values` nil (`null`) when it had none.
pub(crate) const VALUES_FILE: &str = "values.yaml";

pub fn write_chart(out: &mut String, c: &Chart) -> Result<(), String> {
    let mut o = Obj::new(out);
    write_metadata(o.key("metadata"), &c.metadata)?;
    match &c.lock {
        None => o.raw("lock", "null"),
        Some(l) => write_lock(o.key("lock"), l)?,
    }
    write_files(o.key("templates"), &c.templates);
    if c.values.is_empty() && !c.raw.iter().any(|f| f.name == VALUES_FILE) {
        o.raw("values", "null");
    } else {
        write_map(o.key("values"), &c.values)?;
    }
    match &c.schema {
        None => o.raw("schema", "null"),
        Some(s) => o.str("schema", &b64(s)),
    }
    match c.schema_modtime {
        Some(t) => o.str("schemamodtime", &time::to_rfc3339(&time::from_system(t))),
        None => o.str("schemamodtime", ZERO_TIME),
    }
    write_files(o.key("files"), &c.files);
    if let Some(t) = c.modtime {
        o.str("modtime", &time::to_rfc3339(&time::from_system(t)));
    }
    o.end();
    Ok(())
}

/// A nil slice marshals as `null`; the loader leaves it nil when the chart
/// has no such files.
fn write_files(out: &mut String, files: &[File]) {
    if files.is_empty() {
        out.push_str("null");
        return;
    }
    out.push('[');
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = Obj::new(out);
        o.str("name", &f.name);
        o.str("data", &b64(&f.data));
        if let Some(t) = f.modtime {
            o.str("modtime", &time::to_rfc3339(&time::from_system(t)));
        }
        o.end();
    }
    out.push(']');
}

fn write_metadata(out: &mut String, m: &Metadata) -> Result<(), String> {
    let mut o = Obj::new(out);
    o.str_omitempty("name", &m.name);
    o.str_omitempty("home", &m.home);
    o.strs_omitempty("sources", &m.sources);
    o.str_omitempty("version", &m.version);
    o.str_omitempty("description", &m.description);
    o.strs_omitempty("keywords", &m.keywords);
    if !m.maintainers.is_empty() {
        let out = o.key("maintainers");
        out.push('[');
        for (i, mt) in m.maintainers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut mo = Obj::new(out);
            mo.str_omitempty("name", &mt.name);
            mo.str_omitempty("email", &mt.email);
            mo.str_omitempty("url", &mt.url);
            mo.end();
        }
        out.push(']');
    }
    o.str_omitempty("icon", &m.icon);
    o.str_omitempty("apiVersion", &m.api_version);
    o.str_omitempty("condition", &m.condition);
    o.str_omitempty("tags", &m.tags);
    o.str_omitempty("appVersion", &m.app_version);
    if m.deprecated {
        o.raw("deprecated", "true");
    }
    if !m.annotations.is_empty() {
        let out = o.key("annotations");
        let mut ao = Obj::new(out);
        for (k, v) in &m.annotations {
            ao.str(k, v);
        }
        ao.end();
    }
    o.str_omitempty("kubeVersion", &m.kube_version);
    if !m.dependencies.is_empty() {
        write_deps(o.key("dependencies"), &m.dependencies)?;
    }
    o.str_omitempty("type", &m.chart_type);
    o.end();
    Ok(())
}

pub fn write_deps(out: &mut String, deps: &[Dependency]) -> Result<(), String> {
    out.push('[');
    for (i, d) in deps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = Obj::new(out);
        o.str("name", &d.name);
        o.str_omitempty("version", &d.version);
        o.str("repository", &d.repository);
        o.str_omitempty("condition", &d.condition);
        o.strs_omitempty("tags", &d.tags);
        if d.enabled {
            o.raw("enabled", "true");
        }
        if !d.import_values.is_empty() {
            write_value(o.key("import-values"), &Value::list(d.import_values.clone()))?;
        }
        o.str_omitempty("alias", &d.alias);
        o.end();
    }
    out.push(']');
    Ok(())
}

fn write_lock(out: &mut String, l: &Lock) -> Result<(), String> {
    let mut o = Obj::new(out);
    // Chart.lock's text goes through time.Time on the way in.
    let generated = match time::parse_rfc3339(&l.generated) {
        Ok(t) => time::to_rfc3339(&t),
        Err(_) if l.generated.is_empty() => ZERO_TIME.to_string(),
        Err(_) => l.generated.clone(),
    };
    o.str("generated", &generated);
    o.str("digest", &l.digest);
    if l.dependencies.is_empty() {
        o.raw("dependencies", "null");
    } else {
        write_deps(o.key("dependencies"), &l.dependencies)?;
    }
    o.end();
    Ok(())
}

// ---------------------------------------------------------------------------
// Reading

pub fn read_chart(v: &Value) -> Result<Chart, String> {
    let f = Fields::of(v, "chart.Chart")?;
    let mut c = Chart::default();
    if let Some(m) = f.get("metadata") {
        c.metadata = read_metadata(m)?;
    }
    if let Some(l) = f.get("lock") {
        let lf = Fields::of(l, "chart.Lock")?;
        c.lock = Some(Lock {
            generated: lf.str("generated")?,
            digest: lf.str("digest")?,
            dependencies: read_deps(&lf.list("dependencies")?)?,
        });
    }
    c.templates = read_files(&f.list("templates")?)?;
    match f.map("values")? {
        Some(v) => {
            c.values = v;
            c.raw.push(File::new(VALUES_FILE, Vec::new()));
        }
        None => c.values = Default::default(),
    }
    c.schema = f.bytes("schema")?;
    c.schema_modtime = f.time("schemamodtime")?.map(|t| time::to_system(&t));
    c.files = read_files(&f.list("files")?)?;
    c.modtime = f.time("modtime")?.map(|t| time::to_system(&t));
    Ok(c)
}

fn read_files(items: &[Value]) -> Result<Vec<File>, String> {
    let mut out = Vec::new();
    for item in items {
        if item.is_nil() {
            continue;
        }
        let f = Fields::of(item, "common.File")?;
        out.push(File {
            name: f.str("name")?,
            data: f.bytes("data")?.unwrap_or_default().into(),
            modtime: f.time("modtime")?.map(|t| time::to_system(&t)),
        });
    }
    Ok(out)
}

fn read_metadata(v: &Value) -> Result<Metadata, String> {
    let f = Fields::of(v, "chart.Metadata")?;
    let mut maintainers = Vec::new();
    for m in f.list("maintainers")? {
        if m.is_nil() {
            continue;
        }
        let mf = Fields::of(&m, "chart.Maintainer")?;
        maintainers.push(Maintainer { name: mf.str("name")?, email: mf.str("email")?, url: mf.str("url")? });
    }
    let mut annotations = BTreeMap::new();
    if let Some(m) = f.map("annotations")? {
        for (k, v) in m {
            annotations.insert(k.to_string(), v.as_str().unwrap_or_default().to_string());
        }
    }
    Ok(Metadata {
        name: f.str("name")?,
        home: f.str("home")?,
        sources: f.strs("sources")?,
        version: f.str("version")?,
        description: f.str("description")?,
        keywords: f.strs("keywords")?,
        maintainers,
        icon: f.str("icon")?,
        api_version: f.str("apiVersion")?,
        condition: f.str("condition")?,
        tags: f.str("tags")?,
        app_version: f.str("appVersion")?,
        deprecated: f.bool("deprecated")?,
        annotations,
        kube_version: f.str("kubeVersion")?,
        dependencies: read_deps(&f.list("dependencies")?)?,
        chart_type: f.str("type")?,
    })
}

fn read_deps(items: &[Value]) -> Result<Vec<Dependency>, String> {
    let mut out = Vec::new();
    for item in items {
        if item.is_nil() {
            continue;
        }
        let f = Fields::of(item, "chart.Dependency")?;
        out.push(Dependency {
            name: f.str("name")?,
            version: f.str("version")?,
            repository: f.str("repository")?,
            condition: f.str("condition")?,
            tags: f.strs("tags")?,
            enabled: f.bool("enabled")?,
            import_values: f.list("import-values")?,
            alias: f.str("alias")?,
        });
    }
    Ok(out)
}
