// Form controls of the inspector. Text commits on blur or Enter (one undo step per field
// edit, not per keystroke); choices commit at once. Each control carries
// `data-testid="field-<name>"`, and shows the engine's diagnostics for its field beside it.

import { useId, useState, type ReactNode } from 'react';
import type { Diagnostic } from '../backend';
import type { Word } from '../model/vocabulary';
import type { FieldSpec } from './formSpec';
import { RichText } from './RichText';

export function Errors({ diagnostics, id }: { diagnostics: readonly Diagnostic[]; id?: string }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="bz-field-errors" id={id} role="alert">
      {diagnostics.map((d, i) => (
        <li key={i} className={`bz-diag bz-diag-${d.severity}`} data-testid="field-error" data-code={d.code}>
          <RichText text={d.message} />
          {d.help && (
            <span className="bz-diag-help">
              {' '}
              <RichText text={d.help} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

interface FrameProps {
  name: string;
  label: string;
  help?: ReactNode;
  diagnostics?: readonly Diagnostic[];
  children(controlId: string, describedBy: string | undefined): ReactNode;
}

/** Label, control, help text and errors of one field. */
export function Field({ name, label, help, diagnostics = [], children }: FrameProps) {
  const controlId = useId();
  const errorsId = `${controlId}-errors`;
  const invalid = diagnostics.some((d) => d.severity === 'error');
  return (
    <div className={`bz-field${invalid ? ' bz-field-invalid' : ''}`} data-field={name}>
      <label className="bz-field-label" htmlFor={controlId}>
        {label}
      </label>
      {children(controlId, diagnostics.length > 0 ? errorsId : undefined)}
      <Errors diagnostics={diagnostics} id={errorsId} />
      {help && <div className="bz-field-help">{help}</div>}
    </div>
  );
}

/** A text input (or textarea) that commits when it loses focus or on Enter; Escape reverts. */
export function TextInput(props: {
  id?: string;
  testId: string;
  value: string;
  placeholder?: string;
  multiline?: boolean;
  describedBy?: string;
  invalid?: boolean;
  inputMode?: 'numeric' | 'text';
  onCommit(value: string): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? props.value;
  const commit = () => {
    if (draft !== null && draft !== props.value) props.onCommit(draft);
    setDraft(null);
  };
  const common = {
    id: props.id,
    'data-testid': props.testId,
    value: shown,
    placeholder: props.placeholder,
    'aria-describedby': props.describedBy,
    'aria-invalid': props.invalid || undefined,
    onFocus: () => setDraft(props.value),
    onBlur: commit,
    className: 'bz-input',
  };
  if (props.multiline) {
    return (
      <textarea
        {...common}
        rows={3}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setDraft(props.value);
            e.currentTarget.blur();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.blur();
        }}
      />
    );
  }
  return (
    <input
      {...common}
      type="text"
      inputMode={props.inputMode}
      spellCheck={false}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        else if (e.key === 'Escape') {
          setDraft(props.value);
          setTimeout(() => setDraft(null));
        }
      }}
    />
  );
}

/** A select of words, with "not stated" first; the chosen word's meaning shows below. */
export function WordSelect(props: {
  id?: string;
  testId: string;
  value: string | undefined;
  options: readonly Word[];
  describedBy?: string;
  allowEmpty?: boolean;
  emptyLabel?: string;
  onChange(value: string | undefined): void;
}) {
  const known = props.value === undefined || props.options.some((o) => o.word === props.value);
  return (
    <select
      id={props.id}
      className="bz-input"
      data-testid={props.testId}
      aria-describedby={props.describedBy}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      {(props.allowEmpty ?? true) && <option value="">{props.emptyLabel ?? '— not stated —'}</option>}
      {!known && <option value={props.value}>{props.value} (unknown)</option>}
      {props.options.map((o) => (
        <option key={o.word} value={o.word} title={o.description}>
          {o.word.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}

/** Several words of a closed list, as toggle chips. */
export function WordChecks(props: {
  testId: string;
  value: readonly string[] | undefined;
  options: readonly Word[];
  describedBy?: string;
  onChange(value: string[]): void;
}) {
  const chosen = new Set(props.value ?? []);
  return (
    <div className="bz-checks" role="group" data-testid={props.testId} aria-describedby={props.describedBy}>
      {props.options.map((o) => (
        <label key={o.word} className={`bz-check${chosen.has(o.word) ? ' bz-check-on' : ''}`} title={o.description}>
          <input
            type="checkbox"
            data-testid={`${props.testId}-${o.word}`}
            checked={chosen.has(o.word)}
            onChange={(e) => {
              // Keep the vocabulary's order, so saved files do not depend on click order.
              const next = new Set(chosen);
              if (e.target.checked) next.add(o.word);
              else next.delete(o.word);
              props.onChange(props.options.map((w) => w.word).filter((w) => next.has(w)));
            }}
                />
          {o.word.replace(/_/g, ' ')}
        </label>
      ))}
    </div>
  );
}

/** Yes / no / not stated: an unstated flag is read cautiously by the checks, so it differs from "no". */
export function BooleanSelect(props: {
  id?: string;
  testId: string;
  value: boolean | undefined;
  describedBy?: string;
  onChange(value: boolean | undefined): void;
}) {
  return (
    <select
      id={props.id}
      className="bz-input"
      data-testid={props.testId}
      aria-describedby={props.describedBy}
      value={props.value === undefined ? '' : String(props.value)}
      onChange={(e) => props.onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
    >
      <option value="">— not stated —</option>
      <option value="true">yes</option>
      <option value="false">no</option>
    </select>
  );
}

/** Help for a field: its description, and for a chosen word what that word means. */
export function helpFor(spec: FieldSpec, value: unknown): ReactNode {
  const word = typeof value === 'string' ? spec.options?.find((o) => o.word === value) : undefined;
  return (
    <>
      <RichText text={spec.help} />
      {word && (
        <span className="bz-word-help">
          {' '}
          <b>{word.word.replace(/_/g, ' ')}</b>: {word.description}
        </span>
      )}
    </>
  );
}

/** One schema-described field, whatever its type. */
export function SchemaField(props: {
  spec: FieldSpec;
  testId: string;
  value: unknown;
  diagnostics: readonly Diagnostic[];
  onChange(value: unknown): void;
}) {
  const { spec, value, onChange } = props;
  const invalid = props.diagnostics.some((d) => d.severity === 'error');
  return (
    <Field name={spec.name} label={spec.label} help={helpFor(spec, value)} diagnostics={props.diagnostics}>
      {(id, describedBy) => {
        switch (spec.type) {
          case 'enum':
            return (
              <WordSelect id={id} testId={props.testId} value={value as string | undefined} options={spec.options ?? []} describedBy={describedBy} onChange={onChange} />
            );
          case 'enum-list':
            return (
              <WordChecks testId={props.testId} value={value as string[] | undefined} options={spec.options ?? []} describedBy={describedBy} onChange={onChange} />
            );
          case 'boolean':
            return <BooleanSelect id={id} testId={props.testId} value={value as boolean | undefined} describedBy={describedBy} onChange={onChange} />;
          case 'text-list':
            return (
              <TextInput
                id={id}
                testId={props.testId}
                value={Array.isArray(value) ? value.join(', ') : ''}
                placeholder="comma separated"
                describedBy={describedBy}
                invalid={invalid}
                onCommit={(text) =>
                  onChange(
                    text
                      .split(',')
                      .map((t) => t.trim())
                      .filter((t) => t !== ''),
                  )
                }
              />
            );
          case 'integer':
            return (
              <TextInput
                id={id}
                testId={props.testId}
                value={value === undefined || value === null ? '' : String(value)}
                inputMode="numeric"
                describedBy={describedBy}
                invalid={invalid}
                // A whole number is stored as one; anything else is kept as typed so the
                // engine can say what is wrong with it.
                onCommit={(text) => onChange(text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim())}
              />
            );
          case 'duration':
            return (
              <TextInput
                id={id}
                testId={props.testId}
                value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
                placeholder="e.g. 15m, 1h, 90d"
                describedBy={describedBy}
                invalid={invalid}
                onCommit={(text) => onChange(text.trim() === '' ? undefined : text.trim())}
              />
            );
          default:
            return (
              <TextInput
                id={id}
                testId={props.testId}
                value={typeof value === 'string' ? value : ''}
                describedBy={describedBy}
                invalid={invalid}
                onCommit={(text) => onChange(text === '' ? undefined : text)}
              />
            );
        }
      }}
    </Field>
  );
}
