// Inline validation: which of the engine's diagnostics belong to which field of the selected
// element. A diagnostic's `path` (`nodes[3].properties.ttl`) indexes the document that was
// analysed, so the index is turned into an id through that document, not the current one.

import type { Diagnostic } from '../backend';
import { edgeIdOf } from '../model/ids';
import type { Model } from '../model/types';

export type ElementList = 'nodes' | 'edges' | 'boundaries';

export interface Located {
  /** `nodes`, `edges`, `boundaries`, or another top-level key (`metadata`, `triage`, `layout`). */
  list: string;
  /** The element's id when the path names an element of a list. */
  id?: string;
  /** The field inside the element: `properties.ttl`, `name`, `permissions`; '' for the element itself. */
  field: string;
}

const ELEMENT = /^(nodes|edges|boundaries|triage)\[(\d+)\](.*)$/;

/** Where a diagnostic's path points, in ids. */
export function locate(path: string | undefined, analysed: Model | null): Located | null {
  if (!path) return null;
  const match = ELEMENT.exec(path);
  if (!match) {
    const [head, ...rest] = path.split('.');
    return { list: head.replace(/\[.*$/, ''), field: rest.join('.') };
  }
  const [, list, indexText, rest] = match;
  const index = Number(indexText);
  let id: string | undefined;
  if (analysed) {
    if (list === 'nodes') id = analysed.nodes[index]?.id;
    else if (list === 'edges') {
      const edge = analysed.edges?.[index];
      id = edge ? edgeIdOf(edge) : undefined;
    } else if (list === 'boundaries') id = analysed.boundaries?.[index]?.id;
    else if (list === 'triage') id = analysed.triage?.[index]?.fingerprint;
  }
  // `.properties.ttl` → `properties.ttl`; `.permissions[2]` → `permissions`.
  const field = rest.replace(/^\./, '').replace(/\[\d+\]$/, '');
  return { list, id, field };
}

/** The diagnostics of one element, by field ('' for the element as a whole). */
export function diagnosticsOf(
  diagnostics: readonly Diagnostic[],
  analysed: Model | null,
  list: string,
  id: string,
): Map<string, Diagnostic[]> {
  const byField = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const at = locate(d.path, analysed);
    if (!at || at.list !== list || at.id !== id) continue;
    const entries = byField.get(at.field) ?? [];
    entries.push(d);
    byField.set(at.field, entries);
  }
  return byField;
}

/** Diagnostics of a field and everything under it (`properties` collects `properties.ttl`). */
export function underField(byField: Map<string, Diagnostic[]>, field: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, list] of byField) {
    if (key === field || key.startsWith(`${field}.`) || key.startsWith(`${field}[`)) out.push(...list);
  }
  return out;
}
