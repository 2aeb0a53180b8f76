/** Search and jump: find a node or boundary by name, id, kind or description. */
import { useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { Model, NodeKind } from '../model/types';
import { useStore } from '../store';
import { KIND_COLOURS, KIND_LABELS, KindIcon } from './kinds';
import { MOD } from './shortcuts';

interface Hit {
  id: string;
  name: string;
  kind: NodeKind | 'boundary';
  rank: number;
}

const MAX_HITS = 12;

export function searchDocument(doc: Model, query: string): Hit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: Hit[] = [];
  const consider = (id: string, name: string, kind: NodeKind | 'boundary', extra: string) => {
    const n = name.toLowerCase();
    let rank = -1;
    if (n.startsWith(q)) rank = 0;
    else if (n.includes(q)) rank = 1;
    else if (id.toLowerCase().includes(q)) rank = 2;
    else if (kind.includes(q) || extra.toLowerCase().includes(q)) rank = 3;
    if (rank >= 0) hits.push({ id, name, kind, rank });
  };
  for (const n of doc.nodes) consider(n.id, n.name, n.kind, n.description ?? '');
  for (const b of doc.boundaries ?? []) consider(b.id, b.name, 'boundary', `${b.zone} ${b.description ?? ''}`);
  hits.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  return hits.slice(0, MAX_HITS);
}

export function SearchBox() {
  const doc = useStore((s) => s.doc);
  const focusElement = useStore((s) => s.focusElement);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const hits = useMemo(() => searchDocument(doc, query), [doc, query]);

  const jump = (hit: Hit | undefined, input?: HTMLInputElement | null) => {
    if (!hit) return;
    focusElement(hit.id);
    setQuery('');
    setOpen(false);
    input?.blur();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, hits.length - 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter') jump(hits[active], event.currentTarget);
    else if (event.key === 'Escape') {
      setQuery('');
      setOpen(false);
      event.currentTarget.blur();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="search">
      <svg className="search-icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" />
      </svg>
      <input
        type="search"
        data-testid="search-input"
        placeholder={`Search nodes…  ${MOD}+K`}
        aria-label="Search nodes and boundaries"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
      />
      {open && query.trim() && (
        <ul className="search-results" data-testid="search-results" role="listbox">
          {hits.length === 0 && <li className="search-empty">Nothing matches “{query}”.</li>}
          {hits.map((hit, i) => (
            <li key={hit.id} role="option" aria-selected={i === active}>
              <button
                type="button"
                className={i === active ? 'active' : ''}
                data-testid={`search-result-${hit.id}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => jump(hit)}
              >
                <span
                  className="search-kind"
                  style={{ '--kind': hit.kind === 'boundary' ? '#64748b' : KIND_COLOURS[hit.kind] } as CSSProperties}
                >
                  <KindIcon kind={hit.kind} size={14} />
                </span>
                <span className="search-name">{hit.name}</span>
                <span className="search-id">
                  {hit.kind === 'boundary' ? 'boundary' : KIND_LABELS[hit.kind]} · {hit.id}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
