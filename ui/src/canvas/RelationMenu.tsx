/** After a connection is dragged: the relations valid from one kind to the other, and no more. */
import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { findNode } from '../model/structure';
import type { Relation } from '../model/types';
import { relationInfo, relationLabel, validRelations } from '../model/vocabulary';
import { useStore } from '../store';
import { KIND_COLOURS, KindIcon } from './kinds';

export function RelationMenu({
  pending,
  onClose,
}: {
  pending: { from: string; to: string; x: number; y: number };
  onClose: () => void;
}) {
  const doc = useStore((s) => s.doc);
  const connect = useStore((s) => s.connect);
  const menu = useRef<HTMLDivElement>(null);
  const source = findNode(doc, pending.from);
  const target = findNode(doc, pending.to);
  const relations: Relation[] = source && target ? validRelations(source.kind, target.kind) : [];
  const existing = new Set(
    (doc.edges ?? [])
      .filter((e) => e.from === pending.from && e.to === pending.to)
      .map((e) => e.relation),
  );

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  }, []);

  if (!source || !target) return null;

  const choose = (relation: Relation) => {
    connect(pending.from, pending.to, relation);
    onClose();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') buttons[(index + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp') buttons[(index - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      ref={menu}
      className="relation-menu"
      role="menu"
      aria-label="Choose a relation"
      data-testid="relation-menu"
      style={{ left: pending.x, top: pending.y } as CSSProperties}
      onKeyDown={onKeyDown}
    >
      <div className="relation-menu-title">
        <span className="chip" style={{ '--kind': KIND_COLOURS[source.kind] } as CSSProperties}>
          <KindIcon kind={source.kind} size={14} /> {source.name}
        </span>
        <span className="relation-menu-arrow">→</span>
        <span className="chip" style={{ '--kind': KIND_COLOURS[target.kind] } as CSSProperties}>
          <KindIcon kind={target.kind} size={14} /> {target.name}
        </span>
      </div>
      {relations.length === 0 && (
        <div className="relation-menu-empty">
          No relation goes from a {source.kind} to a {target.kind}.
        </div>
      )}
      {relations.map((relation) => (
        <button
          key={relation}
          type="button"
          role="menuitem"
          className="relation-menu-item"
          data-testid={`relation-${relation}`}
          disabled={existing.has(relation)}
          onClick={() => choose(relation)}
        >
          <span className="relation-menu-name">{relationLabel(relation)}</span>
          <span className="relation-menu-desc">
            {existing.has(relation) ? 'already connected' : relationInfo(relation)?.description}
          </span>
        </button>
      ))}
      <button type="button" className="relation-menu-cancel" onClick={onClose}>
        Cancel <kbd>Esc</kbd>
      </button>
    </div>
  );
}
