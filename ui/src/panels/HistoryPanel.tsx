// The history panel: the revisions of the open file (one per save, newest first) with who
// saved each, when, its risks by severity and what changed in them; choosing one or two
// revisions compares them (the risks that came, went or changed, and the elements that
// differ, coloured on the canvas), and restoring makes a revision the current document.

import { useEffect, useState } from 'react';
import type { RevisionDiff, RiskRecord } from '../backend';
import { DIFF_LABELS } from '../canvas/DiffLegend';
import { findBoundary, findNode } from '../model/structure';
import { useStore, type DiffMark } from '../store';
import { labelOfStatus } from './findings';
import {
  closeComparison,
  compareChosen,
  comparedPair,
  deltaParts,
  elementCounts,
  loadHistory,
  restoreRevision,
  severityCounts,
  shortHash,
  toggleChoice,
  useHistory,
  whenSaved,
} from './history';
import { RichText } from './RichText';
import { fileName } from './session';
import './panels.css';

/** Keeps the history of the open file current: on another file, and after each save. */
function useHistorySource() {
  const path = useStore((s) => s.path);
  const savedDoc = useStore((s) => s.savedDoc);
  useEffect(() => {
    void loadHistory(path);
  }, [path, savedDoc]);
}

export function HistoryPanel() {
  useHistorySource();
  const path = useHistory((s) => s.path);
  const revisions = useHistory((s) => s.revisions);
  const loading = useHistory((s) => s.loading);
  const error = useHistory((s) => s.error);
  const chosen = useHistory((s) => s.chosen);
  const diff = useHistory((s) => s.diff);
  const working = useHistory((s) => s.working);
  const set = useHistory((s) => s.set);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // "5 min ago" stays true while the panel is open.
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const pair = comparedPair(chosen, revisions);
  const restorable = chosen.length === 1 ? chosen[0] : null;

  if (!path) {
    return (
      <section className="bz-history" data-testid="history-panel" aria-label="History">
        <header className="bz-history-header">
          <h2 className="bz-panel-title">History</h2>
        </header>
        <p className="bz-empty" data-testid="history-unsaved">
          This model has not been saved to a file yet, so it has no history. Each save records a revision here: when, by whom, and what it changed in
          the risks.
        </p>
      </section>
    );
  }

  return (
    <section className="bz-history" data-testid="history-panel" aria-label="History">
      <header className="bz-history-header">
        <div className="bz-findings-titlebar">
          <h2 className="bz-panel-title">History</h2>
          <span className="bz-findings-state" data-testid="history-state" aria-live="polite">
            {loading && revisions.length === 0 ? 'Loading…' : `${revisions.length} revision${revisions.length === 1 ? '' : 's'}`}
          </span>
        </div>
        <p className="bz-history-file bz-muted" title={path}>
          {fileName(path)}
        </p>
        <div className="bz-history-actions">
          <button
            type="button"
            className="primary"
            data-testid="history-compare"
            disabled={!pair || working}
            onClick={() => void compareChosen()}
            title={pair ? `Compare revision ${pair.from} with revision ${pair.to}` : 'Choose two revisions, or one to compare with the one before it'}
          >
            {pair ? `Compare ${pair.from} → ${pair.to}` : 'Compare'}
          </button>
          <button
            type="button"
            data-testid="history-restore"
            disabled={restorable === null || working}
            onClick={() => restorable !== null && void restoreRevision(restorable)}
            title={restorable !== null ? `Make revision ${restorable} the current model (undoable; save to keep it)` : 'Choose one revision to restore'}
          >
            {restorable !== null ? `Restore ${restorable}` : 'Restore'}
          </button>
        </div>
        <p className="bz-history-hint bz-muted">
          {chosen.length === 0
            ? 'Choose one revision to compare it with the one before, or two to compare them.'
            : chosen.length === 1
              ? pair
                ? `Revision ${chosen[0]} against revision ${pair.from}, the one before it; choose another to compare with that instead.`
                : `Revision ${chosen[0]} is the first: choose another to compare it with.`
              : `Revisions ${Math.min(...chosen)} and ${Math.max(...chosen)}.`}
        </p>
      </header>
      <div className="bz-history-body">
        {error && (
          <p className="bz-banner bz-banner-error" data-testid="history-error">
            The history could not be read: {error}
          </p>
        )}
        {diff && <ComparisonView diff={diff} />}
        {!error && !loading && revisions.length === 0 && (
          <p className="bz-empty" data-testid="history-empty">
            No revisions recorded for this file yet: the next save records the first.
          </p>
        )}
        <ol className="bz-revisions" aria-label="Revisions, newest first">
          {revisions.map((revision, index) => {
            const selected = chosen.includes(revision.number);
            const when = whenSaved(revision.recorded_at, now);
            const counts = severityCounts(revision.risks);
            return (
              <li
                key={revision.number}
                className={`bz-revision${selected ? ' bz-revision-chosen' : ''}`}
                data-testid={`revision-${revision.number}`}
              >
                <label className="bz-revision-head">
                  <input
                    type="checkbox"
                    checked={selected}
                    data-testid={`revision-choose-${revision.number}`}
                    aria-label={`Choose revision ${revision.number}`}
                    onChange={() => set({ chosen: toggleChoice(chosen, revision.number) })}
                  />
                  <span className="bz-revision-number">#{revision.number}</span>
                  <span className="bz-revision-when" title={new Date(revision.recorded_at * 1000).toISOString()}>
                    {when.date}
                    {when.ago && <span className="bz-muted"> · {when.ago}</span>}
                  </span>
                  {index === 0 && <span className="bz-revision-latest">latest</span>}
                </label>
                <div className="bz-revision-meta">
                  <span className="bz-revision-author" title="Saved by">
                    {revision.author}
                  </span>
                  <code className="bz-revision-hash" title={revision.content_hash}>
                    {shortHash(revision.content_hash)}
                  </code>
                </div>
                <div className="bz-revision-findings">
                  <span className="bz-delta" data-testid={`revision-delta-${revision.number}`} aria-label="Risks since the revision before">
                    {deltaParts(revision.delta).map((part) => (
                      <span key={part.kind} className={`bz-delta-${part.kind}${part.count === 0 ? ' bz-zero' : ''}`} title={part.title}>
                        {part.sign}
                        {part.count}
                      </span>
                    ))}
                  </span>
                  <span className="bz-revision-counts" data-testid={`revision-counts-${revision.number}`}>
                    {counts.length === 0 ? (
                      <span className="bz-muted">no risks</span>
                    ) : (
                      counts.map(({ severity, count }) => (
                        <span key={severity} className={`bz-mini-count bz-sev-${severity}`} title={`${count} ${severity} risk${count === 1 ? '' : 's'}`}>
                          <span className="bz-dot" aria-hidden="true" />
                          {count} {severity}
                        </span>
                      ))
                    )}
                    {counts.length > 0 && (
                      <span className="bz-muted" title="Risks with no triage decision, or one that leaves them open">
                        {revision.open} open
                      </span>
                    )}
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}

function ComparisonView({ diff }: { diff: RevisionDiff }) {
  const elsewhere = useHistory((s) => s.elsewhere);
  const marks = useStore((s) => s.comparison?.marks);
  const { added, resolved, changed } = diff.risks;
  const onCanvas = Object.entries(marks ?? {});
  const counts = elementCounts(diff.elements);
  const { metadata, triage, layout_changed: layoutChanged } = diff.elements;
  const triageChanges = triage.added.length + triage.changed.length + triage.removed.length;
  return (
    <div className="bz-comparison" data-testid="comparison">
      <div className="bz-comparison-title">
        <h3>{diff.from ? `Revision ${diff.from.number} → revision ${diff.to.number}` : `Revision ${diff.to.number}, from nothing`}</h3>
        <button type="button" className="bz-link" data-testid="comparison-close" onClick={closeComparison}>
          Close
        </button>
      </div>
      <h4>Risks</h4>
      {added.length + resolved.length + changed.length === 0 ? (
        <p className="bz-muted" data-testid="comparison-findings-same">
          The same risks in both.
        </p>
      ) : (
        <>
          <RiskList kind="added" title="Added" risks={added} />
          <RiskList kind="resolved" title="Resolved" risks={resolved} />
          {changed.length > 0 && (
            <div className="bz-comparison-group" data-testid="comparison-changed">
              <p className="bz-comparison-group-title bz-delta-changed">~ Changed ({changed.length})</p>
              <ul className="bz-comparison-list">
                {changed.map((c) => (
                  <li key={c.after.fingerprint}>
                    <span className={`bz-sev bz-sev-${c.after.severity}`}>{c.after.severity}</span>
                    <span className="bz-comparison-finding">
                      <RichText text={c.after.title} />
                      <span className="bz-muted"> {describeRiskChange(c.fields, c.before, c.after)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      <h4>Model</h4>
      {counts.added + counts.changed + counts.removed === 0 ? (
        <p className="bz-muted">No node, edge or boundary differs.</p>
      ) : (
        <>
          <p className="bz-comparison-elements" data-testid="comparison-elements">
            {(['added', 'changed', 'removed'] as DiffMark[]).map((mark) => (
              <span key={mark} className={`bz-element-count diff-${mark}`} data-testid={`comparison-elements-${mark}`}>
                <span className="diff-swatch" aria-hidden="true" />
                {counts[mark]} {DIFF_LABELS[mark].toLowerCase()}
              </span>
            ))}
          </p>
          <OnCanvas entries={onCanvas} />
          {elsewhere && (['removed', 'added', 'changed'] as DiffMark[]).some((m) => elsewhere[m].length > 0) && (
            <div className="bz-comparison-elsewhere" data-testid="comparison-elsewhere">
              <p className="bz-muted">Not in the current model:</p>
              <ul className="bz-comparison-ids">
                {(['removed', 'added', 'changed'] as DiffMark[]).flatMap((mark) =>
                  elsewhere[mark].map((id) => (
                    <li key={`${mark}:${id}`} className={`diff-${mark}`} data-testid={`elsewhere-${id}`}>
                      <span className="diff-swatch" aria-hidden="true" />
                      <code>{id}</code> <span className="bz-muted">{DIFF_LABELS[mark].toLowerCase()}</span>
                    </li>
                  )),
                )}
              </ul>
            </div>
          )}
        </>
      )}
      {(metadata.length > 0 || triageChanges > 0 || layoutChanged) && (
        <ul className="bz-comparison-notes" data-testid="comparison-notes">
          {metadata.length > 0 && <li>Metadata: {metadata.map((f) => f.field).join(', ')}</li>}
          {triageChanges > 0 && (
            <li>
              Triage decisions: {[triage.added.length && `${triage.added.length} added`, triage.changed.length && `${triage.changed.length} changed`, triage.removed.length && `${triage.removed.length} removed`]
                .filter(Boolean)
                .join(', ')}
            </li>
          )}
          {layoutChanged && <li>The diagram’s layout changed.</li>}
        </ul>
      )}
    </div>
  );
}

/** `high → critical`, `Open → Accepted`, `justification`: what changed in a risk. */
function describeRiskChange(fields: string[], before: RiskRecord, after: RiskRecord): string {
  return fields
    .map((field) =>
      field === 'severity'
        ? `${before.severity} → ${after.severity}`
        : field === 'status'
          ? `${labelOfStatus(before.status)} → ${labelOfStatus(after.status)}`
          : field === 'justification'
            ? 'justification'
            : field,
    )
    .join(', ');
}

/** The marked elements, each a link that selects it on the canvas. */
function OnCanvas({ entries }: { entries: [string, DiffMark][] }) {
  const doc = useStore((s) => s.doc);
  const focus = useStore((s) => s.focusElement);
  const fields = useHistory((s) => s.fields);
  if (entries.length === 0) return null;
  return (
    <ul className="bz-comparison-ids" data-testid="comparison-on-canvas">
      {entries.map(([id, mark]) => (
        <li key={id} className={`diff-${mark}`}>
          <span className="diff-swatch" aria-hidden="true" />
          <button type="button" className="bz-link" onClick={() => focus(id)} title={`Show ${id} on the canvas`}>
            {findNode(doc, id)?.name ?? findBoundary(doc, id)?.name ?? id}
          </button>{' '}
          <span className="bz-muted">
            {DIFF_LABELS[mark].toLowerCase()}
            {mark === 'changed' && fields[id]?.length ? `: ${fields[id].join(', ')}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function RiskList({ kind, title, risks }: { kind: 'added' | 'resolved'; title: string; risks: RiskRecord[] }) {
  if (risks.length === 0) return null;
  return (
    <div className="bz-comparison-group" data-testid={`comparison-${kind}`}>
      <p className={`bz-comparison-group-title bz-delta-${kind}`}>
        {kind === 'added' ? '+' : '\u2212'} {title} ({risks.length})
      </p>
      <ul className="bz-comparison-list">
        {risks.map((f) => (
          <li key={f.fingerprint} data-testid={`comparison-finding-${f.fingerprint}`}>
            <span className={`bz-sev bz-sev-${f.severity}`}>{f.severity}</span>
            <span className="bz-comparison-finding">
              <RichText text={f.title} />
              <span className="bz-muted"> {f.place}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
