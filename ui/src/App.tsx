/**
 * The window: file bar on top, palette on the left, the canvas in the centre, inspector and
 * findings on the right, status bar at the bottom. The file bar, inspector and findings panel
 * come from `panels/` (exported by `panels/index.tsx`); the app still runs without them.
 */
import { useEffect, type ComponentType } from 'react';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { useShortcuts } from './canvas/shortcuts';
import { StatusBar } from './StatusBar';
import { useStore } from './store';

interface PanelsModule {
  FileBar?: ComponentType;
  Inspector?: ComponentType;
  FindingsPanel?: ComponentType;
  /** Renders nothing; runs the app-wide effects (analysis, autosave, recovery). */
  AppEffects?: ComponentType;
}

const panelModules = import.meta.glob<PanelsModule>('./panels/index.tsx', { eager: true });
const panels: PanelsModule = Object.values(panelModules)[0] ?? {};

function FallbackFileBar() {
  const name = useStore((s) => s.doc.metadata.name);
  return (
    <header className="filebar">
      <span className="brand">Rampart</span>
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

export default function App() {
  const theme = useStore((s) => s.theme);
  useShortcuts();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  const { FileBar = FallbackFileBar, Inspector, FindingsPanel, AppEffects } = panels;
  return (
    <div className="app" data-testid="app-root" data-theme={theme}>
      {AppEffects && <AppEffects />}
      <div className="app-filebar">
        <FileBar />
      </div>
      <aside className="app-palette">
        <Palette />
      </aside>
      <main className="app-canvas">
        <Canvas />
      </main>
      <aside className="app-side">
        {Inspector || FindingsPanel ? (
          <>
            {Inspector && (
              <div className="app-side-inspector">
                <Inspector />
              </div>
            )}
            {FindingsPanel && (
              <div className="app-side-findings">
                <FindingsPanel />
              </div>
            )}
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
