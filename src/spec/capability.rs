//! Capabilities: ready-made modules of business logic a project can carry next to its entity
//! modules (the fintech preset's ledger, transfers, fraud rules and audit chain). Each is one
//! decision in its own right, so each gets its own ADR, and each is recorded in `bek.toml`
//! so that `bek-new add` knows what a project has.
//!
//! Capabilities build on each other (transfers post to the ledger, the ledger writes the
//! audit chain); a Spec always holds the closure of what was asked for, in an order where
//! every capability comes after the ones it needs.

use serde::{Deserialize, Serialize};

use crate::spec::choice::choice_enum;

choice_enum! {
    /// A module of business logic from the catalog.
    Capability, key = "capability",
    {
        Audit = "audit", "Audit log",
            "append-only, hash-chained audit events written in the transaction of every change, with a verify endpoint",
        Ledger = "ledger", "Accounts and double-entry ledger",
            "accounts in integer minor units, balanced journal entries, per-currency settlement accounts, admin deposits",
        Fraud = "fraud", "Fraud rules",
            "max amount, velocity and new-account rules evaluated before money moves: allow, review or deny, with reasons",
        Transfers = "transfers", "Transfers",
            "idempotent, concurrency-safe transfers between accounts, held for review or rejected by the fraud rules",
        Webhooks = "webhooks", "Webhooks out",
            "ledger events written to an outbox in the same transaction, delivered by an in-service worker with Standard Webhooks signatures, retries, dead-lettering and a circuit breaker",
        Psp = "psp", "Payment provider webhooks in",
            "signed, replay-safe webhooks from a payment provider; a succeeded payment becomes a deposit",
    }
}

impl Capability {
    /// The capabilities this one cannot work without.
    pub fn requires(self) -> &'static [Capability] {
        match self {
            Capability::Audit => &[],
            Capability::Ledger => &[Capability::Audit],
            Capability::Fraud => &[Capability::Ledger],
            Capability::Transfers => &[Capability::Ledger, Capability::Fraud],
            Capability::Webhooks => &[Capability::Ledger],
            Capability::Psp => &[Capability::Ledger],
        }
    }

    /// Module and table names it owns, which entities may not take (singular and plural).
    pub fn owned_names(self) -> &'static [&'static str] {
        match self {
            Capability::Audit => &["audit", "audits", "audit_event", "audit_events"],
            Capability::Ledger => &[
                "ledger",
                "ledgers",
                "account",
                "accounts",
                "journal_entry",
                "journal_entries",
                "posting",
                "postings",
                "deposit",
                "deposits",
            ],
            Capability::Fraud => &["fraud", "frauds"],
            Capability::Transfers => &["transfer", "transfers"],
            Capability::Webhooks => &[
                "webhook",
                "webhooks",
                "webhook_endpoint",
                "webhook_endpoints",
                "webhook_delivery",
                "webhook_deliveries",
                "outbox",
                "outbox_event",
                "outbox_events",
            ],
            Capability::Psp => &["psp", "psps", "psp_event", "psp_events"],
        }
    }

    /// The slug of its ADR file, e.g. `double-entry-ledger`.
    pub fn adr_slug(self) -> &'static str {
        match self {
            Capability::Audit => "hash-chained-audit-log",
            Capability::Ledger => "double-entry-ledger",
            Capability::Fraud => "fraud-rules-before-posting",
            Capability::Transfers => "idempotent-transfers",
            Capability::Webhooks => "outbox-and-signed-webhooks",
            Capability::Psp => "verified-psp-webhooks",
        }
    }
}

/// A capability as a project records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityModule {
    pub name: Capability,
    /// The version of the migration that creates its tables (`YYYYMMDDhhmmss`), recorded for
    /// capabilities added after the project was created; those present from the start take
    /// the creation day's sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<String>,
}

/// `wanted` and everything it requires, each once, every one after its requirements; the
/// order of `wanted` is kept where the requirements allow it.
pub fn closure(wanted: &[Capability]) -> Vec<Capability> {
    fn visit(capability: Capability, out: &mut Vec<Capability>) {
        if out.contains(&capability) {
            return;
        }
        for required in capability.requires() {
            visit(*required, out);
        }
        out.push(capability);
    }
    let mut out = Vec::new();
    for capability in wanted {
        visit(*capability, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Choice;

    #[test]
    fn closure_puts_requirements_first_and_keeps_each_once() {
        assert_eq!(
            closure(&[Capability::Transfers]),
            vec![
                Capability::Audit,
                Capability::Ledger,
                Capability::Fraud,
                Capability::Transfers
            ]
        );
        assert_eq!(
            closure(&[Capability::Audit, Capability::Ledger, Capability::Audit]),
            vec![Capability::Audit, Capability::Ledger]
        );
    }

    #[test]
    fn every_requirement_is_declared_before_its_dependant() {
        for (index, capability) in Capability::ALL.iter().enumerate() {
            for required in capability.requires() {
                let at = Capability::ALL.iter().position(|c| c == required).unwrap();
                assert!(at < index, "{capability} needs {required}, declared later");
            }
        }
    }

    #[test]
    fn an_unknown_capability_names_the_catalog() {
        let err = "ledgr".parse::<Capability>().unwrap_err();
        assert!(
            err.contains("`ledgr`") && err.contains("ledger, fraud"),
            "{err}"
        );
    }
}
