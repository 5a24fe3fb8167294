//! The git side of writing a project: a repository with one commit, and the pristine ref that
//! later runs of bek-new merge against.

use std::collections::BTreeMap;
use std::path::Path;

use git2::build::TreeUpdateBuilder;
use git2::{
    FileMode, IndexAddOption, Oid, Repository, RepositoryInitOptions, Signature, StatusOptions,
};

use crate::previous::Previous;

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
/// The previous tree (`base`) is updated with only the files that differ,
/// so an add writes a handful of objects rather than the whole project again.
pub fn pristine_commit(
    repo: &Repository,
    base: &Previous<'_>,
    files: &BTreeMap<String, (Vec<u8>, bool)>,
    message: &str,
) -> Result<Oid, git2::Error> {
    let parent = repo.find_reference(PRISTINE_REF)?.peel_to_commit()?;
    let baseline = parent.tree()?;
    let mut update = TreeUpdateBuilder::new();
    for (path, (contents, executable)) in files {
        let unchanged = base.same(path, contents)
            && (!executable
                || baseline
                    .get_path(Path::new(path))
                    .is_ok_and(|entry| entry.filemode() == 0o100755));
        if !unchanged {
            let mode = if *executable {
                FileMode::BlobExecutable
            } else {
                FileMode::Blob
            };
            update.upsert(path.as_str(), repo.blob(contents)?, mode);
        }
    }
    for path in base.paths().filter(|path| !files.contains_key(*path)) {
        update.remove(path.as_str());
    }
    let tree = repo.find_tree(update.create_updated(repo, &baseline)?)?;
    let signature = signature(repo)?;
    repo.commit(None, &signature, &signature, message, &tree, &[&parent])
}

/// Points [`PRISTINE_REF`] at `commit`.
pub fn move_pristine(repo: &Repository, commit: Oid, message: &str) -> Result<(), git2::Error> {
    repo.reference(PRISTINE_REF, commit, true, message)
        .map(|_| ())
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
