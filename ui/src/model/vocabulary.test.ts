import { describe, expect, it } from 'vitest';
import type { EdgeField, NodeKind, Relation } from './types';
import { EDGE_FIELDS, edgeFieldApplies, KIND_WORDS, RELATIONS, words } from './vocabulary';

// The word lists in types.ts are written out for the compiler; the engine's vocabulary is the truth.
const KINDS: NodeKind[] = ['agent', 'model', 'tool', 'identity', 'secret', 'datastore', 'memory', 'workflow', 'human', 'input', 'gateway'];
const EDGE_FIELD_WORDS: EdgeField[] = ['permissions', 'auth', 'scope', 'verified', 'daily_volume', 'renders'];
const RELATION_WORDS: Relation[] = ['invokes', 'acts_as', 'holds', 'grants', 'reads', 'writes', 'feeds', 'sends', 'delegates', 'approves', 'triggers'];

describe('the vocabulary', () => {
  it('matches the types the UI compiles against', () => {
    expect([...KIND_WORDS]).toEqual(KINDS);
    expect(RELATIONS.map((r) => r.relation)).toEqual(RELATION_WORDS);
    expect(words('zone')).toEqual(['internet', 'vendor', 'partner', 'corporate', 'production', 'development', 'endpoint']);
    expect(words('triage_status')).toEqual(['open', 'mitigated', 'accepted', 'false_positive']);
    expect(words('action')).toEqual(['read', 'write', 'delete', 'execute', 'send', 'payment', 'admin']);
    expect(EDGE_FIELDS).toEqual(EDGE_FIELD_WORDS);
  });

  it('offers an edge field only on the relations it means something on', () => {
    expect(edgeFieldApplies('renders', 'sends')).toBe(true);
    expect(edgeFieldApplies('renders', 'reads')).toBe(false);
    expect(edgeFieldApplies('verified', 'invokes')).toBe(true);
    expect(edgeFieldApplies('daily_volume', 'approves')).toBe(true);
    expect(edgeFieldApplies('daily_volume', 'delegates')).toBe(false);
  });
});
