//! Drives the interactive architecture review through a pseudo-terminal, the way a person
//! would: the prompts are dialoguer widgets on stderr, the keys are raw terminal bytes.
//!
//! dialoguer redraws a widget after every key and wraps text in ANSI colour codes, so each
//! step waits for a short plain substring that appears once per question (the prompt, or the
//! dimmed "recommended" line printed before each decision) before sending keys.

#![cfg(unix)]

use std::fs;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use tempfile::TempDir;

/// The decision questions, in the order the review asks them.
const DECISIONS: [&str; 6] = [
    "Stack",
    "Topology",
    "Internal architecture",
    "Database",
    "Authentication",
    "Error format",
];

const TIMEOUT_MS: u64 = 20_000;

const UP: &str = "\x1b[A";
const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const SPACE: &str = " ";

const HIDE_CURSOR: &str = "\x1b[?25l";
const SHOW_CURSOR: &str = "\x1b[?25h";

/// One `bek-new svc --no-git` run in a fresh directory, with everything it printed so far.
struct Review {
    session: PtySession,
    dir: TempDir,
    transcript: String,
}

impl Review {
    fn start() -> Review {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(env!("CARGO_BIN_EXE_bek-new"));
        command
            .args(["svc", "--no-git"])
            .current_dir(dir.path())
            .env("TERM", "xterm-256color")
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        let session = spawn_command(command, Some(TIMEOUT_MS)).expect("spawn bek-new in a pty");
        Review {
            session,
            dir,
            transcript: String::new(),
        }
    }

    /// Waits for `needle`; returns what was printed before it.
    fn expect(&mut self, needle: &str) -> String {
        match self.session.exp_string(needle) {
            Ok(before) => {
                self.transcript.push_str(&before);
                self.transcript.push_str(needle);
                before
            }
            Err(err) => panic!(
                "waiting for {needle:?}: {err}\n--- transcript so far ---\n{}",
                self.transcript
            ),
        }
    }

    /// Waits for the end of the current line and returns it (without the line break).
    fn rest_of_line(&mut self) -> String {
        self.expect("\n").trim_end_matches('\r').to_string()
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("send keys");
        self.session.flush().expect("flush keys");
    }

    /// Waits for `prompt`, then types `keys`.
    fn answer(&mut self, prompt: &str, keys: &str) {
        self.expect(prompt);
        self.send(keys);
    }

    /// Reads the rest of the output and the exit code.
    fn finish(&mut self) -> i32 {
        match self.session.exp_eof() {
            Ok(rest) => self.transcript.push_str(&rest),
            Err(err) => panic!(
                "waiting for bek-new to exit: {err}\n--- transcript so far ---\n{}",
                self.transcript
            ),
        }
        match self.session.process().wait().expect("wait for bek-new") {
            WaitStatus::Exited(_, code) => code,
            other => panic!(
                "bek-new did not exit normally: {other:?}\n{}",
                self.transcript
            ),
        }
    }

    fn manifest(&self) -> String {
        let path = self.dir.path().join("svc").join("bek.toml");
        fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("reading {}: {err}\n{}", path.display(), self.transcript))
    }

    fn assert_nothing_written(&self) {
        let entries: Vec<_> = fs::read_dir(self.dir.path())
            .expect("read temp dir")
            .map(|entry| entry.expect("dir entry").file_name())
            .collect();
        assert!(
            entries.is_empty(),
            "expected an empty directory, found {entries:?}"
        );
    }
}

/// Requirement questions answered with Enter: each keeps "not sure / skip" (the domain stays
/// empty, no integration is toggled).
fn skip_requirements(review: &mut Review) {
    review.answer("Domain, in one sentence", ENTER);
    for prompt in [
        "Expected load at peak",
        "Consistency needs",
        "Team",
        "Integrations (Space toggles",
        "Most sensitive data stored",
        "Deployment target",
    ] {
        review.answer(prompt, ENTER);
    }
}

/// Waits for the dimmed "<question>: recommended ..." line that precedes each decision and
/// returns the recommendation and its reason.
fn recommendation(review: &mut Review, question: &str) -> String {
    review.expect(&format!("{question}: recommended "));
    review.rest_of_line()
}

fn accept_decision(review: &mut Review, question: &str) -> String {
    let recommended = recommendation(review, question);
    review.send(ENTER);
    recommended
}

fn assert_manifest_has(manifest: &str, line: &str) {
    assert!(
        manifest.lines().any(|l| l == line),
        "bek.toml lacks `{line}`:\n{manifest}"
    );
}

#[test]
fn walks_the_whole_review() {
    let mut review = Review::start();
    review.expect("Architecture review for");

    review.answer("Domain, in one sentence", "invoices for freelancers");
    review.expect("invoices for freelancers");
    review.send(ENTER);
    // "not sure / skip" is highlighted; two steps up is "~10k requests/min".
    review.answer("Expected load at peak", &format!("{UP}{UP}"));
    review.expect("~10k requests/min");
    review.send(ENTER);
    review.answer("Consistency needs", &format!("{UP}{UP}"));
    review.send(ENTER);
    review.answer("Team", ENTER);
    // Toggle the first two integrations: a payment gateway and e-mail delivery.
    review.answer(
        "Integrations (Space toggles",
        &format!("{SPACE}{DOWN}{SPACE}{ENTER}"),
    );
    review.answer("Most sensitive data stored", ENTER);
    review.answer("Deployment target", ENTER);

    review.expect("Decisions (pre-selected");
    accept_decision(&mut review, "Stack");
    accept_decision(&mut review, "Topology");
    let architecture = accept_decision(&mut review, "Internal architecture");
    assert!(
        architecture.contains("hexagonal") && architecture.contains("payment-gateway, email"),
        "architecture recommendation: {architecture}"
    );
    let database = recommendation(&mut review, "Database");
    assert!(
        database.contains("PostgreSQL") && database.contains("strong consistency"),
        "database recommendation: {database}"
    );
    review.expect("[recommended]");
    review.send(ENTER);
    accept_decision(&mut review, "Authentication");
    accept_decision(&mut review, "Error format");

    review.expect("Summary");
    review.expect("Domain: \"invoices for freelancers\"");
    review.answer("Generate svc?", "y");
    review.expect("Created `svc`");
    assert_eq!(review.finish(), 0, "{}", review.transcript);

    let manifest = review.manifest();
    for line in [
        "domain = \"invoices for freelancers\"",
        "load = \"medium\"",
        "consistency = \"strong\"",
        "integrations = [\"payment-gateway\", \"email\"]",
        "topology = \"monolith\"",
        "architecture = \"hexagonal\"",
        "database = \"postgres\"",
    ] {
        assert_manifest_has(&manifest, line);
    }
    assert!(
        !manifest.contains("team ="),
        "team was skipped:\n{manifest}"
    );
}

#[test]
fn unavailable_option_cannot_be_chosen() {
    let mut review = Review::start();
    skip_requirements(&mut review);

    accept_decision(&mut review, "Stack");
    recommendation(&mut review, "Topology");
    review.expect("(not available yet)");
    review.send(&format!("{DOWN}{ENTER}"));
    review.expect("services is not available yet; pick another option");
    // The same question again, with the recommendation highlighted again.
    review.expect("Topology");
    review.expect("modular monolith");
    review.send(ENTER);
    for question in &DECISIONS[2..] {
        accept_decision(&mut review, question);
    }

    review.expect("Summary");
    review.answer("Generate svc?", "y");
    assert_eq!(review.finish(), 0, "{}", review.transcript);
    assert!(
        !review.transcript.contains("error:"),
        "{}",
        review.transcript
    );

    let manifest = review.manifest();
    assert_manifest_has(&manifest, "topology = \"monolith\"");
    assert_manifest_has(&manifest, "architecture = \"layered\"");
    assert_manifest_has(&manifest, "database = \"sqlite\"");
}

#[test]
fn declining_writes_nothing() {
    let mut review = Review::start();
    skip_requirements(&mut review);
    for question in DECISIONS {
        accept_decision(&mut review, question);
    }
    review.expect("Summary");
    review.answer("Generate svc?", "n");
    review.expect("Nothing was written.");
    assert_eq!(review.finish(), 0, "{}", review.transcript);
    review.assert_nothing_written();
}

/// Ctrl-C ends the run with 130, says nothing was written, writes nothing, and leaves the
/// cursor visible if a widget had hidden it.
fn assert_interrupted(mut review: Review) -> Review {
    review.expect("nothing was written");
    let code = review.finish();
    assert_eq!(code, 130, "{}", review.transcript);
    review.assert_nothing_written();
    if let Some(hidden) = review.transcript.rfind(HIDE_CURSOR) {
        assert!(
            review.transcript[hidden..].contains(SHOW_CURSOR),
            "the cursor stays hidden after Ctrl-C: {:?}",
            review.transcript
        );
    }
    review
}

#[test]
fn ctrl_c_writes_nothing() {
    let mut review = Review::start();
    review.expect("Domain, in one sentence");
    review.session.send_control('c').expect("send Ctrl-C");
    assert_interrupted(review);
}

/// The first question is a text input, which keeps the cursor visible; a list hides it, so
/// the interrupt must show it again.
#[test]
fn ctrl_c_in_a_list_shows_the_cursor_again() {
    let mut review = Review::start();
    review.answer("Domain, in one sentence", ENTER);
    review.expect("Expected load at peak");
    review.expect("not sure / skip");
    review.session.send_control('c').expect("send Ctrl-C");
    let review = assert_interrupted(review);
    assert!(
        review.transcript.contains(HIDE_CURSOR),
        "the list was expected to hide the cursor: {:?}",
        review.transcript
    );
}
