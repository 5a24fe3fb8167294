//! bek-new's previous output for projects without git (`bek-new NAME --no-git`): the same
//! common ancestor the git ref `refs/bek/pristine` keeps for the others, stored in one file,
//! `.bek/pristine.toml`, as a table of path → contents.
//!
//! One file rather than a copy of the tree, so that no tool (cargo, an editor's search, a
//! linter) mistakes bek-new's copy for the project's code. It is written when the project is
//! created and replaced by every `bek-new add`; a team that adopts git later commits it with
//! the rest and keeps merging against it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::merge::Files;

/// Where the file lives, relative to the project root.
pub const FILE: &str = ".bek/pristine.toml";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    /// What the file is, for a person who opens it.
    about: String,
    files: BTreeMap<String, String>,
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

/// The previous output stored under `root`, or `None` when the project has no such file.
pub fn read(root: &Path) -> anyhow::Result<Option<Files>> {
    let file = path(root);
    if !file.is_file() {
        return Ok(None);
    }
    let text =
        fs::read_to_string(&file).with_context(|| format!("cannot read `{}`", file.display()))?;
    let stored: Stored = toml::from_str(&text).with_context(|| {
        format!(
            "`{}` is not bek-new's previous output any more (it was edited); restore it from a backup",
            file.display()
        )
    })?;
    Ok(Some(
        stored
            .files
            .into_iter()
            .map(|(path, contents)| (path, contents.into_bytes()))
            .collect(),
    ))
}

/// Replaces the stored previous output with `files` in one rename (never half-written).
pub fn write(root: &Path, files: &Files) -> anyhow::Result<()> {
    let stored = Stored {
        about:
            "bek-new's own output, the base `bek-new add` merges your edits against; do not edit"
                .to_string(),
        files: files
            .iter()
            .map(|(path, contents)| {
                String::from_utf8(contents.clone())
                    .map(|text| (path.clone(), text))
                    .with_context(|| format!("`{path}` is not text"))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let text = toml::to_string(&stored).context("cannot encode the previous output")?;
    let file = path(root);
    let dir = file.parent().unwrap_or(root);
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut staged = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in `{}`", dir.display()))?;
    std::io::Write::write_all(&mut staged, text.as_bytes())
        .with_context(|| format!("cannot write `{FILE}`"))?;
    staged
        .persist(&file)
        .with_context(|| format!("cannot write `{FILE}`"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_output_reads_back_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_none());
        let files: Files = [
            (
                "README.md".to_string(),
                b"# svc\n\n\"quoted\" '''\n".to_vec(),
            ),
            ("src/main.rs".to_string(), b"fn main() {}\n".to_vec()),
            ("empty".to_string(), Vec::new()),
        ]
        .into_iter()
        .collect();
        write(dir.path(), &files).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(files));
        fs::write(dir.path().join(FILE), "files = 3").unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("was edited"), "{err}");
    }
}
