// The inspector's forms, derived from the engine's generated JSON Schema
// (`$defs.<Kind>Properties`) and vocabulary (word descriptions as help text): nothing about a
// kind's properties is typed here, so a property added to the engine shows up in the form.

import schemaJson from '../generated/model.schema.json';
import { WORDS, type Word } from '../model/vocabulary';
import type { NodeKind } from '../model/types';

export type FieldType =
  | 'enum' // one word of a closed list (select)
  | 'enum-list' // several words of a closed list (checkboxes)
  | 'text-list' // free strings (comma separated)
  | 'boolean' // yes / no / unstated
  | 'text'
  | 'duration' // `15m`, `1h`, `90d`
  | 'integer';

export interface FieldSpec {
  /** The property's key in `properties`. */
  name: string;
  /** `Rotation days` for `rotation_days`. */
  label: string;
  /** The schema's description of the property. */
  help: string;
  type: FieldType;
  /** For enums: the words, each with its meaning. */
  options?: readonly Word[];
  /** For durations: the schema's pattern. */
  pattern?: string;
}

interface SchemaNode {
  type?: string | string[];
  description?: string;
  $ref?: string;
  anyOf?: SchemaNode[];
  oneOf?: (SchemaNode & { const?: string })[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  pattern?: string;
}

const defs = (schemaJson as unknown as { $defs: Record<string, SchemaNode> }).$defs;

/** `ToolType` → `tool_type`: the vocabulary list a schema enum corresponds to. */
function listName(defName: string): string {
  return defName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function refName(node: SchemaNode): string | undefined {
  return node.$ref?.replace('#/$defs/', '');
}

/** The words of an enum definition: vocabulary descriptions, else the schema's. */
export function enumWords(defName: string): readonly Word[] {
  const fromVocabulary = WORDS[listName(defName)];
  if (fromVocabulary && fromVocabulary.length > 0) return fromVocabulary;
  return (defs[defName]?.oneOf ?? [])
    .filter((o) => typeof o.const === 'string')
    .map((o) => ({ word: o.const as string, description: o.description ?? '' }));
}

const ACRONYMS: Record<string, string> = { ttl: 'TTL', id: 'Id' };

/** `rotation_days` → `Rotation days`, `ttl` → `TTL`. */
export function labelOf(name: string): string {
  if (ACRONYMS[name]) return ACRONYMS[name];
  const text = name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fieldOf(name: string, node: SchemaNode): FieldSpec {
  const base = { name, label: labelOf(name), help: node.description ?? '' };
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.includes('array')) {
    const item = node.items ? refName(node.items) : undefined;
    if (item && defs[item]?.oneOf) return { ...base, type: 'enum-list', options: enumWords(item) };
    return { ...base, type: 'text-list' };
  }
  if (types.includes('boolean')) return { ...base, type: 'boolean' };
  if (types.includes('integer')) return { ...base, type: 'integer' };
  const ref = node.$ref ? refName(node) : node.anyOf?.map(refName).find((r) => r !== undefined);
  if (ref === 'Duration') return { ...base, type: 'duration', pattern: defs.Duration?.pattern };
  if (ref && defs[ref]?.oneOf) return { ...base, type: 'enum', options: enumWords(ref) };
  return { ...base, type: 'text' };
}

/** The property fields of a node kind, in the engine's field order. */
export function propertyFields(kind: NodeKind): FieldSpec[] {
  const defName = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Properties`;
  const properties = defs[defName]?.properties ?? {};
  return Object.entries(properties).map(([name, node]) => fieldOf(name, node));
}

/** A field of the schema's `Edge` definition (`permissions`, `auth`, `scope`, …). */
export function edgeField(name: string): FieldSpec {
  return fieldOf(name, defs.Edge?.properties?.[name] ?? {});
}

/** A field of the schema's `Boundary` definition (`zone`, `parent`, …). */
export function boundaryField(name: string): FieldSpec {
  return fieldOf(name, defs.Boundary?.properties?.[name] ?? {});
}

/** A field of the schema's `Metadata` definition. */
export function metadataField(name: string): FieldSpec {
  return fieldOf(name, defs.Metadata?.properties?.[name] ?? {});
}

/** Whether a duration text is one the engine reads (`^[0-9]+[smhdwy]$`). */
export function isDuration(text: string): boolean {
  return new RegExp(defs.Duration?.pattern ?? '^[0-9]+[smhdwy]$').test(text);
}
