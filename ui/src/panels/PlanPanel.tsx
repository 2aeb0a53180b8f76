// The fix plan: the controls that close the most risk, in order, as the engine found them by
// applying each candidate to a copy of the model and re-running the checks (nothing here is
// estimated). Each step says what it closes; **Apply** makes its edit on the document as one
// undoable change, and the analysis and the plan follow. The plan is asked for only while the
// tab is shown (it re-runs the checks once per candidate), and again after each change.

import { useEffect, useMemo, useState } from 'react';
import { backend, backendError, type Plan, type PlanStep, type Risk } from '../backend';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { onlyLayoutDiffers, useAnalysis } from './analysis';
import { RichText } from './RichText';
import { selectRisk } from './RisksPanel';
import { planRisks, risksOf, stillOpenClosedBy, type PlanRisk } from './risks';
import './panels.css';

/** How long the document must rest before the plan is asked for again. */
const PLAN_DEBOUNCE_MS = 400;

type PlanState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; plan: Plan; doc: Model }
  | { status: 'unavailable' | 'error'; message: string; doc: Model };

export function PlanPanel({ active = true }: { active?: boolean }) {
  const doc = useStore((s) => s.doc);
  const readOnly = useStore((s) => s.readOnly !== null);
  const analysis = useAnalysis((s) => s.analysis);
  const risks = useMemo(() => risksOf(analysis?.report), [analysis]);
  const [state, setState] = useState<PlanState>({ status: 'idle' });
  const [applying, setApplying] = useState<string | null>(null);
  const planned = 'doc' in state ? state.doc : null;
  // Moving things on the diagram changes no risk: the plan still holds.
  const upToDate = planned !== null && (planned === doc || onlyLayoutDiffers(planned, doc));

  useEffect(() => {
    if (!active || readOnly || upToDate) return;
    let current = true;
    const timer = setTimeout(() => {
      setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
      backend
        .plan(doc)
        .then((plan) => current && setState({ status: 'ready', plan, doc }))
        .catch((error: unknown) => {
          if (!current) return;
          const failure = backendError(error);
          setState({ status: failure.code === 'plan-unavailable' ? 'unavailable' : 'error', message: failure.message, doc });
        });
    }, planned === null ? 0 : PLAN_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [active, readOnly, doc, planned, upToDate]);

  const stale = planned !== null && !upToDate;
  const apply = async (step: PlanStep) => {
    setApplying(step.id);
    try {
      await useStore.getState().applyPlanStep(step.id, step.title);
    } finally {
      setApplying(null);
    }
  };

  return (
    <section className="bz-findings" data-testid="plan-panel" aria-label="Fix plan">
      <header className="bz-findings-header">
        <div className="bz-findings-titlebar">
          <h2 className="bz-panel-title">Fix plan</h2>
          <span className="bz-findings-state" data-testid="plan-state" aria-live="polite">
            {readOnly ? 'Read-only' : state.status === 'ready' ? (stale ? 'Updating…' : `${state.plan.steps.length} step${state.plan.steps.length === 1 ? '' : 's'}`) : state.status === 'unavailable' ? 'Unavailable' : state.status === 'error' ? 'Failed' : 'Planning…'}
          </span>
        </div>
        <p className="bz-muted bz-panel-intro">The fewest controls that close the most risk, each found by applying it to a copy of the model and checking again.</p>
      </header>
      <div className="bz-findings-list">
        {readOnly && <p className="bz-empty">This file opened read-only: no plan can be applied to it.</p>}
        {state.status === 'unavailable' && (
          <p className="bz-empty" data-testid="plan-unavailable">
            No plan is available: {state.message}.
          </p>
        )}
        {state.status === 'error' && <p className="bz-banner bz-banner-error">The plan failed: {state.message}</p>}
        {state.status === 'ready' && state.plan.steps.length === 0 && (
          <p className="bz-empty" data-testid="plan-empty">
            Nothing to plan: no control the engine knows closes an open risk here.
          </p>
        )}
        {state.status === 'ready' && state.plan.steps.length > 0 && (
          <ol className="bz-finding-list bz-plan">
            {state.plan.steps.map((step, i) => (
              <PlanStepItem key={step.id} step={step} number={i + 1} risks={risks} disabled={stale || applying !== null || readOnly} applying={applying === step.id} onApply={() => void apply(step)} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function PlanStepItem(props: { step: PlanStep; number: number; risks: Risk[]; disabled: boolean; applying: boolean; onApply(): void }) {
  const { step, number, risks } = props;
  const closes = planRisks(step.closes, risks);
  const opens = planRisks(step.opens ?? [], risks);
  const open = stillOpenClosedBy(step, risks);
  return (
    <li className="bz-plan-step" data-testid={`plan-step-${step.id}`}>
      <div className="bz-plan-head">
        <span className="bz-plan-number" aria-hidden="true">
          {number}
        </span>
        <span className="bz-plan-title">
          <RichText text={step.title} />
        </span>
        <button type="button" className="primary bz-plan-apply" data-testid="plan-apply" disabled={props.disabled} onClick={props.onApply}>
          {props.applying ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {typeof step.edit === 'string' && step.edit !== '' && (
        <p className="bz-plan-edit bz-muted" data-testid="plan-edit">
          <RichText text={step.edit} />
        </p>
      )}
      <RiskList title={`Closes ${closes.length} risk${closes.length === 1 ? '' : 's'}${open < closes.length ? ` (${open} open)` : ''}`} risks={closes} testId="plan-closes" />
      {opens.length > 0 && <RiskList title={`Opens ${opens.length}`} risks={opens} testId="plan-opens" />}
    </li>
  );
}

function RiskList({ title, risks, testId }: { title: string; risks: PlanRisk[]; testId: string }) {
  const all = useAnalysis((s) => s.analysis?.report?.risks);
  const show = (fingerprint: string) => {
    const risk = all?.find((r) => r.fingerprint === fingerprint);
    if (!risk) return;
    useAnalysis.getState().set({ tab: 'risks', severities: [], showTriaged: true });
    selectRisk(risk);
  };
  return (
    <div className="bz-plan-risks" data-testid={testId}>
      <span className="bz-muted">{title}</span>
      <ul>
        {risks.map((r) => (
          <li key={r.fingerprint}>
            {r.severity && <span className={`bz-dot bz-sev-${r.severity}`} title={r.severity} aria-label={r.severity} />}
            {r.current ? (
              <button type="button" className="bz-link" title="Show it in the risks" onClick={() => show(r.fingerprint)}>
                <RichText text={r.title} />
              </button>
            ) : (
              <RichText text={r.title} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
