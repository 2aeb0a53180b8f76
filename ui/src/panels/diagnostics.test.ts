import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../backend';
import type { Model } from '../model/types';
import { diagnosticsOf, locate, underField } from './diagnostics';

const doc: Model = {
  bartizan: 1,
  metadata: { name: 'x' },
  nodes: [
    { id: 'a', kind: 'agent', name: 'A' },
    { id: 'k', kind: 'secret', name: 'K', properties: { ttl: '3600' } },
  ],
  edges: [{ from: 'a', relation: 'holds', to: 'k' }],
};

const diag = (path: string): Diagnostic => ({ severity: 'error', code: 'invalid-value', message: path, path });

describe('diagnostics beside fields', () => {
  it('turns indices into ids through the analysed document', () => {
    expect(locate('nodes[1].properties.ttl', doc)).toEqual({ list: 'nodes', id: 'k', field: 'properties.ttl' });
    expect(locate('edges[0].permissions[2]', doc)).toEqual({ list: 'edges', id: 'a--holds--k', field: 'permissions' });
    expect(locate('nodes[0]', doc)).toEqual({ list: 'nodes', id: 'a', field: '' });
    expect(locate('metadata.name', doc)).toEqual({ list: 'metadata', field: 'name' });
  });

  it('collects an element\'s diagnostics by field', () => {
    const all = [diag('nodes[1].properties.ttl'), diag('nodes[0].name'), diag('nodes[1]')];
    const byField = diagnosticsOf(all, doc, 'nodes', 'k');
    expect([...byField.keys()].sort()).toEqual(['', 'properties.ttl']);
    expect(underField(byField, 'properties')).toHaveLength(1);
  });
});
