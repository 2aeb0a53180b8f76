import { describe, expect, it } from 'vitest';
import { changeName, signer, type Identity } from './identity';

/** An identity over memory: `answers` are what the user types in turn (null: cancel). */
function identity(stored: string | null, os: string | null, answers: (string | null)[]) {
  const asked: { initial: string; reason: string }[] = [];
  const kept: string[] = [];
  let name = stored;
  const double: Identity = {
    stored: async () => name,
    suggestion: async () => os,
    prompt: async (initial, reason) => {
      asked.push({ initial, reason });
      return answers.shift() ?? null;
    },
    save: async (answer) => {
      const cleaned = answer.trim();
      if (!cleaned) throw { code: 'invalid-name', message: 'a name is 1 to 100 characters' };
      kept.push(cleaned);
      name = cleaned;
      return cleaned;
    },
  };
  return { double, asked, kept };
}

describe('who signs', () => {
  it('asks once, offering the OS user name, and signs with the name given from then on', async () => {
    const { double, asked, kept } = identity(null, 'ana', ['Ana Lima']);
    expect(await signer('A triage decision records who made it.', double)).toBe('Ana Lima');
    expect(asked).toHaveLength(1);
    expect(asked[0].initial).toBe('ana');
    expect(asked[0].reason).toMatch(/^A triage decision records who made it\. .*asked once/);
    expect(kept).toEqual(['Ana Lima']);
    // Set: no question again.
    expect(await signer('Saving records a revision.', double)).toBe('Ana Lima');
    expect(asked).toHaveLength(1);
  });

  it('offers an empty field when the OS gives no user name, and never signs with a placeholder', async () => {
    const { double, asked, kept } = identity(null, null, [null]);
    expect(await signer('A triage decision records who made it.', double)).toBeNull();
    expect(asked[0].initial).toBe('');
    expect(kept).toEqual([]);
    // Cancelled: asked again next time.
    expect(await signer('A triage decision records who made it.', double)).toBeNull();
    expect(asked).toHaveLength(2);
  });

  it('asks again with the reason when a name is refused', async () => {
    const { double, asked } = identity(null, null, ['   ', 'Bo']);
    expect(await signer('Saving records a revision.', double)).toBe('Bo');
    expect(asked).toHaveLength(2);
    expect(asked[1]).toEqual({ initial: '   ', reason: 'That name cannot sign: a name is 1 to 100 characters.' });
  });

  it('uses the name set before without asking', async () => {
    const { double, asked } = identity('Cy', 'cy', []);
    expect(await signer('Saving records a revision.', double)).toBe('Cy');
    expect(asked).toEqual([]);
  });

  it('changes the name from the current one; cancelling keeps it', async () => {
    const { double, asked, kept } = identity('Cy', 'cy', ['Cy Twombly', null]);
    expect(await changeName(double)).toBe('Cy Twombly');
    expect(asked[0].initial).toBe('Cy');
    expect(await changeName(double)).toBeNull();
    expect(asked[1].initial).toBe('Cy Twombly');
    expect(kept).toEqual(['Cy Twombly']);
    expect(await double.stored()).toBe('Cy Twombly');
  });
});
