// Open questions: a workshop checklist of the properties the model leaves unstated that the
// checks read. Each is answered where it is asked — the property's own control (the words the
// vocabulary allows, a duration, a number) — or in the inspector, which "Show in inspector"
// opens on the element with the property focused. An answer is an ordinary edit of the document
// (undoable), and the analysis that follows drops the question.

import { memo, useMemo, useRef, type RefObject } from 'react';
import type { Question } from '../backend';
import { edgeIdOf } from '../model/ids';
import type { Model, ModelEdge, ModelNode } from '../model/types';
import { useStore } from '../store';
import { useAnalysis } from './analysis';
import { SchemaField } from './fields';
import { RichText } from './RichText';
import { inspectorFieldTestId, questionsOf, questionTarget } from './risks';
import { useWindowedRows } from './windowing';
import './panels.css';

const NO_DIAGNOSTICS: never[] = [];

export function QuestionsPanel() {
  const analysis = useAnalysis((s) => s.analysis);
  const pending = useAnalysis((s) => s.pending);
  const report = analysis?.report ?? null;
  const questions = useMemo(() => questionsOf(report), [report]);
  const scroller = useRef<HTMLDivElement>(null);
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
      <div className="bz-findings-list" ref={scroller}>
        {report && questions.length === 0 && (
          <p className="bz-empty" data-testid="questions-empty">
            No open question: the model states every property the checks read.
          </p>
        )}
        <QuestionList questions={questions} scroller={scroller} />
      </div>
    </section>
  );
}

/** A question's row, before one is measured. */
const QUESTION_ROW_ESTIMATE = 150;

/** The nodes and edges by id: what each question asks about. */
function elementsById(doc: Model): Map<string, ModelNode | ModelEdge> {
  const elements = new Map<string, ModelNode | ModelEdge>();
  for (const edge of doc.edges ?? []) elements.set(edgeIdOf(edge), edge);
  for (const node of doc.nodes) elements.set(node.id, node);
  return elements;
}

/**
 * The questions, drawn near the view only when there are many (`windowing.ts`). An edit draws
 * again only the questions about the element it changed.
 */
function QuestionList({ questions, scroller }: { questions: Question[]; scroller: RefObject<HTMLDivElement | null> }) {
  const doc = useStore((s) => s.doc);
  const elements = useMemo(() => elementsById(doc), [doc]);
  const keys = useMemo(() => questions.map((q) => q.id), [questions]);
  const { slice, list } = useWindowedRows(keys, scroller, QUESTION_ROW_ESTIMATE);
  return (
    <ol ref={list} className="bz-finding-list bz-questions" style={{ paddingTop: slice.before, paddingBottom: slice.after }}>
      {questions.slice(slice.first, slice.end).map((q) => (
        <QuestionItem key={q.id} question={q} element={elements.get(q.element)} doc={doc} />
      ))}
    </ol>
  );
}

interface QuestionItemProps {
  question: Question;
  /** The node or edge asked about: the row is drawn again when it changes. */
  element: ModelNode | ModelEdge | undefined;
  /** Only for finding `element` (and its kind's fields): a newer one alone draws nothing again. */
  doc: Model;
}

const QuestionItem = memo(
  function QuestionItem({ question, doc }: QuestionItemProps) {
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
      <li className="bz-question" data-row-key={question.id} data-testid={`question-${question.id}`} data-element={question.element} data-property={question.property}>
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
  },
  (before, after) => before.question === after.question && before.element === after.element,
);
