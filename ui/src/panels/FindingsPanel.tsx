// The findings panel: the engine's findings for the current document, updated as it changes,
// grouped by severity, check or framework. Selecting one highlights its witness path on the
// canvas and selects its subject; its triage decision is edited in place and written into the
// document's `triage` (one undoable change).

import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Diagnostic, Finding } from '../backend';
import { KIND_COLOURS, KindIcon } from '../canvas/kinds';
import { findBoundary, findNode } from '../model/structure';
import type { Model, TriageStatus } from '../model/types';
import { useStore } from '../store';
import { useAnalysis } from './analysis';
import { locate } from './diagnostics';
import {
  countBySeverity,
  FRAMEWORKS,
  frameworkInfo,
  groupFindings,
  labelOfSeverity,
  labelOfStatus,
  pathIds,
  recordsDecision,
  ruleInfo,
  SEVERITIES,
  STATUSES,
  todayIso,
  triageInput,
  type Grouping,
} from './findings';
import { RichText } from './RichText';
import { appIdentity, signer, useAuthor } from './identity';
import { fileName } from './session';
import './panels.css';

export function selectFinding(finding: Finding) {
  const store = useStore.getState();
  const ids = pathIds(finding);
  useAnalysis.getState().set({ selected: finding.fingerprint });
  store.setHighlight(ids);
  const subject = finding.subjects.find((id) => id) ?? null;
  store.select(subject ? [subject] : []);
  store.canvas?.fit(ids.nodes);
}

export function FindingsPanel() {
  const analysis = useAnalysis((s) => s.analysis);
  const pending = useAnalysis((s) => s.pending);
  const error = useAnalysis((s) => s.error);
  const grouping = useAnalysis((s) => s.grouping);
  const framework = useAnalysis((s) => s.framework);
  const showTriaged = useAnalysis((s) => s.showTriaged);
  const selected = useAnalysis((s) => s.selected);
  const set = useAnalysis((s) => s.set);
  const analysed = useAnalysis((s) => s.analysed);
  const readOnly = useStore((s) => s.readOnly !== null);

  const report = analysis?.report ?? null;
  const all = useMemo(() => report?.findings ?? [], [report]);
  const visible = useMemo(() => (showTriaged ? all : all.filter((f) => f.status === 'open')), [all, showTriaged]);
  const groups = useMemo(() => groupFindings(visible, grouping, framework), [visible, grouping, framework]);
  const counts = useMemo(() => countBySeverity(all.filter((f) => f.status === 'open')), [all]);
  const triaged = all.filter((f) => f.status !== 'open').length;
  const diagnostics = analysis?.diagnostics ?? [];

  return (
    <section className="bz-findings" data-testid="findings-panel" aria-label="Findings">
      <header className="bz-findings-header">
        <div className="bz-findings-titlebar">
          <h2 className="bz-panel-title">Findings</h2>
          <span className="bz-findings-state" data-testid="findings-state" aria-live="polite">
            {error ? 'Analysis failed' : pending || !analysis ? 'Analysing…' : report ? `${all.length} total` : 'Model has errors'}
          </span>
        </div>
        <div className="bz-sev-counts" aria-label="Open findings by severity">
          {SEVERITIES.map((s) => (
            <span key={s} className={`bz-sev-count bz-sev-${s}${counts[s] === 0 ? ' bz-zero' : ''}`} data-testid={`count-${s}`} title={`${counts[s]} open ${s}`}>
              <b>{counts[s]}</b> {s}
            </span>
          ))}
        </div>
        <div className="bz-findings-controls">
          <div className="bz-segmented" role="radiogroup" aria-label="Group findings by">
            {(['severity', 'check', 'framework'] as Grouping[]).map((g) => (
              <button
                key={g}
                type="button"
                role="radio"
                aria-checked={grouping === g}
                className={grouping === g ? 'on' : ''}
                data-testid={`group-${g}`}
                onClick={() => set({ grouping: g })}
              >
                {g === 'check' ? 'Check' : g === 'severity' ? 'Severity' : 'Framework'}
              </button>
            ))}
          </div>
          {grouping === 'framework' && (
            <select className="bz-input bz-input-small" aria-label="Framework" data-testid="group-framework-select" value={framework} onChange={(e) => set({ framework: e.target.value })}>
              {FRAMEWORKS.map((f) => (
                <option key={f.id} value={f.id} title={f.name}>
                  {f.short}
                </option>
              ))}
            </select>
          )}
          <label className="bz-toggle" title="Show findings already mitigated, accepted or marked false positive">
            <input type="checkbox" checked={showTriaged} data-testid="show-triaged" onChange={(e) => set({ showTriaged: e.target.checked })} />
            Triaged ({triaged})
          </label>
        </div>
      </header>
      <div className="bz-findings-list">
        {error && <p className="bz-banner bz-banner-error">The analysis failed: {error}</p>}
        {diagnostics.length > 0 && <DiagnosticsList diagnostics={diagnostics} analysed={analysed} valid={analysis?.valid ?? true} fromFile={readOnly} />}
        {report && all.length === 0 && (
          <p className="bz-empty" data-testid="findings-empty">
            {report.model.nodes === 0 ? 'Add nodes and connect them: findings appear here as you draw.' : 'No findings: Bartizan found no ungoverned path in this model.'}
          </p>
        )}
        {report && all.length > 0 && visible.length === 0 && <p className="bz-empty">Every finding is triaged.</p>}
        {groups.map((group) => (
          <details key={`${grouping}:${group.key}`} className="bz-group" open>
            <summary className="bz-group-title">
              {group.severity && <span className={`bz-dot bz-sev-${group.severity}`} aria-hidden="true" />}
              <span className="bz-group-name">{group.title}</span>
              <span className="bz-group-count">{group.findings.length}</span>
            </summary>
            <ul className="bz-finding-list">
              {group.findings.map((f) => (
                <FindingItem key={f.fingerprint} finding={f} open={selected === f.fingerprint} />
              ))}
            </ul>
          </details>
        ))}
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

/**
 * The engine's diagnostics of the document, each naming its element (a link that selects it).
 * `fromFile`: they are the errors of the file the document was opened from (it did not read
 * completely), so each also says where in the file: `line 12, column 15`.
 */
function DiagnosticsList({ diagnostics, analysed, valid, fromFile }: { diagnostics: Diagnostic[]; analysed: Model | null; valid: boolean; fromFile: boolean }) {
  const select = useStore((s) => s.select);
  const doc = useStore((s) => s.doc);
  const path = useStore((s) => s.path);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const plural = errors === 1 ? '' : 's';
  return (
    <div className={`bz-banner ${valid ? 'bz-banner-warning' : 'bz-banner-error'}`} data-testid="model-diagnostics">
      <p>
        {fromFile
          ? `${path ? fileName(path) : 'The file'} has ${errors} error${plural}; findings appear once ${errors === 1 ? 'it is' : 'they are'} fixed in the file and it is reopened.`
          : valid
            ? `${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'} about the model.`
            : `The model has ${errors} error${plural}; findings appear once ${errors === 1 ? 'it is' : 'they are'} fixed.`}
      </p>
      <ul>
        {diagnostics.map((d, i) => {
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
    </div>
  );
}

function FindingItem({ finding, open }: { finding: Finding; open: boolean }) {
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // Selected from elsewhere (the inspector, a canvas badge): bring it into view.
    if (open) item.current?.scrollIntoView?.({ block: 'start' });
  }, [open]);
  return (
    <li
      ref={item}
      className={`bz-finding${open ? ' bz-finding-open' : ''}${finding.status !== 'open' ? ' bz-finding-triaged' : ''}`}
      data-testid={`finding-${finding.fingerprint}`}
      data-rule={finding.rule}
      data-severity={finding.severity}
      data-status={finding.status}
    >
      <button type="button" className="bz-finding-head" aria-expanded={open} onClick={() => (open ? useAnalysis.getState().set({ selected: null }) : selectFinding(finding))}>
        <span className={`bz-sev bz-sev-${finding.severity}`}>{finding.severity}</span>
        <span className="bz-finding-title">
          <RichText text={finding.title} />
        </span>
        <span className="bz-finding-meta">
          {finding.rule}
          {finding.status !== 'open' && <span className={`bz-status bz-status-${finding.status}`}>{labelOfStatus(finding.status)}</span>}
        </span>
      </button>
      {open && <FindingDetails finding={finding} />}
    </li>
  );
}

function FindingDetails({ finding }: { finding: Finding }) {
  const doc = useStore((s) => s.doc);
  const rule = ruleInfo(finding.rule);
  return (
    <div className="bz-finding-body">
      <Section title="Severity">
        <p>
          <b className={`bz-sev-text bz-sev-${finding.severity}`}>{labelOfSeverity(finding.severity)}</b>
          {finding.severity !== finding.default_severity && <span className="bz-muted"> (check default: {finding.default_severity})</span>}
        </p>
        {(finding.factors ?? []).length > 0 && (
          <ul className="bz-factors">
            {finding.factors!.map((factor, i) => (
              <li key={i} className={`bz-factor bz-factor-${factor.effect > 0 ? 'up' : factor.effect < 0 ? 'down' : 'noted'}`}>
                <span aria-label={factor.effect > 0 ? 'raises' : factor.effect < 0 ? 'lowers' : 'noted'}>{factor.effect > 0 ? '▲' : factor.effect < 0 ? '▼' : '•'}</span>{' '}
                <RichText text={factor.detail} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Path">
        <ol className="bz-path" data-testid="finding-path">
          {finding.path.map((step, i) => {
            const node = findNode(doc, step.node);
            return (
              <li key={i}>
                {step.hop && (
                  <span className="bz-hop" title={step.hop.edge}>
                    {step.hop.reversed ? '↑' : '↓'} {step.hop.reason}
                  </span>
                )}
                <button type="button" className="bz-path-node" onClick={() => useStore.getState().focusElement(step.node)} title={step.node}>
                  {node && (
                    <span className="bz-kind-dot" style={{ background: KIND_COLOURS[node.kind] }}>
                      <KindIcon kind={node.kind} size={12} />
                    </span>
                  )}
                  {node?.name ?? step.node}
                  <span className="bz-muted"> {step.node}</span>
                </button>
              </li>
            );
          })}
        </ol>
        {finding.other_paths > 0 && (
          <p className="bz-muted">
            and {finding.other_paths} other shortest path{finding.other_paths === 1 ? '' : 's'}
          </p>
        )}
      </Section>
      {(finding.evidence ?? []).length > 0 && (
        <Section title="Evidence">
          <ul className="bz-bullets">
            {finding.evidence!.map((e, i) => (
              <li key={i}>
                <RichText text={e} />
              </li>
            ))}
          </ul>
        </Section>
      )}
      {rule && (
        <Section title="Fix">
          <p>{rule.remediation}</p>
          <details className="bz-why">
            <summary>Why it matters</summary>
            <p>{rule.rationale}</p>
          </details>
        </Section>
      )}
      <Section title="References">
        <ul className="bz-refs">
          {finding.references.map((r, i) => (
            <li key={i} title={`${frameworkInfo(r.framework).name}: ${r.title}`}>
              <span className="bz-ref-fw">{frameworkInfo(r.framework).short}</span> <b>{r.id}</b> {r.title}
            </li>
          ))}
        </ul>
      </Section>
      <TriageForm key={`${finding.fingerprint}:${finding.triage?.status ?? 'open'}:${finding.triage?.justification ?? ''}`} finding={finding} />
    </div>
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

function TriageForm({ finding }: { finding: Finding }) {
  const setTriage = useStore((s) => s.setTriage);
  const [status, setStatus] = useState<TriageStatus>(finding.triage?.status ?? finding.status);
  const [justification, setJustification] = useState(finding.triage?.justification ?? '');
  const author = useAuthor((s) => s.name);
  useEffect(() => {
    void appIdentity.stored().catch(() => null);
  }, []);
  const changed = status !== (finding.triage?.status ?? finding.status) || justification.trim() !== (finding.triage?.justification ?? '');
  const needsReason = status !== 'open' && justification.trim() === '';
  const apply = async () => {
    if (!recordsDecision(status, justification)) {
      setTriage(finding.fingerprint, null);
      return;
    }
    // A decision says who made it: the user's name, asked for the first time.
    const by = await signer('A triage decision records who made it.');
    if (!by) {
      useStore.getState().notify('The triage decision was not applied: it needs your name to sign it.', 'error');
      return;
    }
    setTriage(finding.fingerprint, triageInput(finding, status, justification, by, todayIso()));
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
      {finding.triage && (
        <p className="bz-muted" data-testid="triage-recorded">
          {labelOfStatus(finding.triage.status)}
          {finding.triage.by && ` by ${finding.triage.by}`}
          {finding.triage.at && ` on ${finding.triage.at}`}
        </p>
      )}
      <label className="bz-field-label" htmlFor={`triage-status-${finding.fingerprint}`}>
        Status
      </label>
      <select
        id={`triage-status-${finding.fingerprint}`}
        className="bz-input"
        data-testid="triage-status"
        value={status}
        onChange={(e) => setStatus(e.target.value as TriageStatus)}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {labelOfStatus(s)}
          </option>
        ))}
      </select>
      <label className="bz-field-label" htmlFor={`triage-justification-${finding.fingerprint}`}>
        Justification
      </label>
      <textarea
        id={`triage-justification-${finding.fingerprint}`}
        className="bz-input"
        data-testid="triage-justification"
        rows={3}
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
      <p className="bz-muted bz-pad">These decisions match no finding any more (the finding was fixed, or its subjects were renamed).</p>
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
