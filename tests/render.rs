//! The render pipeline as a pure function: every template renders under every combination a
//! pack allows, templates only use what the context provides, output is deterministic, and
//! file lists are pinned by snapshots.

use std::collections::BTreeSet;

use bek_new::answers::{Answers, load_preset};
use bek_new::plan::{Plan, render};
use bek_new::spec::{
    Architecture, Auth, Choice, Database, DecisionAnswers, ErrorFormat, Spec, Stack, Support,
    Topology,
};
use bek_new::template::{self, COMMON_PACK, Pack};

const DATE: &str = "2026-01-15";

fn support() -> Support {
    template::support().expect("the embedded packs load")
}

fn spec_from(name: &str, answers: Answers, preset: Option<&str>) -> Spec {
    Spec::build(
        name,
        preset.map(str::to_string),
        DATE.to_string(),
        answers.requirements,
        answers.decisions,
        answers.entities,
        &support(),
    )
    .expect("valid spec")
}

fn preset(name: &str) -> Answers {
    load_preset(name).expect("shipped preset").answers
}

/// Requirement sets that exercise different branches of the templates.
fn requirement_sets() -> Vec<(&'static str, Answers)> {
    vec![
        ("nothing stated", Answers::default()),
        ("minimal", preset("minimal")),
        ("fintech", preset("fintech")),
    ]
}

/// Every decision combination the packs render, by walking each decision's options.
fn allowed_combinations() -> Vec<DecisionAnswers> {
    let support = support();
    fn allowed<T: Choice>(support: &Support) -> Vec<T> {
        T::ALL
            .iter()
            .copied()
            .filter(|v| support.allows(*v))
            .collect()
    }
    let mut out = Vec::new();
    for stack in allowed::<Stack>(&support) {
        for topology in allowed::<Topology>(&support) {
            for architecture in allowed::<Architecture>(&support) {
                for database in allowed::<Database>(&support) {
                    for auth in allowed::<Auth>(&support) {
                        for errors in allowed::<ErrorFormat>(&support) {
                            out.push(DecisionAnswers {
                                stack: Some(stack),
                                topology: Some(topology),
                                architecture: Some(architecture),
                                database: Some(database),
                                auth: Some(auth),
                                errors: Some(errors),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

fn every_plan() -> Vec<(String, Plan)> {
    let mut plans = Vec::new();
    for (label, answers) in requirement_sets() {
        for decisions in allowed_combinations() {
            let answers = Answers {
                decisions: decisions.clone(),
                ..answers.clone()
            };
            let spec = spec_from("svc", answers, None);
            let plan =
                render(&spec).unwrap_or_else(|err| panic!("{label} / {decisions:?}: {err:#}"));
            plans.push((format!("{label} / {decisions:?}"), plan));
        }
    }
    plans
}

#[test]
fn every_template_renders_under_every_allowed_combination() {
    let plans = every_plan();
    assert!(plans.len() >= 8 * 3, "only {} combinations", plans.len());
    for (label, plan) in &plans {
        assert!(plan.files.contains_key("bek.toml"), "{label}");
        assert!(plan.files.contains_key("Cargo.toml"), "{label}");
    }
}

#[test]
fn no_generated_file_keeps_template_syntax_or_stub_markers() {
    let forbidden = [
        "[[",
        "]]",
        "[%",
        "%]",
        "[#",
        "#]",
        "TODO",
        "todo!",
        "unimplemented!",
        "FIXME",
    ];
    for (label, plan) in every_plan() {
        for (path, file) in &plan.files {
            for marker in forbidden {
                assert!(
                    !file.contents.contains(marker),
                    "{label}: {path} contains `{marker}`"
                );
            }
        }
    }
}

#[test]
fn templates_only_use_variables_the_context_provides() {
    let spec = spec_from("svc", preset("fintech"), Some("fintech"));
    let context = serde_json::to_value(bek_new::context::build(&spec, &support())).expect("json");
    let provided: BTreeSet<String> = context
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    let common = Pack::load(COMMON_PACK).expect("common pack");
    let stack = template::stack_pack(Stack::RustAxum).expect("stack pack");
    let env = template::environment(&[&common, &stack]).expect("environment");
    for pack in [&common, &stack] {
        for rule in &pack.manifest.files {
            let name = pack.template_name(rule);
            let template = env.get_template(&name).expect("registered");
            let mut allowed = provided.clone();
            allowed.extend(rule.each_as.clone());
            let used = template.undeclared_variables(false);
            let missing: Vec<_> = used
                .difference(&allowed.into_iter().collect())
                .cloned()
                .collect();
            assert!(
                missing.is_empty(),
                "templates/{name} uses {missing:?}, not in the context"
            );
        }
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (label, answers) in requirement_sets() {
        let spec = spec_from("svc", answers, None);
        assert_eq!(
            render(&spec).expect("render"),
            render(&spec).expect("render"),
            "{label}"
        );
    }
}

#[test]
fn executable_bits_follow_the_pack() {
    let plan = render(&spec_from("svc", Answers::default(), None)).expect("render");
    assert!(plan.files["scripts/check.sh"].executable);
    assert!(!plan.files["Cargo.toml"].executable);
}

#[test]
fn manifest_records_the_spec_and_reads_back() {
    let spec = spec_from("pay", preset("fintech"), Some("fintech"));
    let plan = render(&spec).expect("render");
    let (read, version) =
        bek_new::manifest::parse(&plan.files["bek.toml"].contents).expect("parse");
    assert_eq!(read, spec);
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn adrs_differ_with_the_answers() {
    let fintech = render(&spec_from("svc", preset("fintech"), None)).expect("render");
    let minimal = render(&spec_from("svc", preset("minimal"), None)).expect("render");
    let path = "docs/adr/0005-database.md";
    let a = &fintech.files[path].contents;
    let b = &minimal.files[path].contents;
    assert!(a.contains("strong consistency"), "{a}");
    assert!(a.contains("**PostgreSQL**"), "{a}");
    assert!(b.contains("**SQLite**"), "{b}");
    assert!(a.contains("wallet-to-wallet payments"), "{a}");
}

#[test]
fn overriding_a_recommendation_is_recorded_with_its_cost() {
    let mut answers = preset("fintech");
    answers.decisions.database = Some(Database::Sqlite);
    let plan = render(&spec_from("svc", answers, None)).expect("render");
    let adr = &plan.files["docs/adr/0005-database.md"].contents;
    assert!(
        adr.contains("The recommendation for these requirements was\nPostgreSQL"),
        "{adr}"
    );
    assert!(adr.contains("the team overrode it"), "{adr}");
    assert!(adr.contains("must stay at one replica"), "{adr}");
}

fn file_list(plan: &Plan) -> String {
    plan.files
        .iter()
        .map(|(path, file)| {
            if file.executable {
                format!("{path} (executable)")
            } else {
                path.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn file_list_snapshots() {
    let cases = [
        ("default", Answers::default()),
        ("minimal_envelope", {
            let mut a = preset("minimal");
            a.decisions.errors = Some(ErrorFormat::Envelope);
            a
        }),
        ("fintech", preset("fintech")),
    ];
    for (label, answers) in cases {
        let plan = render(&spec_from("svc", answers, None)).expect("render");
        insta::assert_snapshot!(format!("files_{label}"), file_list(&plan));
    }
}

/// Generated Rust is already formatted, whatever the project name's length (rustfmt wraps
/// lines near 100 columns, and the crate name appears in code).
#[test]
fn generated_rust_is_rustfmt_clean_for_short_and_64_character_names() {
    // "a" and "zulu" sort before and after every module the templates import next to the
    // crate (rustfmt orders `use` lines alphabetically within a group).
    for name in [
        "a",
        "zulu",
        "a-service-name-that-is-sixty-four-characters-long-for-formatting",
    ] {
        for (label, answers) in requirement_sets() {
            let plan = render(&spec_from(name, answers, None)).expect("render");
            let dir = tempfile::tempdir().expect("temp dir");
            let mut files = Vec::new();
            for (path, file) in &plan.files {
                if path.ends_with(".rs") {
                    let target = dir.path().join(path);
                    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&target, &file.contents).expect("write");
                    files.push(target);
                }
            }
            let output = std::process::Command::new("rustfmt")
                .args(["--check", "--edition", "2024"])
                .args(&files)
                .output()
                .expect("rustfmt is installed (rustup component add rustfmt)");
            assert!(
                output.status.success(),
                "{name} / {label}:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
