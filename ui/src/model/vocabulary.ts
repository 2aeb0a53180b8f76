/**
 * Typed access to the engine's vocabulary (`generated/vocabulary.json`, written by
 * `BARTIZAN_BLESS=1 cargo test --test schema`): kinds, the relations table the connect menu
 * offers, which edge fields apply to which relation, and every closed word list.
 */
import vocabularyJson from '../generated/vocabulary.json';
import type { EdgeField, ModelEdge, NodeKind, Relation } from './types';

export interface Word {
  word: string;
  description: string;
}

export interface KindInfo {
  word: NodeKind;
  description: string;
}

export interface RelationInfo {
  relation: Relation;
  description: string;
  from: NodeKind[];
  to: NodeKind[];
}

interface VocabularyFile {
  format_version: number;
  kinds: KindInfo[];
  relations: RelationInfo[];
  edge_attributes: Record<string, Relation[]>;
  words: Record<string, Word[]>;
}

const vocabulary = vocabularyJson as unknown as VocabularyFile;

/** Every node kind, in the engine's order. */
export const KINDS: readonly KindInfo[] = vocabulary.kinds;
export const KIND_WORDS: readonly NodeKind[] = vocabulary.kinds.map((k) => k.word);

/** The relations table: one row per relation with the kinds it may join. */
export const RELATIONS: readonly RelationInfo[] = vocabulary.relations;

/** Edge fields that apply only to some relations (`permissions`, `auth`, `scope`, …). */
export const EDGE_ATTRIBUTES: Readonly<Record<string, readonly Relation[]>> =
  vocabulary.edge_attributes;

/** Those fields, in the engine's order. */
export const EDGE_FIELDS = Object.keys(vocabulary.edge_attributes) as EdgeField[];

/** The closed word lists (`action`, `autonomy`, `zone`, `triage_status`, …). */
export const WORDS: Readonly<Record<string, readonly Word[]>> = vocabulary.words;

/** The words of one list, e.g. `words('zone')`. Empty for an unknown list. */
export function words(list: string): string[] {
  return (WORDS[list] ?? []).map((w) => w.word);
}

export function isKind(value: string): value is NodeKind {
  return (KIND_WORDS as readonly string[]).includes(value);
}

export function kindDescription(kind: NodeKind): string {
  return KINDS.find((k) => k.word === kind)?.description ?? '';
}

export function relationInfo(relation: Relation): RelationInfo | undefined {
  return RELATIONS.find((r) => r.relation === relation);
}

/** Whether `relation` may go from a node of kind `from` to one of kind `to`. */
export function isValidRelation(from: NodeKind, relation: Relation, to: NodeKind): boolean {
  const row = relationInfo(relation);
  return !!row && row.from.includes(from) && row.to.includes(to);
}

/** The relations valid from a `from` node to a `to` node, in the table's order. */
export function validRelations(from: NodeKind, to: NodeKind): Relation[] {
  return RELATIONS.filter((r) => r.from.includes(from) && r.to.includes(to)).map(
    (r) => r.relation,
  );
}

/** Whether an edge field (`permissions`, `auth`, `scope`) applies to a relation. */
export function edgeFieldApplies(field: keyof ModelEdge, relation: Relation): boolean {
  const relations = EDGE_ATTRIBUTES[field];
  return relations === undefined ? true : relations.includes(relation);
}

/** A relation word for people: `acts_as` → `acts as`. */
export function relationLabel(relation: Relation): string {
  return relation.replace(/_/g, ' ');
}
