// The export dialog: every output the engine renders, each written through a save dialog.

import { useState } from 'react';
import type { ExportFormat } from '../backend';
import { useAnalysis } from './analysis';
import { Modal } from './Dialog';
import { exportReport, fileName } from './session';

interface FormatInfo {
  format: ExportFormat;
  title: string;
  extension: string;
  description: string;
}

export const EXPORT_FORMATS: readonly FormatInfo[] = [
  {
    format: 'json',
    title: 'JSON report',
    extension: '.json',
    description: 'Every risk with the checks that fire on it, its paths, evidence and framework references, and the open questions, in Bartizan’s versioned JSON shape.',
  },
  {
    format: 'sarif',
    title: 'SARIF 2.1.0',
    extension: '.sarif',
    description: 'For code-scanning dashboards (GitHub, Azure DevOps) and any SARIF viewer.',
  },
  {
    format: 'csv',
    title: 'CSV',
    extension: '.csv',
    description: 'One row per risk, for spreadsheets and issue trackers.',
  },
  {
    format: 'md',
    title: 'Markdown',
    extension: '.md',
    description: 'A readable report for a wiki, a pull request or a review meeting.',
  },
  {
    format: 'pdf',
    title: 'PDF report',
    extension: '.pdf',
    description: 'A document to hand to an auditor or a review board: summary, diagram, every risk with its paths, triage and framework coverage.',
  },
];

export function ExportDialog(props: { onClose(): void }) {
  const analysis = useAnalysis((s) => s.analysis);
  const [running, setRunning] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState<{ format: ExportFormat; path: string } | null>(null);
  const invalid = analysis !== null && !analysis.valid;
  const total = analysis?.report?.summary.total;

  const run = async (format: ExportFormat) => {
    setRunning(format);
    const path = await exportReport(format);
    setRunning(null);
    if (path) setDone({ format, path });
  };

  return (
    <Modal
      title="Export the report"
      testId="export-dialog"
      onClose={props.onClose}
      footer={
        <button type="button" className="plain" data-testid="export-close" onClick={props.onClose}>
          Close
        </button>
      }
    >
      <p className="bz-muted">
        {invalid
          ? 'The model has errors: fix them before exporting (the risks panel lists them).'
          : total === undefined
            ? 'Choose a format; you will pick where to save it.'
            : `Exports the ${total} risk${total === 1 ? '' : 's'} of the current model with their triage status. Choose a format; you will pick where to save it.`}
      </p>
      <div className="bz-export-list">
        {EXPORT_FORMATS.map((f) => (
          <button
            key={f.format}
            type="button"
            className="bz-export-item"
            data-testid={`export-${f.format}`}
            disabled={invalid || running !== null}
            onClick={() => void run(f.format)}
          >
            <span className="bz-export-title">
              {f.title} <span className="bz-muted">{f.extension}</span>
            </span>
            <span className="bz-export-desc">{running === f.format ? 'Exporting…' : f.description}</span>
          </button>
        ))}
      </div>
      {done && (
        <p className="bz-export-done" data-testid="export-done" role="status">
          Wrote {EXPORT_FORMATS.find((f) => f.format === done.format)?.title} to <code title={done.path}>{fileName(done.path)}</code>
        </p>
      )}
    </Modal>
  );
}
