//! The recommendation rules: requirement answers in, one pre-selected option and a one-line
//! reason per decision out. Plain functions over data, so the table-driven tests read like the
//! rules themselves. `--yes` and the questionnaire use the same rules.
//!
//! Each rule lists candidates best-first; the first one a template pack can render wins. When a
//! better-fitting option is not available yet, the reason says so, and the recommendation never
//! points at it.

use crate::spec::{
    Architecture, Auth, Choice, Consistency, Database, Decision, Deployment, ErrorFormat,
    Integration, Load, Requirements, Sensitivity, Stack, Support, Team, Topology,
};

/// The option a rule pre-selects and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation<T> {
    pub choice: T,
    pub reason: String,
}

/// One recommendation per decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendations {
    pub stack: Recommendation<Stack>,
    pub topology: Recommendation<Topology>,
    pub architecture: Recommendation<Architecture>,
    pub database: Recommendation<Database>,
    pub auth: Recommendation<Auth>,
    pub errors: Recommendation<ErrorFormat>,
}

pub fn recommend(req: &Requirements, support: &Support) -> Recommendations {
    Recommendations {
        stack: pick(stack_candidates(), support),
        topology: pick(topology_candidates(req), support),
        architecture: pick(architecture_candidates(req), support),
        database: pick(database_candidates(req), support),
        auth: pick(auth_candidates(req), support),
        errors: pick(error_candidates(req), support),
    }
}

type Candidates<T> = Vec<(T, String)>;

/// The first available candidate; if better ones were skipped, the reason names them.
fn pick<T: Decision>(candidates: Candidates<T>, support: &Support) -> Recommendation<T> {
    let mut skipped = Vec::new();
    for (choice, reason) in candidates {
        if support.allows(choice) {
            let reason = if skipped.is_empty() {
                reason
            } else {
                format!(
                    "{reason} ({} would fit better but is not available yet)",
                    skipped.join(", ")
                )
            };
            return Recommendation { choice, reason };
        }
        skipped.push(choice.id());
    }
    // Every pack renders at least one option per decision (a test checks the packs), so this
    // only runs if a pack's `supports` forgot the always-available first option.
    let choice = T::ALL[0];
    Recommendation {
        choice,
        reason: format!("{} is the only option", choice.label()),
    }
}

fn stack_candidates() -> Candidates<Stack> {
    vec![(
        Stack::RustAxum,
        "Rust + axum gives compile-time safety and predictable latency".to_string(),
    )]
}

fn topology_candidates(req: &Requirements) -> Candidates<Topology> {
    let monolith = (
        Topology::Monolith,
        match (req.team, req.load) {
            (Some(Team::Several), _) => "several teams, but one deployable handles the load; module boundaries keep a later split cheap".to_string(),
            (_, Some(Load::High)) => "one team owns it; a stateless monolith scales out behind a load balancer".to_string(),
            _ => "one team and moderate load: one deployable is the simplest thing to build and run".to_string(),
        },
    );
    if req.team == Some(Team::Several) && req.load == Some(Load::High) {
        vec![
            (
                Topology::Services,
                "several teams and ~1M requests/min: independent deploys and scaling pay for the operational cost".to_string(),
            ),
            monolith,
        ]
    } else {
        vec![monolith]
    }
}

fn architecture_candidates(req: &Requirements) -> Candidates<Architecture> {
    let integrations = req.integration_list();
    let hexagonal_reason = if integrations.len() >= 2 {
        let names: Vec<_> = integrations.iter().map(|i| i.id()).collect();
        Some(format!(
            "{} external integrations ({}): ports keep each one swappable and testable",
            integrations.len(),
            names.join(", ")
        ))
    } else if req.is_regulated() && req.consistency == Some(Consistency::Strong) {
        Some("regulated data with strong consistency: business rules deserve a domain core free of HTTP and SQL".to_string())
    } else if req.team == Some(Team::Several) {
        Some("several teams: ports make the boundaries between their code explicit".to_string())
    } else {
        None
    };
    match hexagonal_reason {
        Some(reason) => vec![(Architecture::Hexagonal, reason)],
        None => vec![(
            Architecture::Layered,
            "small team, few integrations: handler -> service -> repository is the least ceremony"
                .to_string(),
        )],
    }
}

fn database_candidates(req: &Requirements) -> Candidates<Database> {
    let server_reason = if req.consistency == Some(Consistency::Strong) {
        Some(
            "strong consistency: transactions with row locks and SERIALIZABLE isolation"
                .to_string(),
        )
    } else if matches!(req.load, Some(Load::Medium) | Some(Load::High)) {
        Some(format!(
            "{}: many concurrent writers, which SQLite would serialise",
            req.load.map(|l| l.label()).unwrap_or_default()
        ))
    } else if req.deployment == Some(Deployment::Kubernetes) {
        Some("Kubernetes runs several replicas; they need one shared database server".to_string())
    } else if req.is_regulated() {
        Some(
            "regulated data: audit triggers, roles and managed backups of a database server"
                .to_string(),
        )
    } else if req.team == Some(Team::Several) {
        Some("several teams: a shared server with roles and migrations per module".to_string())
    } else {
        None
    };
    match server_reason {
        Some(reason) => vec![(Database::Postgres, reason)],
        None => vec![(
            Database::Sqlite,
            "nothing calls for a database server: SQLite is embedded and needs zero setup"
                .to_string(),
        )],
    }
}

fn auth_candidates(req: &Requirements) -> Candidates<Auth> {
    let reason = match req.data_sensitivity {
        Some(Sensitivity::Pci) | Some(Sensitivity::Hipaa) => {
            "regulated data: 15-minute access tokens and refresh rotation with reuse detection limit a leaked token's reach"
        }
        _ if req.integration_list().contains(&Integration::ExternalApis) => {
            "API clients of every kind (browser, mobile, services) verify one bearer token statelessly"
        }
        _ => {
            "stateless bearer tokens with rotating refresh tokens suit browsers, mobile apps and services alike"
        }
    };
    vec![(Auth::Jwt, reason.to_string())]
}

fn error_candidates(_req: &Requirements) -> Candidates<ErrorFormat> {
    vec![(
        ErrorFormat::Problem,
        "RFC 9457 problem+json is the standard clients, gateways and API tools understand"
            .to_string(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Support;

    fn req(
        load: Option<Load>,
        consistency: Option<Consistency>,
        team: Option<Team>,
        integrations: &[Integration],
        sensitivity: Option<Sensitivity>,
        deployment: Option<Deployment>,
    ) -> Requirements {
        Requirements {
            domain: None,
            load,
            consistency,
            team,
            integrations: Some(integrations.to_vec()),
            data_sensitivity: sensitivity,
            deployment,
        }
    }

    /// (requirements, topology, architecture, database) — one row per rule.
    #[test]
    fn rules_table() {
        use Architecture::*;
        use Database::*;
        use Topology::*;
        let none = Requirements::default();
        let rows: Vec<(&str, Requirements, Topology, Architecture, Database)> = vec![
            ("nothing stated", none, Monolith, Layered, Sqlite),
            (
                "small team, low load",
                req(
                    Some(Load::Low),
                    Some(Consistency::Eventual),
                    Some(Team::Small),
                    &[],
                    Some(Sensitivity::None),
                    Some(Deployment::Vm),
                ),
                Monolith,
                Layered,
                Sqlite,
            ),
            (
                "strong consistency",
                req(None, Some(Consistency::Strong), None, &[], None, None),
                Monolith,
                Layered,
                Postgres,
            ),
            (
                "medium load",
                req(Some(Load::Medium), None, None, &[], None, None),
                Monolith,
                Layered,
                Postgres,
            ),
            (
                "kubernetes",
                req(
                    Some(Load::Low),
                    None,
                    None,
                    &[],
                    None,
                    Some(Deployment::Kubernetes),
                ),
                Monolith,
                Layered,
                Postgres,
            ),
            (
                "two integrations",
                req(
                    None,
                    None,
                    None,
                    &[Integration::Email, Integration::Webhooks],
                    None,
                    None,
                ),
                Monolith,
                Hexagonal,
                Sqlite,
            ),
            (
                "one integration",
                req(None, None, None, &[Integration::Email], None, None),
                Monolith,
                Layered,
                Sqlite,
            ),
            (
                "regulated + strong",
                req(
                    None,
                    Some(Consistency::Strong),
                    None,
                    &[],
                    Some(Sensitivity::Pci),
                    None,
                ),
                Monolith,
                Hexagonal,
                Postgres,
            ),
            (
                "several teams",
                req(Some(Load::Low), None, Some(Team::Several), &[], None, None),
                Monolith,
                Hexagonal,
                Postgres,
            ),
            (
                "several teams + 1M rpm, services not available",
                req(Some(Load::High), None, Some(Team::Several), &[], None, None),
                Monolith,
                Hexagonal,
                Postgres,
            ),
        ];
        let support = Support::rust_axum_for_tests();
        for (label, requirements, topology, architecture, database) in rows {
            let got = recommend(&requirements, &support);
            assert_eq!(got.topology.choice, topology, "{label}");
            assert_eq!(got.architecture.choice, architecture, "{label}");
            assert_eq!(got.database.choice, database, "{label}");
            assert_eq!(got.auth.choice, Auth::Jwt, "{label}");
            assert_eq!(got.errors.choice, ErrorFormat::Problem, "{label}");
        }
    }

    #[test]
    fn unavailable_best_fit_is_named_but_never_recommended() {
        let requirements = req(Some(Load::High), None, Some(Team::Several), &[], None, None);
        let got = recommend(&requirements, &Support::rust_axum_for_tests());
        assert_eq!(got.topology.choice, Topology::Monolith);
        assert!(
            got.topology
                .reason
                .contains("services would fit better but is not available yet")
        );

        let all = Support::everything();
        let got = recommend(&requirements, &all);
        assert_eq!(got.topology.choice, Topology::Services);
    }

    #[test]
    fn reasons_quote_the_answers() {
        let requirements = req(
            None,
            None,
            None,
            &[Integration::PaymentGateway, Integration::Webhooks],
            None,
            None,
        );
        let got = recommend(&requirements, &Support::rust_axum_for_tests());
        assert!(
            got.architecture
                .reason
                .contains("payment-gateway, webhooks"),
            "{}",
            got.architecture.reason
        );
        let loaded = req(Some(Load::Medium), None, None, &[], None, None);
        let got = recommend(&loaded, &Support::rust_axum_for_tests());
        assert!(
            got.database.reason.contains("~10k requests/min"),
            "{}",
            got.database.reason
        );
    }
}
