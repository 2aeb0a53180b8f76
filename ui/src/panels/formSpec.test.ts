import { describe, expect, it } from 'vitest';
import { KIND_WORDS } from '../model/vocabulary';
import { edgeField, isDuration, propertyFields } from './formSpec';

describe('inspector forms from the generated schema', () => {
  it('gives every kind its engine properties with the right controls', () => {
    const secret = Object.fromEntries(propertyFields('secret').map((f) => [f.name, f]));
    expect(Object.keys(secret)).toEqual(['type', 'lifetime', 'ttl', 'rotation_days', 'storage', 'revocation', 'scopes', 'owner']);
    expect(secret.lifetime.type).toBe('enum');
    expect(secret.lifetime.options?.map((o) => o.word)).toEqual(['standing', 'jit']);
    expect(secret.lifetime.options?.[0].description).toMatch(/all the time/);
    expect(secret.ttl.type).toBe('duration');
    expect(secret.ttl.label).toBe('TTL');
    expect(secret.rotation_days.label).toBe('Rotation days');
    expect(secret.rotation_days.type).toBe('integer');
    expect(secret.scopes.type).toBe('text-list');
    expect(secret.owner.type).toBe('text');

    const tool = Object.fromEntries(propertyFields('tool').map((f) => [f.name, f]));
    expect(tool.actions.type).toBe('enum-list');
    expect(tool.actions.options?.map((o) => o.word)).toContain('payment');
    expect(tool.pinned.type).toBe('boolean');
    expect(tool.type.options?.map((o) => o.word)).toContain('mcp_server');

    for (const kind of KIND_WORDS) {
      for (const field of propertyFields(kind)) {
        expect(field.help, `${kind}.${field.name}`).not.toBe('');
        if (field.type === 'enum' || field.type === 'enum-list') expect(field.options?.length).toBeGreaterThan(0);
      }
    }
  });

  it('describes the edge fields', () => {
    expect(edgeField('permissions').type).toBe('enum-list');
    expect(edgeField('auth').options?.map((o) => o.word)).toEqual(['none', 'token', 'mtls', 'signed']);
  });

  it('checks durations as the engine does', () => {
    expect(isDuration('15m')).toBe(true);
    expect(isDuration('3600')).toBe(false);
    expect(isDuration('1.5h')).toBe(false);
  });
});
