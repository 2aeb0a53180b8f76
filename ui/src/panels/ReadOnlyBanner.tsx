// The banner over the canvas while the document is read-only: its file did not read
// completely, so the document lacks part of it and is neither edited nor saved. Reopening
// reads the file again once its errors are fixed in a text editor.

import { useStore } from '../store';
import { readOnlyMessage, reopen, useSession } from './session';
import './panels.css';

export function ReadOnlyBanner() {
  const readOnly = useStore((s) => s.readOnly);
  const path = useStore((s) => s.path);
  const busy = useSession((s) => s.busy);
  if (!readOnly) return null;
  return (
    <div className="bz-readonly-banner" role="alert" data-testid="read-only-banner">
      <span>{readOnlyMessage(readOnly.errors.length)}.</span>
      {path && (
        <button type="button" className="primary" data-testid="read-only-reopen" disabled={busy} onClick={() => void reopen()}>
          Reopen
        </button>
      )}
    </div>
  );
}
