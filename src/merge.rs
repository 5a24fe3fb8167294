//! The three-way merge of a re-run: what bek-new rendered last time (base, the pristine
//! output), what the project holds now (ours, with the user's edits) and what bek-new renders
//! now (theirs). Pure: it decides every file's fate and computes its new content; `apply`
//! writes the result.
//!
//! The rules, per path:
//! - bek-new's output did not change → the user's file stays exactly as it is;
//! - the user never touched the file → it takes bek-new's new version;
//! - new in bek-new's output → created (merged with a file the user put there first);
//! - changed on both sides → a line-based merge; overlapping changes get conflict markers
//!   labelled "your edits" and "bek-new", and the file is reported as conflicting;
//! - deleted by the user but changed by bek-new → stays deleted, and is reported.

use std::collections::{BTreeMap, BTreeSet};

/// Files by path relative to the project root.
pub type Files = BTreeMap<String, Vec<u8>>;

pub const OURS_LABEL: &str = "your edits";
pub const THEIRS_LABEL: &str = "bek-new";

/// What happens to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// New in bek-new's output; written.
    Created(Vec<u8>),
    /// The user had not touched it; bek-new's new version is written.
    Updated(Vec<u8>),
    /// Both sides changed it, in different places; the merged text is written.
    Merged(Vec<u8>),
    /// Both sides changed the same lines; written with conflict markers.
    Conflicting(Vec<u8>),
    /// The user deleted it and bek-new changed it; it stays deleted.
    KeptDeleted,
    /// bek-new no longer renders it and the user had not touched it; removed.
    Removed,
    /// bek-new no longer renders it, but the user edited it; kept as it is.
    KeptEdited,
}

impl Change {
    /// The content to write, if the file is written.
    pub fn contents(&self) -> Option<&[u8]> {
        match self {
            Change::Created(c)
            | Change::Updated(c)
            | Change::Merged(c)
            | Change::Conflicting(c) => Some(c),
            Change::KeptDeleted | Change::Removed | Change::KeptEdited => None,
        }
    }

    /// A short word for reports.
    pub fn label(&self) -> &'static str {
        match self {
            Change::Created(_) => "new",
            Change::Updated(_) => "updated",
            Change::Merged(_) => "merged",
            Change::Conflicting(_) => "CONFLICT",
            Change::KeptDeleted => "kept deleted",
            Change::Removed => "removed",
            Change::KeptEdited => "kept (edited; bek-new no longer renders it)",
        }
    }
}

/// Every file whose fate is not "leave it alone", in path order.
pub type Outcome = BTreeMap<String, Change>;

/// Decides each file. `ours` reads the project's current version of a path (`None` when the
/// file does not exist).
pub fn merge(
    base: &Files,
    ours: impl Fn(&str) -> Option<Vec<u8>>,
    theirs: &Files,
) -> Result<Outcome, git2::Error> {
    let paths: BTreeSet<&String> = base.keys().chain(theirs.keys()).collect();
    let mut outcome = Outcome::new();
    for path in paths {
        let change = match (base.get(path.as_str()), theirs.get(path.as_str())) {
            (Some(base), Some(theirs)) if base == theirs => None,
            (base, Some(theirs)) => match ours(path) {
                None if base.is_some() => Some(Change::KeptDeleted),
                None => Some(Change::Created(theirs.clone())),
                Some(ours) if &ours == theirs => None,
                Some(ours) if base.is_some_and(|base| *base == ours) => {
                    Some(Change::Updated(theirs.clone()))
                }
                Some(ours) => Some(merge_text(
                    path,
                    base.map(Vec::as_slice).unwrap_or_default(),
                    &ours,
                    theirs,
                )?),
            },
            (Some(base), None) => match ours(path) {
                None => None,
                Some(ours) if &ours == base => Some(Change::Removed),
                Some(_) => Some(Change::KeptEdited),
            },
            (None, None) => None,
        };
        if let Some(change) = change {
            outcome.insert(path.clone(), change);
        }
    }
    Ok(outcome)
}

/// A line-based three-way merge of one file.
fn merge_text(path: &str, base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Change, git2::Error> {
    let mut ancestor = git2::MergeFileInput::new();
    ancestor.content(base).path(path);
    let mut mine = git2::MergeFileInput::new();
    mine.content(ours).path(path);
    let mut generated = git2::MergeFileInput::new();
    generated.content(theirs).path(path);
    let mut options = git2::MergeFileOptions::new();
    options
        .ancestor_label("previous bek-new output")
        .our_label(OURS_LABEL)
        .their_label(THEIRS_LABEL);
    let result = git2::merge_file(&ancestor, &mine, &generated, Some(&mut options))?;
    let merged = result.content().to_vec();
    Ok(if result.is_automergeable() {
        Change::Merged(merged)
    } else {
        Change::Conflicting(merged)
    })
}

/// Whether any file conflicts.
pub fn has_conflicts(outcome: &Outcome) -> bool {
    outcome
        .values()
        .any(|change| matches!(change, Change::Conflicting(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    fn run(base: &[(&str, &str)], ours: &[(&str, &str)], theirs: &[(&str, &str)]) -> Outcome {
        // A repository handle first: libgit2 initialises itself on the first one.
        let _ = git2::Repository::discover(".");
        let ours = files(ours);
        merge(&files(base), |path| ours.get(path).cloned(), &files(theirs)).expect("merge")
    }

    #[test]
    fn untouched_files_follow_bek_new_and_edited_ones_keep_the_edit() {
        let outcome = run(
            &[("a", "1\n2\n3\n"), ("b", "x\n"), ("c", "same\n")],
            &[("a", "1\n2\n3\n"), ("b", "x edited\n"), ("c", "mine\n")],
            &[
                ("a", "1\n2\n3\n4\n"),
                ("b", "x\n"),
                ("c", "same\n"),
                ("d", "new\n"),
            ],
        );
        assert_eq!(
            outcome.get("a"),
            Some(&Change::Updated(b"1\n2\n3\n4\n".to_vec()))
        );
        assert_eq!(outcome.get("b"), None, "bek-new did not change b");
        assert_eq!(outcome.get("c"), None, "bek-new did not change c");
        assert_eq!(outcome.get("d"), Some(&Change::Created(b"new\n".to_vec())));
    }

    #[test]
    fn separate_edits_merge_and_overlapping_ones_conflict_with_labels() {
        let base = "top\nmiddle\nbottom\n";
        let outcome = run(
            &[("clean", base), ("clash", base)],
            &[
                ("clean", "top edited\nmiddle\nbottom\n"),
                ("clash", "top\nmine\nbottom\n"),
            ],
            &[
                ("clean", "top\nmiddle\nbottom\nmore\n"),
                ("clash", "top\ntheirs\nbottom\n"),
            ],
        );
        assert_eq!(
            outcome.get("clean"),
            Some(&Change::Merged(
                b"top edited\nmiddle\nbottom\nmore\n".to_vec()
            ))
        );
        let Some(Change::Conflicting(text)) = outcome.get("clash") else {
            panic!("expected a conflict: {outcome:?}");
        };
        let text = String::from_utf8_lossy(text);
        assert!(text.contains("<<<<<<< your edits"), "{text}");
        assert!(text.contains(">>>>>>> bek-new"), "{text}");
        assert!(text.contains("mine") && text.contains("theirs"), "{text}");
        assert!(has_conflicts(&outcome));
    }

    #[test]
    fn deleted_files_stay_deleted_and_dropped_files_go_only_if_untouched() {
        let outcome = run(
            &[("gone", "v1\n"), ("old", "o\n"), ("old-edited", "o\n")],
            &[("old", "o\n"), ("old-edited", "o changed\n")],
            &[("gone", "v2\n")],
        );
        assert_eq!(outcome.get("gone"), Some(&Change::KeptDeleted));
        assert_eq!(outcome.get("old"), Some(&Change::Removed));
        assert_eq!(outcome.get("old-edited"), Some(&Change::KeptEdited));
    }
}
