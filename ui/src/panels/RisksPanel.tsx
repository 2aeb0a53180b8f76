// The risks panel: the engine's risks for the current document, updated as it changes, most
// urgent first. A row is one risk — severity, what is wrong in the names people drew, its place —
// and opens (compactly, scrolling inside) to the checks that fire there, its paths (a click
// highlights one on the canvas), its one remediation and its triage decision, written into the
// document's `triage` under the risk's fingerprint (one undoable change). The severity chips
// filter the list and count what the status bar counts (`riskCounts`).

import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { Diagnostic, PathStep, Risk } from '../backend';
import { KIND_COLOURS, KindIcon } from '../canvas/kinds';
import { findBoundary, findNode } from '../model/structure';
import type { Model, TriageStatus } from '../model/types';
import { useStore } from '../store';
import { useAnalysis } from './analysis';
import { locate } from './diagnostics';
import { frameworkInfo, labelOfStatus, ruleInfo, SEVERITIES, STATUSES, todayIso, recordsDecision } from './findings';
import { RichText } from './RichText';
import { appIdentity, signer, useAuthor } from './identity';
import {
  filterRisks,
  isOpen,
  openRisksLabel,
  pathCountLabel,
  pathHighlight,
  riskCounts,
  riskHighlight,
  risksOf,
  riskTriageInput,
  toggleSeverity,
} from './risks';
import { fileName } from './session';
import { rowStep, useWindowedRows } from './windowing';
import './panels.css';

/** Opens a risk: highlights its shortest path, selects its place and frames them. */
export function selectRisk(risk: Risk) {
  const store = useStore.getState();
  const ids = riskHighlight(risk);
  useAnalysis.getState().set({ selected: risk.fingerprint });
  store.setHighlight(ids);
  store.select(findNode(store.doc, risk.place) ? [risk.place] : []);
  store.canvas?.fit(ids.nodes);
}

/**
 * A user-timing mark at the latest analysis on screen (only the latest is kept): where the app's
 * cold start ends, as `ui/e2e-tauri/live.perf.ts` measures it.
 */
export const ANALYSIS_SHOWN_MARK = 'bartizan:analysis-shown';

export function RisksPanel() {
  const analysis = useAnalysis((s) => s.analysis);
  const pending = useAnalysis((s) => s.pending);
  const error = useAnalysis((s) => s.error);
  const severities = useAnalysis((s) => s.severities);
  const showTriaged = useAnalysis((s) => s.showTriaged);
  const selected = useAnalysis((s) => s.selected);
  const set = useAnalysis((s) => s.set);
  const analysed = useAnalysis((s) => s.analysed);
  const revision = useAnalysis((s) => s.revision);
  const readOnly = useStore((s) => s.readOnly !== null);
  const scroller = useRef<HTMLDivElement>(null);

  const report = analysis?.report ?? null;
  const all = useMemo(() => risksOf(report), [report]);
  const visible = useMemo(() => filterRisks(all, severities, showTriaged), [all, severities, showTriaged]);
  const counts = useMemo(() => riskCounts(all), [all]);
  const diagnostics = analysis?.diagnostics ?? [];
  useLayoutEffect(() => {
    if (revision === 0) return;
    performance.clearMarks(ANALYSIS_SHOWN_MARK);
    performance.mark(ANALYSIS_SHOWN_MARK);
  }, [revision]);

  return (
    // `data-revision`: which document the panel shows the analysis of (`AnalysisState.revision`).
    <section className="bz-findings" data-testid="risks-panel" aria-label="Risks" aria-busy={pending} data-revision={revision}>
      <header className="bz-findings-header">
        <div className="bz-findings-titlebar">
          <h2 className="bz-panel-title">Risks</h2>
          <span className="bz-findings-state" data-testid="risks-state" aria-live="polite">
            {error ? 'Analysis failed' : pending || !analysis ? 'Analysing…' : report ? openRisksLabel(counts) : 'Model has errors'}
          </span>
          <label className="bz-toggle" title="Show risks already mitigated, accepted or marked false positive">
            <input type="checkbox" checked={showTriaged} data-testid="show-triaged" onChange={(e) => set({ showTriaged: e.target.checked })} />
            Triaged ({counts.triaged})
          </label>
        </div>
        <div className="bz-sev-counts" role="group" aria-label="Open risks by severity; click to show only those">
          {SEVERITIES.map((s) => {
            const on = severities.includes(s);
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                className={`bz-sev-count bz-sev-${s}${counts.bySeverity[s] === 0 ? ' bz-zero' : ''}${on ? ' bz-sev-on' : ''}`}
                data-testid={`count-${s}`}
                title={on ? `Showing ${s} risks; click to show all` : `${counts.bySeverity[s]} open ${s}; click to show only ${s}`}
                onClick={() => set({ severities: toggleSeverity(severities, s) })}
              >
                <b>{counts.bySeverity[s]}</b> {s}
              </button>
            );
          })}
        </div>
      </header>
      <div className="bz-findings-list" ref={scroller}>
        {error && <p className="bz-banner bz-banner-error">The analysis failed: {error}</p>}
        {diagnostics.length > 0 && <DiagnosticsList diagnostics={diagnostics} analysed={analysed} valid={analysis?.valid ?? true} fromFile={readOnly} />}
        {report && all.length === 0 && (
          <p className="bz-empty" data-testid="risks-empty">
            {report.model.nodes === 0 ? 'Add nodes and connect them: risks appear here as you draw.' : 'No risks: Bartizan found no ungoverned path in this model.'}
          </p>
        )}
        {report && all.length > 0 && visible.length === 0 && (
          <p className="bz-empty">
            {severities.length > 0 ? 'No risk of the chosen severity. ' : 'Every risk is triaged. '}
            {severities.length > 0 && (
              <button type="button" className="bz-link" onClick={() => set({ severities: [] })}>
                Show all
              </button>
            )}
          </p>
        )}
        {visible.length > 0 && <RiskList risks={visible} selected={selected} scroller={scroller} />}
        {report && report.stale_triage.length > 0 && <StaleTriage stale={report.stale_triage} />}
      </div>
    </section>
  );
}

/** `Billing token › properties.ttl` for a diagnostic's path, naming the element as drawn. */
function placeOf(path: string, analysed: Model | null, doc: Model): { id?: string; label: string } {
  const at = locate(path, analysed);
  if (!at?.id) return { label: path };
  const name = findNode(doc, at.id)?.name ?? findBoundary(doc, at.id)?.name ?? at.id;
  return { id: at.id, label: at.field ? `${name} › ${at.field}` : name };
}

/** How many of a valid model's warnings show until asked for all. */
const WARNINGS_SHOWN_FOLDED = 5;

/**
 * The engine's diagnostics of the document, each naming its element (a link that selects it).
 * `fromFile`: they are the errors of the file the document was opened from (it did not read
 * completely), so each also says where in the file: `line 12, column 15`.
 */
function DiagnosticsList({ diagnostics, analysed, valid, fromFile }: { diagnostics: Diagnostic[]; analysed: Model | null; valid: boolean; fromFile: boolean }) {
  const select = useStore((s) => s.select);
  const doc = useStore((s) => s.doc);
  const path = useStore((s) => s.path);
  const [unfolded, setUnfolded] = useState(false);
  // Warnings come with risks below them: hundreds of them would push the risks out of reach.
  const folded = valid && !unfolded && diagnostics.length > WARNINGS_SHOWN_FOLDED;
  const listed = folded ? diagnostics.slice(0, WARNINGS_SHOWN_FOLDED) : diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const plural = errors === 1 ? '' : 's';
  return (
    <div className={`bz-banner ${valid ? 'bz-banner-warning' : 'bz-banner-error'}`} data-testid="model-diagnostics">
      <p>
        {fromFile
          ? `${path ? fileName(path) : 'The file'} has ${errors} error${plural}; risks appear once ${errors === 1 ? 'it is' : 'they are'} fixed in the file and it is reopened.`
          : valid
            ? `${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'} about the model.`
            : `The model has ${errors} error${plural}; risks appear once ${errors === 1 ? 'it is' : 'they are'} fixed.`}
      </p>
      <ul>
        {listed.map((d, i) => {
          const place = d.path ? placeOf(d.path, analysed, doc) : null;
          return (
            <li key={i} data-testid="model-diagnostic">
              {fromFile && d.line !== undefined && (
                <span className="bz-diagnostic-at" data-testid="diagnostic-at">
                  line {d.line}, column {d.column ?? 1}
                  {' — '}
                </span>
              )}
              {place?.id ? (
                <button type="button" className="bz-link" title={d.path} onClick={() => select([place.id!])}>
                  {place.label}
                </button>
              ) : (
                place && <code>{place.label}</code>
              )}
              {place && ': '}
              <RichText text={d.message} />
            </li>
          );
        })}
      </ul>
      {folded && (
        <button type="button" className="bz-link" data-testid="diagnostics-unfold" onClick={() => setUnfolded(true)}>
          Show all {diagnostics.length} warnings
        </button>
      )}
    </div>
  );
}

/** A closed risk's row, before one is measured. */
const RISK_ROW_ESTIMATE = 62;

/**
 * The risks, drawn near the view only when there are many (`windowing.ts`); the arrow keys, Home
 * and End move between rows, reaching the rows not drawn as well.
 */
const RiskList = memo(function RiskList({ risks, selected, scroller }: { risks: Risk[]; selected: string | null; scroller: RefObject<HTMLDivElement | null> }) {
  const keys = useMemo(() => risks.map((r) => r.fingerprint), [risks]);
  const { slice, list, reveal } = useWindowedRows(keys, scroller, RISK_ROW_ESTIMATE);
  useEffect(() => {
    // Selected here or elsewhere (the inspector, a canvas badge): bring it into view.
    if (selected) void reveal(selected).then((row) => row?.scrollIntoView?.({ block: 'start' }));
  }, [selected, reveal]);
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const head = event.target as HTMLElement;
    if (!head.classList.contains('bz-finding-head')) return;
    const index = keys.indexOf(head.closest<HTMLElement>('[data-row-key]')?.dataset.rowKey ?? '');
    const next = index < 0 ? null : rowStep(event.key, index, keys.length);
    if (next === null) return;
    event.preventDefault();
    void reveal(keys[next]).then((row) => row?.querySelector<HTMLElement>('.bz-finding-head')?.focus());
  };
  return (
    <ol ref={list} className="bz-finding-list bz-risk-list" style={{ paddingTop: slice.before, paddingBottom: slice.after }} onKeyDown={onKeyDown}>
      {risks.slice(slice.first, slice.end).map((r) => (
        <RiskItem key={r.fingerprint} risk={r} open={selected === r.fingerprint} />
      ))}
    </ol>
  );
});

const RiskItem = memo(function RiskItem({ risk, open }: { risk: Risk; open: boolean }) {
  const triaged = !isOpen(risk);
  return (
    <li
      data-row-key={risk.fingerprint}
      className={`bz-finding${open ? ' bz-finding-open' : ''}${triaged ? ' bz-finding-triaged' : ''}`}
      data-testid={`risk-${risk.fingerprint}`}
      data-kind={risk.kind}
      data-place={risk.place}
      data-severity={risk.severity}
      data-status={risk.status}
    >
      <button type="button" className="bz-finding-head" aria-expanded={open} onClick={() => (open ? useAnalysis.getState().set({ selected: null }) : selectRisk(risk))}>
        <span className={`bz-sev bz-sev-${risk.severity}`}>{risk.severity}</span>
        <span className="bz-finding-title" data-testid="risk-title">
          <RichText text={risk.title} />
        </span>
        <span className="bz-finding-meta">
          <span className="bz-risk-place" title={risk.place}>
            {risk.place_name}
          </span>
          <span>{risk.kind_label}</span>
          <span>
            {risk.facets.length} check{risk.facets.length === 1 ? '' : 's'} · {pathCountLabel(risk)}
          </span>
          {(risk.assumed ?? []).length > 0 && (
            <span className="bz-assumed" title="The verdict leans on a property the model leaves unstated">
              assumed
            </span>
          )}
          {risk.status !== 'open' && <span className={`bz-status bz-status-${risk.status}`}>{labelOfStatus(risk.status)}</span>}
        </span>
      </button>
      {open && <RiskDetails risk={risk} />}
    </li>
  );
});

function RiskDetails({ risk }: { risk: Risk }) {
  return (
    <div className="bz-finding-body bz-risk-body" data-testid="risk-details">
      {risk.critical && (
        <p className="bz-critical-why" data-testid="risk-critical">
          <b className="bz-sev-text bz-sev-critical">Critical:</b> <RichText text={risk.critical} />
        </p>
      )}
      <Section title="Fix">
        <p data-testid="risk-remediation">
          <RichText text={risk.remediation} />
        </p>
      </Section>
      <Section title={`Checks that fire here (${risk.facets.length})`}>
        <ul className="bz-facets" data-testid="risk-facets">
          {risk.facets.map((facet) => (
            <li key={facet.fingerprint} className="bz-facet" data-testid="risk-facet" data-rule={facet.rule}>
              <details>
                <summary>
                  <span className={`bz-dot bz-sev-${facet.severity}`} title={facet.severity} aria-label={facet.severity} />
                  <span className="bz-facet-rule">{facet.rule_title}</span> <span className="bz-facet-id">{facet.rule}</span>
                  <span className="bz-facet-title">
                    <RichText text={facet.title} />
                  </span>
                </summary>
                {(facet.evidence ?? []).length > 0 && (
                  <ul className="bz-bullets">
                    {facet.evidence!.map((e, i) => (
                      <li key={i}>
                        <RichText text={e} />
                      </li>
                    ))}
                  </ul>
                )}
                {(facet.factors ?? []).length > 0 && (
                  <ul className="bz-factors">
                    {facet.factors!.map((factor, i) => (
                      <li key={i} className={`bz-factor bz-factor-${factor.effect > 0 ? 'up' : factor.effect < 0 ? 'down' : 'noted'}`}>
                        <span aria-label={factor.effect > 0 ? 'raises' : factor.effect < 0 ? 'lowers' : 'noted'}>{factor.effect > 0 ? '▲' : factor.effect < 0 ? '▼' : '•'}</span>{' '}
                        <RichText text={factor.detail} />
                      </li>
                    ))}
                  </ul>
                )}
                {ruleInfo(facet.rule) && (
                  <p className="bz-muted bz-facet-why">{ruleInfo(facet.rule)!.rationale}</p>
                )}
              </details>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={pathCountLabel(risk) + (risk.paths.length < Math.max(risk.path_count, risk.paths.length) ? `, the shortest ${risk.paths.length}` : '')}>
        <ol className="bz-paths" data-testid="risk-paths">
          {risk.paths.map((path, i) => (
            <li key={i}>
              <PathButton path={path} place={risk.place} index={i} />
            </li>
          ))}
        </ol>
      </Section>
      {(risk.assumed ?? []).length > 0 && (
        <Section title="Assumed">
          <ul className="bz-bullets" data-testid="risk-assumed">
            {risk.assumed!.map((a, i) => (
              <li key={i}>
                <code>{a.element}</code> states no <code>{a.property}</code>: read as {a.reading}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {risk.references.length > 0 && (
        <Section title="References">
          <ul className="bz-refs bz-refs-compact">
            {risk.references.map((r, i) => (
              <li key={i} title={`${frameworkInfo(r.framework).name}: ${r.title}`}>
                <span className="bz-ref-fw">{frameworkInfo(r.framework).short}</span> <b>{r.id}</b> {r.title}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <p className="bz-muted bz-risk-id">
        <code title="The risk's fingerprint: triage decisions are recorded under it">{risk.fingerprint}</code>
      </p>
      <TriageForm key={`${risk.fingerprint}:${risk.triage?.status ?? 'open'}:${risk.triage?.justification ?? ''}`} risk={risk} />
    </div>
  );
}

/** One path, as the names it goes through; a click highlights it on the canvas. */
function PathButton({ path, place, index }: { path: PathStep[]; place: string; index: number }) {
  const doc = useStore((s) => s.doc);
  const highlight = useStore((s) => s.highlight);
  const ids = pathHighlight(path, [place]);
  const shown = highlight.nodes.length === ids.nodes.length && ids.nodes.every((id, i) => highlight.nodes[i] === id) && ids.edges.every((id) => highlight.edges.includes(id));
  return (
    <button
      type="button"
      className={`bz-path-line${shown ? ' on' : ''}`}
      data-testid={`risk-path-${index}`}
      aria-pressed={shown}
      title="Highlight this path on the canvas"
      onClick={() => {
        const store = useStore.getState();
        store.setHighlight(ids);
        store.canvas?.fit(ids.nodes);
      }}
    >
      {path.map((step, i) => {
        const node = findNode(doc, step.node);
        return (
          <span key={i} className="bz-path-step">
            {step.elided ? <span className="bz-muted">{` … ${step.elided === 1 ? '1 step' : `${step.elided} steps`} more …`}</span> : null}
            {step.hop && (
              <span className="bz-path-hop" title={step.hop.edge}>
                {step.hop.reversed ? ' ← ' : ' → '}
                <span className="bz-muted">{step.hop.reason}</span>
                {' '}
              </span>
            )}
            {node && <span className="bz-kind-dot bz-kind-dot-small" style={{ background: KIND_COLOURS[node.kind] }}><KindIcon kind={node.kind} size={10} /></span>}
            <span title={step.node}>{node?.name || step.node}</span>
          </span>
        );
      })}
    </button>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="bz-finding-section">
      <h4>{title}</h4>
      {children}
    </div>
  );
}

function TriageForm({ risk }: { risk: Risk }) {
  const setTriage = useStore((s) => s.setTriage);
  const [status, setStatus] = useState<TriageStatus>(risk.triage?.status ?? risk.status);
  const [justification, setJustification] = useState(risk.triage?.justification ?? '');
  const author = useAuthor((s) => s.name);
  useEffect(() => {
    void appIdentity.stored().catch(() => null);
  }, []);
  const changed = status !== (risk.triage?.status ?? risk.status) || justification.trim() !== (risk.triage?.justification ?? '');
  const needsReason = status !== 'open' && justification.trim() === '';
  const apply = async () => {
    if (!recordsDecision(status, justification)) {
      setTriage(risk.fingerprint, null);
      return;
    }
    // A decision says who made it: the user's name, asked for the first time.
    const by = await signer('A triage decision records who made it.');
    if (!by) {
      useStore.getState().notify('The triage decision was not applied: it needs your name to sign it.', 'error');
      return;
    }
    setTriage(risk.fingerprint, riskTriageInput(risk, status, justification, by, todayIso()));
  };
  return (
    <form
      className="bz-triage"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void apply();
      }}
    >
      <h4>Triage</h4>
      {risk.triage && (
        <p className="bz-muted" data-testid="triage-recorded">
          {labelOfStatus(risk.triage.status)}
          {risk.triage.by && ` by ${risk.triage.by}`}
          {risk.triage.at && ` on ${risk.triage.at}`}
        </p>
      )}
      <label className="bz-field-label" htmlFor={`triage-status-${risk.fingerprint}`}>
        Status
      </label>
      <select id={`triage-status-${risk.fingerprint}`} className="bz-input" data-testid="triage-status" value={status} onChange={(e) => setStatus(e.target.value as TriageStatus)}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {labelOfStatus(s)}
          </option>
        ))}
      </select>
      <label className="bz-field-label" htmlFor={`triage-justification-${risk.fingerprint}`}>
        Justification
      </label>
      <textarea
        id={`triage-justification-${risk.fingerprint}`}
        className="bz-input"
        data-testid="triage-justification"
        rows={2}
        value={justification}
        placeholder={status === 'open' ? 'Optional note' : 'Why: the control outside the model, who accepted the risk, …'}
        onChange={(e) => setJustification(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && changed) void apply();
        }}
      />
      {needsReason && <p className="bz-hint">An auditor will ask why: a justification is recommended.</p>}
      <div className="bz-triage-actions">
        <button type="submit" className="primary" data-testid="triage-apply" disabled={!changed}>
          Apply
        </button>
        <span className="bz-muted" data-testid="triage-signer">
          {author ? `Recorded as ${author}` : 'Recorded with your name (asked once)'}, {todayIso()}; undo with Ctrl+Z.
        </span>
      </div>
    </form>
  );
}

function StaleTriage({ stale }: { stale: { fingerprint: string; rule?: string | null; status: TriageStatus }[] }) {
  const setTriage = useStore((s) => s.setTriage);
  return (
    <details className="bz-group bz-stale" open data-testid="stale-triage">
      <summary className="bz-group-title">
        <span className="bz-group-name">Stale triage decisions</span>
        <span className="bz-group-count">{stale.length}</span>
      </summary>
      <p className="bz-muted bz-pad">These decisions match no risk any more (the risk was closed, or its place was renamed or removed).</p>
      <ul className="bz-finding-list">
        {stale.map((s) => (
          <li key={s.fingerprint} className="bz-stale-item" data-testid={`stale-${s.fingerprint}`}>
            <span className="bz-stale-what">
              <span>{ruleInfo(s.rule ?? s.fingerprint.split(':')[0])?.title ?? s.rule ?? 'Unknown check'}</span>
              <code>{s.fingerprint}</code>
            </span>
            <span className={`bz-status bz-status-${s.status}`}>{labelOfStatus(s.status)}</span>
            <button type="button" className="bz-link" onClick={() => setTriage(s.fingerprint, null)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
