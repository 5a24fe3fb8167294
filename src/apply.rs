//! The only code that writes to disk. A new project is written to a temporary directory beside
//! the target, committed there, and renamed into place only when complete, so a failure at any
//! step leaves nothing behind and an existing directory is never touched.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::git;
use crate::merge::{Change, Files, Outcome};
use crate::plan::Plan;

/// Formats the Rust sources with the toolchain's `rustfmt`, under the project's own
/// `rustfmt.toml`. Templates are written formatted, but entity modules are built from names of
/// any length, and only rustfmt knows where such lines break; the project's CI runs
/// `cargo fmt --check`. Without rustfmt the files stay as rendered (they still compile) and
/// the user is told how to format them.
fn format_rust(plan: &Plan, root: &Path) {
    let roots: Vec<&str> = plan.paths().filter(|path| is_crate_root(path)).collect();
    run_rustfmt(&roots, root);
}

/// Formats `sources` (paths below `root`, and the modules they declare) with rustfmt.
fn run_rustfmt(sources: &[&str], root: &Path) {
    if sources.is_empty() {
        return;
    }
    // Up to one rustfmt per core, side by side: formatting is most of a new project's time.
    // The library root (with every module below it) is the heaviest share, so it gets a
    // process of its own and the other roots share the rest.
    let workers = rustfmt_workers();
    let (library, others): (Vec<&str>, Vec<&str>) =
        sources.iter().partition(|path| **path == "src/lib.rs");
    let groups: Vec<Vec<&str>> = if workers < 2 || library.is_empty() {
        let chunk = sources.len().div_ceil(workers);
        sources.chunks(chunk).map(<[&str]>::to_vec).collect()
    } else {
        let chunk = others.len().div_ceil(workers - 1).max(1);
        std::iter::once(library)
            .chain(others.chunks(chunk).map(<[&str]>::to_vec))
            .collect()
    };
    let all_ran = std::thread::scope(|scope| {
        let runs: Vec<_> = groups
            .iter()
            .map(|files| scope.spawn(move || rustfmt(files, root)))
            .collect();
        runs.into_iter().all(|run| run.join().unwrap_or(false))
    });
    if !all_ran {
        note_rustfmt_did_not_run();
    }
}

/// One rustfmt process over `files`; whether it ran and succeeded.
fn rustfmt(files: &[&str], root: &Path) -> bool {
    std::process::Command::new("rustfmt")
        .args(["--edition", "2024"])
        .args(files)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn note_rustfmt_did_not_run() {
    eprintln!(
        "note: rustfmt did not run; the project builds as it is, and `cargo fmt` inside it formats the code"
    );
}

/// Whether rustfmt should be handed `path`: the roots of the crate's targets in cargo's
/// layout (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`, `build.rs`, and every file directly in
/// `tests/`, `benches/` or `examples/`). rustfmt formats the modules a root declares itself,
/// so handing it every file would format each module once more per root above it.
fn is_crate_root(path: &str) -> bool {
    if !path.ends_with(".rs") {
        return false;
    }
    match path.split_once('/') {
        None => true,
        Some(("src", rest)) => {
            matches!(rest, "lib.rs" | "main.rs")
                || rest
                    .strip_prefix("bin/")
                    .is_some_and(|file| !file.contains('/'))
        }
        Some(("tests" | "benches" | "examples", rest)) => !rest.contains('/'),
        Some(_) => true,
    }
}

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
    write_files(plan, staging.path())?;
    format_rust(plan, staging.path());
    let commit = if with_git {
        let oid = git::init_and_commit(staging.path(), &format!("bek-new: create {name}"))
            .context("cannot create the git repository")?;
        Some(oid.to_string())
    } else {
        // Without git, the base of later merges is kept in a file of its own.
        let files = read_back(plan, staging.path())?;
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

fn write_files(plan: &Plan, root: &Path) -> anyhow::Result<()> {
    for (relative, file) in &plan.files {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
        fs::write(&path, &file.contents).with_context(|| format!("cannot write `{relative}`"))?;
        if file.executable {
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

/// The plan's files formatted as [`create_project`] would leave them, for a merge against
/// bek-new's previous output (formatted when it was written; `unchanged` tells whether a
/// path's render equals it). Only the Rust sources whose render differs from their previous
/// version go through rustfmt: one that equals it is formatted already, and rustfmt leaves
/// formatted code as it is. An add thus formats the few files it changes rather than the
/// whole project.
pub fn formatted_against(
    plan: &Plan,
    unchanged: impl Fn(&str, &[u8]) -> bool,
) -> anyhow::Result<Files> {
    let changed: Vec<&str> = plan
        .files
        .iter()
        .filter(|(path, file)| path.ends_with(".rs") && !unchanged(path, file.contents.as_bytes()))
        .map(|(path, _)| path.as_str())
        .collect();
    let mut formatted: Files = plan
        .files
        .iter()
        .map(|(path, file)| (path.clone(), file.contents.clone().into_bytes()))
        .collect();
    if changed.is_empty() {
        return Ok(formatted);
    }
    // rustfmt is most of an add's time: one process per core, each over about the same
    // amount of code, each in a folder of its own (see `write_for_formatting`).
    let groups = balanced_groups(plan, &changed, rustfmt_workers());
    let results: Vec<anyhow::Result<FormattedGroup>> = std::thread::scope(|scope| {
        let runs: Vec<_> = groups
            .iter()
            .map(|group| scope.spawn(move || format_group(plan, group)))
            .collect();
        runs.into_iter()
            .map(|run| {
                run.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a rustfmt worker stopped")))
            })
            .collect()
    });
    let mut all_ran = true;
    for result in results {
        let group = result?;
        all_ran &= group.ran;
        formatted.extend(group.files);
    }
    if !all_ran {
        note_rustfmt_did_not_run();
    }
    Ok(formatted)
}

struct FormattedGroup {
    /// Whether rustfmt ran and succeeded; the files are as rendered when it did not.
    ran: bool,
    files: Vec<(String, Vec<u8>)>,
}

/// Formats `group` in a scratch folder of its own and reads the files back.
fn format_group(plan: &Plan, group: &[&str]) -> anyhow::Result<FormattedGroup> {
    let scratch = scratch_dir()?;
    write_for_formatting(plan, group, scratch.path())?;
    let ran = rustfmt(group, scratch.path());
    let files = group
        .iter()
        .map(|path| {
            let contents = fs::read(scratch.path().join(path))
                .with_context(|| format!("cannot read back `{path}`"))?;
            Ok((path.to_string(), contents))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(FormattedGroup { ran, files })
}

fn rustfmt_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `paths` in at most `count` groups of about equal size in bytes: the largest file goes to
/// the lightest group, then the next largest, and so on.
fn balanced_groups<'a>(plan: &Plan, paths: &[&'a str], count: usize) -> Vec<Vec<&'a str>> {
    let size = |path: &str| plan.files.get(path).map_or(0, |file| file.contents.len());
    let mut by_size = paths.to_vec();
    by_size.sort_by_key(|path| std::cmp::Reverse(size(path)));
    let mut groups: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); count.clamp(1, paths.len())];
    for path in by_size {
        if let Some((total, group)) = groups.iter_mut().min_by_key(|(total, _)| *total) {
            *total += size(path);
            group.push(path);
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// What rustfmt needs to format `group` under `root`: those files, the project's rustfmt
/// configuration, and every other Rust source of the plan as an empty file. rustfmt follows
/// each `mod name;` of the files it is given and refuses one whose file is missing; an empty
/// file resolves the declaration and costs nothing, where the real one would be formatted
/// again (the library root declares every module of the crate) or, when another group holds
/// it, written by two processes at once.
fn write_for_formatting(plan: &Plan, group: &[&str], root: &Path) -> anyhow::Result<()> {
    for (relative, file) in &plan.files {
        let contents = if group.contains(&relative.as_str()) || is_rustfmt_config(relative) {
            file.contents.as_bytes()
        } else if relative.ends_with(".rs") {
            &[]
        } else {
            continue;
        };
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("cannot write `{relative}`"))?;
    }
    Ok(())
}

fn is_rustfmt_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "rustfmt.toml" || name == ".rustfmt.toml"
}

/// A scratch folder in memory where the system offers a RAM-backed one: the copy is written,
/// formatted and read back once, and on a disk that costs more than the formatting.
fn scratch_dir() -> anyhow::Result<tempfile::TempDir> {
    let in_memory = Path::new("/dev/shm");
    if in_memory.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(in_memory)
    {
        return Ok(dir);
    }
    tempfile::tempdir().context("cannot create a temporary directory")
}

/// The plan's files as written (and formatted) under `dir`.
fn read_back(plan: &Plan, dir: &Path) -> anyhow::Result<Files> {
    plan.paths()
        .map(|path| {
            let contents =
                fs::read(dir.join(path)).with_context(|| format!("cannot read back `{path}`"))?;
            Ok((path.to_string(), contents))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::is_crate_root;

    #[test]
    fn only_the_roots_of_cargo_targets_are_handed_to_rustfmt() {
        for root in [
            "src/lib.rs",
            "src/main.rs",
            "src/bin/tool.rs",
            "tests/ledger.rs",
            "benches/load.rs",
            "build.rs",
        ] {
            assert!(is_crate_root(root), "{root}");
        }
        for module in [
            "src/config.rs",
            "src/domain/ledger.rs",
            "tests/support/mod.rs",
            "src/bin/tool/helper.rs",
            "README.md",
        ] {
            assert!(!is_crate_root(module), "{module}");
        }
    }
}
