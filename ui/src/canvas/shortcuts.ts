/**
 * Keyboard shortcuts: one table (shown by the help overlay) and one window listener.
 * Shortcuts never fire while the user types in a field, except search (Ctrl+K / Ctrl+F).
 */
import { useEffect } from 'react';
import { useStore } from '../store';

export interface Shortcut {
  keys: string[];
  description: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: 'Edit',
    shortcuts: [
      { keys: [MOD, 'Z'], description: 'Undo' },
      { keys: [MOD, 'Shift', 'Z'], description: 'Redo (also Ctrl+Y)' },
      { keys: [MOD, 'C'], description: 'Copy the selection' },
      { keys: [MOD, 'X'], description: 'Cut the selection' },
      { keys: [MOD, 'V'], description: 'Paste (each paste is offset)' },
      { keys: [MOD, 'D'], description: 'Duplicate the selection' },
      { keys: ['Delete'], description: 'Delete the selection (also Backspace)' },
      { keys: ['Arrows'], description: 'Nudge the selection (with Shift: further)' },
      { keys: ['B'], description: 'Put the selection in a new trust boundary (nothing selected: add one)' },
    ],
  },
  {
    title: 'Select and find',
    shortcuts: [
      { keys: ['Click'], description: 'Select a node, edge or boundary (boundary: click its title)' },
      { keys: ['Double-click'], description: 'Select a node and edit its name in the inspector' },
      { keys: [MOD, 'Click'], description: 'Add to or remove from the selection' },
      { keys: ['Shift', 'Drag'], description: 'Select everything in a box' },
      { keys: [MOD, 'A'], description: 'Select all' },
      { keys: [MOD, 'K'], description: 'Search and jump to a node (also Ctrl+F)' },
      { keys: ['Esc'], description: 'Clear the selection, then the highlighted path' },
    ],
  },
  {
    title: 'View',
    shortcuts: [
      { keys: ['F'], description: 'Fit the diagram to the window' },
      { keys: ['+'], description: 'Zoom in' },
      { keys: ['-'], description: 'Zoom out' },
      { keys: ['Shift', 'L'], description: 'Auto-layout' },
      { keys: ['Drag'], description: 'Pan (on empty canvas); scroll wheel zooms' },
      { keys: ['?'], description: 'Show or hide this help' },
    ],
  },
  {
    title: 'Connect',
    shortcuts: [
      {
        keys: ['Drag', '●'],
        description: 'Drag from a node’s right handle onto another node, then pick a relation',
      },
      { keys: ['C'], description: 'Connect the two selected nodes (first selected → second)' },
      { keys: ['Drag', 'palette'], description: 'Drop a kind where you want it (or click it)' },
    ],
  },
  {
    title: 'File',
    shortcuts: [
      { keys: [MOD, 'O'], description: 'Open a model' },
      { keys: [MOD, 'S'], description: 'Save' },
      { keys: [MOD, 'Shift', 'S'], description: 'Save as' },
    ],
  },
];

export function focusSearch(): void {
  const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
  input?.focus();
  input?.select();
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return !!target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
}

function hasTextSelection(): boolean {
  const selection = window.getSelection?.();
  return !!selection && !selection.isCollapsed && selection.toString().length > 0;
}

/** Handles one keydown; returns whether it was a shortcut (exported for tests). */
export function handleShortcut(event: KeyboardEvent): boolean {
  const state = useStore.getState();
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;

  if (mod && !event.altKey && (key === 'k' || key === 'f')) {
    focusSearch();
    return true;
  }
  if (key === 'Escape') {
    if (state.helpOpen) {
      state.setHelpOpen(false);
      return true;
    }
    if (state.pendingConnect) {
      state.closeConnect();
      return true;
    }
    if (isTyping(event.target)) return false;
    if (state.selection.length > 0) state.select([]);
    else state.setHighlight(null);
    return true;
  }
  if (isTyping(event.target) || event.altKey) return false;

  if (mod) {
    switch (key) {
      case 'z':
        if (event.shiftKey) state.redo();
        else state.undo();
        return true;
      case 'y':
        state.redo();
        return true;
      case 'c':
        if (hasTextSelection()) return false;
        state.copySelection();
        return true;
      case 'x':
        if (hasTextSelection()) return false;
        state.cut();
        return true;
      case 'v':
        state.paste();
        return true;
      case 'd':
        state.duplicate();
        return true;
      case 'a':
        state.selectAll();
        return true;
      default:
        return false;
    }
  }

  switch (key) {
    case '?':
      state.setHelpOpen(!state.helpOpen);
      return true;
    case 'Delete':
    case 'Backspace':
      if (state.selection.length === 0) return false;
      state.deleteSelection();
      return true;
    case 'f':
      state.canvas?.fit();
      return true;
    case '+':
    case '=':
      state.canvas?.zoomIn();
      return true;
    case '-':
    case '_':
      state.canvas?.zoomOut();
      return true;
    case 'l':
      if (!event.shiftKey) return false;
      void state.autoLayout();
      return true;
    case 'b':
      state.addBoundary();
      return true;
    case 'c':
      state.connectSelected();
      return true;
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown': {
      if (state.selection.length === 0) return false;
      const step = event.shiftKey ? 50 : 10;
      const dx = key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0;
      const dy = key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0;
      state.nudge(dx, dy);
      return true;
    }
    default:
      return false;
  }
}

/** Installs the shortcuts on the window while mounted. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (handleShortcut(event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
