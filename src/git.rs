//! The git side of writing a project: a repository with one commit, and the pristine ref that
//! later runs of bek-new merge against.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{
    IndexAddOption, ObjectType, Oid, Repository, RepositoryInitOptions, Signature, StatusOptions,
    TreeWalkMode, TreeWalkResult,
};

use crate::merge::Files;

/// The ref that always points at bek-new's own last output, untouched by user edits: the
/// common ancestor for later three-way merges.
pub const PRISTINE_REF: &str = "refs/bek/pristine";

const FALLBACK_NAME: &str = "bek-new";
const FALLBACK_EMAIL: &str = "bek-new@localhost";

/// Initialises a repository on branch `main` in `dir`, commits every file that `.gitignore`
/// does not exclude, and points [`PRISTINE_REF`] at that commit.
pub fn init_and_commit(dir: &Path, message: &str) -> Result<Oid, git2::Error> {
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(dir, &options)?;
    let mut index = repo.index()?;
    index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let signature = signature(&repo)?;
    let commit = repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])?;
    repo.reference(PRISTINE_REF, commit, true, "bek-new: pristine output")?;
    Ok(commit)
}

/// The project's repository, if `root` is the top of one.
pub fn open(root: &Path) -> Option<Repository> {
    Repository::open(root)
        .ok()
        .filter(|repo| repo.workdir().is_some())
}

/// bek-new's previous output: every file of the tree [`PRISTINE_REF`] points at.
pub fn pristine_files(repo: &Repository) -> Result<Files, git2::Error> {
    let tree = repo.find_reference(PRISTINE_REF)?.peel_to_tree()?;
    let mut files = Files::new();
    let mut failure = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(ObjectType::Blob) {
            return TreeWalkResult::Ok;
        }
        let path = format!("{dir}{}", entry.name().unwrap_or_default());
        match repo.find_blob(entry.id()) {
            Ok(blob) => {
                files.insert(path, blob.content().to_vec());
                TreeWalkResult::Ok
            }
            Err(err) => {
                failure = Some(err);
                TreeWalkResult::Abort
            }
        }
    })?;
    match failure {
        Some(err) => Err(err),
        None => Ok(files),
    }
}

/// Paths with uncommitted changes, untracked files included (ignored ones are not).
pub fn dirty_paths(repo: &Repository) -> Result<Vec<String>, git2::Error> {
    let mut options = StatusOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let statuses = repo.statuses(Some(&mut options))?;
    Ok(statuses
        .iter()
        .filter(|entry| !entry.status().is_ignored())
        .filter_map(|entry| entry.path().ok().map(str::to_string))
        .collect())
}

/// Stores `files` as a commit of bek-new's output, child of the previous pristine commit and
/// outside every branch. [`move_pristine`] makes it the new base once the project is written.
pub fn pristine_commit(
    repo: &Repository,
    files: &BTreeMap<String, (Vec<u8>, bool)>,
    message: &str,
) -> Result<Oid, git2::Error> {
    let entries = files
        .iter()
        .map(|(path, (contents, executable))| (path.as_str(), contents.as_slice(), *executable))
        .collect();
    let tree = repo.find_tree(write_tree(repo, entries)?)?;
    let parent = repo.find_reference(PRISTINE_REF)?.peel_to_commit()?;
    let signature = signature(repo)?;
    repo.commit(None, &signature, &signature, message, &tree, &[&parent])
}

/// Points [`PRISTINE_REF`] at `commit`.
pub fn move_pristine(repo: &Repository, commit: Oid, message: &str) -> Result<(), git2::Error> {
    repo.reference(PRISTINE_REF, commit, true, message)
        .map(|_| ())
}

/// A file to store: its path below the tree, its contents and whether it is executable.
type TreeEntry<'a> = (&'a str, &'a [u8], bool);

/// Writes a tree of entries, one subtree per folder.
fn write_tree(repo: &Repository, entries: Vec<TreeEntry<'_>>) -> Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(None)?;
    let mut folders: BTreeMap<&str, Vec<TreeEntry<'_>>> = BTreeMap::new();
    for (path, contents, executable) in entries {
        match path.split_once('/') {
            Some((folder, rest)) => folders
                .entry(folder)
                .or_default()
                .push((rest, contents, executable)),
            None => {
                let mode = if executable { 0o100755 } else { 0o100644 };
                builder.insert(path, repo.blob(contents)?, mode)?;
            }
        }
    }
    for (folder, children) in folders {
        builder.insert(folder, write_tree(repo, children)?, 0o040000)?;
    }
    builder.write()
}

/// Commits the given paths (written or removed) on the current branch, leaving every other
/// change in the working tree as it is.
pub fn commit_paths(
    repo: &Repository,
    paths: &[String],
    message: &str,
) -> Result<Oid, git2::Error> {
    let mut index = repo.index()?;
    let root = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    for path in paths {
        if root.join(path).exists() {
            index.add_path(Path::new(path))?;
        } else {
            index.remove_path(Path::new(path))?;
        }
    }
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let parent = repo.head()?.peel_to_commit()?;
    let signature = signature(repo)?;
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &[&parent],
    )
}

/// The author the user's git config names, as `git commit` would use; a machine without one
/// still gets a commit.
fn signature(repo: &Repository) -> Result<Signature<'static>, git2::Error> {
    repo.signature()
        .or_else(|_| Signature::now(FALLBACK_NAME, FALLBACK_EMAIL))
}
