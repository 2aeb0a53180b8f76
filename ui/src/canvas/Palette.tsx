/** The palette: every node kind and the trust boundary; drag onto the canvas, or click to add. */
import { memo, type CSSProperties, type DragEvent } from 'react';
import type { NodeKind } from '../model/types';
import { KINDS } from '../model/vocabulary';
import { useStore } from '../store';
import { KIND_COLOURS, KIND_LABELS, KindIcon, ZONE_COLOURS } from './kinds';

/** The drag-and-drop type the canvas accepts: a kind word, or `boundary`. */
export const PALETTE_MIME = 'application/x-bartizan-palette';

function onDragStart(event: DragEvent, item: NodeKind | 'boundary') {
  event.dataTransfer.setData(PALETTE_MIME, item);
  event.dataTransfer.setData('text/plain', item);
  event.dataTransfer.effectAllowed = 'copy';
}

export const Palette = memo(function Palette() {
  const addNode = useStore((s) => s.addNode);
  const addBoundary = useStore((s) => s.addBoundary);
  return (
    <nav className="palette" aria-label="Palette" data-testid="palette">
      <div className="panel-title">Components</div>
      <ul className="palette-list">
        {KINDS.map(({ word, description }) => (
          <li key={word}>
            <button
              type="button"
              className="palette-item"
              data-testid={`palette-${word}`}
              draggable
              onDragStart={(e) => onDragStart(e, word)}
              onClick={() => addNode(word)}
              title={`${description}\nDrag onto the canvas, or click to add at the centre.`}
              style={{ '--kind': KIND_COLOURS[word] } as CSSProperties}
            >
              <span className="palette-icon">
                <KindIcon kind={word} size={18} />
              </span>
              <span className="palette-text">
                <span className="palette-name">{KIND_LABELS[word]}</span>
                <span className="palette-desc">{description}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="panel-title">Grouping</div>
      <button
        type="button"
        className="palette-item palette-boundary"
        data-testid="palette-boundary"
        draggable
        onDragStart={(e) => onDragStart(e, 'boundary')}
        onClick={() => addBoundary()}
        title={'A trust boundary: a zone that groups nodes. Boundaries nest.\nDrag onto the canvas, or click to put the selected nodes in a new boundary (B).'}
      >
        <span className="palette-icon">
          <KindIcon kind="boundary" size={18} />
        </span>
        <span className="palette-text">
          <span className="palette-name">Trust boundary</span>
          <span className="palette-desc">Drop nodes into it; nest boundaries</span>
        </span>
      </button>
      <div className="panel-title">Zones</div>
      <ul className="zone-legend">
        {Object.entries(ZONE_COLOURS).map(([zone, colour]) => (
          <li key={zone} style={{ '--zone': colour } as CSSProperties}>
            <span className="zone-swatch" />
            {zone}
          </li>
        ))}
      </ul>
    </nav>
  );
});
