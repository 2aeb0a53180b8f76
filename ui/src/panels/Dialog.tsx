// In-app modal dialogs (never `window.confirm`: a native prompt cannot be themed, and neither
// the browser tests nor WebDriver drive it reliably). `ask()` shows one and resolves with the
// id of the button chosen, or 'cancel' for Escape.

import { useEffect, useRef, type ReactNode } from 'react';
import { create } from 'zustand';

export interface DialogButton {
  id: string;
  label: string;
  kind?: 'primary' | 'danger' | 'plain';
  testId?: string;
}

export interface DialogRequest {
  title: string;
  body: ReactNode;
  buttons: DialogButton[];
  testId?: string;
  resolve(choice: string): void;
}

interface DialogState {
  current: DialogRequest | null;
  queue: DialogRequest[];
}

const useDialogs = create<DialogState>()(() => ({ current: null, queue: [] }));

/** Shows a dialog; resolves with the chosen button's id ('cancel' on Escape). */
export function ask(request: Omit<DialogRequest, 'resolve'>): Promise<string> {
  return new Promise((resolve) => {
    const entry: DialogRequest = {
      ...request,
      resolve: (choice) => {
        const { queue } = useDialogs.getState();
        useDialogs.setState({ current: queue[0] ?? null, queue: queue.slice(1) });
        resolve(choice);
      },
    };
    const { current, queue } = useDialogs.getState();
    if (current) useDialogs.setState({ queue: [...queue, entry] });
    else useDialogs.setState({ current: entry });
  });
}

/** A modal frame shared by every dialog of the panels. */
export function Modal(props: {
  title: string;
  testId?: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const { onClose } = props;
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // Focus the first of: a marked control, the primary button, any control.
    const first = ['[data-autofocus]', 'button.primary', 'button, select, textarea, input']
      .map((selector) => box.current?.querySelector<HTMLElement>(selector))
      .find((element) => element);
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        event.preventDefault();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, []);
  return (
    <div
      className="bz-modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      // While a dialog is open, keys stay in it: no canvas shortcut (Delete, Ctrl+Z) behind it.
      onKeyDown={(e) => e.stopPropagation()}
    >
      <div
        ref={box}
        className={`bz-modal${props.wide ? ' bz-modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        data-testid={props.testId}
      >
        <h2 className="bz-modal-title">{props.title}</h2>
        <div className="bz-modal-body">{props.children}</div>
        {props.footer && <div className="bz-modal-footer">{props.footer}</div>}
      </div>
    </div>
  );
}

/** Renders the dialog `ask()` is waiting on. Mount once. */
export function DialogHost() {
  const current = useDialogs((s) => s.current);
  if (!current) return null;
  return (
    <Modal
      title={current.title}
      testId={current.testId}
      onClose={() => current.resolve('cancel')}
      footer={current.buttons.map((b) => (
        <button
          key={b.id}
          type="button"
          className={b.kind ?? 'plain'}
          data-testid={b.testId}
          onClick={() => current.resolve(b.id)}
        >
          {b.label}
        </button>
      ))}
    >
      {current.body}
    </Modal>
  );
}
