/**
 * How each node kind and zone looks: one colour and one icon per kind, used by the canvas,
 * the palette (which doubles as the legend), the minimap and the search results.
 * Colours are mid-tone so a white icon on them reads in light and dark themes alike.
 */
import { memo, type ReactNode } from 'react';
import type { ModelNode, NodeKind, Zone } from '../model/types';

export const KIND_COLOURS: Record<NodeKind, string> = {
  agent: '#7c3aed',
  model: '#2563eb',
  tool: '#0d9488',
  identity: '#4f46e5',
  secret: '#c2410c',
  datastore: '#15803d',
  memory: '#0891b2',
  workflow: '#d97706',
  human: '#db2777',
  input: '#64748b',
  gateway: '#a21caf',
};

export const KIND_LABELS: Record<NodeKind, string> = {
  agent: 'Agent',
  model: 'Model',
  tool: 'Tool',
  identity: 'Identity',
  secret: 'Secret',
  datastore: 'Datastore',
  memory: 'Memory',
  workflow: 'Workflow',
  human: 'Human',
  input: 'Input',
  gateway: 'Gateway',
};

export const ZONE_COLOURS: Record<Zone, string> = {
  internet: '#dc2626',
  vendor: '#ea580c',
  partner: '#ca8a04',
  corporate: '#2563eb',
  production: '#16a34a',
  development: '#64748b',
  endpoint: '#9333ea',
};

const ICON_PATHS: Record<NodeKind | 'boundary', ReactNode> = {
  // A robot head with an antenna.
  agent: (
    <>
      <rect x="4" y="8" width="16" height="12" rx="3" />
      <path d="M12 8V4.5" />
      <circle cx="12" cy="3.5" r="1" />
      <circle cx="9" cy="13.5" r="1.2" fill="currentColor" />
      <circle cx="15" cy="13.5" r="1.2" fill="currentColor" />
      <path d="M9.5 17h5M2 13v3M22 13v3" />
    </>
  ),
  // A chip with pins and a spark.
  model: (
    <>
      <rect x="6" y="6" width="12" height="12" rx="2" />
      <path d="M9 2.5v3.5M15 2.5v3.5M9 18v3.5M15 18v3.5M2.5 9H6M2.5 15H6M18 9h3.5M18 15h3.5" />
      <path d="M12 9l1 2 2 1-2 1-1 2-1-2-2-1 2-1z" fill="currentColor" />
    </>
  ),
  // A wrench.
  tool: (
    <path d="M14.7 6.3a1 1 0 0 0 0 1.4l1.6 1.6a1 1 0 0 0 1.4 0l3.77-3.77a6 6 0 0 1-7.94 7.94l-6.91 6.91a2.12 2.12 0 0 1-3-3l6.91-6.91a6 6 0 0 1 7.94-7.94l-3.76 3.76z" />
  ),
  // An id card.
  identity: (
    <>
      <rect x="2.5" y="5" width="19" height="14" rx="2" />
      <circle cx="8.5" cy="11" r="2.2" />
      <path d="M5 16.5c.6-1.6 2-2.4 3.5-2.4s2.9.8 3.5 2.4M14.5 10h4.5M14.5 13.5h3" />
    </>
  ),
  // A key.
  secret: (
    <>
      <circle cx="7.5" cy="15.5" r="4.5" />
      <path d="M10.7 12.3 20 3M16.5 6.5l2.5 2.5M14 9l2 2" />
    </>
  ),
  // A database cylinder.
  datastore: (
    <>
      <ellipse cx="12" cy="5.5" rx="8" ry="3" />
      <path d="M4 5.5v13c0 1.66 3.58 3 8 3s8-1.34 8-3v-13" />
      <path d="M4 12c0 1.66 3.58 3 8 3s8-1.34 8-3" />
    </>
  ),
  // Stacked layers.
  memory: (
    <>
      <path d="M12 2.5 2.5 7.5 12 12.5l9.5-5z" />
      <path d="m2.5 12 9.5 5 9.5-5" />
      <path d="m2.5 16.5 9.5 5 9.5-5" />
    </>
  ),
  // Steps joined by arrows.
  workflow: (
    <>
      <rect x="2.5" y="3" width="7" height="7" rx="1.5" />
      <rect x="14.5" y="14" width="7" height="7" rx="1.5" />
      <path d="M9.5 6.5H15a3 3 0 0 1 3 3V14" />
      <path d="m15.5 11.5 2.5 2.5 2.5-2.5" />
    </>
  ),
  // A person.
  human: (
    <>
      <circle cx="12" cy="7.5" r="4" />
      <path d="M4 21c.8-4.2 4-6.5 8-6.5s7.2 2.3 8 6.5" />
    </>
  ),
  // An inbox with an arrow coming in.
  input: (
    <>
      <path d="M12 2.5v9" />
      <path d="m8.5 8 3.5 3.5L15.5 8" />
      <path d="M3 13.5h5l1.5 2.5h5l1.5-2.5h5" />
      <path d="M3 13.5 5 5.5h2.5M21 13.5l-2-8h-2.5M3 13.5V20h18v-6.5" />
    </>
  ),
  // A shield with a check.
  gateway: (
    <>
      <path d="M12 2.5 4 5.5v6c0 5 3.4 8.6 8 10 4.6-1.4 8-5 8-10v-6z" />
      <path d="m8.5 12 2.5 2.5 4.5-5" />
    </>
  ),
  // A dashed frame.
  boundary: (
    <>
      <path d="M3 7V4.5A1.5 1.5 0 0 1 4.5 3H7M17 3h2.5A1.5 1.5 0 0 1 21 4.5V7M21 17v2.5a1.5 1.5 0 0 1-1.5 1.5H17M7 21H4.5A1.5 1.5 0 0 1 3 19.5V17" />
      <path d="M10.5 3h3M10.5 21h3M3 10.5v3M21 10.5v3" />
    </>
  ),
};

export const KindIcon = memo(function KindIcon({
  kind,
  size = 20,
}: {
  kind: NodeKind | 'boundary';
  size?: number;
}) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {ICON_PATHS[kind]}
    </svg>
  );
});

function words(list: unknown): string {
  return Array.isArray(list) ? list.join(', ') : '';
}

function flag(value: unknown, label: string): string {
  return value === true ? label : '';
}

/** A short line of the properties that matter most for each kind, shown under the name. */
export function nodeSummary(node: ModelNode): string {
  const p = (node.properties ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  const add = (...values: unknown[]) => {
    for (const v of values) if (typeof v === 'string' && v) parts.push(v.replace(/_/g, ' '));
  };
  switch (node.kind) {
    case 'agent':
      add(p.autonomy, flag(p.runs_code, 'runs code'), flag(p.memory, 'memory'));
      break;
    case 'model':
      add(p.hosting, p.provider);
      break;
    case 'tool':
      add(p.type, words(p.actions), p.provenance === 'unverified' ? 'unverified' : '');
      break;
    case 'identity':
      add(p.type);
      break;
    case 'secret':
      add(p.lifetime, p.ttl, p.storage);
      break;
    case 'datastore':
      add(p.sensitivity, words(p.contains));
      break;
    case 'memory':
      add(p.type, flag(p.shared, 'shared'));
      break;
    case 'workflow':
      add(flag(p.legacy, 'legacy'), p.trigger, p.platform);
      break;
    case 'human':
      add(p.role);
      break;
    case 'input':
      add(p.trust, p.channel);
      break;
    case 'gateway':
      add(words(p.controls));
      break;
  }
  return parts.join(' · ');
}
