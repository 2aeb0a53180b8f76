//! The framework identifiers and titles Bartizan may cite, copied from the project's verified
//! framework catalog. Nothing outside this table may be printed as a framework reference;
//! a test checks every rule's references against it.

use super::Framework::{self, *};

/// (framework, id, title)
pub const ENTRIES: &[(Framework, &str, &str)] = &[
    // OWASP Top 10 for Agentic Applications 2026.
    (OwaspAgentic, "ASI01", "Agent Goal Hijack"),
    (OwaspAgentic, "ASI02", "Tool Misuse and Exploitation"),
    (OwaspAgentic, "ASI03", "Identity and Privilege Abuse"),
    (
        OwaspAgentic,
        "ASI04",
        "Agentic Supply Chain Vulnerabilities",
    ),
    (OwaspAgentic, "ASI05", "Unexpected Code Execution (RCE)"),
    (OwaspAgentic, "ASI06", "Memory & Context Poisoning"),
    (OwaspAgentic, "ASI07", "Insecure Inter-Agent Communication"),
    (OwaspAgentic, "ASI08", "Cascading Failures"),
    (OwaspAgentic, "ASI09", "Human-Agent Trust Exploitation"),
    (OwaspAgentic, "ASI10", "Rogue Agents"),
    // OWASP Agentic AI – Threats and Mitigations v1.1.
    (OwaspThreats, "T1", "Memory Poisoning"),
    (OwaspThreats, "T2", "Tool Misuse"),
    (OwaspThreats, "T3", "Privilege Compromise"),
    (OwaspThreats, "T4", "Resource Overload"),
    (OwaspThreats, "T5", "Cascading Hallucination Attacks"),
    (OwaspThreats, "T6", "Intent Breaking & Goal Manipulation"),
    (OwaspThreats, "T7", "Misaligned & Deceptive Behaviors"),
    (OwaspThreats, "T8", "Repudiation & Untraceability"),
    (OwaspThreats, "T9", "Identity Spoofing & Impersonation"),
    (OwaspThreats, "T10", "Overwhelming Human in the Loop"),
    (OwaspThreats, "T11", "Unexpected RCE and Code Attacks"),
    (OwaspThreats, "T12", "Agent Communication Poisoning"),
    (OwaspThreats, "T13", "Rogue Agents in Multi-Agent Systems"),
    (OwaspThreats, "T14", "Human Attacks on Multi-Agent Systems"),
    (OwaspThreats, "T15", "Human Manipulation"),
    (OwaspThreats, "T16", "Insecure Inter-Agent Protocol Abuse"),
    (OwaspThreats, "T17", "Supply Chain Compromise"),
    // OWASP Top 10 for LLM Applications 2025.
    (OwaspLlm, "LLM01:2025", "Prompt Injection"),
    (OwaspLlm, "LLM02:2025", "Sensitive Information Disclosure"),
    (OwaspLlm, "LLM03:2025", "Supply Chain"),
    (OwaspLlm, "LLM04:2025", "Data and Model Poisoning"),
    (OwaspLlm, "LLM05:2025", "Improper Output Handling"),
    (OwaspLlm, "LLM06:2025", "Excessive Agency"),
    (OwaspLlm, "LLM07:2025", "System Prompt Leakage"),
    (OwaspLlm, "LLM08:2025", "Vector and Embedding Weaknesses"),
    (OwaspLlm, "LLM09:2025", "Misinformation"),
    (OwaspLlm, "LLM10:2025", "Unbounded Consumption"),
    // OWASP Non-Human Identities Top 10 – 2025.
    (OwaspNhi, "NHI1:2025", "Improper Offboarding"),
    (OwaspNhi, "NHI2:2025", "Secret Leakage"),
    (OwaspNhi, "NHI3:2025", "Vulnerable Third-Party NHI"),
    (OwaspNhi, "NHI4:2025", "Insecure Authentication"),
    (OwaspNhi, "NHI5:2025", "Overprivileged NHI"),
    (
        OwaspNhi,
        "NHI6:2025",
        "Insecure Cloud Deployment Configurations",
    ),
    (OwaspNhi, "NHI7:2025", "Long-Lived Secrets"),
    (OwaspNhi, "NHI8:2025", "Environment Isolation"),
    (OwaspNhi, "NHI9:2025", "NHI Reuse"),
    (OwaspNhi, "NHI10:2025", "Human Use of NHI"),
    // MITRE ATLAS (data version 5.6.0).
    (Atlas, "AML.T0051", "LLM Prompt Injection"),
    (Atlas, "AML.T0051.000", "LLM Prompt Injection: Direct"),
    (Atlas, "AML.T0051.001", "LLM Prompt Injection: Indirect"),
    (Atlas, "AML.T0053", "AI Agent Tool Invocation"),
    (Atlas, "AML.T0054", "LLM Jailbreak"),
    (Atlas, "AML.T0055", "Unsecured Credentials"),
    (Atlas, "AML.T0057", "LLM Data Leakage"),
    (Atlas, "AML.T0070", "RAG Poisoning"),
    (Atlas, "AML.T0080", "AI Agent Context Poisoning"),
    (Atlas, "AML.T0080.000", "AI Agent Context Poisoning: Memory"),
    (Atlas, "AML.T0081", "Modify AI Agent Configuration"),
    (
        Atlas,
        "AML.T0083",
        "Credentials from AI Agent Configuration",
    ),
    (
        Atlas,
        "AML.T0086",
        "Exfiltration via AI Agent Tool Invocation",
    ),
    (Atlas, "AML.T0091", "Use Alternate Authentication Material"),
    (
        Atlas,
        "AML.T0091.000",
        "Use Alternate Authentication Material: Application Access Token",
    ),
    (Atlas, "AML.T0098", "AI Agent Tool Credential Harvesting"),
    (
        Atlas,
        "AML.T0101",
        "Data Destruction via AI Agent Tool Invocation",
    ),
    (Atlas, "AML.T0105", "Escape to Host"),
    (Atlas, "AML.T0109", "AI Supply Chain Rug Pull"),
    (
        Atlas,
        "AML.T0010.005",
        "AI Supply Chain Compromise: AI Agent Tool",
    ),
    (
        Atlas,
        "AML.T0034.002",
        "Cost Harvesting: Agentic Resource Consumption",
    ),
    (Atlas, "AML.T0110", "AI Agent Tool Poisoning"),
    // CSA MAESTRO layers (MAESTRO defines no threat ids; threats are cited by name).
    (Maestro, "L1", "Foundation Models"),
    (Maestro, "L2", "Data Operations"),
    (Maestro, "L3", "Agent Frameworks"),
    (Maestro, "L4", "Deployment and Infrastructure"),
    (Maestro, "L5", "Evaluation and Observability"),
    (Maestro, "L6", "Security and Compliance"),
    (Maestro, "L7", "Agent Ecosystem"),
    // NIST AI RMF 1.0 subcategories.
    (
        NistAiRmf,
        "GOVERN 1.6",
        "Mechanisms are in place to inventory AI systems and are resourced according to organizational risk priorities.",
    ),
    (
        NistAiRmf,
        "GOVERN 3.2",
        "Policies and procedures are in place to define and differentiate roles and responsibilities for human-AI configurations and oversight of AI systems.",
    ),
    (
        NistAiRmf,
        "GOVERN 6.1",
        "Policies and procedures are in place that address AI risks associated with third-party entities, including risks of infringement of a third-party's intellectual property or other rights.",
    ),
    (
        NistAiRmf,
        "MAP 3.5",
        "Processes for human oversight are defined, assessed, and documented in accordance with organizational policies from the GOVERN function.",
    ),
    (
        NistAiRmf,
        "MAP 4.1",
        "Approaches for mapping AI technology and legal risks of its components – including the use of third-party data or software – are in place, followed, and documented, as are risks of infringement of a third party's intellectual property or other rights.",
    ),
    (
        NistAiRmf,
        "MAP 4.2",
        "Internal risk controls for components of the AI system, including third-party AI technologies, are identified and documented.",
    ),
    (
        NistAiRmf,
        "MEASURE 2.4",
        "The functionality and behavior of the AI system and its components – as identified in the MAP function – are monitored when in production.",
    ),
    (
        NistAiRmf,
        "MEASURE 2.7",
        "AI system security and resilience – as identified in the MAP function – are evaluated and documented.",
    ),
    (
        NistAiRmf,
        "MEASURE 2.8",
        "Risks associated with transparency and accountability – as identified in the MAP function – are examined and documented.",
    ),
    (
        NistAiRmf,
        "MANAGE 2.4",
        "Mechanisms are in place and applied, and responsibilities are assigned and understood, to supersede, disengage, or deactivate AI systems that demonstrate performance or outcomes inconsistent with intended use.",
    ),
    (
        NistAiRmf,
        "MANAGE 3.1",
        "AI risks and benefits from third-party resources are regularly monitored, and risk controls are applied and documented.",
    ),
    (
        NistAiRmf,
        "MANAGE 4.1",
        "Post-deployment AI system monitoring plans are implemented, including mechanisms for capturing and evaluating input from users and other relevant AI actors, appeal and override, decommissioning, incident response, recovery, and change management.",
    ),
    // NIST SP 800-53 (least privilege; the AI RMF has no runtime-authorization subcategory).
    (Nist80053, "AC-6", "Least Privilege"),
];

/// MAESTRO threat names per layer, as the catalog lists them (unconfirmed names left out).
pub const MAESTRO_THREATS: &[(&str, &[&str])] = &[
    (
        "L1",
        &[
            "Adversarial Examples",
            "Model Stealing",
            "Backdoor Attacks",
            "Membership Inference Attacks",
            "Data Poisoning (Training Phase)",
            "Reprogramming Attacks",
            "Denial of Service (DoS) Attacks",
        ],
    ),
    (
        "L2",
        &[
            "Data Poisoning",
            "Data Exfiltration",
            "Denial of Service on Data Infrastructure",
            "Data Tampering",
            "Compromised RAG Pipelines",
        ],
    ),
    (
        "L3",
        &[
            "Compromised Framework Components",
            "Backdoor Attacks",
            "Input Validation Attacks",
            "Supply Chain Attacks",
            "Denial of Service on Framework APIs",
            "Framework Evasion",
        ],
    ),
    (
        "L4",
        &[
            "Compromised Container Images",
            "Orchestration Attacks",
            "Infrastructure-as-Code (IaC) Manipulation",
            "Denial of Service (DoS) Attacks",
            "Resource Hijacking",
            "Lateral Movement",
        ],
    ),
    (
        "L5",
        &[
            "Manipulation of Evaluation Metrics",
            "Compromised Observability Tools",
            "Evasion of Detection",
            "Data Leakage through Observability",
            "Poisoning Observability Data",
        ],
    ),
    (
        "L6",
        &[
            "Security Agent Data Poisoning",
            "Evasion of Security AI Agents",
            "Compromised Security AI Agents",
            "Regulatory Non-Compliance by AI Security Agents",
            "Bias in Security AI Agents",
            "Lack of Explainability in Security AI Agents",
            "Model Extraction of AI Security Agents",
        ],
    ),
    (
        "L7",
        &[
            "Compromised Agents",
            "Agent Impersonation",
            "Agent Identity Attack",
            "Agent Tool Misuse",
            "Agent Goal Manipulation",
            "Integration Risks",
            "Repudiation",
            "Compromised Agent Registry",
            "Malicious Agent Discovery",
            "Inaccurate Agent Capability Description",
        ],
    ),
];

/// MAESTRO's cross-layer threats.
pub const MAESTRO_CROSS_LAYER: &[&str] = &[
    "Supply Chain Attacks",
    "Lateral Movement",
    "Privilege Escalation",
    "Data Leakage",
    "Goal Misalignment Cascades",
];
