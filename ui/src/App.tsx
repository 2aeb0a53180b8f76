/**
 * The window: file bar on top, palette on the left, the canvas in the centre, inspector and
 * findings on the right (the findings share their place with the file's history, in tabs),
 * status bar at the bottom. The file bar, inspector, findings and history panels come from
 * `panels/` (exported by `panels/index.tsx`); the app still runs without them.
 */
import { useEffect, useState, type ComponentType } from 'react';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { useShortcuts } from './canvas/shortcuts';
import { StatusBar } from './StatusBar';
import { useStore } from './store';

interface PanelsModule {
  FileBar?: ComponentType;
  Inspector?: ComponentType;
  FindingsPanel?: ComponentType;
  HistoryPanel?: ComponentType;
  /** Shown over the canvas: what keeps the document from being edited (a read-only file). */
  DocumentBanner?: ComponentType;
  /** Renders nothing; runs the app-wide effects (analysis, autosave, recovery). */
  AppEffects?: ComponentType;
}

const panelModules = import.meta.glob<PanelsModule>('./panels/index.tsx', { eager: true });
const panels: PanelsModule = Object.values(panelModules)[0] ?? {};

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

type SideTab = 'findings' | 'history';

/** The findings and the history in one place, one shown at a time; both stay mounted. */
function SideTabs(props: { findings: ComponentType; history: ComponentType }) {
  const [tab, setTab] = useState<SideTab>('findings');
  const { findings: Findings, history: History } = props;
  const tabs: { id: SideTab; label: string }[] = [
    { id: 'findings', label: 'Findings' },
    { id: 'history', label: 'History' },
  ];
  return (
    <div className="app-side-findings app-side-tabbed">
      <div className="side-tabs" role="tablist" aria-label="Side panel">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`side-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`side-panel-${t.id}`}
            className={`side-tab${tab === t.id ? ' on' : ''}`}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-findings" aria-labelledby="side-tab-findings" hidden={tab !== 'findings'}>
        <Findings />
      </div>
      <div className="side-tabpanel" role="tabpanel" id="side-panel-history" aria-labelledby="side-tab-history" hidden={tab !== 'history'}>
        <History />
      </div>
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
  const { FileBar = FallbackFileBar, Inspector, FindingsPanel, HistoryPanel, DocumentBanner, AppEffects } = panels;
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
        {DocumentBanner && <DocumentBanner />}
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
            {FindingsPanel && HistoryPanel ? (
              <SideTabs findings={FindingsPanel} history={HistoryPanel} />
            ) : (
              FindingsPanel && (
                <div className="app-side-findings">
                  <FindingsPanel />
                </div>
              )
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
