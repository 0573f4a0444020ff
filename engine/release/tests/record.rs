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
