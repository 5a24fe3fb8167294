//! The architecture decisions, their options, and what each option costs and buys. The
//! questionnaire shows these; the ADRs quote the pros and cons of every considered option.

use serde::{Deserialize, Serialize};

use super::choice::{Choice, choice_enum};

/// An architecture decision: one ADR, one questionnaire step, one command-line flag.
pub trait Decision: Choice {
    /// The ADR title, e.g. "Database".
    const TITLE: &'static str;
    /// The question the questionnaire asks.
    const QUESTION: &'static str;
    /// The command-line flag that sets it.
    const FLAG: &'static str;
    /// What the option buys.
    fn pros(self) -> &'static [&'static str];
    /// What the option costs.
    fn cons(self) -> &'static [&'static str];
}

choice_enum! {
    /// The language and framework of the generated service.
    Stack, key = "stack",
    {
        RustAxum = "rust-axum", "Rust + axum", "Rust with axum, sqlx and tokio",
    }
}

impl Decision for Stack {
    const TITLE: &'static str = "Implementation stack";
    const QUESTION: &'static str = "Stack";
    const FLAG: &'static str = "--stack";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::RustAxum => &[
                "memory safety and data-race freedom are checked by the compiler",
                "predictable latency without a garbage collector; small container images",
                "sqlx, serde and the type system catch whole classes of bugs before review",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::RustAxum => &[
                "longer compile times than interpreted stacks, especially cold builds in CI",
                "a smaller hiring pool than Java, Go or TypeScript",
            ],
        }
    }
}

choice_enum! {
    /// How many deployables the system is split into.
    Topology, key = "topology",
    {
        Monolith = "monolith", "modular monolith", "one deployable with clear module boundaries",
        Services = "services", "services", "several independently deployed services",
    }
}

impl Decision for Topology {
    const TITLE: &'static str = "Service topology";
    const QUESTION: &'static str = "Topology";
    const FLAG: &'static str = "--topology";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::Monolith => &[
                "one build, one deploy, one process to observe and debug",
                "transactions span modules without distributed coordination",
                "refactoring across module boundaries is an ordinary code change",
            ],
            Self::Services => &[
                "teams deploy and scale their parts independently",
                "a failure or a hot spot stays inside one service",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::Monolith => &[
                "all modules scale together; one hot path scales the whole process",
                "module boundaries are kept by discipline and review, not by the network",
            ],
            Self::Services => &[
                "distributed transactions, retries and versioned contracts between services",
                "more to operate: deploys, dashboards and on-call per service",
                "latency and failure modes of the network on every internal call",
            ],
        }
    }
}

choice_enum! {
    /// How the code inside one service is organised.
    Architecture, key = "architecture",
    {
        Layered = "layered", "layered", "handlers -> services -> repositories",
        Hexagonal = "hexagonal", "hexagonal", "domain and ports at the centre, adapters at the edge",
    }
}

impl Decision for Architecture {
    const TITLE: &'static str = "Internal architecture";
    const QUESTION: &'static str = "Internal architecture";
    const FLAG: &'static str = "--arch";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::Layered => &[
                "the least ceremony: a request goes handler -> service -> repository",
                "familiar to almost every backend engineer; easy onboarding",
            ],
            Self::Hexagonal => &[
                "business rules live in a domain free of HTTP and SQL, tested without either",
                "each external system sits behind a port and can be replaced or faked",
                "the dependency rule (adapters -> application -> domain) is visible in the folders",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::Layered => &[
                "services tend to depend on database types; swapping an integration touches business code",
                "business rules drift into handlers or SQL unless reviews push back",
            ],
            Self::Hexagonal => &[
                "more types and mapping code (domain <-> DTO <-> row) for simple CRUD",
                "newcomers need the ports-and-adapters vocabulary",
            ],
        }
    }
}

choice_enum! {
    /// The system of record.
    Database, key = "database",
    {
        Sqlite = "sqlite", "SQLite", "embedded, a file beside the binary, zero setup",
        Postgres = "postgres", "PostgreSQL", "a server with full transactions, row locks and rich types",
        Mysql = "mysql", "MySQL / MariaDB", "a server common in existing estates",
    }
}

impl Decision for Database {
    const TITLE: &'static str = "Database";
    const QUESTION: &'static str = "Database";
    const FLAG: &'static str = "--db";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::Sqlite => &[
                "zero setup: `cargo run` works on a fresh machine",
                "no network hop; very fast for a single writer",
                "backups are a file copy (or Litestream-style streaming)",
            ],
            Self::Postgres => &[
                "full ACID transactions with row-level locks and SERIALIZABLE isolation",
                "many concurrent writers; replicas and managed offerings everywhere",
                "CHECK constraints, partial indexes, JSONB and triggers guard data in the database",
            ],
            Self::Mysql => &[
                "widely operated; many teams already run it",
                "mature replication and managed offerings",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::Sqlite => &[
                "one writer at a time; write-heavy load queues up",
                "one file on one host: no shared database for several replicas",
            ],
            Self::Postgres => &[
                "a server to run, back up, upgrade and monitor",
                "local development and tests need a running instance",
            ],
            Self::Mysql => &[
                "weaker defaults (isolation, silent truncation) need careful configuration",
                "fewer constraint and type features than PostgreSQL",
            ],
        }
    }
}

choice_enum! {
    /// How callers prove who they are.
    Auth, key = "auth",
    {
        Jwt = "jwt", "JWT", "short-lived access tokens plus rotating refresh tokens",
        Session = "session", "server-side sessions", "an opaque session id in a secure cookie",
        ApiKey = "api-key", "API keys", "long-lived keys for machine clients",
        Oidc = "oidc", "OpenID Connect", "tokens from an external identity provider, checked against its JWKS",
    }
}

impl Decision for Auth {
    const TITLE: &'static str = "Authentication model";
    const QUESTION: &'static str = "Authentication";
    const FLAG: &'static str = "--auth";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::Jwt => &[
                "stateless verification on every request; no session lookup",
                "works the same for browsers, mobile apps and services",
                "refresh rotation with reuse detection revokes a stolen token family",
            ],
            Self::Session => &[
                "instant revocation: delete the session row",
                "nothing sensitive lives in the client",
            ],
            Self::ApiKey => &[
                "simplest for server-to-server clients",
                "keys can be scoped and rotated per client",
            ],
            Self::Oidc => &[
                "users, MFA and password policy stay with a dedicated identity provider",
                "single sign-on across the organisation's applications",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::Jwt => &[
                "an access token stays valid until it expires (kept to 15 minutes)",
                "a signing secret to manage and rotate",
            ],
            Self::Session => &[
                "a database or cache lookup on every request",
                "CSRF protection needed for cookie-based browsers",
            ],
            Self::ApiKey => &[
                "long-lived secrets; a leaked key works until it is revoked",
                "no notion of an end user",
            ],
            Self::Oidc => &[
                "depends on an external provider being reachable and configured",
                "local development needs a provider or a fake one",
            ],
        }
    }
}

choice_enum! {
    /// The body of every error response.
    ErrorFormat, key = "errors",
    {
        Problem = "problem", "RFC 9457 problem+json", "application/problem+json with type, title, status, detail, code",
        Envelope = "envelope", "BEK envelope", "{\"error\":{code,message,details,requestId}}",
    }
}

impl Decision for ErrorFormat {
    const TITLE: &'static str = "Error response format";
    const QUESTION: &'static str = "Error format";
    const FLAG: &'static str = "--errors";
    fn pros(self) -> &'static [&'static str] {
        match self {
            Self::Problem => &[
                "an IETF standard that gateways, client libraries and API tools understand",
                "a stable `code` field lets clients branch without parsing text",
            ],
            Self::Envelope => &[
                "one predictable `error` object that some front-end teams already expect",
                "camelCase fields match JavaScript clients",
            ],
        }
    }
    fn cons(self) -> &'static [&'static str] {
        match self {
            Self::Problem => {
                &["clients must read the `application/problem+json` media type, not only JSON"]
            }
            Self::Envelope => &["a house format: generic tooling does not know it"],
        }
    }
}

/// The decisions of a project, each possibly still open (`None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<Stack>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<Topology>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Architecture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<Database>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<ErrorFormat>,
}

impl DecisionAnswers {
    /// Fills every decision this set leaves open from `lower`.
    pub fn or(self, lower: DecisionAnswers) -> DecisionAnswers {
        DecisionAnswers {
            stack: self.stack.or(lower.stack),
            topology: self.topology.or(lower.topology),
            architecture: self.architecture.or(lower.architecture),
            database: self.database.or(lower.database),
            auth: self.auth.or(lower.auth),
            errors: self.errors.or(lower.errors),
        }
    }
}

/// Every decision of a project, all taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    pub stack: Stack,
    pub topology: Topology,
    pub architecture: Architecture,
    pub database: Database,
    pub auth: Auth,
    pub errors: ErrorFormat,
}

impl From<Decisions> for DecisionAnswers {
    fn from(d: Decisions) -> Self {
        DecisionAnswers {
            stack: Some(d.stack),
            topology: Some(d.topology),
            architecture: Some(d.architecture),
            database: Some(d.database),
            auth: Some(d.auth),
            errors: Some(d.errors),
        }
    }
}
