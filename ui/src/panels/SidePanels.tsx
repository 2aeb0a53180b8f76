// The right-hand side below the inspector: the risks, the open questions, the fix plan and the
// file's history, one shown at a time as tabs. All stay mounted (a tab keeps its scroll and
// open items); the plan is asked for only while its tab is shown.

import { useAnalysis, type SideTab } from './analysis';
import { HistoryPanel } from './HistoryPanel';
import { PlanPanel } from './PlanPanel';
import { QuestionsPanel } from './QuestionsPanel';
import { riskCounts, questionsOf } from './risks';
import { RisksPanel } from './RisksPanel';

export function SidePanels() {
  const tab = useAnalysis((s) => s.tab);
  const set = useAnalysis((s) => s.set);
  const report = useAnalysis((s) => s.analysis?.report ?? null);
  const open = report ? riskCounts(report.risks).open : null;
  const questions = report ? questionsOf(report).length : null;
  const tabs: { id: SideTab; label: string; count: number | null }[] = [
    { id: 'risks', label: 'Risks', count: open },
    { id: 'questions', label: 'Questions', count: questions },
    { id: 'plan', label: 'Plan', count: null },
    { id: 'history', label: 'History', count: null },
  ];
  return (
    <div className="app-side-findings app-side-tabbed">
      <div className="side-tabs" role="tablist" aria-label="Side panel">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`side-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`side-panel-${t.id}`}
            className={`side-tab${tab === t.id ? ' on' : ''}`}
            data-testid={`tab-${t.id}`}
            onClick={() => set({ tab: t.id })}
          >
            {t.label}
            {t.count !== null && <span className="side-tab-count">{t.count}</span>}
          </button>
        ))}
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-risks" aria-labelledby="side-tab-risks" hidden={tab !== 'risks'}>
        <RisksPanel />
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-questions" aria-labelledby="side-tab-questions" hidden={tab !== 'questions'}>
        <QuestionsPanel />
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-plan" aria-labelledby="side-tab-plan" hidden={tab !== 'plan'}>
        <PlanPanel active={tab === 'plan'} />
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-history" aria-labelledby="side-tab-history" hidden={tab !== 'history'}>
        <HistoryPanel />
      </div>
    </div>
  );
}
