//! The release record against a record helm 4.3.1 wrote (spec 1.6: rev 3 of
//! `rel1` after install, upgrade and rollback, decoded from its Secret).

use rhelm_release::{codec, model::Release, Status};

const REL1_V3: &str = include_str!("rel1.v3.json");

#[test]
fn helm_record_reencodes_byte_for_byte() {
    std::env::set_var("TZ", "UTC");
    let rls = Release::from_json(REL1_V3).unwrap();
    assert_eq!(rls.name, "rel1");
    assert_eq!(rls.version, 3);
    let info = rls.info.as_ref().unwrap();
    assert_eq!(info.status, Status::Deployed);
    assert_eq!(info.rollback_revision, 1);
    assert_eq!(rls.hooks.len(), 1);
    assert_eq!(rls.hooks[0].weight, 1);
    assert_eq!(rls.chart.as_ref().unwrap().templates.len(), 3);
    assert_eq!(rls.to_json().unwrap(), REL1_V3);
}

#[test]
fn payload_round_trip() {
    std::env::set_var("TZ", "UTC");
    let rls = Release::from_json(REL1_V3).unwrap();
    let payload = codec::encode(&rls).unwrap();
    assert!(payload.starts_with("H4sIAAAAAAAC/"), "{}", &payload[..20]);
    assert_eq!(codec::decode_json(&payload).unwrap(), REL1_V3);
    assert_eq!(codec::decode(&payload).unwrap().to_json().unwrap(), REL1_V3);
    // Records from before compression hold base64 of the raw JSON.
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD.encode(REL1_V3);
    assert_eq!(codec::decode(&raw).unwrap().to_json().unwrap(), REL1_V3);
}

/// Release payloads as helm 4.3.1 stored them (testdata/goflate/README.md):
/// decoded and encoded again, they are the same string, so a record rhelm
/// writes is the one helm would write for the same release.
#[test]
fn helm_payloads_reencode_byte_for_byte() {
    std::env::set_var("TZ", "UTC");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/goflate/release");
    for name in ["hello.payload", "rel-large.payload"] {
        let payload = std::fs::read_to_string(dir.join(name)).unwrap();
        let rls = codec::decode(&payload).unwrap();
        assert!(codec::encode(&rls).unwrap() == payload, "{name}: the re-encoded payload differs from helm's");
    }
}

#[test]
fn v3_record_zero_times_are_absent() {
    let v3 = r#"{"name":"a","info":{"first_deployed":"2020-01-01T00:00:00Z","last_deployed":"2020-01-01T00:00:00Z","deleted":"0001-01-01T00:00:00Z","description":"Install complete","status":"deployed"},"hooks":[{"name":"h","kind":"Pod","path":"c/templates/h.yaml","manifest":"x","events":["test"],"last_run":{"started_at":"0001-01-01T00:00:00Z","completed_at":"","phase":""}}],"version":1,"namespace":"default"}"#;
    let rls = Release::from_json(v3).unwrap();
    assert!(rls.info.as_ref().unwrap().deleted.is_none());
    assert!(rls.hooks[0].last_run.started_at.is_none());
    assert!(rls.hooks[0].last_run.completed_at.is_none());
    assert_eq!(
        rls.to_json().unwrap(),
        r#"{"name":"a","info":{"first_deployed":"2020-01-01T00:00:00Z","last_deployed":"2020-01-01T00:00:00Z","description":"Install complete","status":"deployed"},"hooks":[{"name":"h","kind":"Pod","path":"c/templates/h.yaml","manifest":"x","events":["test"],"last_run":{"phase":""}}],"version":1,"namespace":"default"}"#
    );
}

#[test]
fn offset_kept_on_round_trip() {
    let s = r#"{"name":"a","info":{"first_deployed":"2020-01-01T10:00:00.5+02:00","status":"deployed"},"version":1}"#;
    assert_eq!(Release::from_json(s).unwrap().to_json().unwrap(), s);
}

/// The same record built field by field, as the actions build releases.
#[test]
fn built_release_matches_helm_bytes() {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use base64::Engine;
    use rhelm_chart::{Chart, File, Metadata};
    use rhelm_release::model::{Hook, HookExecution, Info};
    use rhelm_release::time::{parse_rfc3339, to_system};
    use rhelm_template::Value;

    std::env::set_var("TZ", "UTC");
    let t = |s: &str| parse_rfc3339(s).unwrap();
    let st = |s: &str| Some(to_system(&t(s)));
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.decode(s).unwrap();
    let helm = Release::from_json(REL1_V3).unwrap();
    let tpl = &helm.chart.as_ref().unwrap().templates;
    let map = |pairs: Vec<(&str, Value)>| pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect::<BTreeMap<_, _>>();

    let chart = Chart {
        metadata: Metadata {
            name: "rc".into(),
            version: "0.1.0".into(),
            api_version: "v2".into(),
            app_version: "1.0".into(),
            ..Metadata::default()
        },
        templates: vec![
            File::new("templates/NOTES.txt", b64("VGhhbmtzIGZvciBpbnN0YWxsaW5nIHt7IC5DaGFydC5OYW1lIH19IHJldiB7eyAuUmVsZWFzZS5SZXZpc2lvbiB9fQo="))
                .with_modtime(st("2026-11-22T20:20:40.582158624Z")),
            File::new("templates/cm.yaml", tpl[1].data.to_vec()).with_modtime(st("2026-11-22T20:20:40.58083533Z")),
            File::new("templates/hook.yaml", tpl[2].data.to_vec()).with_modtime(st("2026-11-22T20:20:40.582158624Z")),
        ],
        values: map(vec![("a", Value::Float(1.0)), ("b", Value::map(map(vec![("c", Value::str("x"))])))]),
        modtime: st("2026-11-22T20:20:40.577016454Z"),
        ..Chart::default()
    };
    let rls = Release {
        name: "rel1".into(),
        info: Some(Info {
            first_deployed: Some(t("2026-11-22T20:20:40.661238531Z")),
            last_deployed: Some(t("2026-11-22T20:20:52.161397687Z")),
            description: "Rollback to 1".into(),
            status: Status::Deployed,
            rollback_revision: 1,
            notes: "Thanks for installing rc rev 1\n".into(),
            ..Info::default()
        }),
        chart: Some(chart),
        config: map(vec![("a", Value::Float(2.0))]),
        manifest: "---\n# Source: rc/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rel1-cm\ndata:\n  a: \"2\"\n  rev: \"1\"\n\n".into(),
        hooks: vec![Hook {
            name: "rel1-hook".into(),
            kind: "ConfigMap".into(),
            path: "rc/templates/hook.yaml".into(),
            manifest: helm.hooks[0].manifest.clone(),
            events: vec!["pre-install".into(), "pre-upgrade".into()],
            last_run: HookExecution {
                started_at: Some(t("2026-11-22T20:20:40.79522964Z")),
                completed_at: Some(t("2026-11-22T20:20:40.806649515Z")),
                phase: "Succeeded".into(),
            },
            weight: 1,
            delete_policies: vec!["before-hook-creation".into(), "hook-succeeded".into()],
            output_log_policies: vec![],
        }],
        version: 3,
        namespace: "default".into(),
        apply_method: "ssa".into(),
        ..Release::default()
    };
    assert_eq!(rls.to_json().unwrap(), REL1_V3);
}
