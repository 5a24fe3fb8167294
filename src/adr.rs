//! Architecture decision records: one per decision, written from the Spec. The prose lives in
//! the `common` pack's templates; this module computes what is specific to the project — which
//! requirement answers drove the decision, what the rules recommended and why, whether the team
//! followed that, and the consequences for *these* answers.

use serde::Serialize;

use crate::recommend::{Recommendation, recommend};
use crate::spec::{
    Architecture, Auth, Choice, Consistency, Database, Decision, Deployment, Load, Requirements,
    Spec, Support, Team, Topology,
};

/// One option as an ADR lists it.
#[derive(Debug, Serialize)]
pub struct OptionView {
    pub id: &'static str,
    pub label: &'static str,
    pub summary: &'static str,
    pub pros: &'static [&'static str],
    pub cons: &'static [&'static str],
    /// Whether a template pack can render it today.
    pub available: bool,
}

/// Everything one decision's ADR needs.
#[derive(Debug, Serialize)]
pub struct AdrView {
    /// Four digits, e.g. `0004`.
    pub number: String,
    pub slug: &'static str,
    pub title: &'static str,
    pub key: &'static str,
    pub flag: &'static str,
    /// The requirement answers that bear on this decision, quoted; stated ones first.
    pub drivers: Vec<String>,
    /// Requirement questions that bear on this decision but were left unanswered.
    pub unstated: Vec<&'static str>,
    pub chosen: OptionView,
    pub recommended: OptionView,
    pub recommendation_reason: String,
    /// Whether the chosen option is the recommended one.
    pub followed: bool,
    /// Every option of the decision, chosen one included.
    pub considered: Vec<OptionView>,
    /// Consequences that follow from these particular answers (beyond the option's pros/cons).
    pub specific_consequences: Vec<String>,
}

/// The ADRs of a project, numbered from 0002 (0001 records the decision to keep ADRs).
pub fn adrs(spec: &Spec, support: &Support) -> Vec<AdrView> {
    let req = &spec.requirements;
    let d = &spec.decisions;
    let rec = recommend(req, support);
    let mut list = vec![
        view(
            spec,
            support,
            "implementation-stack",
            d.stack,
            rec.stack,
            &["load", "team"],
        ),
        view(
            spec,
            support,
            "service-topology",
            d.topology,
            rec.topology,
            &["team", "load", "deployment"],
        ),
        view(
            spec,
            support,
            "internal-architecture",
            d.architecture,
            rec.architecture,
            &["integrations", "team", "consistency", "data_sensitivity"],
        ),
        view(
            spec,
            support,
            "database",
            d.database,
            rec.database,
            &[
                "consistency",
                "load",
                "deployment",
                "data_sensitivity",
                "team",
            ],
        ),
        view(
            spec,
            support,
            "authentication-model",
            d.auth,
            rec.auth,
            &["data_sensitivity", "integrations"],
        ),
        view(
            spec,
            support,
            "error-format",
            d.errors,
            rec.errors,
            &["integrations"],
        ),
    ];
    for (index, adr) in list.iter_mut().enumerate() {
        adr.number = format!("{:04}", index + 2);
    }
    list
}

fn option<T: Decision>(value: T, support: &Support) -> OptionView {
    OptionView {
        id: value.id(),
        label: value.label(),
        summary: value.describe(),
        pros: value.pros(),
        cons: value.cons(),
        available: support.allows(value),
    }
}

fn view<T: Decision>(
    spec: &Spec,
    support: &Support,
    slug: &'static str,
    chosen: T,
    rec: Recommendation<T>,
    driver_keys: &[&'static str],
) -> AdrView {
    let (drivers, unstated) = drivers(&spec.requirements, driver_keys);
    AdrView {
        number: String::new(),
        slug,
        title: T::TITLE,
        key: T::KEY,
        flag: T::FLAG,
        drivers,
        unstated,
        chosen: option(chosen, support),
        recommended: option(rec.choice, support),
        recommendation_reason: rec.reason,
        followed: chosen == rec.choice,
        considered: T::ALL.iter().map(|v| option(*v, support)).collect(),
        specific_consequences: specific_consequences(spec, T::KEY),
    }
}

/// The quoted answers for `keys`, and the keys nobody answered.
fn drivers(req: &Requirements, keys: &[&'static str]) -> (Vec<String>, Vec<&'static str>) {
    let mut stated = Vec::new();
    let mut unstated = Vec::new();
    for key in keys {
        let line = match *key {
            "load" => req
                .load
                .map(|v| format!("expected load {} ({})", v.label(), v.describe())),
            "consistency" => req
                .consistency
                .map(|v| format!("{} consistency: {}", v.label(), v.describe())),
            "team" => req.team.map(|v| format!("built by {}", v.label())),
            "integrations" => req.integrations.as_ref().map(|list| {
                if list.is_empty() {
                    "no external integrations".to_string()
                } else {
                    let names: Vec<_> = list.iter().map(|i| i.label()).collect();
                    format!("integrates with {}", names.join(", "))
                }
            }),
            "data_sensitivity" => req
                .data_sensitivity
                .map(|v| format!("stores {}", v.label())),
            "deployment" => req.deployment.map(|v| format!("runs on {}", v.label())),
            _ => None,
        };
        match line {
            Some(line) => stated.push(line),
            None => unstated.push(*key),
        }
    }
    (stated, unstated)
}

/// Consequences that only follow from the combination of this project's answers and choices.
fn specific_consequences(spec: &Spec, key: &str) -> Vec<String> {
    let req = &spec.requirements;
    let d = &spec.decisions;
    let mut out = Vec::new();
    match key {
        "topology" => {
            if d.topology == Topology::Monolith && req.team == Some(Team::Several) {
                out.push("Several teams share one deployable: agree on module ownership (CODEOWNERS) and keep modules from reaching into each other's tables.".to_string());
            }
            if d.topology == Topology::Monolith && req.load == Some(Load::High) {
                out.push("At ~1M requests/min the monolith must stay stateless so it can run many replicas behind a load balancer.".to_string());
            }
        }
        "architecture" => {
            if d.architecture == Architecture::Layered && req.integration_list().len() >= 2 {
                out.push("Several integrations in a layered service: wrap each vendor client in its own module behind a small trait so services do not depend on vendor SDK types.".to_string());
            }
            if d.architecture == Architecture::Hexagonal {
                out.push("Every external system gets a port (a trait in the domain) and an adapter; tests of use cases replace adapters, never the domain.".to_string());
            }
        }
        "database" => {
            if d.database == Database::Sqlite && req.deployment == Some(Deployment::Kubernetes) {
                out.push("SQLite is a file on one volume: the Deployment must stay at one replica (no HPA scale-out) until the service moves to PostgreSQL.".to_string());
            }
            if d.database == Database::Sqlite && req.consistency == Some(Consistency::Strong) {
                out.push("Strong consistency on SQLite relies on one writer at a time (BEGIN IMMEDIATE); write throughput is bounded by one connection.".to_string());
            }
            if d.database == Database::Sqlite {
                out.push("The database file runs in write-ahead-log mode: readers never wait for the writer, writers queue up to 30 s, and backups use SQLite's online backup (`.backup`), not a copy of the file.".to_string());
            }
            if d.database == Database::Sqlite {
                out.push("Every transaction that reads and then writes starts with `BEGIN IMMEDIATE`, taking the write lock up front: a write never fails because another request wrote in between (a deferred transaction would fail at once with `SQLITE_BUSY_SNAPSHOT`); writers take turns.".to_string());
            }
            if d.database == Database::Postgres {
                out.push("Local development and the test suite need a PostgreSQL server; `DATABASE_URL` points at it.".to_string());
                out.push("A change reads its row with `SELECT … FOR UPDATE`: concurrent changes to one row take turns, and none is lost or refused.".to_string());
            }
            out.push("Without `If-Match`, a PATCH or DELETE applies to the current version (the last writer wins); `412 Precondition Failed` answers only an `If-Match` that names an old version.".to_string());
            if req.is_regulated() {
                out.push("Backups of regulated data must be encrypted and their restore rehearsed; the runbook records how.".to_string());
            }
        }
        "auth" if d.auth == Auth::Jwt => {
            out.push("The signing secret (`JWT_SECRET`) must be at least 32 random bytes in production and never committed; rotating it ends every session.".to_string());
        }
        _ => {}
    }
    out
}
