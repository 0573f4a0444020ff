//! crds/ rules (Helm's `rules/crds.go`): each document of each CRD file must
//! parse and be an `apiextensions.k8s.io` CustomResourceDefinition.

use rhelm_template::Value;

use super::support::{Linter, Severity};

pub fn crds(linter: &mut Linter) {
    let dir = linter.chart_dir.join("crds");
    let meta = match std::fs::metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => Err(format!("stat {}: {}", dir.display(), super::errno_text(&e))),
        Ok(m) if !m.is_dir() => Err("not a directory".into()),
        Ok(_) => Ok(()),
    };
    if !linter.rule(Severity::Error, "crds/", meta) {
        return;
    }
    let chart = match crate::load::load_v2_with_notices(&linter.chart_dir.clone(), &mut linter.notices) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(Severity::Error, "crds/", Err(e.to_string()));
            return;
        }
    };
    for (_, file) in chart.crd_objects(None) {
        let text = String::from_utf8_lossy(&file.data);
        for doc in super::documents(&text) {
            let obj = match doc {
                Ok(v) => v,
                Err(e) => {
                    linter.rule(Severity::Error, &file.name, Err(format!("unable to parse YAML: {e}")));
                    return;
                }
            };
            let Value::Map(m) = &obj else { continue };
            let field = |k: &str| match m.entries.get(k) {
                Some(Value::Str(s)) => s.to_string(),
                _ => String::new(),
            };
            let api = field("apiVersion");
            let kind = field("kind");
            let api_ok = if api.starts_with("apiextensions.k8s.io") {
                Ok(())
            } else {
                Err("apiVersion is not in 'apiextensions.k8s.io'".to_string())
            };
            linter.rule(Severity::Error, &file.name, api_ok);
            let kind_ok = if kind == "CustomResourceDefinition" {
                Ok(())
            } else {
                Err("object kind is not 'CustomResourceDefinition'".to_string())
            };
            linter.rule(Severity::Error, &file.name, kind_ok);
        }
    }
}
