/**
 * The window: file bar on top, palette on the left, the canvas in the centre, inspector and
 * the side panels on the right (risks, open questions, fix plan and the file's history, in
 * tabs), status bar at the bottom. The palette and the inspector fold away to give the canvas
 * and the risks room (remembered for the session). The file bar, inspector and side panels come
 * from `panels/` (exported by `panels/index.tsx`); the app still runs without them.
 */
import { useEffect, type ComponentType } from 'react';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { useShortcuts } from './canvas/shortcuts';
import { StatusBar } from './StatusBar';
import { useStore, type Foldable } from './store';

interface PanelsModule {
  FileBar?: ComponentType;
  Inspector?: ComponentType;
  /** Risks, open questions, the fix plan and the history, as tabs. */
  SidePanels?: ComponentType;
  /** Shown over the canvas: what keeps the document from being edited (a read-only file). */
  DocumentBanner?: ComponentType;
  /** Renders nothing; runs the app-wide effects (analysis, autosave, recovery). */
  AppEffects?: ComponentType;
  /** Offers an earlier session's unsaved work, or opens the model named on the command line. */
  startSession?: () => Promise<void>;
}

const panelModules = import.meta.glob<PanelsModule>('./panels/index.tsx', { eager: true });
const panels: PanelsModule = Object.values(panelModules)[0] ?? {};
// Before the first render, not in an effect after it: the shell reads the model while React
// draws the window, and the first render already has it.
void panels.startSession?.();

function FallbackFileBar() {
  const name = useStore((s) => s.doc.metadata.name);
  return (
    <header className="filebar">
      <span className="brand">Bartizan</span>
      <span className="filebar-title">{name}</span>
    </header>
  );
}

function FallbackSide() {
  const selected = useStore((s) => s.selection.length);
  return (
    <div className="side-placeholder">
      {selected === 0 ? 'Select something on the canvas to inspect it.' : `${selected} selected`}
    </div>
  );
}

const FOLD_LABELS: Record<Foldable, string> = { palette: 'components', inspector: 'inspector' };

/** The button that folds a panel away or opens it again. */
function FoldButton({ panel, open, vertical = false }: { panel: Foldable; open: boolean; vertical?: boolean }) {
  const setOpen = useStore((s) => s.setOpen);
  const label = `${open ? 'Hide' : 'Show'} the ${FOLD_LABELS[panel]}`;
  return (
    <button
      type="button"
      className={`fold-button${vertical ? ' fold-vertical' : ''}`}
      data-testid={`fold-${panel}`}
      aria-expanded={open}
      aria-label={label}
      title={label}
      onClick={() => setOpen(panel, !open)}
    >
      <span aria-hidden="true">{panel === 'palette' ? (open ? '‹' : '›') : open ? '▾' : '▸'}</span>
      {(!open || panel === 'inspector') && <span className="fold-label">{panel === 'palette' ? 'Components' : 'Inspector'}</span>}
    </button>
  );
}

export default function App() {
  const theme = useStore((s) => s.theme);
  const open = useStore((s) => s.open);
  useShortcuts();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  const { FileBar = FallbackFileBar, Inspector, SidePanels, DocumentBanner, AppEffects } = panels;
  return (
    <div className={`app${open.palette ? '' : ' app-palette-folded'}`} data-testid="app-root" data-theme={theme}>
      {AppEffects && <AppEffects />}
      <div className="app-filebar">
        <FileBar />
      </div>
      <aside className="app-palette" data-open={open.palette}>
        <FoldButton panel="palette" open={open.palette} vertical={!open.palette} />
        {open.palette && <Palette />}
      </aside>
      <main className="app-canvas">
        {DocumentBanner && <DocumentBanner />}
        <Canvas />
      </main>
      <aside className="app-side">
        {Inspector || SidePanels ? (
          <>
            {Inspector && (
              <div className={`app-side-inspector${open.inspector ? '' : ' folded'}`}>
                <FoldButton panel="inspector" open={open.inspector} />
                {open.inspector && <Inspector />}
              </div>
            )}
            {SidePanels && <SidePanels />}
          </>
        ) : (
          <FallbackSide />
        )}
      </aside>
      <div className="app-status">
        <StatusBar />
      </div>
    </div>
  );
}
