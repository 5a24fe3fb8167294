//! The template context: a plain, serialisable view of a Spec. Templates see only this.

mod entity;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::adr::{AdrView, adrs};
use crate::spec::{Capability, Choice, Spec, Support};

#[derive(Debug, Serialize)]
pub struct Context {
    pub generator: GeneratorView,
    pub project: ProjectView,
    pub requirements: RequirementsView,
    /// One human line per stated requirement answer.
    pub requirement_lines: Vec<String>,
    /// Decision identifiers, e.g. `decisions.database == "postgres"`.
    pub decisions: DecisionsView<&'static str>,
    /// Human labels of the same decisions, e.g. `labels.database` = `PostgreSQL`.
    pub labels: DecisionsView<&'static str>,
    pub adrs: Vec<AdrView>,
    /// The domain modules, in declaration order.
    pub entities: Vec<entity::EntityView>,
    /// Columns added to existing entity tables, one migration each.
    pub field_additions: Vec<entity::FieldAddition>,
    /// Whether any entity has a `decimal` field (the project then depends on rust_decimal).
    pub uses_decimal: bool,
    /// Whether any entity stores a field as text that is parsed on the way out (an enum or a
    /// decimal): the storage code then needs its text-column decoder.
    pub uses_text_columns: bool,
    /// Every catalog capability by id, `true` when the project has it, e.g.
    /// `capabilities.ledger` (every key is present, so `when` conditions can test any).
    pub capabilities: BTreeMap<&'static str, bool>,
    /// The project's capabilities in Spec order, with their migration and ADR.
    pub capability_modules: Vec<CapabilityView>,
    /// The migration version of each capability the project has, by id (for file names).
    pub capability_migration: BTreeMap<&'static str, String>,
}

#[derive(Debug, Serialize)]
pub struct CapabilityView {
    pub name: &'static str,
    pub label: &'static str,
    pub summary: &'static str,
    pub migration: String,
    /// Four digits: capability ADRs follow the decision ADRs, in the order they were added.
    pub adr_number: String,
    pub adr_slug: &'static str,
    pub requires: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct GeneratorView {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ProjectView {
    /// As typed, e.g. `my-service`: the directory, package and binary name.
    pub name: String,
    /// The Rust crate name, e.g. `my_service`.
    pub crate_name: String,
    pub created: String,
    pub preset: Option<String>,
}

/// Every requirement key is present; unstated answers are `none`.
#[derive(Debug, Serialize)]
pub struct RequirementsView {
    pub domain: Option<String>,
    pub load: Option<&'static str>,
    pub consistency: Option<&'static str>,
    pub team: Option<&'static str>,
    pub integrations: Vec<&'static str>,
    pub data_sensitivity: Option<&'static str>,
    pub deployment: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct DecisionsView<T> {
    pub stack: T,
    pub topology: T,
    pub architecture: T,
    pub database: T,
    pub auth: T,
    pub errors: T,
}

pub const GENERATOR_NAME: &str = env!("CARGO_PKG_NAME");
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn build(spec: &Spec, support: &Support) -> Context {
    let r = &spec.requirements;
    let d = &spec.decisions;
    let adrs = adrs(spec, support);
    // Decision ADRs are 0002.. (0001 is the decision to keep ADRs).
    let first_capability_adr = adrs.len() + 2;
    Context {
        generator: GeneratorView {
            name: GENERATOR_NAME,
            version: GENERATOR_VERSION,
        },
        project: ProjectView {
            name: spec.name.to_string(),
            crate_name: crate::naming::snake(spec.name.as_str()),
            created: spec.created.clone(),
            preset: spec.preset.clone(),
        },
        requirements: RequirementsView {
            domain: r.domain.clone(),
            load: r.load.map(Choice::id),
            consistency: r.consistency.map(Choice::id),
            team: r.team.map(Choice::id),
            integrations: r.integration_list().iter().map(|i| i.id()).collect(),
            data_sensitivity: r.data_sensitivity.map(Choice::id),
            deployment: r.deployment.map(Choice::id),
        },
        requirement_lines: r.statements(),
        decisions: DecisionsView {
            stack: d.stack.id(),
            topology: d.topology.id(),
            architecture: d.architecture.id(),
            database: d.database.id(),
            auth: d.auth.id(),
            errors: d.errors.id(),
        },
        labels: DecisionsView {
            stack: d.stack.label(),
            topology: d.topology.label(),
            architecture: d.architecture.label(),
            database: d.database.label(),
            auth: d.auth.label(),
            errors: d.errors.label(),
        },
        adrs,
        entities: entity::views(spec),
        field_additions: entity::additions(spec),
        uses_decimal: spec
            .entities
            .iter()
            .flat_map(|e| &e.fields)
            .any(|f| f.ty == crate::spec::FieldType::Decimal),
        uses_text_columns: spec.entities.iter().flat_map(|e| &e.fields).any(|f| {
            matches!(
                f.ty,
                crate::spec::FieldType::Enum(_) | crate::spec::FieldType::Decimal
            )
        }),
        capabilities: Capability::ALL
            .iter()
            .map(|c| (c.id(), spec.has(*c)))
            .collect(),
        capability_migration: spec
            .capabilities
            .iter()
            .enumerate()
            .map(|(index, module)| (module.name.id(), spec.capability_migration(index)))
            .collect(),
        capability_modules: spec
            .capabilities
            .iter()
            .enumerate()
            .map(|(index, module)| CapabilityView {
                name: module.name.id(),
                label: module.name.label(),
                summary: module.name.describe(),
                migration: spec.capability_migration(index),
                adr_number: format!("{:04}", first_capability_adr + index),
                adr_slug: module.name.adr_slug(),
                requires: module.name.requires().iter().map(|r| r.id()).collect(),
            })
            .collect(),
    }
}
