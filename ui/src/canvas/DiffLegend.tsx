/**
 * While two revisions are compared (the history panel), the canvas colours the elements that
 * differ between them; this legend says which colour means what, how many of each are on the
 * canvas, and ends the comparison.
 */
import { useStore, type DiffMark } from '../store';

export const DIFF_LABELS: Record<DiffMark, string> = {
  added: 'Added',
  changed: 'Changed',
  removed: 'Removed',
};

export function DiffLegend() {
  const comparison = useStore((s) => s.comparison);
  const setComparison = useStore((s) => s.setComparison);
  if (!comparison) return null;
  const counts: Record<DiffMark, number> = { added: 0, changed: 0, removed: 0 };
  for (const mark of Object.values(comparison.marks)) counts[mark] += 1;
  return (
    <div className="diff-legend" data-testid="diff-legend" role="status" aria-label="Comparison legend">
      <span className="diff-legend-title">{comparison.label}</span>
      {(['added', 'changed', 'removed'] as DiffMark[]).map((mark) => (
        <span key={mark} className={`diff-legend-item diff-${mark}`} data-testid={`diff-legend-${mark}`}>
          <span className="diff-swatch" aria-hidden="true" />
          {DIFF_LABELS[mark]} <b>{counts[mark]}</b>
        </span>
      ))}
      {comparison.offCanvas > 0 && (
        <span className="diff-legend-note" title="Listed by id in the history panel">
          · {comparison.offCanvas} more not in this model
        </span>
      )}
      <button type="button" className="diff-legend-clear" data-testid="diff-legend-clear" onClick={() => setComparison(null)} title="Stop comparing">
        Clear
      </button>
    </div>
  );
}
