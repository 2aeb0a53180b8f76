/**
 * The model document exactly as the engine serialises it to JSON (`bartizan::model::Model`).
 * Word lists mirror `src/model/vocabulary.rs`; `vocabulary.test.ts` keeps them equal to
 * `generated/vocabulary.json`, which the engine writes.
 */

export type NodeKind =
  | 'agent'
  | 'model'
  | 'tool'
  | 'identity'
  | 'secret'
  | 'datastore'
  | 'memory'
  | 'workflow'
  | 'human'
  | 'input'
  | 'gateway';

export type Relation =
  | 'invokes'
  | 'acts_as'
  | 'holds'
  | 'grants'
  | 'reads'
  | 'writes'
  | 'feeds'
  | 'sends'
  | 'delegates'
  | 'approves'
  | 'triggers';

export type Action = 'read' | 'write' | 'delete' | 'execute' | 'send' | 'payment' | 'admin';
export type Autonomy = 'suggest' | 'supervised' | 'autonomous';
export type Hosting = 'third_party' | 'self_hosted';
export type ToolType = 'api' | 'mcp_server' | 'plugin' | 'function' | 'browser' | 'shell';
export type Provenance = 'first_party' | 'vendor_verified' | 'unverified';
export type IdentityType = 'workload' | 'service_account' | 'user_delegated' | 'human';
export type SecretType =
  | 'api_key'
  | 'oauth_token'
  | 'password'
  | 'certificate'
  | 'session_token'
  | 'ssh_key';
export type Lifetime = 'standing' | 'jit';
export type Storage = 'vault' | 'kms' | 'env' | 'config_file' | 'code';
export type Revocation = 'automated' | 'manual' | 'none';
export type Sensitivity = 'public' | 'internal' | 'confidential' | 'restricted';
export type DatastoreType =
  | 'database'
  | 'bucket'
  | 'mailbox'
  | 'crm'
  | 'ledger'
  | 'repository'
  | 'ticketing'
  | 'iam'
  | 'secret_store'
  | 'policy_store'
  | 'logs';
export type DataClass =
  | 'pii'
  | 'health'
  | 'financial'
  | 'payment_card'
  | 'credentials'
  | 'source_code'
  | 'business_confidential';
export type MemoryType = 'vector_store' | 'key_value' | 'conversation';
export type Trigger = 'manual' | 'schedule' | 'event' | 'webhook' | 'email';
export type Trust = 'untrusted' | 'partner' | 'trusted';
export type Channel = 'email' | 'web' | 'chat' | 'document' | 'api' | 'agent';
export type Control =
  | 'request_time_policy'
  | 'human_approval'
  | 'rate_limit'
  | 'content_filter'
  | 'audit_log'
  | 'egress_allowlist';
export type DelegationAuth = 'none' | 'token' | 'mtls' | 'signed';
export type Zone =
  | 'internet'
  | 'vendor'
  | 'partner'
  | 'corporate'
  | 'production'
  | 'development'
  | 'endpoint';
export type TriageStatus = 'open' | 'mitigated' | 'accepted' | 'false_positive';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A duration such as `15m`, `1h` or `90d`. */
export type Duration = string;

export interface AgentProperties {
  autonomy?: Autonomy;
  runs_code?: boolean;
  memory?: boolean;
  budget?: boolean;
  provenance?: Provenance;
  pinned?: boolean;
}
export interface ModelProperties {
  hosting?: Hosting;
  provider?: string;
  guardrails?: string[];
  provenance?: Provenance;
  pinned?: boolean;
}
export interface ToolProperties {
  type?: ToolType;
  actions?: Action[];
  provenance?: Provenance;
  pinned?: boolean;
  sandboxed?: boolean;
}
export interface IdentityProperties {
  type?: IdentityType;
}
export interface SecretProperties {
  type?: SecretType;
  lifetime?: Lifetime;
  ttl?: Duration;
  rotation_days?: number;
  storage?: Storage;
  revocation?: Revocation;
  scopes?: string[];
  owner?: string;
}
export interface DatastoreProperties {
  type?: DatastoreType;
  sensitivity?: Sensitivity;
  contains?: DataClass[];
}
export interface MemoryProperties {
  type?: MemoryType;
  shared?: boolean;
  sensitivity?: Sensitivity;
  contains?: DataClass[];
}
export interface WorkflowProperties {
  legacy?: boolean;
  trigger?: Trigger;
  platform?: string;
}
export interface HumanProperties {
  role?: string;
  entitlements?: Action[];
  daily_capacity?: number;
}
export interface InputProperties {
  trust?: Trust;
  channel?: Channel;
}
export interface GatewayProperties {
  controls?: Control[];
}

/** The properties a node of each kind may have. */
export interface PropertiesByKind {
  agent: AgentProperties;
  model: ModelProperties;
  tool: ToolProperties;
  identity: IdentityProperties;
  secret: SecretProperties;
  datastore: DatastoreProperties;
  memory: MemoryProperties;
  workflow: WorkflowProperties;
  human: HumanProperties;
  input: InputProperties;
  gateway: GatewayProperties;
}

export type NodeProperties = PropertiesByKind[NodeKind];

/** A property value as stored in a node's `properties`. */
export type PropertyValue = string | number | boolean | string[];

export interface ModelNode {
  id: string;
  kind: NodeKind;
  name: string;
  description?: string;
  /** Typed by `kind` (see `PropertiesByKind`); absent when nothing is stated. */
  properties?: NodeProperties;
}

/** A node whose properties are typed by its kind. */
export type TypedNode<K extends NodeKind> = Omit<ModelNode, 'kind' | 'properties'> & {
  kind: K;
  properties?: PropertiesByKind[K];
};

export interface ModelEdge {
  /** Absent (or empty) when the id is the derived `FROM--RELATION--TO`. */
  id?: string;
  from: string;
  relation: Relation;
  to: string;
  description?: string;
  /** On `grants`. */
  permissions?: Action[];
  /** On `delegates` and `invokes`. */
  auth?: DelegationAuth;
  /** On `delegates`, `triggers` and `approves`. */
  scope?: Action[];
  /** On `invokes` and `delegates`. */
  verified?: boolean;
  /** On `approves`. */
  daily_volume?: number;
  /** On `sends`. */
  renders?: boolean;
}

/** The edge fields that apply only to some relations (`generated/vocabulary.json`'s `edge_attributes`). */
export type EdgeField = 'permissions' | 'auth' | 'scope' | 'verified' | 'daily_volume' | 'renders';

export interface Boundary {
  id: string;
  name: string;
  zone: Zone;
  description?: string;
  /** The boundary this one sits inside. */
  parent?: string;
  /** The ids of the nodes directly inside this boundary. */
  members?: string[];
}

export interface TriageDecision {
  fingerprint: string;
  rule?: string;
  status: TriageStatus;
  justification?: string;
  by?: string;
  at?: string;
}

export interface Metadata {
  name: string;
  description?: string;
  owner?: string;
  revision?: string;
  updated?: string;
  tags?: string[];
}

/** A node's top-left corner on the diagram (absolute diagram coordinates). */
export interface Position {
  x: number;
  y: number;
}

/** A boundary's box on the diagram (absolute diagram coordinates). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  nodes?: Record<string, Position>;
  boundaries?: Record<string, Rect>;
}

export interface Model {
  bartizan: number;
  metadata: Metadata;
  nodes: ModelNode[];
  edges?: ModelEdge[];
  boundaries?: Boundary[];
  triage?: TriageDecision[];
  layout?: Layout;
}
