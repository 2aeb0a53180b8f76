/** The keyboard and mouse reference, opened with `?`. */
import { useStore } from '../store';
import { SHORTCUT_GROUPS } from './shortcuts';

export function HelpOverlay() {
  const open = useStore((s) => s.helpOpen);
  const setOpen = useStore((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="overlay-backdrop" onMouseDown={() => setOpen(false)}>
      <div
        className="help-overlay"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help-overlay"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <header>
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button type="button" className="icon-button" aria-label="Close help" onClick={() => setOpen(false)}>
            ✕
          </button>
        </header>
        <div className="help-groups">
          {SHORTCUT_GROUPS.map((group) => (
            <section key={group.title}>
              <h3>{group.title}</h3>
              <dl>
                {group.shortcuts.map((s) => (
                  <div key={s.description} className="help-row">
                    <dt>
                      {s.keys.map((k, i) => (
                        <span key={i}>
                          {i > 0 && <span className="help-plus">+</span>}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </dt>
                    <dd>{s.description}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <footer>Press <kbd>?</kbd> or <kbd>Esc</kbd> to close.</footer>
      </div>
    </div>
  );
}
