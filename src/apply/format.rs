//! rustfmt over a plan's Rust sources, in memory-backed scratch folders, before anything
//! reaches the project.
//!
//! Templates are written formatted, but entity modules are built from names of any length and
//! only rustfmt knows where such lines break; the project's CI runs `cargo fmt --check`.
//! Without rustfmt the files stay as rendered (they still compile) and the user is told how to
//! format them.
//!
//! rustfmt formats every module a file declares (`mod name;`) along with the file, and
//! refuses a declaration whose file is missing. Each file should be formatted exactly once,
//! and the work split evenly over the cores, so the files are shared out in groups of about
//! equal size, one rustfmt per group. A group's files are written into scratch trees where
//! every other source of the plan is an empty file: declarations resolve, and the modules
//! they name cost nothing. A file and a module it declares sit one level apart in the module
//! tree, so a group's files of even depth go in one tree and those of odd depth in another:
//! no file is ever reached through a declaration in its own tree, hence never formatted twice.

use std::fs;
use std::path::Path;

use anyhow::Context as _;

use crate::merge::Files;
use crate::plan::Plan;

/// The plan's files as bek-new writes them: the Rust sources for which `needs_formatting`
/// holds go through rustfmt, every other file stays as rendered. A new project formats every
/// source; an add only those whose render differs from bek-new's previous output (formatted
/// code stays as rustfmt leaves it).
pub fn formatted(
    plan: &Plan,
    needs_formatting: impl Fn(&str, &[u8]) -> bool,
) -> anyhow::Result<Files> {
    let sources: Vec<&str> = plan
        .files
        .iter()
        .filter(|(path, file)| {
            path.ends_with(".rs") && needs_formatting(path, file.contents.as_bytes())
        })
        .map(|(path, _)| path.as_str())
        .collect();
    let mut files: Files = plan
        .files
        .iter()
        .map(|(path, file)| (path.clone(), file.contents.clone().into_bytes()))
        .collect();
    if sources.is_empty() {
        return Ok(files);
    }
    let groups = balanced_groups(plan, &sources, workers());
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
        files.extend(group.files);
    }
    if !all_ran {
        eprintln!(
            "note: rustfmt did not run; the project builds as it is, and `cargo fmt` inside it formats the code"
        );
    }
    Ok(files)
}

struct FormattedGroup {
    /// Whether rustfmt ran and succeeded; the files are as rendered when it did not.
    ran: bool,
    files: Vec<(String, Vec<u8>)>,
}

/// Formats `group` with one rustfmt process and reads the files back.
fn format_group(plan: &Plan, group: &[&str]) -> anyhow::Result<FormattedGroup> {
    let scratch = scratch_dir()?;
    // Each file goes into the `even` or the `odd` tree, by its module depth.
    let placed: Vec<(&str, &str)> = group.iter().map(|path| (tree_of(path), *path)).collect();
    for tree in ["even", "odd"] {
        let members: Vec<&str> = placed
            .iter()
            .filter(|(placed_in, _)| *placed_in == tree)
            .map(|(_, path)| *path)
            .collect();
        if !members.is_empty() {
            write_tree(plan, &members, &scratch.path().join(tree))?;
        }
    }
    let placed: Vec<(String, &str)> = placed
        .into_iter()
        .map(|(tree, path)| (format!("{tree}/{path}"), path))
        .collect();
    let arguments: Vec<&str> = placed.iter().map(|(at, _)| at.as_str()).collect();
    let ran = rustfmt(&arguments, scratch.path());
    let files = placed
        .iter()
        .map(|(at, path)| {
            let contents = fs::read(scratch.path().join(at))
                .with_context(|| format!("cannot read back `{path}`"))?;
            Ok((path.to_string(), contents))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(FormattedGroup { ran, files })
}

/// The scratch tree a file is formatted in: files one module level apart never share one.
fn tree_of(path: &str) -> &'static str {
    if module_depth(path) % 2 == 0 {
        "even"
    } else {
        "odd"
    }
}

/// One rustfmt process over `files` (paths below `root`); whether it ran and succeeded.
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

fn workers() -> usize {
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

/// One scratch tree under `root`: `members` with their contents, the project's rustfmt
/// configuration, and every other Rust source of the plan as an empty file.
fn write_tree(plan: &Plan, members: &[&str], root: &Path) -> anyhow::Result<()> {
    for (relative, file) in &plan.files {
        let contents = if members.contains(&relative.as_str()) || is_rustfmt_config(relative) {
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

/// A scratch folder in memory where the system offers a RAM-backed one: the files are
/// written, formatted and read back once, and on a disk that costs more than the formatting.
fn scratch_dir() -> anyhow::Result<tempfile::TempDir> {
    let in_memory = Path::new("/dev/shm");
    if in_memory.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(in_memory)
    {
        return Ok(dir);
    }
    tempfile::tempdir().context("cannot create a temporary directory")
}

/// How deep `path` sits in its crate's module tree, in cargo's layout: a target's root
/// (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`, `build.rs`, files directly in `tests/`,
/// `benches/` or `examples/`) is 0, and a `mod.rs` counts as its folder. A module is one level
/// below the file that declares it.
fn module_depth(path: &str) -> usize {
    if is_crate_root(path) {
        return 0;
    }
    let folders = path.matches('/').count();
    if path.ends_with("/mod.rs") {
        folders - 1
    } else {
        folders
    }
}

fn is_crate_root(path: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::{formatted, is_crate_root, module_depth};
    use crate::plan::{Plan, PlannedFile};

    fn plan(files: &[(&str, &str)]) -> Plan {
        Plan {
            files: files
                .iter()
                .map(|(path, contents)| {
                    let file = PlannedFile {
                        contents: contents.to_string(),
                        executable: false,
                    };
                    (path.to_string(), file)
                })
                .collect(),
        }
    }

    #[test]
    fn every_chosen_source_is_formatted_and_nothing_else_is_touched() {
        let plan = plan(&[
            ("src/lib.rs", "pub mod a;\npub mod b;\npub fn  root( ){}\n"),
            ("src/a.rs", "pub fn  a( ){let x=1;let _=x;}\n"),
            ("src/b/mod.rs", "pub mod c;\npub fn  b( ){}\n"),
            ("src/b/c.rs", "pub fn  c( ){}\n"),
            ("tests/t.rs", "mod support;\n#[test]\nfn  t( ){}\n"),
            ("tests/support/mod.rs", "pub fn  s( ){}\n"),
            ("src/kept.rs", "pub fn  kept( ){}\n"),
            ("README.md", "fn  not_rust( ){}\n"),
        ]);
        let files = formatted(&plan, |path, _| path != "src/kept.rs").expect("formatted");
        let text = |path: &str| String::from_utf8(files[path].clone()).expect("utf-8");
        assert_eq!(
            text("src/lib.rs"),
            "pub mod a;\npub mod b;\npub fn root() {}\n"
        );
        assert_eq!(
            text("src/a.rs"),
            "pub fn a() {\n    let x = 1;\n    let _ = x;\n}\n"
        );
        assert_eq!(text("src/b/mod.rs"), "pub mod c;\npub fn b() {}\n");
        assert_eq!(text("src/b/c.rs"), "pub fn c() {}\n");
        assert_eq!(text("tests/t.rs"), "mod support;\n#[test]\nfn t() {}\n");
        assert_eq!(text("tests/support/mod.rs"), "pub fn s() {}\n");
        assert_eq!(text("src/kept.rs"), "pub fn  kept( ){}\n");
        assert_eq!(text("README.md"), "fn  not_rust( ){}\n");
    }

    #[test]
    fn crate_roots_are_the_roots_of_cargo_targets() {
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
        ] {
            assert!(!is_crate_root(module), "{module}");
        }
    }

    #[test]
    fn a_module_sits_one_level_below_the_file_that_declares_it() {
        for (declaring, declared) in [
            ("src/lib.rs", "src/config.rs"),
            ("src/lib.rs", "src/http/mod.rs"),
            ("src/http/mod.rs", "src/http/cors.rs"),
            ("src/adapters/mod.rs", "src/adapters/inbound/mod.rs"),
            (
                "src/adapters/inbound/mod.rs",
                "src/adapters/inbound/http/mod.rs",
            ),
            (
                "src/adapters/inbound/http/mod.rs",
                "src/adapters/inbound/http/dto/mod.rs",
            ),
            ("tests/ledger.rs", "tests/support/mod.rs"),
            ("src/main.rs", "src/cli.rs"),
        ] {
            assert_eq!(
                module_depth(declared),
                module_depth(declaring) + 1,
                "{declaring} declares {declared}"
            );
        }
    }
}
