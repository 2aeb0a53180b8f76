// Long lists in the side panels (risks, open questions) draw only the rows near the view: a
// 2,000-node model has hundreds of each, and drawing them all made every analysis cost the
// window most of a second. Rows not drawn are stood in for by space of their measured (or, until
// drawn once, estimated) height, so the scroll bar and every row's place stay true. A short list
// is drawn whole: it costs little, and the page's find and the tests see every row.

import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** From this many rows on, only those near the view are drawn. */
export const WINDOW_FROM = 60;
/** Drawn beyond the view above and below, so that a scroll shows rows already drawn. */
export const OVERSCAN_PX = 800;

export interface Slice {
  /** The first row drawn. */
  first: number;
  /** One past the last row drawn. */
  end: number;
  /** The space standing in for the rows above `first`, and below `end`. */
  before: number;
  after: number;
}

/**
 * The rows that meet `[top, bottom)`, in the list's own coordinates (0 is its first row's top),
 * given each row's height.
 */
export function sliceFor(heights: readonly number[], top: number, bottom: number): Slice {
  let first = 0;
  let before = 0;
  while (first < heights.length && before + heights[first] <= top) before += heights[first++];
  let end = first;
  let through = before;
  while (end < heights.length && through < bottom) through += heights[end++];
  let after = 0;
  for (let i = end; i < heights.length; i++) after += heights[i];
  return { first, end, before, after };
}

/** Where row `index` starts, in the list's own coordinates. */
export function offsetOf(heights: readonly number[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index && i < heights.length; i++) offset += heights[i];
  return offset;
}

export interface Windowed {
  /** The rows to draw, and the space for the rest. */
  slice: Slice;
  /** The list element's ref (its rows are its children carrying `data-row-key`). */
  list: RefObject<HTMLOListElement | null>;
  /** Scrolls the row with this key to the top of the view; resolves once it is drawn. */
  reveal(key: string): Promise<HTMLElement | null>;
}

/**
 * Windows a list of rows with the given keys inside the scrolling element `scroller`. Rows are
 * measured as they are drawn; `estimate` stands for a row not yet drawn.
 */
export function useWindowedRows(keys: readonly string[], scroller: RefObject<HTMLElement | null>, estimate: number): Windowed {
  const list = useRef<HTMLOListElement>(null);
  const measured = useRef(new Map<string, number>());
  const [view, setView] = useState({ top: 0, height: 0 });
  const [, setMeasures] = useState(0);
  const waiting = useRef<{ key: string; done: (row: HTMLElement | null) => void } | null>(null);
  const windowed = keys.length >= WINDOW_FROM;

  // Follows the view: where the list is in its scroller, and how much of it shows.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!windowed || !box) return;
    const update = () => {
      const listTop = list.current ? list.current.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop : 0;
      const next = { top: box.scrollTop - listTop, height: box.clientHeight };
      setView((v) => (v.top === next.top && v.height === next.height ? v : next));
    };
    update();
    box.addEventListener('scroll', update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(box);
    return () => {
      box.removeEventListener('scroll', update);
      resized.disconnect();
    };
  }, [scroller, windowed]);

  const heights = keys.map((key) => measured.current.get(key) ?? estimate);
  const slice = windowed
    ? sliceFor(heights, view.top - OVERSCAN_PX, view.top + view.height + OVERSCAN_PX)
    : { first: 0, end: keys.length, before: 0, after: 0 };

  // Measures the rows drawn, after every render (any may draw other rows); a changed height draws
  // the list again with it, and once the heights hold nothing changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    if (!windowed || !list.current) return;
    let changed = false;
    for (const row of Array.from(list.current.children) as HTMLElement[]) {
      const key = row.dataset.rowKey;
      if (key === undefined) continue;
      const height = row.getBoundingClientRect().height;
      if (height > 0 && measured.current.get(key) !== height) {
        measured.current.set(key, height);
        changed = true;
      }
    }
    if (changed) setMeasures((n) => n + 1);
  });

  // A row asked for is handed over once drawn.
  useLayoutEffect(() => {
    const asked = waiting.current;
    if (!asked || !list.current) return;
    const row = rowWithKey(list.current, asked.key);
    if (!row) return;
    waiting.current = null;
    asked.done(row);
  });

  const keysRef = useRef(keys);
  keysRef.current = keys;
  const heightsRef = useRef(heights);
  heightsRef.current = heights;
  const reveal = useCallback(
    (key: string): Promise<HTMLElement | null> => {
      const index = keysRef.current.indexOf(key);
      const box = scroller.current;
      if (index < 0 || !box || !list.current) return Promise.resolve(null);
      const drawn = rowWithKey(list.current, key);
      if (drawn) return Promise.resolve(drawn);
      waiting.current?.done(null);
      const listTop = list.current.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      return new Promise((done) => {
        waiting.current = { key, done };
        // The scroll event draws the rows there, the row among them.
        box.scrollTop = listTop + offsetOf(heightsRef.current, index);
        setView({ top: box.scrollTop - listTop, height: box.clientHeight });
      });
    },
    [scroller],
  );

  return { slice, list, reveal };
}

function rowWithKey(list: HTMLElement, key: string): HTMLElement | null {
  for (const row of Array.from(list.children) as HTMLElement[]) if (row.dataset.rowKey === key) return row;
  return null;
}

/** The key that moves focus to another row of a list (and which row), or null. */
export function rowStep(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, index + 1);
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
