//! The requirement answers that open an architecture review. They become the Context of every
//! ADR and drive the recommendations; each one may be left unstated.

use serde::{Deserialize, Serialize};

use super::choice::{Choice, choice_enum};

choice_enum! {
    /// Expected request rate at peak.
    Load, key = "load",
    {
        Low = "low", "~100 requests/min", "a few users or an internal tool",
        Medium = "medium", "~10k requests/min", "a busy product API",
        High = "high", "~1M requests/min", "sustained heavy traffic that needs horizontal scaling",
    }
}

choice_enum! {
    /// How correct every read must be right after a write.
    Consistency, key = "consistency",
    {
        Strong = "strong", "strong", "every read sees the latest committed write (money, stock, bookings)",
        Eventual = "eventual", "eventual", "short staleness is acceptable (feeds, analytics, catalogs)",
    }
}

choice_enum! {
    /// Who builds and runs the service.
    Team, key = "team",
    {
        Small = "small", "one team of 1-5 people", "one team owns the whole service",
        Several = "several", "several teams", "several teams ship parts of the system independently",
    }
}

choice_enum! {
    /// External systems the service talks to.
    Integration, key = "integration",
    {
        PaymentGateway = "payment-gateway", "a payment gateway", "card or bank payments through a provider",
        Email = "email", "e-mail delivery", "transactional e-mail through a provider",
        Sms = "sms", "SMS delivery", "text messages through a provider",
        Webhooks = "webhooks", "outgoing webhooks", "customers receive signed event callbacks",
        MessageBroker = "message-broker", "a message broker", "events exchanged with other services",
        ExternalApis = "external-apis", "third-party APIs", "other vendors' HTTP APIs",
    }
}

choice_enum! {
    /// The most sensitive data the service stores.
    Sensitivity, key = "data_sensitivity",
    {
        None = "none", "no sensitive data", "nothing personal or regulated",
        Pii = "pii", "personal data (PII)", "names, e-mail addresses, postal addresses",
        Pci = "pci", "payment data (PCI-adjacent)", "card or account data in scope of PCI DSS",
        Hipaa = "hipaa", "health data (HIPAA)", "protected health information",
    }
}

choice_enum! {
    /// Where the service runs.
    Deployment, key = "deployment",
    {
        Containers = "containers", "containers", "a container platform or docker compose",
        Kubernetes = "kubernetes", "Kubernetes", "several replicas behind a Kubernetes Service",
        Vm = "vm", "a virtual machine", "a single VM or bare-metal host with systemd",
    }
}

/// The answers to the requirement questions. `None` means "not stated".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// One sentence on what the service does, e.g. "payments between customer wallets".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<Load>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency: Option<Consistency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
    /// `None`: not asked yet; `Some(vec![])`: explicitly none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrations: Option<Vec<Integration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sensitivity: Option<Sensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Deployment>,
}

impl Requirements {
    /// Fills every answer this set leaves unstated from `lower` (used to layer answers files,
    /// presets and prompts by precedence).
    pub fn or(self, lower: Requirements) -> Requirements {
        Requirements {
            domain: self.domain.or(lower.domain),
            load: self.load.or(lower.load),
            consistency: self.consistency.or(lower.consistency),
            team: self.team.or(lower.team),
            integrations: self.integrations.or(lower.integrations),
            data_sensitivity: self.data_sensitivity.or(lower.data_sensitivity),
            deployment: self.deployment.or(lower.deployment),
        }
    }

    /// The integrations, empty when none were stated.
    pub fn integration_list(&self) -> &[Integration] {
        self.integrations.as_deref().unwrap_or(&[])
    }

    /// One human line per stated answer, e.g. `Expected load: ~10k requests/min`. These are the
    /// lines an ADR's Context quotes.
    pub fn statements(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(domain) = &self.domain {
            lines.push(format!("Domain: \"{domain}\""));
        }
        if let Some(load) = self.load {
            lines.push(format!(
                "Expected load: {} ({})",
                load.label(),
                load.describe()
            ));
        }
        if let Some(consistency) = self.consistency {
            lines.push(format!(
                "Consistency: {} - {}",
                consistency.label(),
                consistency.describe()
            ));
        }
        if let Some(team) = self.team {
            lines.push(format!("Team: {}", team.label()));
        }
        if let Some(integrations) = &self.integrations {
            if integrations.is_empty() {
                lines.push("Integrations: none".to_string());
            } else {
                let names: Vec<_> = integrations.iter().map(|i| i.label()).collect();
                lines.push(format!("Integrations: {}", names.join(", ")));
            }
        }
        if let Some(sensitivity) = self.data_sensitivity {
            lines.push(format!("Data sensitivity: {}", sensitivity.label()));
        }
        if let Some(deployment) = self.deployment {
            lines.push(format!("Deployment: {}", deployment.label()));
        }
        lines
    }

    /// Whether the data in scope is regulated (payment or health data).
    pub fn is_regulated(&self) -> bool {
        matches!(
            self.data_sensitivity,
            Some(Sensitivity::Pci) | Some(Sensitivity::Hipaa)
        )
    }
}
