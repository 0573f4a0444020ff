use std::collections::BTreeMap;

use super::*;

fn merge(files: &[(&str, &str)]) -> String {
    let m: BTreeMap<String, String> = files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    annotate_and_merge(&m).unwrap()
}

#[test]
fn merges_and_annotates() {
    let out = merge(&[(
        "c/templates/a.yaml",
        "apiVersion: v1\nkind: A\nmetadata:\n  name: x\nspec:\n  l:\n    - 1\n    - 2\n",
    )]);
    assert_eq!(
        out,
        "apiVersion: v1\nkind: A\nmetadata:\n  name: x\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/a.yaml'\nspec:\n  l:\n  - 1\n  - 2\n"
    );
    let back = split_and_deannotate(out.as_bytes()).unwrap();
    assert_eq!(
        back["c/templates/a.yaml"],
        "apiVersion: v1\nkind: A\nmetadata:\n  name: x\nspec:\n  l:\n  - 1\n  - 2\n"
    );
}
