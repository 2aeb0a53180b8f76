// A small drop-down menu for the file bar: a button that opens a list, closed by choosing,
// clicking elsewhere or Escape.

import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface MenuItem {
  key: string;
  label: ReactNode;
  hint?: ReactNode;
  testId?: string;
  disabled?: boolean;
  /** Draws a line under the item. */
  separatorAfter?: boolean;
  onSelect(): void;
}

export function Menu(props: {
  label: ReactNode;
  title?: string;
  testId?: string;
  disabled?: boolean;
  items: MenuItem[];
  empty?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
      }
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  return (
    <div className="bz-menu" ref={root}>
      <button
        type="button"
        className="bz-filebar-button"
        title={props.title}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={props.testId}
        disabled={props.disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {props.label} <span className="bz-caret" aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="bz-menu-list" role="menu">
          {props.items.length === 0 && props.empty && <div className="bz-menu-empty">{props.empty}</div>}
          {props.items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              className={`bz-menu-item${item.separatorAfter ? ' bz-menu-separated' : ''}`}
              data-testid={item.testId}
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              <span className="bz-menu-label">{item.label}</span>
              {item.hint && <span className="bz-menu-hint">{item.hint}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
