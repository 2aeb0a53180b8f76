// Open questions: a workshop checklist of the properties the model leaves unstated that the
// checks read. Each is answered where it is asked — the property's own control (the words the
// vocabulary allows, a duration, a number) — or in the inspector, which "Show in inspector"
// opens on the element with the property focused. An answer is an ordinary edit of the document
// (undoable), and the analysis that follows drops the question.

import { useMemo } from 'react';
import type { Question } from '../backend';
import type { ModelEdge, ModelNode } from '../model/types';
import { useStore } from '../store';
import { useAnalysis } from './analysis';
import { SchemaField } from './fields';
import { RichText } from './RichText';
import { inspectorFieldTestId, questionsOf, questionTarget } from './risks';
import './panels.css';

const NO_DIAGNOSTICS: never[] = [];

export function QuestionsPanel() {
  const analysis = useAnalysis((s) => s.analysis);
  const pending = useAnalysis((s) => s.pending);
  const report = analysis?.report ?? null;
  const questions = useMemo(() => questionsOf(report), [report]);
  return (
    <section className="bz-findings" data-testid="questions-panel" aria-label="Open questions">
      <header className="bz-findings-header">
        <div className="bz-findings-titlebar">
          <h2 className="bz-panel-title">Open questions</h2>
          <span className="bz-findings-state" data-testid="questions-state" aria-live="polite">
            {pending || !analysis ? 'Analysing…' : report ? `${questions.length} open` : 'Model has errors'}
          </span>
        </div>
        <p className="bz-muted bz-panel-intro">
          Properties the model leaves unstated that the checks read. Until answered each is read as shown; answering edits the model.
        </p>
      </header>
      <div className="bz-findings-list">
        {report && questions.length === 0 && (
          <p className="bz-empty" data-testid="questions-empty">
            No open question: the model states every property the checks read.
          </p>
        )}
        <ol className="bz-finding-list bz-questions">
          {questions.map((q) => (
            <QuestionItem key={q.id} question={q} />
          ))}
        </ol>
      </div>
    </section>
  );
}

function QuestionItem({ question }: { question: Question }) {
  const doc = useStore((s) => s.doc);
  const readOnly = useStore((s) => s.readOnly !== null);
  const updateNode = useStore((s) => s.updateNode);
  const updateEdge = useStore((s) => s.updateEdge);
  const showInInspector = useStore((s) => s.showInInspector);
  const focusElement = useStore((s) => s.focusElement);
  const target = useMemo(() => questionTarget(doc, question), [doc, question]);
  const answer = (value: unknown) => {
    if (!target) return;
    if (target.type === 'node') {
      const properties = { ...((target.node.properties ?? {}) as Record<string, unknown>), [question.property]: value };
      updateNode(target.node.id, { properties: properties as ModelNode['properties'] });
    } else {
      updateEdge(target.id, { [question.property]: value } as Partial<ModelEdge>);
    }
  };
  return (
    <li className="bz-question" data-testid={`question-${question.id}`} data-element={question.element} data-property={question.property}>
      <p className="bz-question-text">
        <RichText text={question.text} />
      </p>
      <p className="bz-question-meta bz-muted">
        <button type="button" className="bz-link" title={question.element} onClick={() => focusElement(question.element)}>
          {question.element_name}
        </button>{' '}
        · <code>{question.property}</code> · until answered, read as: <i>{question.reading}</i>
      </p>
      {(question.pending ?? []).length > 0 && (
        <div className="bz-question-pending">
          <span className="bz-muted">Answering decides:</span>
          <ul className="bz-bullets">
            {question.pending!.map((p, i) => (
              <li key={i} title={p.rule}>
                <RichText text={p.title} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="bz-question-answer">
        {target && (
          <fieldset disabled={readOnly} className="bz-question-field" data-testid="question-answer">
            <SchemaField spec={{ ...target.spec, label: 'Answer', help: '' }} testId={`answer-${question.id}`} value={target.value} diagnostics={NO_DIAGNOSTICS} onChange={answer} />
          </fieldset>
        )}
        <button
          type="button"
          className="bz-link"
          data-testid="question-show"
          onClick={() => (target ? showInInspector(question.element, inspectorFieldTestId(target)) : focusElement(question.element))}
        >
          Show in inspector
        </button>
      </div>
    </li>
  );
}
