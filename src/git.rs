//! The git side of writing a project: a repository with one commit, and the pristine ref that
//! later runs of bek-new merge against.

use std::path::Path;

use git2::{IndexAddOption, Oid, Repository, RepositoryInitOptions, Signature};

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
    // The author the user's git config names, as `git commit` would use; a fresh machine
    // without one still gets a commit.
    let signature = repo
        .signature()
        .or_else(|_| Signature::now(FALLBACK_NAME, FALLBACK_EMAIL))?;
    let commit = repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])?;
    repo.reference(PRISTINE_REF, commit, true, "bek-new: pristine output")?;
    Ok(commit)
}
