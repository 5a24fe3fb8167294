//! The only code that writes to disk. A new project is written to a temporary directory beside
//! the target, committed there, and renamed into place only when complete, so a failure at any
//! step leaves nothing behind and an existing directory is never touched.

pub mod format;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::git;
use crate::merge::{Change, Files, Outcome};
use crate::plan::Plan;

/// Where a new project goes, checked before anything is asked or written.
pub fn check_target(target: &Path) -> Result<(), String> {
    let parent = parent_dir(target);
    if !parent.is_dir() {
        return Err(format!(
            "the output directory `{}` does not exist; create it first or choose another with `--output DIR`",
            parent.display()
        ));
    }
    match fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => {
            let empty = fs::read_dir(target)
                .map(|mut entries| entries.next().is_none())
                .unwrap_or(false);
            if empty {
                Ok(())
            } else {
                Err(format!(
                    "`{}` already exists and is not empty; nothing was changed. Choose another name or `--output DIR`, or run `bek-new add` inside an existing project",
                    target.display()
                ))
            }
        }
        Ok(_) => Err(format!(
            "`{}` already exists and is not a directory; nothing was changed. Choose another name or `--output DIR`",
            target.display()
        )),
    }
}

/// What [`create_project`] did.
pub struct Created {
    pub path: PathBuf,
    pub files: usize,
    /// The first commit, when the project is a git repository.
    pub commit: Option<String>,
}

/// Writes a plan as a new project at `target`, atomically.
pub fn create_project(plan: &Plan, target: &Path, with_git: bool) -> anyhow::Result<Created> {
    let parent = parent_dir(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Dropping the TempDir on any early return removes everything written so far.
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.bek-new-"))
        .tempdir_in(parent)
        .with_context(|| {
            format!(
                "cannot create a temporary directory in `{}`",
                parent.display()
            )
        })?;
    crate::interrupt::set_staging(Some(staging.path().to_path_buf()));
    // Formatted in a memory-backed scratch folder first, so each file reaches the disk once.
    let files = format::formatted(plan, |_, _| true)?;
    write_files(plan, &files, staging.path())?;
    let commit = if with_git {
        let oid = git::init_and_commit(staging.path(), &format!("bek-new: create {name}"))
            .context("cannot create the git repository")?;
        Some(oid.to_string())
    } else {
        // Without git, the base of later merges is kept in a file of its own.
        crate::pristine::write(staging.path(), &files)?;
        None
    };
    let staged = staging.keep();
    let moved = fs::rename(&staged, target);
    crate::interrupt::set_staging(None);
    if let Err(err) = moved {
        // Leave nothing behind, and never touch what is at `target`.
        let _ = fs::remove_dir_all(&staged);
        return Err(err)
            .with_context(|| format!("cannot move the project into `{}`", target.display()));
    }
    Ok(Created {
        path: target.to_path_buf(),
        files: plan.files.len(),
        commit,
    })
}

/// The directory a target lives in (`.` for a bare name).
fn parent_dir(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `files` below `root`, with the executable bit where the plan asks for it.
fn write_files(plan: &Plan, files: &Files, root: &Path) -> anyhow::Result<()> {
    for (relative, contents) in files {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("cannot write `{relative}`"))?;
        if plan.files.get(relative).is_some_and(|file| file.executable) {
            make_executable(&path)
                .with_context(|| format!("cannot make `{relative}` executable"))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes a merge outcome into the project at `root`: written files replace their old
/// version in one rename each (never half-written), removed ones are deleted.
pub fn write_outcome(root: &Path, outcome: &Outcome, plan: &Plan) -> anyhow::Result<()> {
    for (relative, change) in outcome {
        let path = root.join(relative);
        if let Some(contents) = change.contents() {
            let dir = path.parent().unwrap_or(root);
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
            let mut staged = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write in `{}`", dir.display()))?;
            std::io::Write::write_all(&mut staged, contents)
                .with_context(|| format!("cannot write `{relative}`"))?;
            staged
                .persist(&path)
                .with_context(|| format!("cannot write `{relative}`"))?;
            if plan.files.get(relative).is_some_and(|file| file.executable) {
                make_executable(&path)
                    .with_context(|| format!("cannot make `{relative}` executable"))?;
            }
        } else if matches!(change, Change::Removed) {
            fs::remove_file(&path).with_context(|| format!("cannot remove `{relative}`"))?;
        }
    }
    Ok(())
}
