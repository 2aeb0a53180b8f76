// The name dialog (`identity.ts`): asks for the name that signs triage decisions and revisions.

import { useState } from 'react';
import { Modal } from './Dialog';
import { useNamePrompt, type NamePrompt } from './identity';

export function NameDialog() {
  const current = useNamePrompt((s) => s.current);
  if (!current) return null;
  // A new request starts from its own initial value.
  return <NameForm key={`${current.initial}\u0000${current.reason}`} prompt={current} />;
}

function NameForm({ prompt }: { prompt: NamePrompt }) {
  const [name, setName] = useState(prompt.initial);
  const empty = name.trim() === '';
  const formId = 'bz-name-form';
  return (
    <Modal
      title="Your name"
      testId="name-dialog"
      onClose={() => prompt.resolve(null)}
      footer={
        <>
          <button type="button" className="plain" data-testid="name-cancel" onClick={() => prompt.resolve(null)}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" data-testid="name-ok" disabled={empty}>
            Sign with this name
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          if (!empty) prompt.resolve(name);
        }}
      >
        <p data-testid="name-reason">{prompt.reason}</p>
        <label className="bz-field-label" htmlFor="bz-name-input">
          Name
        </label>
        <input
          id="bz-name-input"
          className="bz-input"
          data-testid="name-input"
          data-autofocus
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </form>
    </Modal>
  );
}
