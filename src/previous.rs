//! bek-new's previous output, as `bek-new add` reads it: from the pristine ref in git, or from
//! `.bek/pristine.toml` in projects without git.
//!
//! Every file is known by its blob id, which a new render is compared with by hashing alone;
//! contents are read only for the few files that differ, which the merge needs. An add in a
//! large project thus reads and formats what it changes, not the whole tree.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use crate::merge::Files;

/// The id git gives `contents` as a blob.
pub fn blob_id(contents: &[u8]) -> Oid {
    Oid::hash_object(ObjectType::Blob, contents).expect("hashing a buffer cannot fail")
}

pub struct Previous<'r> {
    ids: BTreeMap<String, Oid>,
    source: Source<'r>,
    /// The last contents asked about per path, with the answer: an add asks about the same
    /// render up to three times (before and after formatting, and when it stores the new
    /// output), and comparing bytes costs far less than hashing them again.
    answers: RefCell<HashMap<String, (Vec<u8>, bool)>>,
}

enum Source<'r> {
    Git(&'r Repository),
    Files(Files),
}

impl<'r> Previous<'r> {
    /// The tree `reference` points at in `repo`.
    pub fn from_git(repo: &'r Repository, reference: &str) -> Result<Self, git2::Error> {
        let tree = repo.find_reference(reference)?.peel_to_tree()?;
        let mut ids = BTreeMap::new();
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob) {
                ids.insert(
                    format!("{dir}{}", entry.name().unwrap_or_default()),
                    entry.id(),
                );
            }
            TreeWalkResult::Ok
        })?;
        Ok(Previous {
            ids,
            source: Source::Git(repo),
            answers: RefCell::default(),
        })
    }

    /// Files held in memory (the stored output of a project without git).
    pub fn from_files(files: Files) -> Self {
        let ids = files
            .iter()
            .map(|(path, contents)| (path.clone(), blob_id(contents)))
            .collect();
        Previous {
            ids,
            source: Source::Files(files),
            answers: RefCell::default(),
        }
    }

    /// Whether the previous output had `path` with exactly `contents`.
    pub fn same(&self, path: &str, contents: &[u8]) -> bool {
        let Some(id) = self.ids.get(path) else {
            return false;
        };
        if let Some((asked, answer)) = self.answers.borrow().get(path)
            && asked.as_slice() == contents
        {
            return *answer;
        }
        let answer = *id == blob_id(contents);
        self.answers
            .borrow_mut()
            .insert(path.to_string(), (contents.to_vec(), answer));
        answer
    }

    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.ids.keys()
    }

    /// The previous contents of `path`, if it was part of the output.
    pub fn contents(&self, path: &str) -> Result<Option<Vec<u8>>, git2::Error> {
        match &self.source {
            Source::Files(files) => Ok(files.get(path).cloned()),
            Source::Git(repo) => match self.ids.get(path) {
                Some(id) => Ok(Some(repo.find_blob(*id)?.content().to_vec())),
                None => Ok(None),
            },
        }
    }

    /// Every previous file with its contents.
    pub fn files(&self) -> Result<Files, git2::Error> {
        self.paths()
            .map(|path| Ok((path.clone(), self.contents(path)?.unwrap_or_default())))
            .collect()
    }

    /// The files where the previous output and `theirs` differ, each side's version, for the
    /// merge: a file that is the same on both sides needs nothing from it.
    pub fn differing(&self, theirs: &Files) -> Result<(Files, Files), git2::Error> {
        let mut base = Files::new();
        let mut new = Files::new();
        for (path, contents) in theirs {
            if !self.same(path, contents) {
                new.insert(path.clone(), contents.clone());
                if let Some(previous) = self.contents(path)? {
                    base.insert(path.clone(), previous);
                }
            }
        }
        for path in self.paths().filter(|path| !theirs.contains_key(*path)) {
            if let Some(previous) = self.contents(path)? {
                base.insert(path.clone(), previous);
            }
        }
        Ok((base, new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differing_files_reach_the_merge() {
        let previous: Files = [
            ("same.rs".to_string(), b"fn a() {}\n".to_vec()),
            ("changed.rs".to_string(), b"fn b() {}\n".to_vec()),
            ("gone.rs".to_string(), b"fn c() {}\n".to_vec()),
        ]
        .into_iter()
        .collect();
        let theirs: Files = [
            ("same.rs".to_string(), b"fn a() {}\n".to_vec()),
            ("changed.rs".to_string(), b"fn b2() {}\n".to_vec()),
            ("new.rs".to_string(), b"fn d() {}\n".to_vec()),
        ]
        .into_iter()
        .collect();
        let previous = Previous::from_files(previous);
        assert!(previous.same("same.rs", b"fn a() {}\n"));
        assert!(!previous.same("new.rs", b"fn d() {}\n"));
        let (base, new) = previous.differing(&theirs).unwrap();
        assert_eq!(base.keys().collect::<Vec<_>>(), ["changed.rs", "gone.rs"]);
        assert_eq!(new.keys().collect::<Vec<_>>(), ["changed.rs", "new.rs"]);
        // git's own id for the same bytes.
        assert_eq!(
            blob_id(b"hello\n").to_string(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}
