// The property inspector: a form for the selected node (per kind, generated from the engine's
// schema), edge (relation and the fields that relation allows) or boundary; the model's
// metadata when nothing is selected. The engine's diagnostics show beside the field they are
// about.

import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Diagnostic } from '../backend';
import { KIND_COLOURS, KIND_LABELS, KindIcon, ZONE_COLOURS } from '../canvas/kinds';
import { edgeIdOf } from '../model/ids';
import { boundaryContents, findNode, nodeHomes } from '../model/structure';
import type { Boundary, Model, ModelEdge, ModelNode, NodeKind, Relation } from '../model/types';
import { EDGE_FIELDS, edgeFieldApplies, KINDS, kindDescription, RELATIONS, relationLabel, validRelations } from '../model/vocabulary';
import { selectedElement, useStore } from '../store';
import { useAnalysis } from './analysis';
import { diagnosticsOf, underField } from './diagnostics';
import { Errors, Field, SchemaField, TextInput, WordSelect } from './fields';
import { boundaryField, edgeField, metadataField, propertyFields } from './formSpec';
import { RichText } from './RichText';
import { riskHighlight, risksOf } from './risks';
import './panels.css';

const NO_DIAGNOSTICS: Diagnostic[] = [];

/** The diagnostics of one element by field, from the latest analysis. */
function useElementDiagnostics(list: string, id: string): Map<string, Diagnostic[]> {
  const analysis = useAnalysis((s) => s.analysis);
  const analysed = useAnalysis((s) => s.analysed);
  return useMemo(
    () => diagnosticsOf(analysis?.diagnostics ?? NO_DIAGNOSTICS, analysed, list, id),
    [analysis, analysed, list, id],
  );
}

/** Diagnostics not shown beside any field of the form (shown at the top instead). */
function unplaced(byField: Map<string, Diagnostic[]>, shown: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [field, list] of byField) {
    if (!shown.some((s) => field === s || field.startsWith(`${s}.`))) out.push(...list);
  }
  return out;
}

export function Inspector() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const element = useMemo(() => selectedElement({ doc, selection }), [doc, selection]);
  const readOnly = useStore((s) => s.readOnly !== null);
  const section = useRef<HTMLElement>(null);
  const shown = selection.length === 1 ? selection[0] : selection.length;
  useEffect(() => {
    // Another element: its form starts at the top, whatever the last one was scrolled to.
    const el = section.current;
    if (el) {
      el.scrollTop = 0;
      if (el.parentElement) el.parentElement.scrollTop = 0;
    }
  }, [shown]);
  const focus = useStore((s) => s.inspectorFocus);
  useEffect(() => {
    // Asked to show a property (an open question): focus its control, in view.
    const root = section.current;
    if (!focus || !root) return;
    const field = root.querySelector<HTMLElement>(`[data-testid="${focus.field}"]`);
    const control = field?.matches('input, select, textarea') ? field : field?.querySelector<HTMLElement>('input, select, textarea');
    field?.scrollIntoView?.({ block: 'center' });
    control?.focus();
  }, [focus]);
  let body;
  if (selection.length > 1) body = <MultiSelection count={selection.length} />;
  else if (!element) body = <MetadataForm doc={doc} />;
  else if (element.type === 'node') body = <NodeForm key={element.node.id} node={element.node} doc={doc} />;
  else if (element.type === 'edge') body = <EdgeForm key={element.id} id={element.id} edge={element.edge} doc={doc} />;
  else body = <BoundaryForm key={element.boundary.id} boundary={element.boundary} doc={doc} />;
  return (
    <section ref={section} className="bz-inspector" data-testid="inspector" aria-label="Inspector">
      {/* A read-only document (its file did not read completely) can be looked at, not edited. */}
      <fieldset className="bz-inspector-fields" disabled={readOnly}>
        {body}
      </fieldset>
    </section>
  );
}

function Header(props: { icon?: ReactNode; colour?: string; kind: string; title: string; subtitle?: string }) {
  return (
    <header className="bz-inspector-header">
      {props.icon && (
        <span className="bz-kind-badge" style={{ background: props.colour }}>
          {props.icon}
        </span>
      )}
      <span className="bz-inspector-heading">
        <span className="bz-inspector-kind">{props.kind}</span>
        <span className="bz-inspector-title">{props.title}</span>
        {props.subtitle && <span className="bz-inspector-subtitle">{props.subtitle}</span>}
      </span>
    </header>
  );
}

/** The id: a short slug; everything that refers to the element follows a rename. */
function IdField(props: { id: string; diagnostics: readonly Diagnostic[]; onCommit(id: string): void }) {
  return (
    <Field name="id" label="Id" diagnostics={props.diagnostics}>
      {(controlId, describedBy) => (
        <TextInput id={controlId} testId="field-id" value={props.id} describedBy={describedBy} onCommit={(v) => v.trim() && props.onCommit(v.trim())} />
      )}
    </Field>
  );
}

function NodeForm({ node, doc }: { node: ModelNode; doc: Model }) {
  const updateNode = useStore((s) => s.updateNode);
  const renameElement = useStore((s) => s.renameElement);
  const setMembership = useStore((s) => s.setMembership);
  const byField = useElementDiagnostics('nodes', node.id);
  const fields = propertyFields(node.kind);
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const home = useMemo(() => nodeHomes(doc).get(node.id), [doc, node.id]);
  const kindOptions = KINDS.map((k) => ({ word: k.word, description: k.description }));
  const setProperty = (name: string, value: unknown) => {
    const next: Record<string, unknown> = { ...properties, [name]: value };
    updateNode(node.id, { properties: next as ModelNode['properties'] });
  };
  const top = unplaced(byField, ['id', 'name', 'description', 'kind', 'properties']);
  return (
    <>
      <Header icon={<KindIcon kind={node.kind} size={18} />} colour={KIND_COLOURS[node.kind]} kind={KIND_LABELS[node.kind]} title={node.name || node.id} subtitle={node.id} />
      <Errors diagnostics={top} />
      <div className="bz-form">
        <Field name="name" label="Name" diagnostics={byField.get('name')}>
          {(id, describedBy) => <TextInput id={id} testId="field-name" value={node.name} describedBy={describedBy} onCommit={(name) => updateNode(node.id, { name })} />}
        </Field>
        <div className="bz-row">
          <IdField id={node.id} diagnostics={byField.get('id') ?? NO_DIAGNOSTICS} onCommit={(id) => void renameElement(node.id, id)} />
          <Field name="kind" label="Kind" diagnostics={byField.get('kind')}>
            {(id, describedBy) => (
              <WordSelect
                id={id}
                testId="field-kind"
                value={node.kind}
                options={kindOptions}
                allowEmpty={false}
                describedBy={describedBy}
                onChange={(kind) => kind && kind !== node.kind && updateNode(node.id, { kind: kind as NodeKind })}
              />
            )}
          </Field>
        </div>
      </div>
      {fields.length > 0 && (
        <>
          <h3 className="bz-section-title" title={kindDescription(node.kind)}>
            {KIND_LABELS[node.kind]} properties
          </h3>
          <div className="bz-form">
            {fields.map((spec) => (
              <SchemaField
                key={spec.name}
                spec={spec}
                testId={`field-properties.${spec.name}`}
                value={properties[spec.name]}
                diagnostics={underField(byField, `properties.${spec.name}`)}
                onChange={(value) => setProperty(spec.name, value)}
              />
            ))}
          </div>
        </>
      )}
      <h3 className="bz-section-title">About</h3>
      <div className="bz-form">
        <Field name="description" label="Description" diagnostics={byField.get('description')}>
          {(id, describedBy) => (
            <TextInput id={id} testId="field-description" multiline value={node.description ?? ''} describedBy={describedBy} onCommit={(description) => updateNode(node.id, { description })} />
          )}
        </Field>
        {(doc.boundaries ?? []).length > 0 && (
          <Field name="boundary" label="Trust boundary" help="The innermost boundary the node sits in.">
            {(id, describedBy) => (
              <WordSelect
                id={id}
                testId="field-boundary"
                value={home}
                emptyLabel="— outside every boundary —"
                options={(doc.boundaries ?? []).map((b) => ({ word: b.id, description: `${b.name} (${b.zone})` }))}
                describedBy={describedBy}
                onChange={(b) => setMembership([node.id], b ?? null)}
              />
            )}
          </Field>
        )}
      </div>
      <Connections node={node} doc={doc} />
      <RisksAbout id={node.id} />
    </>
  );
}

function Connections({ node, doc }: { node: ModelNode; doc: Model }) {
  const select = useStore((s) => s.select);
  const edges = (doc.edges ?? []).filter((e) => e.from === node.id || e.to === node.id);
  if (edges.length === 0) return null;
  return (
    <>
      <h3 className="bz-section-title">Connections ({edges.length})</h3>
      <ul className="bz-links">
        {edges.map((e) => {
          const id = edgeIdOf(e);
          const outgoing = e.from === node.id;
          const other = findNode(doc, outgoing ? e.to : e.from);
          return (
            <li key={id}>
              <button type="button" className="bz-link" onClick={() => select([id])} title={id}>
                {outgoing ? `${relationLabel(e.relation)} → ` : `← ${relationLabel(e.relation)} by `}
                <b>{other?.name ?? (outgoing ? e.to : e.from)}</b>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The risks at this element, or whose checks name it. */
function RisksAbout({ id }: { id: string }) {
  const analysis = useAnalysis((s) => s.analysis);
  const setAnalysis = useAnalysis((s) => s.set);
  const setHighlight = useStore((s) => s.setHighlight);
  const risks = risksOf(analysis?.report).filter((r) => r.place === id || r.facets.some((f) => f.subjects.includes(id)));
  if (risks.length === 0) return null;
  return (
    <>
      <h3 className="bz-section-title">Risks here ({risks.length})</h3>
      <ul className="bz-links">
        {risks.map((r) => (
          <li key={r.fingerprint}>
            <button
              type="button"
              className="bz-link"
              data-testid={`inspector-risk-${r.fingerprint}`}
              onClick={() => {
                setAnalysis({ selected: r.fingerprint, tab: 'risks' });
                setHighlight(riskHighlight(r));
              }}
            >
              <span className={`bz-sev bz-sev-${r.severity}`}>{r.severity}</span> <RichText text={r.title} />
              {r.status !== 'open' && <span className="bz-muted"> · {r.status.replace('_', ' ')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function EdgeForm({ id, edge, doc }: { id: string; edge: ModelEdge; doc: Model }) {
  const updateEdge = useStore((s) => s.updateEdge);
  const renameElement = useStore((s) => s.renameElement);
  const byField = useElementDiagnostics('edges', id);
  const from = findNode(doc, edge.from);
  const to = findNode(doc, edge.to);
  const allowed: Relation[] = from && to ? validRelations(from.kind, to.kind) : [];
  const relationOptions = RELATIONS.filter((r) => allowed.includes(r.relation) || r.relation === edge.relation).map((r) => ({
    word: r.relation,
    description: r.description,
  }));
  const derived = `${edge.from}--${edge.relation}--${edge.to}`;
  const top = unplaced(byField, ['id', 'from', 'to', 'relation', 'description', ...EDGE_FIELDS]);
  return (
    <>
      <Header kind="Edge" title={`${from?.name ?? edge.from} → ${to?.name ?? edge.to}`} subtitle={relationLabel(edge.relation)} />
      <Errors diagnostics={top} />
      <div className="bz-form">
        <div className="bz-edge-ends">
          <span className="bz-end" title={edge.from}>
            {from && <KindIcon kind={from.kind} size={14} />} {from?.name ?? edge.from}
          </span>
          <span className="bz-end-arrow" aria-hidden="true">
            →
          </span>
          <span className="bz-end" title={edge.to}>
            {to && <KindIcon kind={to.kind} size={14} />} {to?.name ?? edge.to}
          </span>
        </div>
        <Errors diagnostics={[...(byField.get('from') ?? []), ...(byField.get('to') ?? [])]} />
        <Field
          name="relation"
          label="Relation"
          help={<RichText text={RELATIONS.find((r) => r.relation === edge.relation)?.description ?? ''} />}
          diagnostics={byField.get('relation')}
        >
          {(controlId, describedBy) => (
            <WordSelect
              id={controlId}
              testId="field-relation"
              value={edge.relation}
              options={relationOptions}
              allowEmpty={false}
              describedBy={describedBy}
              onChange={(relation) => relation && updateEdge(id, { relation: relation as Relation })}
            />
          )}
        </Field>
        {EDGE_FIELDS
          .filter((field) => edgeFieldApplies(field, edge.relation))
          .map((field) => (
            <SchemaField
              key={field}
              spec={edgeField(field)}
              testId={`field-${field}`}
              value={edge[field]}
              diagnostics={byField.get(field) ?? NO_DIAGNOSTICS}
              onChange={(value) => updateEdge(id, { [field]: value } as Partial<ModelEdge>)}
            />
          ))}
        <Field name="description" label="Description" diagnostics={byField.get('description')}>
          {(controlId, describedBy) => (
            <TextInput id={controlId} testId="field-description" multiline value={edge.description ?? ''} describedBy={describedBy} onCommit={(description) => updateEdge(id, { description })} />
          )}
        </Field>
        <Field name="id" label="Id" help={`Optional: without one the edge is known as ${derived}.`} diagnostics={byField.get('id')}>
          {(controlId, describedBy) => (
            <TextInput id={controlId} testId="field-id" value={edge.id ?? ''} placeholder={derived} describedBy={describedBy} onCommit={(value) => void renameElement(id, value.trim() || derived)} />
          )}
        </Field>
      </div>
      <RisksAbout id={id} />
    </>
  );
}

function BoundaryForm({ boundary, doc }: { boundary: Boundary; doc: Model }) {
  const updateBoundary = useStore((s) => s.updateBoundary);
  const renameElement = useStore((s) => s.renameElement);
  const select = useStore((s) => s.select);
  const byField = useElementDiagnostics('boundaries', boundary.id);
  const inside = useMemo(() => new Set(boundaryContents(doc, boundary.id).boundaries), [doc, boundary.id]);
  const parents = (doc.boundaries ?? []).filter((b) => b.id !== boundary.id && !inside.has(b.id));
  const zone = boundaryField('zone');
  const top = unplaced(byField, ['id', 'name', 'zone', 'description', 'parent', 'members']);
  return (
    <>
      <Header icon={<KindIcon kind="boundary" size={18} />} colour={ZONE_COLOURS[boundary.zone] ?? '#64748b'} kind="Trust boundary" title={boundary.name || boundary.id} subtitle={boundary.id} />
      <Errors diagnostics={top} />
      <div className="bz-form">
        <Field name="name" label="Name" diagnostics={byField.get('name')}>
          {(id, describedBy) => <TextInput id={id} testId="field-name" value={boundary.name} describedBy={describedBy} onCommit={(name) => updateBoundary(boundary.id, { name })} />}
        </Field>
        <div className="bz-row">
          <IdField id={boundary.id} diagnostics={byField.get('id') ?? NO_DIAGNOSTICS} onCommit={(id) => void renameElement(boundary.id, id)} />
          <Field name="zone" label="Zone" diagnostics={byField.get('zone')}>
            {(id, describedBy) => (
              <WordSelect
                id={id}
                testId="field-zone"
                value={boundary.zone}
                options={zone.options ?? []}
                allowEmpty={false}
                describedBy={describedBy}
                onChange={(value) => value && updateBoundary(boundary.id, { zone: value as Boundary['zone'] })}
              />
            )}
          </Field>
        </div>
        <p className="bz-field-help">{zone.options?.find((o) => o.word === boundary.zone)?.description}</p>
        <Field name="parent" label="Inside" help="The boundary this one sits in." diagnostics={byField.get('parent')}>
          {(id, describedBy) => (
            <WordSelect
              id={id}
              testId="field-parent"
              value={boundary.parent}
              emptyLabel="— top level —"
              options={parents.map((b) => ({ word: b.id, description: `${b.name} (${b.zone})` }))}
              describedBy={describedBy}
              onChange={(parent) => updateBoundary(boundary.id, { parent: parent ?? '' })}
            />
          )}
        </Field>
        <Field name="description" label="Description" diagnostics={byField.get('description')}>
          {(id, describedBy) => (
            <TextInput id={id} testId="field-description" multiline value={boundary.description ?? ''} describedBy={describedBy} onCommit={(description) => updateBoundary(boundary.id, { description })} />
          )}
        </Field>
      </div>
      <h3 className="bz-section-title">Members ({(boundary.members ?? []).length})</h3>
      <Errors diagnostics={underField(byField, 'members')} />
      {(boundary.members ?? []).length === 0 ? (
        <p className="bz-muted bz-pad">Drag nodes into the boundary on the canvas.</p>
      ) : (
        <ul className="bz-links">
          {(boundary.members ?? []).map((m) => {
            const node = findNode(doc, m);
            return (
              <li key={m}>
                <button type="button" className="bz-link" onClick={() => select([m])}>
                  {node && <KindIcon kind={node.kind} size={14} />} {node?.name ?? m}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

function MetadataForm({ doc }: { doc: Model }) {
  const updateMetadata = useStore((s) => s.updateMetadata);
  const analysis = useAnalysis((s) => s.analysis);
  const metaDiagnostics = useMemo(() => {
    const byField = new Map<string, Diagnostic[]>();
    for (const d of analysis?.diagnostics ?? []) {
      if (!d.path?.startsWith('metadata')) continue;
      const field = d.path.replace(/^metadata\.?/, '').replace(/\[\d+\]$/, '');
      byField.set(field, [...(byField.get(field) ?? []), d]);
    }
    return byField;
  }, [analysis]);
  const m = doc.metadata;
  const text = (name: 'name' | 'owner' | 'revision' | 'updated', placeholder?: string) => {
    const spec = metadataField(name);
    return (
      <Field key={name} name={name} label={spec.label} help={spec.help} diagnostics={metaDiagnostics.get(name)}>
        {(id, describedBy) => (
          <TextInput id={id} testId={`field-metadata.${name}`} value={m[name] ?? ''} placeholder={placeholder} describedBy={describedBy} onCommit={(value) => updateMetadata({ [name]: value })} />
        )}
      </Field>
    );
  };
  return (
    <>
      <Header kind="Model" title={m.name || 'Untitled model'} subtitle={`${doc.nodes.length} nodes · ${(doc.edges ?? []).length} edges · ${(doc.boundaries ?? []).length} boundaries`} />
      <p className="bz-muted bz-pad">Select a node, an edge or a boundary to edit it.</p>
      <div className="bz-form">
        {text('name')}
        <Field name="description" label="Description" help={metadataField('description').help} diagnostics={metaDiagnostics.get('description')}>
          {(id, describedBy) => (
            <TextInput id={id} testId="field-metadata.description" multiline value={m.description ?? ''} describedBy={describedBy} onCommit={(description) => updateMetadata({ description })} />
          )}
        </Field>
        {text('owner')}
        {text('revision', 'e.g. v1.4')}
        {text('updated', 'YYYY-MM-DD')}
        <Field name="tags" label="Tags" help={metadataField('tags').help} diagnostics={metaDiagnostics.get('tags')}>
          {(id, describedBy) => (
            <TextInput
              id={id}
              testId="field-metadata.tags"
              value={(m.tags ?? []).join(', ')}
              placeholder="comma separated"
              describedBy={describedBy}
              onCommit={(value) =>
                updateMetadata({
                  tags: value
                    .split(',')
                    .map((t) => t.trim())
                    .filter(Boolean),
                })
              }
            />
          )}
        </Field>
      </div>
    </>
  );
}

function MultiSelection({ count }: { count: number }) {
  const deleteSelection = useStore((s) => s.deleteSelection);
  return (
    <>
      <Header kind="Selection" title={`${count} elements selected`} />
      <p className="bz-muted bz-pad">Drag to move them together, copy and paste them, or delete them.</p>
      <div className="bz-pad">
        <button type="button" className="danger" onClick={deleteSelection}>
          Delete {count} elements
        </button>
      </div>
    </>
  );
}
