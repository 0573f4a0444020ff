//! Chart loading against Helm 4.3.1.

use std::path::{Path, PathBuf};

use rhelm_chart::load;

fn charts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/load/charts")
}

#[test]
fn basic_directory() {
    let c = load::load(&charts_dir().join("basic")).unwrap();
    assert_eq!(c.metadata.name, "basic");
    assert_eq!(c.metadata.app_version, "1.1");
    assert_eq!(c.metadata.annotations.get("flag").map(String::as_str), Some("true"));
    assert_eq!(c.templates.len(), 1);
    assert_eq!(c.dependencies.len(), 1);
    assert_eq!(c.dependencies[0].metadata.name, "sub");
    assert!(c.schema.is_some());
    assert_eq!(c.values.len(), 2);
    let names: Vec<&str> = c.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["README.md", "crds/crd.yaml"]);
}

/// A gzipped tar of `entries` (path, contents), as `helm package` lays one out.
fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
    for (path, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

#[test]
fn basic_archive() {
    let data = tgz(&[
        ("a/Chart.yaml", b"apiVersion: v2\nname: a\nversion: 1.0.0\n"),
        ("a/templates/x.yaml", b"kind: X\n"),
        ("a/charts/b.tgz", &tgz(&[("b/Chart.yaml", b"name: b\nversion: 1.0.0\n")])),
    ]);
    let c = load::load_archive(&data).unwrap();
    assert_eq!(c.metadata.name, "a");
    assert_eq!(c.templates[0].name, "templates/x.yaml");
    assert_eq!(c.dependencies[0].metadata.name, "b");
    assert_eq!(c.dependencies[0].metadata.api_version, "v1");
}
