//! `bek-new add <entity> --field …` inside a project: the same pipeline as `new`, run against
//! what is already there.
//!
//! inputs (the project's `bek.toml`, the command line) → the grown Spec → its Plan, formatted
//! as `new` writes it (theirs) → a three-way merge with bek-new's previous output (base, kept
//! at `refs/bek/pristine`) and the working tree (ours) → Apply: write, move the pristine ref,
//! commit. Conflicts are written with markers, listed, and nothing is committed (exit 3).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::AddArgs;
use crate::merge::{self, Change};
use crate::spec::Spec;
use crate::spec::entity::{self, Entity, EntitySpec, FieldSpec};
use crate::{Failure, apply, git, manifest, plan, questionnaire, report, template};

/// Runs `bek-new add` from the current directory.
pub fn run(args: AddArgs) -> Result<(), Failure> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_project(&cwd).ok_or_else(|| {
        Failure::Invalid(format!(
            "no {} in `{}` or any folder above it; run `bek-new add` inside a project bek-new created (or create one with `bek-new <NAME>`)",
            manifest::FILE_NAME,
            cwd.display()
        ))
    })?;
    let manifest_path = root.join(manifest::FILE_NAME);
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read `{}`", manifest_path.display()))?;
    let (spec, _version) = manifest::parse(&text).map_err(|err| {
        Failure::Invalid(format!(
            "{err}\nfix `{}` (git shows what changed in it), then run the command again",
            manifest_path.display()
        ))
    })?;

    let repo = git::open(&root).ok_or_else(|| {
        Failure::Invalid(format!(
            "`{}` is not a git repository. `bek-new add` merges with bek-new's previous output, which it keeps in git; nothing was changed",
            root.display()
        ))
    })?;
    let base = git::pristine_files(&repo).map_err(|_| {
        Failure::Invalid(format!(
            "this repository has no `{}` (bek-new's previous output), so your edits could not be told apart from it; nothing was changed. Projects made by bek-new with git carry it; it is lost with clones that fetch only branches (`git fetch origin '{}:{}'` restores it)",
            git::PRISTINE_REF,
            git::PRISTINE_REF,
            git::PRISTINE_REF
        ))
    })?;
    if !args.force && !args.dry_run {
        let dirty = git::dirty_paths(&repo).context("cannot read the git status")?;
        if !dirty.is_empty() {
            return Err(Failure::Invalid(format!(
                "the working tree has uncommitted changes ({}); nothing was changed. Commit or stash them first, so this change stays one commit you can review and undo, or pass --force",
                summarize(&dirty)
            )));
        }
    }

    let fields = field_args(&args)?;
    let support = template::support()?;
    let grown = grow(&spec, &args, &fields, &support).map_err(Failure::Invalid)?;
    let theirs_plan = plan::render(&grown)?;
    let theirs = apply::formatted(&theirs_plan)?;
    let outcome = merge::merge(&base, |path| fs::read(root.join(path)).ok(), &theirs)
        .context("cannot merge")?;

    let name = &args.name;
    if args.dry_run {
        print!("{}", report::add_dry_run(name, &outcome));
        return Ok(());
    }
    if !args.yes && questionnaire::can_prompt() {
        eprint!("{}", report::add_dry_run(name, &outcome));
        if !questionnaire::confirm("Apply these changes?")? {
            println!("Nothing was written.");
            return Ok(());
        }
    }
    // The new base is stored first (nothing visible changes if that fails), the files are
    // written, and only then does the base move.
    let pristine: BTreeMap<String, (Vec<u8>, bool)> = theirs
        .into_iter()
        .map(|(path, contents)| {
            let executable = theirs_plan.files.get(&path).is_some_and(|f| f.executable);
            (path, (contents, executable))
        })
        .collect();
    let message = format!("bek-new: add {name} (bek-new's output)");
    let pristine = git::pristine_commit(&repo, &pristine, &message)
        .context("cannot record bek-new's output in git")?;
    apply::write_outcome(&root, &outcome, &theirs_plan)?;
    git::move_pristine(&repo, pristine, &message).context("cannot move the pristine ref")?;
    if merge::has_conflicts(&outcome) {
        print!("{}", report::add_conflicts(name, &outcome));
        return Err(Failure::Conflicts);
    }
    let touched: Vec<String> = outcome
        .iter()
        .filter(|(_, change)| !matches!(change, Change::KeptDeleted | Change::KeptEdited))
        .map(|(path, _)| path.clone())
        .collect();
    let commit = if touched.is_empty() {
        None
    } else {
        Some(
            git::commit_paths(&repo, &touched, &format!("bek-new: add {name}"))
                .context("cannot commit")?,
        )
    };
    print!(
        "{}",
        report::added(name, &outcome, commit.map(|c| c.to_string()))
    );
    Ok(())
}

/// The nearest folder, from `start` upwards, that holds a `bek.toml`.
fn find_project(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(manifest::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// The `--field` arguments, or fields asked for on a terminal.
fn field_args(args: &AddArgs) -> Result<Vec<String>, Failure> {
    if !args.fields.is_empty() {
        return Ok(args.fields.clone());
    }
    if !questionnaire::can_prompt() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{}`, and stdin is not a terminal to ask for them; pass them as `--field name:type[:modifier…]`, e.g. `--field amount:money:min=0`",
            args.name
        )));
    }
    let fields = questionnaire::ask_fields(&args.name)?;
    if fields.is_empty() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{}`; nothing was changed",
            args.name
        )));
    }
    Ok(fields)
}

/// The project's Spec grown by the command: a new entity, or new fields on an existing one.
/// The new table or columns get a migration version after every migration the project has
/// already, so databases that ran those accept it, and no migration that ran is edited.
fn grow(
    spec: &Spec,
    args: &AddArgs,
    fields: &[String],
    support: &crate::spec::Support,
) -> Result<Spec, String> {
    let version = next_migration(spec, &crate::today());
    let mut fields = fields
        .iter()
        .map(|arg| entity::parse_field_arg(arg))
        .collect::<Result<Vec<_>, _>>()?;
    let mut entities = spec.entities.clone();
    match entities.iter().position(|e| e.name == args.name) {
        Some(index) => {
            let existing = &entities[index];
            if args.plural.as_ref().is_some_and(|p| *p != existing.plural) {
                return Err(format!(
                    "entity `{}` exists already with plural `{}`; its table and routes cannot be renamed by `add`. Leave out --plural",
                    existing.name, existing.plural
                ));
            }
            for field in &mut fields {
                check_addable(field, existing, spec)?;
                field.migration = Some(version.clone());
            }
            let mut grown = EntitySpec::from(existing.clone());
            grown.fields.extend(fields);
            entities[index] = Entity::try_from(grown)?;
        }
        None => entities.push(Entity::try_from(EntitySpec {
            name: args.name.clone(),
            plural: args.plural.clone(),
            fields,
            migration: Some(version),
        })?),
    }
    spec.with_entities(entities, support)
}

/// A column added to a table that may hold rows already must not break them.
fn check_addable(field: &FieldSpec, entity: &Entity, spec: &Spec) -> Result<(), String> {
    let at = format!("field `{}.{}`", entity.name, field.name);
    if !field.optional && field.default.is_none() {
        return Err(format!(
            "{at} is required and has no default, so the rows `{}` already holds would have no value; make it optional (`?` after its type) or give it a default (`:default=…`). Nothing was changed",
            entity.plural
        ));
    }
    if field.target.is_some() && spec.decisions.database == crate::spec::Database::Sqlite {
        return Err(format!(
            "{at}: SQLite cannot drop a reference column again, so its down migration could not be written; declare references when the entity is created (or use PostgreSQL). Nothing was changed"
        ));
    }
    Ok(())
}

/// A version after every migration the Spec renders: today's first free slot, or right after
/// the latest one when that is later (several adds on one day).
fn next_migration(spec: &Spec, today: &str) -> String {
    let latest = spec
        .entities
        .iter()
        .enumerate()
        .flat_map(|(index, e)| {
            let table = spec.table_migration(index).parse::<u64>().unwrap_or(0);
            let columns = e
                .fields
                .iter()
                .filter_map(|f| f.migration.as_ref()?.parse::<u64>().ok());
            std::iter::once(table).chain(columns)
        })
        .max()
        .unwrap_or(0);
    let first_today: u64 = format!("{}000100", today.replace('-', ""))
        .parse()
        .unwrap_or(0);
    first_today.max(latest + 1).to_string()
}

/// The first few paths of a list, for a one-line message.
fn summarize(paths: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        text.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(entities: &str) -> Spec {
        let text = format!(
            "[generator]\nname = \"bek-new\"\nversion = \"0\"\n\n[project]\nname = \"svc\"\ncreated = \"2026-01-05\"\n\n[requirements]\n\n[decisions]\nstack = \"rust-axum\"\ntopology = \"monolith\"\narchitecture = \"layered\"\ndatabase = \"sqlite\"\nauth = \"jwt\"\nerrors = \"problem\"\n{entities}"
        );
        manifest::parse(&text).expect("manifest").0
    }

    #[test]
    fn added_tables_migrate_after_every_earlier_one() {
        let created = spec(
            "[[entities]]\nname = \"customer\"\nfields = [{ name = \"title\", type = \"string\" }]\n",
        );
        assert_eq!(next_migration(&created, "2026-03-01"), "20260301000100");
        // Later than today's first slot (an add earlier today): keep counting.
        let added = spec(
            "[[entities]]\nname = \"customer\"\nmigration = \"20260301000100\"\nfields = [{ name = \"title\", type = \"string\" }]\n",
        );
        assert_eq!(next_migration(&added, "2026-03-01"), "20260301000101");
        // Created today: after the creation sequence.
        let fresh = spec(
            "[[entities]]\nname = \"customer\"\nfields = [{ name = \"title\", type = \"string\" }]\n",
        );
        assert_eq!(next_migration(&fresh, "2026-01-05"), "20260105000101");
    }
}
