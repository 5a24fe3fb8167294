//! `render(&Spec) -> Plan`: the pure heart of the generator. Same Spec, same bytes; no disk,
//! no clock, no environment. Snapshot tests, `--dry-run` and (later) three-way merges all rest
//! on that.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::{Context as _, anyhow, bail};
use minijinja::{Value, context};

use crate::manifest;
use crate::spec::{Spec, Support};
use crate::template::{self, COMMON_PACK, Pack};

/// One file of the generated project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    pub contents: String,
    pub executable: bool,
}

/// The whole generated project: relative path (with `/`) → file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub files: BTreeMap<String, PlannedFile>,
}

impl Plan {
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    fn insert(&mut self, path: String, file: PlannedFile, origin: &str) -> anyhow::Result<()> {
        check_relative(&path).with_context(|| format!("destination of {origin}"))?;
        if self.files.insert(path.clone(), file).is_some() {
            bail!("{origin} renders `{path}`, which another rule already renders");
        }
        Ok(())
    }
}

/// Renders every file of the project the Spec describes. An error here is a defect in a
/// template pack (user input was validated when the Spec was built); it names the template and
/// line.
pub fn render(spec: &Spec) -> anyhow::Result<Plan> {
    let support = template::support()?;
    let common = Pack::load(COMMON_PACK)?;
    let stack = template::stack_pack(spec.decisions.stack)?;
    render_packs(spec, &[&common, &stack], &support)
}

/// Renders the given packs (in order) plus `bek.toml`.
pub fn render_packs(spec: &Spec, packs: &[&Pack], support: &Support) -> anyhow::Result<Plan> {
    let env = template::environment(packs)?;
    let ctx = Value::from_serialize(crate::context::build(spec, support));

    let mut plan = Plan::default();
    for pack in packs {
        for rule in &pack.manifest.files {
            let name = pack.template_name(rule);
            if let Some(expr) = &rule.when
                && !template::condition_holds(&env, expr, &ctx)
                    .with_context(|| format!("rule for templates/{name}"))?
            {
                continue;
            }
            let contexts = match (&rule.each, &rule.each_as) {
                (Some(list), Some(binding)) => {
                    let items = ctx
                        .get_attr(list)
                        .ok()
                        .filter(|v| !v.is_undefined())
                        .ok_or_else(|| anyhow!("rule for templates/{name}: `each = \"{list}\"` is not in the context"))?;
                    let mut contexts = Vec::new();
                    for item in items.try_iter().map_err(|err| {
                        anyhow!("rule for templates/{name}: `{list}` is not a list: {err}")
                    })? {
                        contexts.push(context! { ..ctx.clone(), ..Value::from_iter([(binding.as_str(), item)]) });
                    }
                    contexts
                }
                (None, None) => vec![ctx.clone()],
                _ => bail!("rule for templates/{name}: `each` and `as` go together"),
            };
            let template = env.get_template(&name)?;
            for item_ctx in contexts {
                let dest = env
                    .render_str(rule.dest_template(), &item_ctx)
                    .map_err(|err| anyhow!("destination of templates/{name}: {err:#}"))?;
                let contents = template
                    .render(&item_ctx)
                    .map_err(|err| anyhow!("{}", describe_template_error(&err)))?;
                let file = PlannedFile {
                    contents,
                    executable: rule.executable,
                };
                plan.insert(dest, file, &format!("templates/{name}"))?;
            }
        }
    }
    plan.insert(
        manifest::FILE_NAME.to_string(),
        PlannedFile {
            contents: manifest::render(spec)?,
            executable: false,
        },
        "the project manifest",
    )?;
    Ok(plan)
}

/// A template error with the template name, line and the chain of causes.
fn describe_template_error(err: &minijinja::Error) -> String {
    let mut text = format!("{err:#}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\ncaused by: {cause:#}"));
        source = cause.source();
    }
    text
}

/// Packs must only write inside the project.
fn check_relative(path: &str) -> anyhow::Result<()> {
    let ok = !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        bail!("`{path}` is not a plain relative path")
    }
}

#[cfg(test)]
mod tests {
    use include_dir::{Dir, DirEntry, File};

    use super::*;
    use crate::spec::{DecisionAnswers, Requirements};
    use crate::template::PackManifest;

    /// A pack written inline, to pin down what `when`, `each`/`as`, `dest` and `executable` do.
    static FILES: &[DirEntry<'static>] = &[
        DirEntry::File(File::new(
            "t/only-postgres.txt.jinja",
            b"db=[[ decisions.database ]]\n",
        )),
        DirEntry::File(File::new(
            "t/adr.md.jinja",
            b"[[ adr.number ]] [[ adr.title ]]\n",
        )),
        DirEntry::File(File::new(
            "t/run.sh.jinja",
            b"#!/bin/sh\necho [[ project.name | shouty ]]\n",
        )),
    ];
    static DIR: Dir<'static> = Dir::new("t", FILES);

    const MANIFEST: &str = r#"
        [pack]
        name = "t"
        description = "test pack"

        [[file]]
        source = "only-postgres.txt.jinja"
        when = "decisions.database == 'postgres'"

        [[file]]
        source = "adr.md.jinja"
        dest = "adr/[[ adr.number ]]-[[ adr.slug ]].md"
        each = "adrs"
        as = "adr"

        [[file]]
        source = "run.sh.jinja"
        dest = "bin/run-[[ project.name ]].sh"
        executable = true
    "#;

    fn plan_for(database: &str) -> Plan {
        let support = Support::rust_axum_for_tests();
        let decisions = DecisionAnswers {
            database: Some(database.parse().expect("database")),
            ..Default::default()
        };
        let spec = Spec::build(
            "svc",
            None,
            "2026-01-01".into(),
            Requirements::default(),
            decisions,
            crate::spec::Modules::default(),
            &support,
        )
        .expect("spec");
        let manifest: PackManifest = toml::from_str(MANIFEST).expect("manifest");
        let pack = Pack {
            manifest,
            dir: &DIR,
        };
        render_packs(&spec, &[&pack], &support).expect("render")
    }

    #[test]
    fn when_each_dest_and_executable() {
        let postgres = plan_for("postgres");
        assert_eq!(
            postgres.files["only-postgres.txt"].contents,
            "db=postgres\n"
        );
        assert!(!plan_for("sqlite").files.contains_key("only-postgres.txt"));

        let adrs: Vec<_> = postgres.paths().filter(|p| p.starts_with("adr/")).collect();
        assert_eq!(adrs.len(), 6, "{adrs:?}");
        assert_eq!(
            postgres.files["adr/0005-database.md"].contents,
            "0005 Database\n"
        );

        let script = &postgres.files["bin/run-svc.sh"];
        assert!(script.executable);
        assert_eq!(script.contents, "#!/bin/sh\necho SVC\n");
        assert!(postgres.files.contains_key("bek.toml"));
    }

    #[test]
    fn a_template_error_names_the_template_and_line() {
        static BAD: &[DirEntry<'static>] = &[DirEntry::File(File::new(
            "b/x.jinja",
            b"line one\n[[ no_such_variable ]]\n",
        ))];
        static BAD_DIR: Dir<'static> = Dir::new("b", BAD);
        let manifest: PackManifest = toml::from_str(
            "[pack]\nname = \"b\"\ndescription = \"\"\n[[file]]\nsource = \"x.jinja\"\n",
        )
        .expect("manifest");
        let pack = Pack {
            manifest,
            dir: &BAD_DIR,
        };
        let support = Support::rust_axum_for_tests();
        let spec = Spec::build(
            "svc",
            None,
            "2026-01-01".into(),
            Requirements::default(),
            DecisionAnswers::default(),
            crate::spec::Modules::default(),
            &support,
        )
        .expect("spec");
        let err = render_packs(&spec, &[&pack], &support)
            .unwrap_err()
            .to_string();
        assert!(err.contains("b/x.jinja:2"), "{err}");
        assert!(err.contains("no_such_variable"), "{err}");
    }

    #[test]
    fn a_destination_outside_the_project_is_refused() {
        assert!(check_relative("../x").is_err());
        assert!(check_relative("/etc/x").is_err());
        assert!(check_relative("").is_err());
        assert!(check_relative("docs/adr/0001.md").is_ok());
    }
}
