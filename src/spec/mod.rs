//! The one data model of a project. Everything a user types, picks or writes in a TOML file
//! becomes a [`Spec`] here, and all validation of user input happens while building it, with
//! messages that name the field and the fix. Nothing downstream re-validates.

pub mod capability;
pub mod choice;
mod decisions;
pub mod entity;
mod name;
mod requirements;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use capability::{Capability, CapabilityModule};
pub use choice::Choice;
pub use decisions::{
    Architecture, Auth, Database, Decision, DecisionAnswers, Decisions, ErrorFormat, Stack,
    Topology,
};
pub use entity::{Entity, EntitySpec, Field, FieldSpec, FieldType, OnDelete};
pub use name::ProjectName;
pub use requirements::{
    Consistency, Deployment, Integration, Load, Requirements, Sensitivity, Team,
};

use crate::recommend::recommend;

/// Longest accepted domain sentence, in characters.
const MAX_DOMAIN_LEN: usize = 200;

/// The modules a project is asked to carry: entity modules and catalog capabilities.
#[derive(Clone, Debug, Default)]
pub struct Modules {
    pub entities: Vec<EntitySpec>,
    /// What they need comes along (see [`capability::closure`]).
    pub capabilities: Vec<Capability>,
}

/// A validated project: what `bek.toml` records and what the templates render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub name: ProjectName,
    /// The day the project was generated (`YYYY-MM-DD`): the date of its first ADRs. Part of
    /// the Spec so that rendering stays a pure function of it.
    pub created: String,
    /// The preset the project started from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    pub requirements: Requirements,
    pub decisions: Decisions,
    /// The domain modules, in declaration order (a reference points at an earlier entity).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// The catalog modules, each after the ones it requires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<CapabilityModule>,
}

impl Spec {
    /// Validates the inputs and takes every open decision from the recommendation rules.
    pub fn build(
        name: &str,
        preset: Option<String>,
        created: String,
        requirements: Requirements,
        decisions: DecisionAnswers,
        modules: Modules,
        support: &Support,
    ) -> Result<Spec, String> {
        let name = ProjectName::parse(name)?;
        let entities = modules
            .entities
            .into_iter()
            .map(Entity::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        entity::check_all(&entities)?;
        let requirements = validate_requirements(requirements)?;
        let rec = recommend(&requirements, support);
        let decisions = Decisions {
            stack: decisions.stack.unwrap_or(rec.stack.choice),
            topology: decisions.topology.unwrap_or(rec.topology.choice),
            architecture: decisions.architecture.unwrap_or(rec.architecture.choice),
            database: decisions.database.unwrap_or(rec.database.choice),
            auth: decisions.auth.unwrap_or(rec.auth.choice),
            errors: decisions.errors.unwrap_or(rec.errors.choice),
        };
        support.check(&DecisionAnswers::from(decisions))?;
        check_entity_support(&entities, decisions.architecture, support)?;
        let capabilities: Vec<CapabilityModule> = capability::closure(&modules.capabilities)
            .into_iter()
            .map(|name| CapabilityModule {
                name,
                migration: None,
            })
            .collect();
        check_capabilities(&capabilities, &entities, support)?;
        Ok(Spec {
            name,
            created,
            preset,
            requirements,
            decisions,
            entities,
            capabilities,
        })
    }

    pub fn has(&self, capability: Capability) -> bool {
        self.capabilities.iter().any(|c| c.name == capability)
    }

    /// The version of the migration that creates the tables of capability number `index`:
    /// recorded for capabilities added later, otherwise the creation day's sequence right
    /// after the platform's migrations and before the entity tables.
    pub fn capability_migration(&self, index: usize) -> String {
        self.capabilities[index]
            .migration
            .clone()
            .unwrap_or_else(|| format!("{}{:06}", self.created.replace('-', ""), 10 + index))
    }

    /// The version of the migration that creates the table of entity number `index`:
    /// recorded for entities added later (after every earlier migration), otherwise the
    /// creation day's sequence after the platform's migrations.
    pub fn table_migration(&self, index: usize) -> String {
        self.entities[index]
            .migration
            .clone()
            .unwrap_or_else(|| format!("{}{:06}", self.created.replace('-', ""), 100 + index))
    }

    /// The version for a migration written now: today's first slot, or right after the
    /// latest migration this Spec renders when that is later (several adds on one day).
    /// Databases that ran every earlier migration accept it.
    pub fn next_migration(&self, today: &str) -> String {
        let entity_versions = self.entities.iter().enumerate().flat_map(|(index, e)| {
            let table = self.table_migration(index).parse::<u64>().unwrap_or(0);
            let columns = e
                .fields
                .iter()
                .filter_map(|f| f.migration.as_ref()?.parse::<u64>().ok());
            std::iter::once(table).chain(columns)
        });
        let capability_versions = (0..self.capabilities.len())
            .map(|index| self.capability_migration(index).parse::<u64>().unwrap_or(0));
        let latest = entity_versions
            .chain(capability_versions)
            .max()
            .unwrap_or(0);
        let first_today: u64 = format!("{}000100", today.replace('-', ""))
            .parse()
            .unwrap_or(0);
        first_today.max(latest + 1).to_string()
    }

    /// This Spec with one more entity (`bek-new add <new entity>`), checked like the rest.
    pub fn with_new_entity(&self, entity: EntitySpec, support: &Support) -> Result<Spec, String> {
        let mut entities = self.entities.clone();
        entities.push(Entity::try_from(entity)?);
        self.with_entities(entities, support)
    }

    /// This Spec with `fields` added to entity `name`, each migrated at `version` by an
    /// `ALTER TABLE` of its own. The table may hold rows already, so every new field must be
    /// optional or have a default; its name and routes stay as they are.
    pub fn with_added_fields(
        &self,
        name: &str,
        plural: Option<&str>,
        fields: Vec<FieldSpec>,
        version: &str,
        support: &Support,
    ) -> Result<Spec, String> {
        let mut entities = self.entities.clone();
        let Some(existing) = entities.iter_mut().find(|e| e.name == name) else {
            return Err(format!("no entity `{name}` to add fields to"));
        };
        if plural.is_some_and(|p| p != existing.plural) {
            return Err(format!(
                "entity `{name}` exists already with plural `{}`; its table and routes cannot be renamed by `add`. Leave out --plural",
                existing.plural
            ));
        }
        let mut grown = EntitySpec::from(existing.clone());
        for mut field in fields {
            let at = format!("field `{name}.{}`", field.name);
            if !field.optional && field.default.is_none() {
                return Err(format!(
                    "{at} is required and has no default, so the rows `{}` already holds would have no value; make it optional (`?` after its type) or give it a default (`:default=…`). Nothing was changed",
                    existing.plural
                ));
            }
            if field.target.is_some() && self.decisions.database == Database::Sqlite {
                return Err(format!(
                    "{at}: SQLite cannot drop a reference column again, so its down migration could not be written; declare references when the entity is created (or use PostgreSQL). Nothing was changed"
                ));
            }
            field.migration = Some(version.to_string());
            grown.fields.push(field);
        }
        *existing = Entity::try_from(grown)?;
        self.with_entities(entities, support)
    }

    /// This Spec with a catalog capability added (`bek-new add <capability>`), and whatever
    /// it needs that the project lacks; returns the capabilities that are new, in order.
    /// They go after the ones the project has, so the migration versions and ADR numbers of
    /// those never change, and each new one gets a migration after every earlier one.
    pub fn with_capability(
        &self,
        wanted: Capability,
        today: &str,
        support: &Support,
    ) -> Result<(Spec, Vec<Capability>), String> {
        if self.has(wanted) {
            return Err(format!(
                "the project has `{}` already (see `capabilities` in bek.toml); nothing was changed",
                wanted.id()
            ));
        }
        let mut grown = self.clone();
        let added: Vec<Capability> = capability::closure(&[wanted])
            .into_iter()
            .filter(|c| !self.has(*c))
            .collect();
        for name in &added {
            let version = grown.next_migration(today);
            grown.capabilities.push(CapabilityModule {
                name: *name,
                migration: Some(version),
            });
        }
        check_capabilities(&grown.capabilities, &grown.entities, support)?;
        Ok((grown, added))
    }

    /// This Spec with `entities` in place of its own, checked as [`Spec::build`] checks
    /// them (`bek-new add` grows a project's list).
    pub fn with_entities(&self, entities: Vec<Entity>, support: &Support) -> Result<Spec, String> {
        entity::check_all(&entities)?;
        check_entity_support(&entities, self.decisions.architecture, support)?;
        check_capabilities(&self.capabilities, &entities, support)?;
        Ok(Spec {
            entities,
            ..self.clone()
        })
    }
}

/// Entity modules exist only in the architectures the pack renders them for.
fn check_entity_support(
    entities: &[Entity],
    architecture: Architecture,
    support: &Support,
) -> Result<(), String> {
    if !entities.is_empty() && !support.entities.contains(&architecture) {
        return Err(format!(
            "entity modules are not available with --arch {} yet; choose --arch {} or leave out [[entities]]",
            architecture.id(),
            support
                .entities
                .iter()
                .map(|a| a.id())
                .collect::<Vec<_>>()
                .join("|")
        ));
    }
    Ok(())
}

/// Capabilities exist only where the pack renders them, and own their module and table
/// names: an entity may not take one.
fn check_capabilities(
    capabilities: &[CapabilityModule],
    entities: &[Entity],
    support: &Support,
) -> Result<(), String> {
    let refused: Vec<&str> = capabilities
        .iter()
        .filter(|c| !support.capabilities.contains(&c.name))
        .map(|c| c.name.id())
        .collect();
    if !refused.is_empty() {
        let available: Vec<&str> = support.capabilities.iter().map(|c| c.id()).collect();
        return Err(format!(
            "capability {} is not available yet; leave it out (available: {})",
            refused.join(", "),
            if available.is_empty() {
                "none".to_string()
            } else {
                available.join(", ")
            }
        ));
    }
    for module in capabilities {
        if let Some(entity) = entities.iter().find(|e| {
            module.name.owned_names().contains(&e.name.as_str())
                || module.name.owned_names().contains(&e.plural.as_str())
        }) {
            return Err(format!(
                "entity `{}` would collide with the {} capability's own `{}` module; rename the entity (e.g. `{}_record`)",
                entity.name,
                module.name.id(),
                entity.name,
                entity.name
            ));
        }
    }
    Ok(())
}

fn validate_requirements(mut requirements: Requirements) -> Result<Requirements, String> {
    if let Some(domain) = requirements.domain.take() {
        let domain = domain.trim().to_string();
        if domain.chars().any(char::is_control) {
            return Err("requirements.domain must be one line of plain text; remove line breaks and control characters".to_string());
        }
        if domain.chars().count() > MAX_DOMAIN_LEN {
            return Err(format!(
                "requirements.domain is {} characters long; describe the domain in one sentence of at most {MAX_DOMAIN_LEN}",
                domain.chars().count()
            ));
        }
        requirements.domain = (!domain.is_empty()).then_some(domain);
    }
    if let Some(integrations) = requirements.integrations.as_mut() {
        // Order and repetition carry no meaning; normalising keeps renders identical.
        integrations.sort();
        integrations.dedup();
    }
    Ok(requirements)
}

/// Which option of each decision a template pack can render, read from its `pack.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Support {
    allowed: BTreeMap<&'static str, BTreeSet<&'static str>>,
    /// The architectures whose entity modules the pack renders.
    entities: BTreeSet<Architecture>,
    /// The catalog capabilities the pack renders.
    capabilities: BTreeSet<Capability>,
}

/// The `[supports]` table of a pack manifest: every list is required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportTable {
    pub stack: Vec<Stack>,
    pub topology: Vec<Topology>,
    pub architecture: Vec<Architecture>,
    pub database: Vec<Database>,
    pub auth: Vec<Auth>,
    pub errors: Vec<ErrorFormat>,
    #[serde(default)]
    pub entities: Vec<Architecture>,
    #[serde(default)]
    pub capabilities: Vec<Capability>,
}

impl From<SupportTable> for Support {
    fn from(table: SupportTable) -> Self {
        fn ids<T: Choice>(values: &[T]) -> (&'static str, BTreeSet<&'static str>) {
            (T::KEY, values.iter().map(|v| v.id()).collect())
        }
        Support {
            allowed: BTreeMap::from([
                ids(&table.stack),
                ids(&table.topology),
                ids(&table.architecture),
                ids(&table.database),
                ids(&table.auth),
                ids(&table.errors),
            ]),
            entities: table.entities.into_iter().collect(),
            capabilities: table.capabilities.into_iter().collect(),
        }
    }
}

impl Support {
    /// Whether the pack renders this catalog capability.
    pub fn renders(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }

    pub fn allows<T: Choice>(&self, value: T) -> bool {
        self.allowed
            .get(T::KEY)
            .is_some_and(|ids| ids.contains(value.id()))
    }

    /// Refuses decisions no pack can render yet, naming every one of them and what is available.
    /// Open decisions pass: the recommendation only ever picks available options.
    pub fn check(&self, decisions: &DecisionAnswers) -> Result<(), String> {
        let mut refused = Vec::new();
        let mut available = Vec::new();
        self.collect(decisions.stack, &mut refused, &mut available);
        self.collect(decisions.topology, &mut refused, &mut available);
        self.collect(decisions.architecture, &mut refused, &mut available);
        self.collect(decisions.database, &mut refused, &mut available);
        self.collect(decisions.auth, &mut refused, &mut available);
        self.collect(decisions.errors, &mut refused, &mut available);
        if refused.is_empty() {
            return Ok(());
        }
        Err(format!(
            "not available yet: {}. Choose from what bek-new renders today: {}",
            refused.join(", "),
            available.join("; ")
        ))
    }

    fn collect<T: Decision>(
        &self,
        value: Option<T>,
        refused: &mut Vec<String>,
        available: &mut Vec<String>,
    ) {
        if let Some(value) = value
            && !self.allows(value)
        {
            refused.push(format!("{} {}", T::FLAG, value.id()));
            let options: Vec<_> = T::ALL
                .iter()
                .filter(|v| self.allows(**v))
                .map(|v| v.id())
                .collect();
            available.push(format!("{} {}", T::FLAG, options.join("|")));
        }
    }

    /// Every option of every decision (to test rules as if every pack were complete).
    #[cfg(test)]
    pub fn everything() -> Support {
        SupportTable {
            stack: Stack::ALL.to_vec(),
            topology: Topology::ALL.to_vec(),
            architecture: Architecture::ALL.to_vec(),
            database: Database::ALL.to_vec(),
            auth: Auth::ALL.to_vec(),
            errors: ErrorFormat::ALL.to_vec(),
            entities: Architecture::ALL.to_vec(),
            capabilities: Capability::ALL.to_vec(),
        }
        .into()
    }

    /// What the shipped rust-axum pack declares (tests of the rules should not depend on the
    /// embedded pack, but on a fixed, readable set).
    #[cfg(test)]
    pub fn rust_axum_for_tests() -> Support {
        SupportTable {
            stack: vec![Stack::RustAxum],
            topology: vec![Topology::Monolith],
            architecture: Architecture::ALL.to_vec(),
            database: vec![Database::Sqlite, Database::Postgres],
            auth: vec![Auth::Jwt],
            errors: ErrorFormat::ALL.to_vec(),
            entities: vec![Architecture::Layered],
            capabilities: Capability::ALL.to_vec(),
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(requirements: Requirements, decisions: DecisionAnswers) -> Result<Spec, String> {
        build_spec(requirements, decisions, Modules::default())
    }

    fn build_spec(
        requirements: Requirements,
        decisions: DecisionAnswers,
        modules: Modules,
    ) -> Result<Spec, String> {
        Spec::build(
            "svc",
            None,
            "2026-01-01".into(),
            requirements,
            decisions,
            modules,
            &Support::rust_axum_for_tests(),
        )
    }

    fn with_modules(
        entities: Vec<EntitySpec>,
        capabilities: Vec<Capability>,
    ) -> Result<Spec, String> {
        build_spec(
            Requirements::default(),
            DecisionAnswers::default(),
            Modules {
                entities,
                capabilities,
            },
        )
    }

    fn customer() -> EntitySpec {
        EntitySpec {
            name: "customer".into(),
            plural: None,
            fields: vec![entity::parse_field_arg("title:string").unwrap()],
            migration: None,
        }
    }

    #[test]
    fn capabilities_bring_what_they_need_and_own_their_names() {
        let spec = with_modules(vec![customer()], vec![Capability::Transfers]).unwrap();
        let names: Vec<_> = spec.capabilities.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                Capability::Audit,
                Capability::Ledger,
                Capability::Fraud,
                Capability::Transfers
            ]
        );
        // After the platform's migration, before the entity tables.
        assert_eq!(spec.capability_migration(0), "20260101000010");
        assert!(spec.capability_migration(3) < spec.table_migration(0));

        let mut account = customer();
        account.name = "account".into();
        let err = with_modules(vec![account], vec![Capability::Ledger]).unwrap_err();
        assert!(
            err.contains("entity `account` would collide with the ledger capability"),
            "{err}"
        );
    }

    #[test]
    fn a_capability_added_later_brings_its_requirements_after_what_the_project_has() {
        let support = Support::rust_axum_for_tests();
        let created = with_modules(vec![customer()], vec![Capability::Audit]).unwrap();
        let audit_version = created.capability_migration(0);
        let (grown, added) = created
            .with_capability(Capability::Transfers, "2026-03-01", &support)
            .unwrap();
        assert_eq!(
            added,
            [Capability::Ledger, Capability::Fraud, Capability::Transfers]
        );
        // What was there keeps its place and its migration; the new ones follow, each
        // after every earlier migration (the entity's included).
        assert_eq!(grown.capabilities[0].name, Capability::Audit);
        assert_eq!(grown.capability_migration(0), audit_version);
        let versions: Vec<String> = (1..4).map(|i| grown.capability_migration(i)).collect();
        assert_eq!(
            versions,
            ["20260301000100", "20260301000101", "20260301000102"]
        );
        assert!(grown.table_migration(0) < versions[0]);
        assert_eq!(grown.next_migration("2026-03-01"), "20260301000103");

        let again = grown.with_capability(Capability::Ledger, "2026-03-01", &support);
        assert!(again.unwrap_err().contains("has `ledger` already"));
        let mut account = customer();
        account.name = "account".into();
        let taken = with_modules(vec![account], vec![]).unwrap();
        let err = taken
            .with_capability(Capability::Ledger, "2026-03-01", &support)
            .unwrap_err();
        assert!(err.contains("entity `account`"), "{err}");
    }

    #[test]
    fn migrations_written_later_come_after_every_earlier_one() {
        let support = Support::rust_axum_for_tests();
        let created = build(Requirements::default(), DecisionAnswers::default()).unwrap();
        let with_customer = created
            .with_entities(vec![Entity::try_from(customer()).unwrap()], &support)
            .unwrap();
        // Created on 2026-01-01 with one entity at …000100: an add that day comes after it.
        assert_eq!(with_customer.next_migration("2026-01-01"), "20260101000101");
        assert_eq!(with_customer.next_migration("2026-03-01"), "20260301000100");
        let added = with_customer
            .with_added_fields(
                "customer",
                None,
                vec![entity::parse_field_arg("note:text?").unwrap()],
                "20260301000100",
                &support,
            )
            .unwrap();
        assert_eq!(added.next_migration("2026-03-01"), "20260301000101");
    }

    #[test]
    fn fields_added_to_a_table_with_rows_must_be_optional_or_defaulted() {
        let support = Support::rust_axum_for_tests();
        let spec = build(Requirements::default(), DecisionAnswers::default())
            .unwrap()
            .with_new_entity(customer(), &support)
            .unwrap();
        let add = |arg: &str| {
            spec.with_added_fields(
                "customer",
                None,
                vec![entity::parse_field_arg(arg).unwrap()],
                "20260301000100",
                &support,
            )
        };
        let err = add("vip:bool").unwrap_err();
        assert!(
            err.contains("customer.vip") && err.contains("default"),
            "{err}"
        );
        let err = add("parent:ref(customer)?").unwrap_err();
        assert!(err.contains("SQLite"), "{err}");
        let grown = add("vip:bool:default=false").unwrap();
        let vip = grown.entities[0]
            .fields
            .iter()
            .find(|f| f.name == "vip")
            .unwrap();
        assert_eq!(vip.migration.as_deref(), Some("20260301000100"));
    }

    #[test]
    fn open_decisions_take_the_recommendation() {
        let spec = build(Requirements::default(), DecisionAnswers::default()).unwrap();
        assert_eq!(spec.decisions.database, Database::Sqlite);
        assert_eq!(spec.decisions.architecture, Architecture::Layered);
    }

    #[test]
    fn every_unavailable_decision_is_listed() {
        let err = build(
            Requirements::default(),
            DecisionAnswers {
                topology: Some(Topology::Services),
                auth: Some(Auth::Oidc),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("--topology services"), "{err}");
        assert!(err.contains("--auth oidc"), "{err}");
        assert!(err.contains("--auth jwt"), "{err}");
    }

    #[test]
    fn domain_is_trimmed_and_checked() {
        let spec = build(
            Requirements {
                domain: Some("  invoices for freelancers ".into()),
                ..Default::default()
            },
            DecisionAnswers::default(),
        )
        .unwrap();
        assert_eq!(
            spec.requirements.domain.as_deref(),
            Some("invoices for freelancers")
        );
        let err = build(
            Requirements {
                domain: Some("two\nlines".into()),
                ..Default::default()
            },
            DecisionAnswers::default(),
        )
        .unwrap_err();
        assert!(err.contains("requirements.domain"), "{err}");
    }
}
