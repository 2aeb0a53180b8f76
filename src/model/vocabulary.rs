//! The closed word lists of the model: node kinds, relations and the enum values of properties.
//!
//! Each list is declared once, with its words and a one-line meaning, so that the parser's
//! "expected one of" messages, the JSON Schema and the format reference all come from here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: a fieldless enum serialised as its snake_case word, with
/// `ALL`, `as_str` and a per-word description for generated documentation.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $word:literal : $doc:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $( #[doc = $doc] #[serde(rename = $word)] $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every word of this vocabulary, in its documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word as written in a model file.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// What the word means, for generated documentation.
            pub fn description(self) -> &'static str {
                match self { $($name::$variant => $doc),+ }
            }

            /// Parses the word as written in a model file.
            pub fn from_word(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What a node is.
    NodeKind {
        Agent = "agent": "An LLM-driven actor that plans and acts.",
        Model = "model": "A foundation-model endpoint.",
        Tool = "tool": "A capability an agent or workflow invokes: API, MCP server, plugin, function.",
        Identity = "identity": "Who a call runs as: workload identity, service account, OAuth client, user account.",
        Secret = "secret": "A credential: API key, OAuth token, password, certificate, session token.",
        Datastore = "datastore": "A database, bucket, mailbox, CRM or ledger.",
        Memory = "memory": "Long-term agent memory, a vector store or a RAG index.",
        Workflow = "workflow": "An orchestrated process or legacy automation (RPA, scheduler, pipeline).",
        Human = "human": "A person or a role.",
        Input = "input": "A source of content: inbound email, web pages, chat, documents, another party's agent.",
        Gateway = "gateway": "A control point that mediates calls: policy enforcement point, approval service, proxy.",
    }
}

vocabulary! {
    /// What an edge means, read "from RELATION to".
    Relation {
        Invokes = "invokes": "Calls a tool, model, agent, workflow or gateway.",
        ActsAs = "acts_as": "Runs under an identity.",
        Holds = "holds": "Possesses a secret.",
        Grants = "grants": "A secret or identity gives access to a target, with `permissions`.",
        Reads = "reads": "Reads a datastore or memory.",
        Writes = "writes": "Writes to a datastore or memory.",
        Feeds = "feeds": "Content flows into an agent's or workflow's context, or into a gateway that filters it.",
        Sends = "sends": "Content leaves to an external party (email, HTTP, chat).",
        Delegates = "delegates": "A human or agent hands a task to an agent; `auth` says how the hand-off is authenticated.",
        Approves = "approves": "A human approves an action before it runs (a human-in-the-loop gate).",
        Triggers = "triggers": "Starts a workflow or an agent.",
    }
}

vocabulary! {
    /// An action a tool performs, a credential permits or a human is entitled to.
    Action {
        Read = "read": "Reads data.",
        Write = "write": "Creates or changes data.",
        Delete = "delete": "Destroys data or resources.",
        Execute = "execute": "Runs code or commands.",
        Send = "send": "Sends content to a party outside the system (email, message, HTTP).",
        Payment = "payment": "Moves money.",
        Admin = "admin": "Changes permissions, configuration or credentials.",
    }
}

impl Action {
    /// Whether the action changes the world rather than only observing it.
    pub fn is_high_impact(self) -> bool {
        !matches!(self, Action::Read)
    }
}

vocabulary! {
    /// How much an agent may do without a human.
    Autonomy {
        Suggest = "suggest": "Proposes actions; a human carries them out.",
        Supervised = "supervised": "Acts, with a human approving or watching each consequential step.",
        Autonomous = "autonomous": "Acts on its own.",
    }
}

vocabulary! {
    /// Where a model runs.
    Hosting {
        ThirdParty = "third_party": "A provider's hosted endpoint.",
        SelfHosted = "self_hosted": "Run by the organisation itself.",
    }
}

vocabulary! {
    /// What kind of interface a tool is.
    ToolType {
        Api = "api": "A web or internal API called directly.",
        McpServer = "mcp_server": "A Model Context Protocol server.",
        Plugin = "plugin": "A plug-in or extension loaded into an agent framework.",
        Function = "function": "A local function or library call.",
        Browser = "browser": "A browser or computer-use automation.",
        Shell = "shell": "A command shell or code interpreter.",
    }
}

vocabulary! {
    /// Where a tool comes from.
    Provenance {
        FirstParty = "first_party": "Built and maintained by the organisation.",
        VendorVerified = "vendor_verified": "From a vendor whose artifact is verified (signature, contract, review).",
        Unverified = "unverified": "From a third party, not verified.",
    }
}

vocabulary! {
    /// What an identity is.
    IdentityType {
        Workload = "workload": "A workload identity issued to one agent or service.",
        ServiceAccount = "service_account": "A service account, often shared and long-lived.",
        UserDelegated = "user_delegated": "A human's credentials or tokens delegated to software.",
        Human = "human": "A human's own account.",
    }
}

vocabulary! {
    /// What a secret is.
    SecretType {
        ApiKey = "api_key": "A static API key.",
        OauthToken = "oauth_token": "An OAuth access or refresh token.",
        Password = "password": "A password.",
        Certificate = "certificate": "A certificate and its private key.",
        SessionToken = "session_token": "A session or short-lived token.",
        SshKey = "ssh_key": "An SSH private key.",
    }
}

vocabulary! {
    /// Whether a credential exists all the time or only for a task.
    Lifetime {
        Standing = "standing": "Exists and works all the time.",
        Jit = "jit": "Issued just in time for a task and expires after it.",
    }
}

vocabulary! {
    /// Where a secret is kept.
    Storage {
        Vault = "vault": "A secrets manager.",
        Kms = "kms": "A key-management service or HSM.",
        Env = "env": "An environment variable.",
        ConfigFile = "config_file": "A configuration file.",
        Code = "code": "Source code.",
    }
}

impl Storage {
    /// Whether anyone who can read the host or the repository can read the secret.
    pub fn is_plaintext(self) -> bool {
        matches!(self, Storage::Env | Storage::ConfigFile | Storage::Code)
    }
}

vocabulary! {
    /// How a credential is revoked when it must be.
    Revocation {
        Automated = "automated": "Revoked automatically (on task end, on an incident signal).",
        Manual = "manual": "Revoked by a person following a procedure.",
        None = "none": "No way to revoke it short of replacing the integration.",
    }
}

vocabulary! {
    /// How sensitive a datastore's contents are.
    Sensitivity {
        Public = "public": "May be published.",
        Internal = "internal": "For the organisation's people.",
        Confidential = "confidential": "Harmful if disclosed.",
        Restricted = "restricted": "Severely harmful if disclosed; regulated.",
    }
}

vocabulary! {
    /// What a datastore is.
    DatastoreType {
        Database = "database": "A database.",
        Bucket = "bucket": "An object store or file share.",
        Mailbox = "mailbox": "A mailbox.",
        Crm = "crm": "A customer-relationship system.",
        Ledger = "ledger": "A financial ledger or payment system of record.",
        Repository = "repository": "A source-code repository.",
        Ticketing = "ticketing": "A ticketing or issue system.",
        Iam = "iam": "An identity and access management system.",
        SecretStore = "secret_store": "A secrets manager seen as data (its contents are credentials).",
        PolicyStore = "policy_store": "Where authorisation policy is kept.",
        Logs = "logs": "Logs or an audit trail.",
    }
}

vocabulary! {
    /// A class of data a datastore holds.
    DataClass {
        Pii = "pii": "Personal data.",
        Health = "health": "Health data.",
        Financial = "financial": "Financial data.",
        PaymentCard = "payment_card": "Payment-card data.",
        Credentials = "credentials": "Credentials or key material.",
        SourceCode = "source_code": "Source code.",
        BusinessConfidential = "business_confidential": "Contracts, plans, pricing and the like.",
    }
}

vocabulary! {
    /// What kind of memory a memory node is.
    MemoryType {
        VectorStore = "vector_store": "A vector store or RAG index.",
        KeyValue = "key_value": "A key-value or document memory.",
        Conversation = "conversation": "Conversation history kept across sessions.",
    }
}

vocabulary! {
    /// What starts a workflow.
    Trigger {
        Manual = "manual": "A person starts it.",
        Schedule = "schedule": "A timer or scheduler.",
        Event = "event": "An event on a queue or bus.",
        Webhook = "webhook": "An inbound HTTP call.",
        Email = "email": "An inbound email.",
    }
}

vocabulary! {
    /// How far content from an input is trusted.
    Trust {
        Untrusted = "untrusted": "Anyone, including an attacker, can shape it.",
        Partner = "partner": "A known party outside the organisation.",
        Trusted = "trusted": "Controlled by the organisation.",
    }
}

vocabulary! {
    /// How content arrives from an input.
    Channel {
        Email = "email": "Email.",
        Web = "web": "Web pages or search results.",
        Chat = "chat": "A chat or messaging channel.",
        Document = "document": "Uploaded or shared documents.",
        Api = "api": "An API or webhook payload.",
        Agent = "agent": "Another party's agent.",
    }
}

vocabulary! {
    /// A control a gateway enforces on the calls it mediates.
    Control {
        RequestTimePolicy = "request_time_policy": "Evaluates policy per request against tool, data and workflow context.",
        HumanApproval = "human_approval": "Holds the call until a human approves it.",
        RateLimit = "rate_limit": "Limits how often and how much.",
        ContentFilter = "content_filter": "Inspects and filters content.",
        AuditLog = "audit_log": "Records every call with who, what and why.",
        EgressAllowlist = "egress_allowlist": "Lets calls reach only listed destinations.",
    }
}

vocabulary! {
    /// How a delegation between a human or agent and an agent is authenticated.
    DelegationAuth {
        None = "none": "Not authenticated.",
        Token = "token": "A bearer token.",
        Mtls = "mtls": "Mutual TLS.",
        Signed = "signed": "Signed messages (integrity and origin).",
    }
}

vocabulary! {
    /// The kind of zone a trust boundary encloses.
    Zone {
        Internet = "internet": "The public internet.",
        Vendor = "vendor": "A vendor's or SaaS provider's environment.",
        Partner = "partner": "A partner organisation.",
        Corporate = "corporate": "The organisation's internal network and SaaS tenancy.",
        Production = "production": "Production systems.",
        Development = "development": "Development, test or CI systems.",
        Endpoint = "endpoint": "A user's device.",
    }
}

vocabulary! {
    /// The state of a triage decision about a finding.
    TriageStatus {
        Open = "open": "Not yet decided.",
        Mitigated = "mitigated": "A control outside the model removes the risk.",
        Accepted = "accepted": "The risk is accepted.",
        FalsePositive = "false_positive": "The finding does not hold for this system.",
    }
}
