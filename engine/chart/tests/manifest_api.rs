//! The manifest pipeline's public API on paths `helm template` does not show:
//! uninstall ordering of a stored manifest, `--hide-secret`, render errors.

use std::collections::BTreeMap;

use rhelm_chart::manifest::{
    render_resources, sort_manifests, split_manifests_keyed, take_notes, template_output, Head, HookEvent,
    RenderOptions, TemplateOptions, INSTALL_ORDER, UNINSTALL_ORDER,
};

/// Test-only head parser: reads `kind:`, `apiVersion:`, `name:` and a
/// `hook:` line (standing for the `helm.sh/hook` annotation); `bad` fails.
fn head(doc: &str) -> Result<Head, String> {
    let mut h = Head::default();
    for line in doc.lines() {
        let line = line.trim();
        if line == "bad" {
            return Err("error converting YAML to JSON: yaml: boom".into());
        }
        if let Some(v) = line.strip_prefix("kind: ") {
            h.kind = Some(v.into());
        } else if let Some(v) = line.strip_prefix("apiVersion: ") {
            h.api_version = Some(v.into());
        } else if let Some(v) = line.strip_prefix("name: ") {
            h.name = Some(v.into());
        } else if let Some(v) = line.strip_prefix("hook: ") {
            h.annotations = Some([("helm.sh/hook".to_string(), v.to_string())].into());
        }
    }
    Ok(h)
}

fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn uninstall_sorts_stored_manifest_by_key_then_kind() {
    // Twelve documents: keys manifest-0 … manifest-11 iterate in byte order,
    // so manifest-10 and manifest-11 come before manifest-2 among equal kinds.
    let mut stored = String::new();
    for i in 0..12 {
        let kind = if i % 3 == 0 { "Service" } else { "ConfigMap" };
        stored.push_str(&format!("---\n# Source: c/templates/t.yaml\nkind: {kind}\nname: n{i}\n"));
    }
    let keyed = split_manifests_keyed(&stored);
    let s = sort_manifests(&keyed, UNINSTALL_ORDER, &head).unwrap();
    let order: Vec<String> = s.manifests.iter().map(|m| format!("{}={}", m.name, m.head.name())).collect();
    assert_eq!(
        order,
        [
            "manifest-0=n0",
            "manifest-3=n3",
            "manifest-6=n6",
            "manifest-9=n9",
            "manifest-1=n1",
            "manifest-10=n10",
            "manifest-11=n11",
            "manifest-2=n2",
            "manifest-4=n4",
            "manifest-5=n5",
            "manifest-7=n7",
            "manifest-8=n8",
        ]
    );
    let s = sort_manifests(&keyed, INSTALL_ORDER, &head).unwrap();
    assert_eq!(s.manifests[0].head.name(), "n1");
    assert_eq!(s.manifests[0].head.kind(), "ConfigMap");
}

#[test]
fn hide_secret_replaces_v1_secrets_only() {
    let f = files(&[(
        "c/templates/s.yaml",
        "apiVersion: v1\nkind: Secret\nname: a\n---\napiVersion: x/v1\nkind: Secret\nname: b\n---\napiVersion: v1\nkind: Secret\nname: h\nhook: pre-install\n",
    )]);
    let opts = RenderOptions { hide_secret: true, ..RenderOptions::default() };
    let r = render_resources(&f, &[], &opts, &head).unwrap();
    assert_eq!(
        r.manifest,
        "---\n# Source: c/templates/s.yaml\n# HIDDEN: The Secret output has been suppressed\n\
         ---\n# Source: c/templates/s.yaml\napiVersion: x/v1\nkind: Secret\nname: b\n\n"
    );
    assert_eq!(r.hooks.len(), 1);
    assert_eq!(r.hooks[0].events, vec![HookEvent::PreInstall]);
    assert_eq!(r.hooks[0].name, "h");
}

#[test]
fn render_error_keeps_notices_and_debug_dump() {
    let f = files(&[
        ("c/templates/a.yaml", "kind: A\nhook: nope\n"),
        ("c/templates/b.yaml", "kind: B\n---\nbad\n"),
        ("c/templates/c.yaml", "  \n"),
    ]);
    let e = render_resources(&f, &[], &RenderOptions::default(), &head).unwrap_err();
    assert_eq!(e.error.message, "YAML parse error on c/templates/b.yaml: error converting YAML to JSON: yaml: boom");
    assert_eq!(e.error.notices, vec![r#"level=INFO msg="skipping unknown hooks" hookTypes=nope"#]);
    assert_eq!(
        e.debug_manifest,
        "---\n# Source: c/templates/a.yaml\nkind: A\nhook: nope\n\n---\n# Source: c/templates/b.yaml\nkind: B\n---\nbad\n\n"
    );
}

#[test]
fn hooks_only_output_starts_with_empty_line() {
    let f = files(&[("c/templates/t.yaml", "kind: Pod\nhook: test\n")]);
    let r = render_resources(&f, &[], &RenderOptions::default(), &head).unwrap();
    let out = template_output(&r, &TemplateOptions::default());
    assert_eq!(out.stdout, "\n---\n# Source: c/templates/t.yaml\nkind: Pod\nhook: test\n\n");
    let out = template_output(&r, &TemplateOptions { skip_tests: true, ..TemplateOptions::default() });
    assert_eq!(out.stdout, "\n");
}

#[test]
fn subchart_notes_are_joined() {
    let mut f = files(&[
        ("p/templates/NOTES.txt", "parent"),
        ("p/charts/s/templates/NOTES.txt", "sub"),
        ("p/templates/x.yaml", "kind: X\n"),
    ]);
    assert_eq!(take_notes(&mut f.clone(), "p", false), "parent");
    assert_eq!(take_notes(&mut f, "p", true), "sub\nparent");
    assert_eq!(f.len(), 1);
}
