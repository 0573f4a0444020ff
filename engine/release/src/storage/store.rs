//! Helm's `storage.Storage` (pkg/storage/storage.go).

use super::{make_key, Driver, Labels, StorageError};
use crate::model::{Release, Status};

pub struct Storage {
    pub driver: Box<dyn Driver>,
    /// Revisions kept per release when creating one; 0 keeps all.
    pub max_history: usize,
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

impl Storage {
    pub fn new(driver: Box<dyn Driver>) -> Storage {
        Storage { driver, max_history: 0 }
    }

    pub fn get(&self, name: &str, version: i64) -> Result<Release, StorageError> {
        self.driver.get(&make_key(name, version))
    }

    /// Stores a new revision, first pruning history to `max_history - 1`
    /// records (never the deployed one). `AlreadyExists` means another
    /// operation claimed this revision first.
    pub fn create(&self, rls: &Release) -> Result<(), StorageError> {
        if self.max_history > 0 {
            match self.remove_least_recent(&rls.name, self.max_history - 1) {
                Ok(()) | Err(StorageError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        self.driver.create(&make_key(&rls.name, rls.version), rls)
    }

    /// Claims a new revision, then prunes history to `max` records (0:
    /// unlimited). Unlike Helm, which prunes first, nothing is deleted when
    /// the claim fails, so a losing concurrent operation loses no history.
    pub fn create_with_max(&self, rls: &Release, max: usize) -> Result<(), StorageError> {
        self.driver.create(&make_key(&rls.name, rls.version), rls)?;
        if max > 0 {
            match self.remove_least_recent(&rls.name, max) {
                Ok(()) | Err(StorageError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub fn update(&self, rls: &Release) -> Result<(), StorageError> {
        self.driver.update(&make_key(&rls.name, rls.version), rls)
    }

    pub fn delete(&self, name: &str, version: i64) -> Result<Release, StorageError> {
        self.driver.delete(&make_key(name, version))
    }

    pub fn list_releases(&self) -> Result<Vec<Release>, StorageError> {
        self.driver.list(&|_| true)
    }

    pub fn list_uninstalled(&self) -> Result<Vec<Release>, StorageError> {
        self.driver.list(&|r| r.status() == Status::Uninstalled)
    }

    pub fn list_deployed(&self) -> Result<Vec<Release>, StorageError> {
        self.driver.list(&|r| r.status() == Status::Deployed)
    }

    /// The newest deployed revision.
    pub fn deployed(&self, name: &str) -> Result<Release, StorageError> {
        let mut ls = self.deployed_all(name)?;
        if ls.is_empty() {
            return Err(StorageError::NoDeployedReleases(name.to_string()));
        }
        ls.sort_by_key(|r| std::cmp::Reverse(r.version));
        Ok(ls.swap_remove(0))
    }

    pub fn deployed_all(&self, name: &str) -> Result<Vec<Release>, StorageError> {
        match self.driver.query(&labels(&[("name", name), ("owner", "helm"), ("status", "deployed")])) {
            Ok(ls) => Ok(ls),
            Err(e) if e.to_string().contains("not found") => Err(StorageError::NoDeployedReleases(name.to_string())),
            Err(e) => Err(e),
        }
    }

    /// Every revision of `name`, in the driver's order.
    pub fn history(&self, name: &str) -> Result<Vec<Release>, StorageError> {
        self.driver.query(&labels(&[("name", name), ("owner", "helm")]))
    }

    /// The highest revision of `name`.
    pub fn last(&self, name: &str) -> Result<Release, StorageError> {
        let mut h = self.history(name)?;
        if h.is_empty() {
            return Err(StorageError::Other(format!("no revision for release {name:?}")));
        }
        h.sort_by_key(|r| std::cmp::Reverse(r.version));
        Ok(h.swap_remove(0))
    }

    /// `removeLeastRecent`: deletes the oldest revisions until `maximum`
    /// remain, skipping the newest deployed revision.
    fn remove_least_recent(&self, name: &str, maximum: usize) -> Result<(), StorageError> {
        let mut h = self.history(name)?;
        if h.len() <= maximum {
            return Ok(());
        }
        h.sort_by_key(|r| r.version);
        let deployed = match self.deployed(name) {
            Ok(r) => Some(r.version),
            Err(StorageError::NoDeployedReleases(_)) => None,
            Err(e) => return Err(e),
        };
        let mut to_delete = Vec::new();
        for rel in &h {
            if h.len() - to_delete.len() == maximum {
                break;
            }
            if deployed != Some(rel.version) {
                to_delete.push(rel.version);
            }
        }
        let mut errs = Vec::new();
        for v in to_delete {
            if let Err(e) = self.delete(name, v) {
                errs.push(e);
            }
        }
        match errs.len() {
            0 => Ok(()),
            1 => Err(errs.swap_remove(0)),
            n => Err(StorageError::Other(format!("encountered {n} deletion errors. First is: {}", errs[0]))),
        }
    }
}
