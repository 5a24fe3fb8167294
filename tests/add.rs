//! `bek-new add` inside a project: what it creates, what it merges, and that a user's edit is
//! never lost. Every test creates a real project with the binary and inspects it with git.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use bek_new::git::{self as bek_git, PRISTINE_REF};
use bek_new::previous::Previous;
use git2::Repository;
use predicates::prelude::*;
use tempfile::TempDir;

/// 2026-01-01T00:00:00Z.
const EPOCH: &str = "1767225600";

const INVOICE: &[&str] = &[
    "add",
    "invoice",
    "--field",
    "number:string:unique:max=32",
    "--field",
    "amount:money:min=0",
    "--field",
    "status:enum(draft|sent|paid):default=draft",
];

fn bek(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("bek-new").expect("the bek-new binary is built");
    cmd.current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com");
    cmd
}

/// A fresh layered SQLite project `svc` in a temporary directory.
fn project() -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("temp dir");
    bek(dir.path()).args(["svc", "--yes"]).assert().success();
    let root = dir.path().join("svc");
    (dir, root)
}

/// The same project created with `--no-git`.
fn project_without_git() -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("temp dir");
    bek(dir.path())
        .args(["svc", "--yes", "--no-git"])
        .assert()
        .success();
    let root = dir.path().join("svc");
    (dir, root)
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn write(root: &Path, path: &str, text: &str) {
    fs::write(root.join(path), text).unwrap_or_else(|err| panic!("{path}: {err}"));
}

/// Commits every change as the user would.
fn commit_all(root: &Path, message: &str) {
    let repo = Repository::open(root).expect("repo");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("index write");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let parent = repo.head().expect("head").peel_to_commit().expect("commit");
    let me = git2::Signature::now("User", "user@example.com").expect("signature");
    repo.commit(Some("HEAD"), &me, &me, message, &tree, &[&parent])
        .expect("commit");
}

fn head(root: &Path) -> (String, String) {
    let repo = Repository::open(root).expect("repo");
    let commit = repo.head().expect("head").peel_to_commit().expect("commit");
    (
        commit.id().to_string(),
        String::from_utf8_lossy(commit.message_bytes())
            .trim()
            .to_string(),
    )
}

fn pristine(root: &Path) -> String {
    let repo = Repository::open(root).expect("repo");
    repo.refname_to_id(PRISTINE_REF)
        .expect("pristine ref")
        .to_string()
}

#[test]
fn add_creates_the_module_keeps_every_edit_and_commits_once() {
    let (_dir, root) = project();
    let readme = format!("{}\nOur team's notes.\n", read(&root, "README.md"));
    write(&root, "README.md", &readme);
    let env = read(&root, ".env.example").replace("PORT=8080", "PORT=9090");
    write(&root, ".env.example", &env);
    let service = format!(
        "// Reviewed by the payments team.\n{}",
        read(&root, "src/services/users.rs")
    );
    write(&root, "src/services/users.rs", &service);
    commit_all(&root, "our edits");
    let before = pristine(&root);

    bek(&root).args(INVOICE).assert().success().stdout(
        predicate::str::contains("new          src/services/invoices.rs")
            .and(predicate::str::contains("merged       README.md")),
    );

    assert_eq!(
        read(&root, "README.md")
            .matches("Our team's notes.")
            .count(),
        1
    );
    assert!(
        read(&root, "README.md").contains("/v1/invoices"),
        "the README documents the new endpoints"
    );
    assert_eq!(read(&root, ".env.example"), env);
    assert_eq!(read(&root, "src/services/users.rs"), service);
    for path in [
        "migrations/20260101000100_create_invoices.up.sql",
        "migrations/20260101000100_create_invoices.down.sql",
        "src/models/invoice.rs",
        "src/repositories/invoices.rs",
        "src/services/invoices.rs",
        "src/handlers/invoices.rs",
        "tests/invoices.rs",
    ] {
        assert!(root.join(path).is_file(), "{path} was not created");
    }
    assert!(read(&root, "src/http/mod.rs").contains("invoices::list"));
    assert!(read(&root, "bek.toml").contains("name = \"invoice\""));
    let (_, summary) = head(&root);
    assert_eq!(summary, "bek-new: add invoice");
    let repo = Repository::open(&root).expect("repo");
    assert!(
        bek_git::dirty_paths(&repo).expect("status").is_empty(),
        "everything is committed"
    );
    assert_ne!(pristine(&root), before, "the pristine output moved forward");
}

#[test]
fn a_second_add_can_refer_to_the_first_and_earlier_migrations_stay_byte_identical() {
    let (_dir, root) = project();
    bek(&root).args(INVOICE).assert().success();
    let first = read(&root, "migrations/20260101000100_create_invoices.up.sql");
    bek(&root)
        .args([
            "add",
            "payment",
            "--field",
            "invoice:ref(invoice):on_delete=cascade",
            "--field",
            "amount:money",
        ])
        .assert()
        .success();
    assert_eq!(
        read(&root, "migrations/20260101000100_create_invoices.up.sql"),
        first
    );
    let payments = read(&root, "migrations/20260101000101_create_payments.up.sql");
    assert!(
        payments.contains("REFERENCES invoices (id) ON DELETE CASCADE"),
        "{payments}"
    );
}

#[test]
fn added_fields_get_their_own_migration_and_earlier_ones_stay_byte_identical() {
    let (_dir, root) = project();
    bek(&root).args(INVOICE).assert().success();
    let created = read(&root, "migrations/20260101000100_create_invoices.up.sql");
    bek(&root)
        .args([
            "add",
            "invoice",
            "--field",
            "due_on:date?",
            "--field",
            "note:string:default=none",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "new          migrations/20260101000101_add_fields_to_invoices.up.sql",
        ));
    assert_eq!(
        read(&root, "migrations/20260101000100_create_invoices.up.sql"),
        created
    );
    let up = read(
        &root,
        "migrations/20260101000101_add_fields_to_invoices.up.sql",
    );
    assert!(
        up.contains("ALTER TABLE invoices ADD COLUMN due_on TEXT"),
        "{up}"
    );
    assert!(
        up.contains("ADD COLUMN note TEXT NOT NULL DEFAULT 'none'"),
        "{up}"
    );
    let down = read(
        &root,
        "migrations/20260101000101_add_fields_to_invoices.down.sql",
    );
    assert!(
        down.contains("DROP COLUMN due_on") && down.contains("DROP COLUMN note"),
        "{down}"
    );
    assert!(read(&root, "src/models/invoice.rs").contains("pub due_on: Option<Date>"));
    let manifest = read(&root, "bek.toml");
    assert!(
        manifest.contains("migration = \"20260101000101\""),
        "{manifest}"
    );
}

#[test]
fn a_required_field_without_default_on_an_existing_table_is_refused() {
    let (_dir, root) = project();
    bek(&root).args(INVOICE).assert().success();
    let (before, _) = head(&root);
    bek(&root)
        .args(["add", "invoice", "--field", "paid:bool"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invoice.paid").and(predicate::str::contains("default")));
    bek(&root)
        .args(["add", "invoice", "--field", "number:string?"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`number` twice"));
    assert_eq!(head(&root).0, before);
    let repo = Repository::open(&root).expect("repo");
    assert!(bek_git::dirty_paths(&repo).expect("status").is_empty());
}

#[test]
fn overlapping_edits_conflict_with_markers_and_nothing_is_committed() {
    let (_dir, root) = project();
    // The user changed the very line of the module list after which the add inserts.
    let services = read(&root, "src/services/mod.rs").replace(
        "pub mod auth;",
        "pub mod auth; // sign-in\npub mod reports;",
    );
    write(&root, "src/services/mod.rs", &services);
    commit_all(&root, "our services");
    let (before, _) = head(&root);

    bek(&root).args(INVOICE).assert().code(3).stdout(
        predicate::str::contains("CONFLICT     src/services/mod.rs")
            .and(predicate::str::contains("Nothing was committed")),
    );
    let text = read(&root, "src/services/mod.rs");
    assert!(text.contains("<<<<<<< your edits"), "{text}");
    assert!(text.contains(">>>>>>> bek-new"), "{text}");
    assert!(
        text.contains("pub mod reports;"),
        "the user's line is kept: {text}"
    );
    assert_eq!(head(&root).0, before, "nothing was committed");
    assert!(
        root.join("src/services/invoices.rs").is_file(),
        "the rest was written"
    );
}

#[test]
fn a_dirty_tree_is_refused_unless_forced() {
    let (_dir, root) = project();
    write(&root, "notes.txt", "work in progress\n");
    let (before, _) = head(&root);
    bek(&root).args(INVOICE).assert().code(2).stderr(
        predicate::str::contains("uncommitted changes").and(predicate::str::contains("notes.txt")),
    );
    assert!(!root.join("src/services/invoices.rs").exists());
    assert_eq!(head(&root).0, before);

    bek(&root).args(INVOICE).arg("--force").assert().success();
    assert!(root.join("src/services/invoices.rs").is_file());
    assert_eq!(read(&root, "notes.txt"), "work in progress\n");
    let repo = Repository::open(&root).expect("repo");
    assert_eq!(
        bek_git::dirty_paths(&repo).expect("status"),
        vec!["notes.txt".to_string()],
        "the user's file is not committed"
    );
}

#[test]
fn bad_input_is_refused_with_the_token_and_nothing_changes() {
    let (_dir, root) = project();
    let bek_toml = read(&root, "bek.toml");
    for (args, token) in [
        (vec!["add", "invoice", "--field", "amount:float"], "float"),
        (
            vec!["add", "invoice", "--field", "customer:ref(customer)"],
            "customer",
        ),
        (vec!["add", "select", "--field", "a:string"], "select"),
        (vec!["add", "invoice"], "--field"),
    ] {
        bek(&root).args(&args).assert().code(2).stderr(
            predicate::str::contains(token).and(predicate::str::contains("panicked").not()),
        );
    }
    assert_eq!(read(&root, "bek.toml"), bek_toml);
    let repo = Repository::open(&root).expect("repo");
    assert!(bek_git::dirty_paths(&repo).expect("status").is_empty());
}

#[test]
fn dry_run_lists_each_file_and_writes_nothing() {
    let (_dir, root) = project();
    let (before, _) = head(&root);
    bek(&root)
        .args(INVOICE)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("new          src/models/invoice.rs")
                .and(predicate::str::contains("updated      bek.toml")),
        );
    assert!(!root.join("src/models/invoice.rs").exists());
    assert_eq!(head(&root).0, before);
}

#[test]
fn after_a_generator_upgrade_the_merge_uses_the_true_previous_output() {
    let (_dir, root) = project();
    // Simulate a project made by an older bek-new whose templates wrote two files
    // differently: the pristine ref and the working tree hold that older text.
    let repo = Repository::open(&root).expect("repo");
    let previous = Previous::from_git(&repo, PRISTINE_REF).expect("pristine");
    let mut old = previous.files().expect("pristine files");
    let older = |text: &str| text.replacen("//!", "//! (older template)\n//!", 1);
    for path in ["src/services/mod.rs", "src/repositories/mod.rs"] {
        let text = older(&read(&root, path));
        old.insert(path.to_string(), text.clone().into_bytes());
        write(&root, path, &text);
    }
    // The user edited one of them on top of the older output.
    let edited = read(&root, "src/repositories/mod.rs")
        .replace("pub mod users;", "pub mod users;\npub mod audit_views;");
    write(&root, "src/repositories/mod.rs", &edited);
    let files = old
        .into_iter()
        .map(|(path, bytes)| (path, (bytes, false)))
        .collect();
    let commit =
        bek_git::pristine_commit(&repo, &previous, &files, "older bek-new").expect("commit");
    bek_git::move_pristine(&repo, commit, "older bek-new").expect("move");
    commit_all(&root, "project from an older bek-new");

    bek(&root).args(INVOICE).assert().success();
    // Untouched by the user: exactly the new output (the older line is gone, not kept as an edit).
    let services = read(&root, "src/services/mod.rs");
    assert!(!services.contains("older template"), "{services}");
    assert!(services.contains("pub mod invoices;"), "{services}");
    // Edited by the user: their line stays, the generator's change arrives.
    let repositories = read(&root, "src/repositories/mod.rs");
    assert!(
        repositories.contains("pub mod audit_views;"),
        "{repositories}"
    );
    assert!(repositories.contains("pub mod invoices;"), "{repositories}");
    assert!(!repositories.contains("<<<<<<<"), "{repositories}");
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn fifty_random_edits_in_files_the_add_does_not_touch_all_survive() {
    let (_dir, root) = project();
    // What the add changes, from its own dry run.
    let dry = bek(&root)
        .args(INVOICE)
        .arg("--dry-run")
        .output()
        .expect("dry run");
    let touched = String::from_utf8_lossy(&dry.stdout).into_owned();
    let repo = Repository::open(&root).expect("repo");
    let candidates: Vec<String> = Previous::from_git(&repo, PRISTINE_REF)
        .expect("pristine")
        .paths()
        .filter(|path| !touched.contains(&format!(" {path}\n")))
        .filter(|path| !path.ends_with(".json"))
        .cloned()
        .collect();
    assert!(candidates.len() > 20, "{candidates:?}");
    let mut random = Lcg(0x5eed);
    let mut markers = Vec::new();
    for n in 0..50 {
        let path = &candidates[random.below(candidates.len())];
        let text = read(&root, path);
        let mut lines: Vec<&str> = text.lines().collect();
        let at = random.below(lines.len() + 1);
        let marker = format!("user edit {n} in {path}");
        lines.insert(at, &marker);
        write(&root, path, &(lines.join("\n") + "\n"));
        markers.push((path.clone(), marker));
    }
    commit_all(&root, "fifty edits");

    bek(&root).args(INVOICE).assert().success();
    for (path, marker) in markers {
        assert!(read(&root, &path).contains(&marker), "lost `{marker}`");
    }
}

#[test]
fn a_capability_name_is_not_taken_for_an_entity() {
    let (_dir, root) = project();
    let before = head(&root);
    bek(&root)
        .args(["add", "transfers", "--field", "amount:money", "--yes"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("catalog capability"))
        .stderr(predicates::str::contains("takes no --field"));
    assert_eq!(head(&root), before, "nothing was committed");
    assert!(!root.join("src/services/transfers.rs").exists());
}

#[test]
fn a_capability_is_added_with_what_it_needs_its_adr_and_migrations_after_the_others() {
    let (_dir, root) = project();
    bek(&root).args(INVOICE).assert().success();
    let readme = format!("{}\nOur team's notes.\n", read(&root, "README.md"));
    write(&root, "README.md", &readme);
    let service = format!(
        "// Reviewed by the payments team.\n{}",
        read(&root, "src/services/invoices.rs")
    );
    write(&root, "src/services/invoices.rs", &service);
    commit_all(&root, "our edits");
    let invoice_up = read(&root, "migrations/20260101000100_create_invoices.up.sql");

    bek(&root)
        .args(["add", "webhooks", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("new          docs/adr/"));

    let manifest = read(&root, "bek.toml");
    assert!(
        manifest.contains(r#"capabilities = ["audit", "ledger", "webhooks"]"#),
        "{manifest}"
    );
    // Each added capability has its migration recorded, after the invoice table's.
    for (name, version) in [
        ("audit", "20260101000101"),
        ("ledger", "20260101000102"),
        ("webhooks", "20260101000103"),
    ] {
        assert!(
            manifest.contains(&format!("{name} = \"{version}\"")),
            "{manifest}"
        );
        assert!(
            root.join(format!("migrations/{version}_{name}.up.sql"))
                .is_file(),
            "{name}'s migration"
        );
    }
    assert_eq!(
        read(&root, "migrations/20260101000100_create_invoices.up.sql"),
        invoice_up
    );
    let adrs: Vec<String> = fs::read_dir(root.join("docs/adr"))
        .expect("adr folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    for slug in [
        "hash-chained-audit-log",
        "double-entry-ledger",
        "outbox-and-signed-webhooks",
    ] {
        assert!(
            adrs.iter()
                .any(|name| name.ends_with(&format!("-{slug}.md"))),
            "{slug} in {adrs:?}"
        );
    }
    assert!(read(&root, "src/http/mod.rs").contains("webhooks::create"));
    assert!(root.join("src/services/webhook_worker.rs").is_file());
    assert_eq!(read(&root, "src/services/invoices.rs"), service);
    assert_eq!(
        read(&root, "README.md")
            .matches("Our team's notes.")
            .count(),
        1
    );
    let (_, summary) = head(&root);
    assert_eq!(summary, "bek-new: add webhooks");
    let repo = Repository::open(&root).expect("repo");
    assert!(bek_git::dirty_paths(&repo).expect("status").is_empty());

    // Asking again changes nothing and says why.
    let before = head(&root);
    bek(&root)
        .args(["add", "ledger", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has `ledger` already"));
    assert_eq!(head(&root), before);
}

#[test]
fn the_catalog_lists_every_capability_and_marks_what_the_project_has() {
    let (_dir, root) = project();
    bek(&root)
        .args(["add", "audit", "--yes"])
        .assert()
        .success();
    let listed = bek(&root).args(["add", "--list"]).assert().success();
    let text = String::from_utf8(listed.get_output().stdout.clone()).expect("utf-8");
    for id in ["audit", "ledger", "fraud", "transfers", "webhooks"] {
        assert!(
            text.lines().any(|line| line.trim_start().starts_with(id)),
            "{id} in {text}"
        );
    }
    let audit = text
        .lines()
        .find(|l| l.trim_start().starts_with("audit"))
        .expect("audit line");
    assert!(audit.contains("in this project"), "{audit}");
    let transfers = text
        .lines()
        .find(|l| l.trim_start().starts_with("transfers"))
        .expect("transfers line");
    assert!(
        transfers.contains("needs ledger, fraud") && !transfers.contains("in this project"),
        "{transfers}"
    );
}

#[test]
fn a_project_without_git_keeps_its_base_in_a_file_and_merges_the_same_way() {
    let (_dir, root) = project_without_git();
    assert!(!root.join(".git").exists());
    let base = read(&root, ".bek/pristine.toml");
    assert!(base.contains("src/main.rs"), "the base holds the output");
    let readme = format!("{}\nOur team's notes.\n", read(&root, "README.md"));
    write(&root, "README.md", &readme);

    bek(&root)
        .args(INVOICE)
        .assert()
        .success()
        .stdout(predicate::str::contains("Not committed"));
    assert!(root.join("src/services/invoices.rs").is_file());
    assert!(read(&root, "README.md").contains("Our team's notes."));
    assert!(read(&root, "README.md").contains("/v1/invoices"));
    assert!(
        read(&root, ".bek/pristine.toml").contains("src/services/invoices.rs"),
        "the base moved forward"
    );

    // A second add merges against the new base: the edit survives again, and a rewrite of
    // a file the add changes conflicts, with markers, exit 3.
    let lib = "// Our own library root.\n".to_string();
    write(&root, "src/handlers/mod.rs", &lib);
    bek(&root)
        .args(["add", "payment", "--field", "amount:money", "--yes"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("src/handlers/mod.rs"));
    let merged = read(&root, "src/handlers/mod.rs");
    assert!(
        merged.contains("<<<<<<< your edits") && merged.contains(">>>>>>> bek-new"),
        "{merged}"
    );
    assert!(read(&root, "README.md").contains("Our team's notes."));
}

#[test]
fn a_folder_with_neither_git_nor_a_stored_base_is_refused() {
    let (_dir, root) = project_without_git();
    fs::remove_dir_all(root.join(".bek")).expect("remove");
    bek(&root)
        .args(INVOICE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".bek/pristine.toml"));
    assert!(!root.join("src/services/invoices.rs").exists());
}
