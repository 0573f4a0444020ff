//! `Storage` over the memory driver: Helm's history, last, deployed and
//! max-history rules.

use rhelm_release::model::{Info, Release, Status};
use rhelm_release::storage::{Memory, Storage, StorageError};

fn rel(name: &str, version: i64, status: Status) -> Release {
    Release {
        name: name.into(),
        version,
        namespace: "default".into(),
        info: Some(Info { status, ..Info::default() }),
        ..Release::default()
    }
}

#[test]
fn create_twice_is_already_exists() {
    let s = Storage::new(Box::new(Memory::new()));
    s.create(&rel("a", 1, Status::Deployed)).unwrap();
    assert_eq!(s.create(&rel("a", 1, Status::PendingUpgrade)), Err(StorageError::AlreadyExists));
    assert_eq!(s.get("a", 1).unwrap().status(), Status::Deployed);
    assert_eq!(s.get("a", 2).unwrap_err().to_string(), "release: not found");
}

#[test]
fn history_last_deployed() {
    let s = Storage::new(Box::new(Memory::new()));
    s.create(&rel("a", 1, Status::Superseded)).unwrap();
    s.create(&rel("a", 3, Status::Failed)).unwrap();
    s.create(&rel("a", 2, Status::Deployed)).unwrap();
    assert_eq!(s.history("a").unwrap().len(), 3);
    assert_eq!(s.last("a").unwrap().version, 3);
    assert_eq!(s.deployed("a").unwrap().version, 2);
    assert_eq!(s.deployed("b").unwrap_err().to_string(), "\"b\" has no deployed releases");
    assert_eq!(s.history("b").unwrap_err(), StorageError::NotFound);
}

#[test]
fn max_history_keeps_deployed() {
    let mut s = Storage::new(Box::new(Memory::new()));
    s.create(&rel("a", 1, Status::Deployed)).unwrap();
    s.create(&rel("a", 2, Status::Failed)).unwrap();
    s.create(&rel("a", 3, Status::Failed)).unwrap();
    s.max_history = 2;
    s.create(&rel("a", 4, Status::PendingUpgrade)).unwrap();
    let mut v: Vec<i64> = s.history("a").unwrap().iter().map(|r| r.version).collect();
    v.sort();
    assert_eq!(v, vec![1, 4]);
}

#[test]
fn labels_follow_helms_quirks() {
    use rhelm_release::storage::{merge_custom_labels, object_labels, Labels};
    let l = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Labels>();
    // "null" deletes, new values win.
    assert_eq!(
        merge_custom_labels(&l(&[("a", "1"), ("b", "2")]), &l(&[("a", "null"), ("b", "3"), ("c", "4")])),
        l(&[("b", "3"), ("c", "4")])
    );
    // An upgrade inherits the unfiltered labels of the last revision, so an
    // old modifiedAt overrides the fresh createdAt stamp's sibling and survives.
    let mut r = rel("a", 2, Status::PendingUpgrade);
    r.labels = l(&[("team", "x"), ("modifiedAt", "100"), ("status", "deployed")]);
    let got = object_labels(&r, ("createdAt", 200));
    assert_eq!(
        got,
        l(&[
            ("createdAt", "200"),
            ("modifiedAt", "100"),
            ("name", "a"),
            ("owner", "helm"),
            ("status", "pending-upgrade"),
            ("team", "x"),
            ("version", "2")
        ])
    );
    assert!(rhelm_release::storage::contains_system_labels(&l(&[("owner", "me")])));
    assert_eq!(
        rhelm_release::storage::system_label_error(),
        "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]"
    );
}
