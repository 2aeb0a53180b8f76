// The file bar: new from an example, open, recent files, save, save as, export, and the
// document's name with its unsaved-changes marker. The file session's effects (autosave,
// crash recovery, the dirty flag) run from `AppEffects` in `index.tsx`.

import { useEffect, useState } from 'react';
import { useStore } from '../store';
import { ExportDialog } from './ExportDialog';
import { changeName, useAuthor } from './identity';
import { Menu } from './Menu';
import {
  fileName,
  newBlank,
  newFromExample,
  openFile,
  openRecentFile,
  save,
  saveAs,
  useSession,
} from './session';
import './panels.css';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

export function FileBar() {
  const examples = useSession((s) => s.examples);
  const recent = useSession((s) => s.recent);
  const busy = useSession((s) => s.busy);
  const dirty = useStore((s) => s.dirty);
  const path = useStore((s) => s.path);
  const name = useStore((s) => s.doc.metadata.name);
  const [exporting, setExporting] = useState(false);
  const author = useAuthor((s) => s.name);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        // A field being edited commits on blur: let it, then save.
        (document.activeElement as HTMLElement | null)?.blur?.();
        setTimeout(() => void (event.shiftKey ? saveAs() : save()));
      } else if (key === 'o' && !event.shiftKey) {
        event.preventDefault();
        void openFile();
      } else if (key === 'e' && event.shiftKey) {
        event.preventDefault();
        setExporting(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="bz-filebar" role="toolbar" aria-label="File">
      <span className="bz-brand" aria-label="Bartizan">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="currentColor" opacity="0.9" />
          <path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="var(--bz-bar-bg, #fff)" strokeWidth="2" strokeLinecap="round" />
        </svg>
        Bartizan
      </span>
      <Menu
        label="New"
        title="New model from an example"
        testId="menu-new-example"
        disabled={busy}
        items={[
          {
            key: '~blank',
            label: 'Blank model',
            hint: 'Start from an empty canvas',
            testId: 'menu-new-blank',
            separatorAfter: true,
            onSelect: () => void newBlank(),
          },
          ...examples.map((example) => ({
            key: example.id,
            label: example.name,
            hint: example.description ? firstSentence(example.description) : example.id,
            testId: `example-${example.id}`,
            onSelect: () => void newFromExample(example.id),
          })),
        ]}
      />
      <button type="button" className="bz-filebar-button" data-testid="menu-open" title={`Open a model file (${mod}O)`} disabled={busy} onClick={() => void openFile()}>
        Open…
      </button>
      <Menu
        label="Recent"
        title="Recently opened or saved files"
        testId="menu-recent"
        disabled={busy}
        empty="No recent files yet"
        items={recent.map((file, index) => ({
          key: file,
          label: fileName(file),
          hint: file,
          testId: `recent-${index}`,
          onSelect: () => void openRecentFile(file),
        }))}
      />
      <span className="bz-filebar-sep" aria-hidden="true" />
      <button type="button" className="bz-filebar-button" data-testid="menu-save" title={`Save (${mod}S)`} disabled={busy} onClick={() => void save()}>
        Save
      </button>
      <button type="button" className="bz-filebar-button" data-testid="menu-save-as" title={`Save as a new file (${mod}Shift+S)`} disabled={busy} onClick={() => void saveAs()}>
        Save as…
      </button>
      <button type="button" className="bz-filebar-button" data-testid="menu-export" title={`Export the findings (${mod}Shift+E)`} disabled={busy} onClick={() => setExporting(true)}>
        Export…
      </button>
      <span className="bz-filebar-sep" aria-hidden="true" />
      <button
        type="button"
        className="bz-filebar-button"
        data-testid="menu-your-name"
        title={author ? `Triage decisions and revisions are signed “${author}”` : 'The name that signs your triage decisions and revisions'}
        onClick={() => void changeName()}
      >
        Your name…
      </button>
      <span className="bz-doc-title" title={path ?? 'Not saved yet'}>
        <span className="bz-doc-name">{name || 'Untitled model'}</span>
        <span className="bz-doc-file">{path ? fileName(path) : 'not saved yet'}</span>
        {dirty && (
          <span className="bz-dirty" data-testid="dirty-indicator" title="Unsaved changes" aria-label="Unsaved changes">
            ● Unsaved
          </span>
        )}
      </span>
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
    </div>
  );
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end > 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length > 110 ? `${sentence.slice(0, 107)}…` : sentence;
}
