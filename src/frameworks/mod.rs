//! Framework references: the standards a finding maps to, checked against the catalog.

mod catalog;

use serde::Serialize;

pub use catalog::{ENTRIES, MAESTRO_CROSS_LAYER, MAESTRO_THREATS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    /// OWASP Top 10 for Agentic Applications 2026.
    OwaspAgentic,
    /// OWASP Agentic AI – Threats and Mitigations.
    OwaspThreats,
    /// OWASP Top 10 for LLM Applications 2025.
    OwaspLlm,
    /// OWASP Non-Human Identities Top 10 – 2025.
    OwaspNhi,
    /// MITRE ATLAS.
    Atlas,
    /// CSA MAESTRO.
    Maestro,
    /// NIST AI RMF 1.0.
    NistAiRmf,
    /// NIST SP 800-53.
    #[serde(rename = "nist_800_53")]
    Nist80053,
}

impl Framework {
    pub const ALL: &'static [Framework] = &[
        Framework::OwaspAgentic,
        Framework::OwaspThreats,
        Framework::OwaspLlm,
        Framework::OwaspNhi,
        Framework::Atlas,
        Framework::Maestro,
        Framework::NistAiRmf,
        Framework::Nist80053,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Framework::OwaspAgentic => "OWASP Top 10 for Agentic Applications 2026",
            Framework::OwaspThreats => "OWASP Agentic AI – Threats and Mitigations",
            Framework::OwaspLlm => "OWASP Top 10 for LLM Applications 2025",
            Framework::OwaspNhi => "OWASP Non-Human Identities Top 10 2025",
            Framework::Atlas => "MITRE ATLAS",
            Framework::Maestro => "CSA MAESTRO",
            Framework::NistAiRmf => "NIST AI RMF 1.0",
            Framework::Nist80053 => "NIST SP 800-53",
        }
    }

    /// A short label for tables.
    pub fn short(self) -> &'static str {
        match self {
            Framework::OwaspAgentic => "OWASP ASI",
            Framework::OwaspThreats => "OWASP Agentic Threats",
            Framework::OwaspLlm => "OWASP LLM",
            Framework::OwaspNhi => "OWASP NHI",
            Framework::Atlas => "MITRE ATLAS",
            Framework::Maestro => "MAESTRO",
            Framework::NistAiRmf => "NIST AI RMF",
            Framework::Nist80053 => "NIST SP 800-53",
        }
    }
}

/// One reference from a rule to a framework entry. MAESTRO references name a layer and,
/// where apt, one of its threats by name (MAESTRO has no threat ids); a cross-layer MAESTRO
/// threat has no layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    Id(Framework, &'static str),
    MaestroLayer(&'static str, Option<&'static str>),
    MaestroCrossLayer(&'static str),
}

/// Shorthands for writing rule metadata.
pub const fn asi(id: &'static str) -> Reference {
    Reference::Id(Framework::OwaspAgentic, id)
}
pub const fn threat(id: &'static str) -> Reference {
    Reference::Id(Framework::OwaspThreats, id)
}
pub const fn llm(id: &'static str) -> Reference {
    Reference::Id(Framework::OwaspLlm, id)
}
pub const fn nhi(id: &'static str) -> Reference {
    Reference::Id(Framework::OwaspNhi, id)
}
pub const fn atlas(id: &'static str) -> Reference {
    Reference::Id(Framework::Atlas, id)
}
pub const fn maestro(layer: &'static str, threat: &'static str) -> Reference {
    Reference::MaestroLayer(layer, Some(threat))
}
pub const fn maestro_layer(layer: &'static str) -> Reference {
    Reference::MaestroLayer(layer, None)
}
pub const fn maestro_cross_layer(threat: &'static str) -> Reference {
    Reference::MaestroCrossLayer(threat)
}
pub const fn nist(id: &'static str) -> Reference {
    Reference::Id(Framework::NistAiRmf, id)
}
pub const fn sp800_53(id: &'static str) -> Reference {
    Reference::Id(Framework::Nist80053, id)
}

/// The catalog title of an id, if the id is in the catalog.
pub fn title(framework: Framework, id: &str) -> Option<&'static str> {
    ENTRIES
        .iter()
        .find(|(f, i, _)| *f == framework && *i == id)
        .map(|(_, _, title)| *title)
}

impl Reference {
    pub fn framework(&self) -> Framework {
        match self {
            Reference::Id(framework, _) => *framework,
            Reference::MaestroLayer(..) | Reference::MaestroCrossLayer(_) => Framework::Maestro,
        }
    }

    /// The identifier as cited: `ASI03`, `AML.T0053`, `MAESTRO L7`, `GOVERN 3.2`.
    pub fn id(&self) -> String {
        match self {
            Reference::Id(_, id) => (*id).to_owned(),
            Reference::MaestroLayer(layer, _) => format!("MAESTRO {layer}"),
            Reference::MaestroCrossLayer(_) => "MAESTRO cross-layer".to_owned(),
        }
    }

    /// The title as cited: the catalog title, or for MAESTRO the layer name and threat.
    pub fn title(&self) -> String {
        match self {
            Reference::Id(framework, id) => title(*framework, id).unwrap_or("").to_owned(),
            Reference::MaestroLayer(layer, threat) => {
                let name = title(Framework::Maestro, layer).unwrap_or("");
                match threat {
                    Some(threat) => format!("{name} — {threat}"),
                    None => name.to_owned(),
                }
            }
            Reference::MaestroCrossLayer(threat) => (*threat).to_owned(),
        }
    }

    /// Whether the reference is in the catalog exactly as written.
    pub fn is_known(&self) -> bool {
        match self {
            Reference::Id(framework, id) => title(*framework, id).is_some(),
            Reference::MaestroLayer(layer, threat) => {
                title(Framework::Maestro, layer).is_some()
                    && threat.is_none_or(|threat| {
                        MAESTRO_THREATS
                            .iter()
                            .any(|(l, threats)| l == layer && threats.contains(&threat))
                    })
            }
            Reference::MaestroCrossLayer(threat) => MAESTRO_CROSS_LAYER.contains(threat),
        }
    }

    /// `ASI03 Identity and Privilege Abuse`.
    pub fn label(&self) -> String {
        format!("{} {}", self.id(), self.title())
    }
}

impl Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Reference", 3)?;
        s.serialize_field("framework", &self.framework())?;
        s.serialize_field("id", &self.id())?;
        s.serialize_field("title", &self.title())?;
        s.end()
    }
}
