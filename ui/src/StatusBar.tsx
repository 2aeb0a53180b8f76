/**
 * The bottom bar: open risks by severity (the same count as the risks panel's header and chips:
 * `riskCounts`), model size, selection, theme toggle.
 */
import type { CSSProperties } from 'react';
import { SEVERITIES } from './panels/findings';
import { openRisksLabel, riskCounts } from './panels/risks';
import { useStore } from './store';

export function StatusBar() {
  const findings = useStore((s) => s.findings);
  const nodes = useStore((s) => s.doc.nodes.length);
  const edges = useStore((s) => s.doc.edges?.length ?? 0);
  const boundaries = useStore((s) => s.doc.boundaries?.length ?? 0);
  const selected = useStore((s) => s.selection.length);
  const theme = useStore((s) => s.theme);
  const toggleTheme = useStore((s) => s.toggleTheme);
  const counts = findings === null ? null : riskCounts(findings);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-findings" data-testid="status-risks">
        {counts === null ? 'Not checked yet' : openRisksLabel(counts)}
      </span>
      {counts &&
        SEVERITIES.filter((s) => counts.bySeverity[s]).map((s) => (
          <span key={s} className={`status-sev sev-${s}`} data-testid={`status-${s}`} title={`${counts.bySeverity[s]} open ${s}`}>
            <span className="status-dot" />
            {counts.bySeverity[s]} {s}
          </span>
        ))}
      <span className="status-spacer" />
      <span className="status-stat">
        {nodes} node{nodes === 1 ? '' : 's'} · {edges} edge{edges === 1 ? '' : 's'} · {boundaries} boundar
        {boundaries === 1 ? 'y' : 'ies'}
      </span>
      {selected > 0 && <span className="status-stat">{selected} selected</span>}
      <button
        type="button"
        className="theme-toggle"
        data-testid="theme-toggle"
        onClick={toggleTheme}
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        style={{} as CSSProperties}
      >
        {theme === 'dark' ? (
          <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true"><circle cx="12" cy="12" r="4.5" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></svg>
        ) : (
          <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true"><path d="M20 14.5A8.5 8.5 0 1 1 9.5 4a6.6 6.6 0 0 0 10.5 10.5z" /></svg>
        )}
        <span>{theme === 'dark' ? 'Light' : 'Dark'}</span>
      </button>
    </footer>
  );
}
