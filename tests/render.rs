//! The render pipeline as a pure function: every template renders under every combination a
//! pack allows, templates only use what the context provides, output is deterministic, and
//! file lists are pinned by snapshots.

use std::collections::BTreeSet;

use bek_new::answers::{Answers, load_preset};
use bek_new::plan::{Plan, render};
use bek_new::spec::{
    Architecture, Auth, Capability, Choice, Database, DecisionAnswers, ErrorFormat, Modules, Spec,
    Stack, Support, Topology,
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
        Modules {
            entities: answers.entities,
            capabilities: answers.capabilities,
        },
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
        // The ledger's neighbours without transfers: the branches fintech never takes.
        ("webhooks and psp without transfers", {
            let mut answers = preset("minimal");
            answers.capabilities = vec![Capability::Webhooks, Capability::Psp];
            answers
        }),
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

/// The environment variables a project's configuration reads: the upper-case string
/// literals of `src/config.rs` outside its tests (every variable is named once, as a literal
/// handed to the lookup).
fn variables_read(config: &str) -> Vec<String> {
    let code = config.split("#[cfg(test)]").next().unwrap_or(config);
    let mut names: Vec<String> = code
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.len() >= 4
                && s.starts_with(|c: char| c.is_ascii_uppercase())
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn env_example_lists_every_variable_the_generated_code_reads() {
    let mut checked = 0;
    for (label, plan) in every_plan() {
        let config = &plan.files["src/config.rs"].contents;
        let example = &plan.files[".env.example"].contents;
        let documented: Vec<&str> = example
            .lines()
            .map(|line| line.trim_start_matches('#').trim_start())
            .filter_map(|line| line.split_once('=').map(|(key, _)| key))
            .collect();
        let read = variables_read(config);
        assert!(read.contains(&"DATABASE_URL".to_string()), "{label}");
        for name in &read {
            assert!(
                documented.contains(&name.as_str()),
                "{label}: the code reads {name}, which .env.example does not list"
            );
        }
        // Nothing else reads the environment behind the configuration's back.
        for (path, file) in &plan.files {
            if path.ends_with(".rs") && path.starts_with("src/") && path != "src/config.rs" {
                assert!(
                    !file.contents.contains("env::var"),
                    "{label}: {path} reads the environment directly"
                );
            }
        }
        checked += read.len();
    }
    assert!(checked > 0);
}

#[test]
fn no_generated_file_carries_a_secret_looking_literal() {
    // The Standard Webhooks specification's published test vector: public, and the signature
    // tests must reproduce it.
    const PUBLIC_TEST_VECTOR: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let prefixes = [
        "-----BEGIN",
        "AKIA",
        "sk_live_",
        "rk_live_",
        "ghp_",
        "xoxb-",
        "whsec_",
    ];
    let mut with_webhooks = false;
    for (label, plan) in every_plan() {
        with_webhooks |= plan.files.contains_key("src/domain/signature.rs")
            || plan.files.contains_key("src/models/signature.rs");
        for (path, file) in &plan.files {
            let text = file.contents.replace(PUBLIC_TEST_VECTOR, "");
            for prefix in prefixes {
                for (at, _) in text.match_indices(prefix) {
                    let tail: String = text[at + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || "+/=".contains(*c))
                        .collect();
                    assert!(
                        tail.len() < 16,
                        "{label}: {path} holds a literal that looks like a secret: {prefix}{tail}"
                    );
                }
            }
        }
        // Secrets are configuration: empty in the example and in the Kubernetes Secret.
        for line in plan.files[".env.example"].contents.lines() {
            if let Some((key, value)) = line.split_once('=')
                && !line.starts_with('#')
                && (key.ends_with("SECRET") || key.ends_with("PASSWORD") || key.ends_with("TOKEN"))
            {
                assert!(value.is_empty(), "{label}: .env.example sets {key}");
            }
        }
        for line in plan.files["deploy/k8s/secret.yaml"].contents.lines() {
            let line = line.trim();
            if !line.starts_with('#')
                && let Some((key, value)) = line.split_once(": ")
                && key.ends_with("SECRET")
            {
                assert_eq!(value, "\"\"", "{label}: the k8s Secret sets {key}");
            }
        }
    }
    assert!(with_webhooks, "a plan with signatures was scanned");
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

/// Entities touching every part of the data-model page: each field type, a unique and an
/// indexed field, a required reference of each ON DELETE kind, an optional one and a
/// self-reference.
const DATA_MODEL_ENTITIES: &str = r#"
[[entities]]
name = "customer"
fields = [
  { name = "name", type = "string", min = 1, max = 80 },
  { name = "email", type = "string", unique = true },
  { name = "vip", type = "bool", default = false },
  { name = "region", type = "string", index = true, optional = true },
]

[[entities]]
name = "line_item"
fields = [
  { name = "number", type = "string", unique = true, max = 32 },
  { name = "amount", type = "money", min = 0 },
  { name = "currency", type = "currency", default = "EUR" },
  { name = "status", type = "enum", values = ["draft", "sent"], default = "draft" },
  { name = "due_on", type = "date", optional = true },
  { name = "rate", type = "decimal", min = "0", max = "100", optional = true },
  { name = "issued_at", type = "datetime" },
  { name = "count", type = "int", min = 1, max = 500, default = 1 },
  { name = "total", type = "bigint", optional = true },
  { name = "meta", type = "json", optional = true },
  { name = "note", type = "text", optional = true },
  { name = "external_id", type = "uuid", optional = true },
  { name = "customer", type = "ref", target = "customer" },
  { name = "billed_to", type = "ref", target = "customer", optional = true, on_delete = "set_null" },
  { name = "parent", type = "ref", target = "line_item", optional = true, on_delete = "cascade" },
]
"#;

fn entity_plan(architecture: Architecture, database: Database) -> Plan {
    let mut answers = Answers::parse(DATA_MODEL_ENTITIES, "test entities").expect("answers");
    answers.decisions.architecture = Some(architecture);
    answers.decisions.database = Some(database);
    render(&spec_from("svc", answers, None)).expect("render")
}

/// A column as its migration declares it.
struct Column {
    name: String,
    ty: String,
    not_null: bool,
    default: Option<String>,
    checks: Vec<String>,
    /// (table, ON DELETE action) of a `REFERENCES table (id) ON DELETE action`.
    references: Option<(String, String)>,
}

/// The expression inside the parentheses that open at the start of `text`.
fn parenthesized(text: &str) -> &str {
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[1..at];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in `{text}`")
}

fn parse_column(line: &str) -> Column {
    let line = line.trim().trim_end_matches(',');
    let mut words = line.split_whitespace();
    let name = words.next().expect("name").to_string();
    let ty = words.next().expect("type").to_string();
    let checks = line
        .match_indices("CHECK (")
        .map(|(at, _)| parenthesized(&line[at + "CHECK ".len()..]).to_string())
        .collect();
    let default = line.split_once(" DEFAULT ").map(|(_, rest)| {
        rest.split_whitespace()
            .next()
            .expect("default value")
            .to_string()
    });
    let references = line.split_once(" REFERENCES ").map(|(_, rest)| {
        let (table, action) = rest.split_once(" (id) ON DELETE ").expect("ON DELETE");
        (table.to_string(), action.to_string())
    });
    Column {
        name,
        ty,
        not_null: line.contains(" NOT NULL") || line.contains(" PRIMARY KEY"),
        default,
        checks,
        references,
    }
}

/// Every table of every `.up.sql` migration in the plan: (table, columns, is an entity table),
/// and every index: (name, table, columns, unique).
#[allow(clippy::type_complexity)]
fn migrated_schema(
    plan: &Plan,
) -> (
    Vec<(String, Vec<Column>, bool)>,
    Vec<(String, String, String, bool)>,
) {
    let mut tables = Vec::new();
    let mut indexes = Vec::new();
    for (path, file) in &plan.files {
        if !(path.starts_with("migrations/") && path.ends_with(".up.sql")) {
            continue;
        }
        let entity = path.contains("_create_");
        let mut current: Option<(String, Vec<Column>)> = None;
        for line in file.contents.lines() {
            if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                let name = rest.trim_end_matches(" (").to_string();
                current = Some((name, Vec::new()));
            } else if line.starts_with(");") {
                let (name, columns) = current.take().expect("a table was open");
                tables.push((name, columns, entity));
            } else if let Some((_, columns)) = current.as_mut() {
                if !line.trim().starts_with("PRIMARY KEY") && !line.trim().is_empty() {
                    columns.push(parse_column(line));
                }
            } else if line.starts_with("CREATE ") && line.contains(" INDEX ") {
                let unique = line.starts_with("CREATE UNIQUE INDEX ");
                let rest = line.split_once(" INDEX ").expect("INDEX").1;
                let (name, rest) = rest.split_once(" ON ").expect("ON");
                let (table, rest) = rest.split_once(" (").expect("columns");
                let columns = rest.trim_end_matches(");");
                indexes.push((name.into(), table.into(), columns.into(), unique));
            }
        }
    }
    (tables, indexes)
}

/// The `### `table`` section of the page, up to the next heading of the same or a higher level.
fn section<'a>(page: &'a str, table: &str) -> &'a str {
    let heading = format!("\n### `{table}`\n");
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for `{table}`"))
        + 1;
    let rest = &page[start + heading.len() - 1..];
    let end = rest
        .find("\n## ")
        .into_iter()
        .chain(rest.find("\n### "))
        .min();
    &page[start..start + heading.len() - 1 + end.unwrap_or(rest.len())]
}

fn mermaid_block(page: &str) -> &str {
    let start = page
        .find("```mermaid\nerDiagram\n")
        .expect("a Mermaid erDiagram");
    let end = page[start + 3..].find("```").expect("closed block") + start + 3;
    &page[start..end]
}

/// The data-model page is checked against the rendered migrations themselves, so it cannot
/// drift from the schema: every table, column (type, nullability, default, CHECKs,
/// reference), index and foreign key the migrations create is documented, and drawn.
#[test]
fn data_model_documents_every_table_column_index_and_foreign_key_of_the_migrations() {
    let combinations = [Architecture::Layered, Architecture::Hexagonal]
        .into_iter()
        .flat_map(|a| [(a, Database::Sqlite), (a, Database::Postgres)]);
    for (architecture, database) in combinations {
        let plan = entity_plan(architecture, database);
        let label = format!("{architecture:?} / {database:?}");
        let page = &plan.files["docs/data-model.md"].contents;
        for marker in ["[[", "]]", "[%", "%]", "[#", "#]"] {
            assert!(
                !page.contains(marker),
                "{label}: `{marker}` left in:\n{page}"
            );
        }
        let diagram = mermaid_block(page);
        let (tables, indexes) = migrated_schema(&plan);
        let names: Vec<&str> = tables.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "users",
                "refresh_tokens",
                "idempotency_keys",
                "customers",
                "line_items"
            ],
            "{label}"
        );
        for (table, columns, entity) in &tables {
            let text = section(page, table);
            let block = diagram
                .split(&format!("    {table} {{\n"))
                .nth(1)
                .unwrap_or_else(|| panic!("{label}: `{table}` is not drawn"));
            let block = &block[..block.find("    }").expect("closed entity")];
            for column in columns {
                let name = &column.name;
                let row = text
                    .lines()
                    .find(|line| line.starts_with(&format!("| `{name}` | `")))
                    .unwrap_or_else(|| panic!("{label}: {table}.{name} undocumented:\n{text}"));
                let nullable = if column.not_null { "no" } else { "yes" };
                assert!(
                    row.starts_with(&format!("| `{name}` | `{}` | {nullable} |", column.ty)),
                    "{label}: {table}.{name} is {} (not null: {}), documented as {row}",
                    column.ty,
                    column.not_null
                );
                // Column | Type | Nullable | Default | …: no CHECK or default holds a `|`.
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                let default = column.default.as_ref().map(|d| format!("`{d}`"));
                assert_eq!(
                    cells[4],
                    default.as_deref().unwrap_or(""),
                    "{label}: {table}.{name}: {row}"
                );
                for check in &column.checks {
                    assert!(
                        row.contains(&format!("`CHECK ({check})`")),
                        "{label}: {check} not in {row}"
                    );
                }
                if let Some((target, action)) = &column.references {
                    assert!(
                        row.contains(&format!("→ `{target} (id)` ON DELETE {action}")),
                        "{label}: {row}"
                    );
                    if *entity {
                        assert!(
                            text.contains(&format!("| `{name}` | `{target} (id)` | {action} |")),
                            "{label}: no foreign key row for {table}.{name}:\n{text}"
                        );
                    }
                    // Drawn as a relation from the referenced table, zero-or-one when empty
                    // is allowed; references between entities are named after their column.
                    let one = if column.not_null { "||" } else { "|o" };
                    let label = if *entity && name != "owner_id" {
                        name.as_str()
                    } else {
                        ""
                    };
                    let relation = format!("    {target} {one}--o{{ {table} : {label}");
                    assert!(
                        diagram.lines().any(|line| line.starts_with(&relation)),
                        "{label}: no `{relation}` in\n{diagram}"
                    );
                }
                assert!(
                    block.contains(&format!("        {} {name}", column.ty)),
                    "{label}: {table}.{name} not drawn:\n{block}"
                );
            }
        }
        for (name, table, columns, unique) in &indexes {
            let text = section(page, table);
            let line = text
                .lines()
                .find(|line| line.contains(&format!("`{name}`")))
                .unwrap_or_else(|| panic!("{label}: index {name} undocumented:\n{text}"));
            assert!(line.contains(&format!("`{columns}`")), "{label}: {line}");
            assert_eq!(line.contains("unique"), *unique, "{label}: {line}");
        }
        // The same page in the words a reader looks for.
        let items = section(page, "line_items");
        assert!(items.contains("served at `/v1/line-items`"), "{items}");
        assert!(
            items.contains("| `customer` | `customers (id)` | RESTRICT | refused while a line item refers to it: the API answers 409 `STILL_REFERENCED` |"),
            "{items}"
        );
        assert!(
            section(page, "customers")
                .contains("Referred to by `line_items.customer`, `line_items.billed_to`.")
        );
    }
}

#[test]
fn data_model_documents_every_table_and_column_of_the_capability_migrations() {
    let constraint_words = ["CHECK", "PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT", "--"];
    let mut tables_seen = 0;
    for architecture in [Architecture::Layered, Architecture::Hexagonal] {
        for database in [Database::Sqlite, Database::Postgres] {
            let answers = Answers {
                decisions: DecisionAnswers {
                    architecture: Some(architecture),
                    database: Some(database),
                    ..preset("fintech").decisions
                },
                ..preset("fintech")
            };
            let plan = render(&spec_from("svc", answers, None)).expect("render");
            let label = format!("{architecture:?} / {database:?}");
            let page = &plan.files["docs/data-model.md"].contents;
            let migrations = plan.files.iter().filter(|(path, _)| {
                path.starts_with("migrations/")
                    && path.ends_with(".up.sql")
                    && !path.contains("_create_")
                    && !path.contains("_platform.")
            });
            for (path, file) in migrations {
                let mut lines = file.contents.lines();
                while let Some(line) = lines.next() {
                    let Some(rest) = line.strip_prefix("CREATE TABLE ") else {
                        continue;
                    };
                    let table = rest.trim_end_matches(" (");
                    let text = section(page, table);
                    assert!(!text.is_empty(), "{label}: {path}: `{table}` undocumented");
                    tables_seen += 1;
                    for column in lines.by_ref().take_while(|l| !l.starts_with(");")) {
                        let column = column.trim();
                        let Some(name) = column.split_whitespace().next() else {
                            continue;
                        };
                        if constraint_words.iter().any(|w| name.starts_with(w)) {
                            continue;
                        }
                        assert!(
                            text.contains(&format!("`{name}`")),
                            "{label}: {path}: {table}.{name} undocumented:\n{text}"
                        );
                    }
                }
            }
        }
    }
    // audit_events, accounts, journal_entries, postings, transfers, outbox_events,
    // webhook_endpoints, webhook_subscriptions, webhook_deliveries, psp_events, on four plans.
    assert!(tables_seen >= 4 * 10, "only {tables_seen} tables checked");
}

#[test]
fn data_model_without_entities_documents_the_platform_tables() {
    let plan = render(&spec_from("svc", Answers::default(), None)).expect("render");
    let page = &plan.files["docs/data-model.md"].contents;
    let diagram = mermaid_block(page);
    assert!(
        diagram.contains("    users ||--o{ refresh_tokens : \"signs in with\"\n"),
        "{diagram}"
    );
    for table in ["users", "refresh_tokens", "idempotency_keys"] {
        assert!(section(page, table).contains("| `created_at` |"), "{page}");
    }
    assert!(page.contains("## Entity tables\n\nNone yet.\n"), "{page}");
}
