import { afterEach, describe, expect, it, vi } from 'vitest';
import example from '../generated/examples/finance-ops.json';
import type { Model } from '../model/types';
import { createTauriBackend } from './tauri';

const doc = (example as unknown as { doc: Model }).doc;

describe('the Tauri back end', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('hands the document to the shell as JSON bytes within the call, before any await', () => {
    const invoke = vi.fn((_command: string, _body: unknown) => new Promise(() => undefined));
    (globalThis as { window?: unknown }).window = { __TAURI_INTERNALS__: { invoke } };
    void createTauriBackend().analyze(doc);
    // Checked synchronously: the request left inside `analyze`, not in a later task or microtask.
    expect(invoke).toHaveBeenCalledTimes(1);
    const [command, body] = invoke.mock.calls[0];
    expect(command).toBe('analyze');
    expect(JSON.parse(new TextDecoder().decode(body as Uint8Array))).toEqual(doc);
  });
});
