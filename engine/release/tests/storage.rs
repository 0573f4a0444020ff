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
