//! The manifest Helm writes for a chart: its annotations and Go's JSON of
//! `ocispec.Manifest`, byte for byte.

use super::*;

/// The archive's modification time as RFC 3339 (Helm formats it in local
/// time; rhelm writes UTC, the same on machines running in UTC).
pub(super) fn created_at(archive: &Path) -> String {
    let modified =
        std::fs::metadata(archive).and_then(|m| m.modified()).unwrap_or_else(|_| std::time::SystemTime::now());
    let secs = modified.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    rhelm_chart::package::format_rfc3339_utc(secs as i64)
}

/// Helm's `generateOCIAnnotations`: the image annotations from the chart,
/// then the chart's own annotations (never overriding title or version).
pub(super) fn annotations(meta: &rhelm_chart::metadata::Metadata, created: &str) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        if !v.trim().is_empty() {
            a.insert(k.to_string(), v.to_string());
        }
    };
    put("org.opencontainers.image.description", &meta.description);
    put("org.opencontainers.image.title", &meta.name);
    put("org.opencontainers.image.version", &meta.version);
    put("org.opencontainers.image.url", &meta.home);
    put("org.opencontainers.image.created", created);
    if let Some(s) = meta.sources.first() {
        put("org.opencontainers.image.source", s);
    }
    if !meta.maintainers.is_empty() {
        let authors: Vec<String> = meta
            .maintainers
            .iter()
            .map(|m| {
                let mut s = m.name.clone();
                if !m.email.is_empty() {
                    s.push_str(&format!(" ({})", m.email));
                }
                s
            })
            .collect();
        put("org.opencontainers.image.authors", &authors.join(", "));
    }
    for (k, v) in &meta.annotations {
        if k != "org.opencontainers.image.version" && k != "org.opencontainers.image.title" {
            a.insert(k.clone(), v.clone());
        }
    }
    a
}

/// The manifest as Go marshals `ocispec.Manifest` for Helm.
pub(super) fn manifest_json(
    config: &[u8],
    chart: &[u8],
    prov: Option<&[u8]>,
    annotations: &BTreeMap<String, String>,
) -> String {
    let descriptor = |media: &str, data: &[u8]| {
        J::Obj(vec![
            ("mediaType".into(), J::str(media)),
            ("digest".into(), J::Str(format!("sha256:{}", digest(data)))),
            ("size".into(), J::Raw(data.len().to_string())),
        ])
    };
    let mut layers = vec![(digest(chart), CHART_LAYER_MEDIA_TYPE, chart)];
    if let Some(p) = prov {
        layers.push((digest(p), PROV_LAYER_MEDIA_TYPE, p));
    }
    // Helm orders the layers by digest.
    layers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut fields = vec![
        ("schemaVersion".to_string(), J::Raw("2".into())),
        ("config".into(), descriptor(CONFIG_MEDIA_TYPE, config)),
        ("layers".into(), J::List(layers.into_iter().map(|(_, m, d)| descriptor(m, d)).collect())),
    ];
    if !annotations.is_empty() {
        fields.push(("annotations".into(), J::Obj(annotations.iter().map(|(k, v)| (k.clone(), J::str(v))).collect())));
    }
    J::Obj(fields).compact()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_ordered_by_digest_as_helm_orders_them() {
        let (chart, prov) = (b"chart".as_slice(), b"prov".as_slice());
        let m = manifest_json(b"{}", chart, Some(prov), &BTreeMap::new());
        let first = if digest(chart) < digest(prov) { CHART_LAYER_MEDIA_TYPE } else { PROV_LAYER_MEDIA_TYPE };
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        assert_eq!(v["layers"][0]["mediaType"], first);
        assert_eq!(v["layers"].as_array().unwrap().len(), 2);
        assert!(v.get("annotations").is_none(), "no empty annotations object: {m}");
        assert!(m.starts_with("{\"schemaVersion\":2,\"config\":"), "{m}");
    }
}
