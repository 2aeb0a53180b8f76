/** The canvas's custom elements: a node per kind, a boundary group and a relation edge. */
import {
  BaseEdge,
  EdgeText,
  getBezierPath,
  Handle,
  NodeResizer,
  Position,
  useConnection,
  type EdgeProps,
  type NodeProps,
  type ResizeParams,
} from '@xyflow/react';
import { createContext, memo, useCallback, useContext, type CSSProperties } from 'react';
import { BOUNDARY_MIN } from '../model/geometry';
import { boundaryParents } from '../model/structure';
import { fullLayout } from '../model/geometry';
import { relationLabel } from '../model/vocabulary';
import { useStore } from '../store';
import { diffClass, HANDLE, HIGHLIGHT_CLASS, type BoundaryFlowNode, type KindFlowNode, type RelationFlowEdge } from './flow';
import { KIND_COLOURS, KIND_LABELS, KindIcon, nodeSummary, ZONE_COLOURS } from './kinds';

/**
 * Whether edges show their relation's name. Zoomed out the labels are too small to read, and
 * leaving them out spares measuring each one's text as the edge mounts.
 */
export const EdgeLabelsShown = createContext(true);

const connectingFrom = (c: { inProgress: boolean; fromNode?: { id: string } | null }) =>
  c.inProgress ? (c.fromNode?.id ?? null) : null;

export const KindNode = memo(function KindNode({ id, data, selected }: NodeProps<KindFlowNode>) {
  const { node, highlighted, dimmed, badge, diff } = data;
  const from = useConnection(connectingFrom);
  const dropTarget = from !== null && from !== id;
  const summary = nodeSummary(node);
  const className = [
    'rn',
    selected ? 'selected' : '',
    highlighted ? HIGHLIGHT_CLASS : '',
    dimmed ? 'dimmed' : '',
    dropTarget ? 'drop-target' : '',
    diffClass(diff),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={className}
      data-testid={`node-${id}`}
      data-kind={node.kind}
      data-diff={diff}
      style={{ '--kind': KIND_COLOURS[node.kind] } as CSSProperties}
      title={node.description ? `${node.name}\n\n${node.description}` : node.name}
    >
      <Handle id={HANDLE.inLeft} type="target" position={Position.Left} className="rn-handle rn-target" />
      <Handle id={HANDLE.inRight} type="target" position={Position.Right} className="rn-handle rn-spare" isConnectable={false} />
      <Handle id={HANDLE.outLeft} type="source" position={Position.Left} className="rn-handle rn-spare" isConnectable={false} />
      <div className="rn-icon">
        <KindIcon kind={node.kind} size={24} />
      </div>
      <div className="rn-text">
        <div className="rn-name">{node.name || node.id}</div>
        <div className="rn-meta">
          <span className="rn-kind">{KIND_LABELS[node.kind]}</span>
          {summary && <span className="rn-summary"> · {summary}</span>}
        </div>
      </div>
      {badge && (
        <div
          className={`rn-badge sev-${badge.severity}`}
          title={`${badge.count} open risk${badge.count === 1 ? '' : 's'} (worst: ${badge.severity})`}
          data-testid={`badge-${id}`}
        >
          {badge.count}
        </div>
      )}
      <Handle id={HANDLE.outRight} type="source" position={Position.Right} className="rn-handle rn-source" />
    </div>
  );
});

export const BoundaryNode = memo(function BoundaryNode({
  id,
  data,
  selected,
}: NodeProps<BoundaryFlowNode>) {
  const { boundary, highlighted, dimmed, diff } = data;
  const colour = ZONE_COLOURS[boundary.zone] ?? '#64748b';
  const onResizeStart = useCallback(() => useStore.getState().beginGesture(), []);
  const onResize = useCallback(
    (_: unknown, params: ResizeParams) => {
      const state = useStore.getState();
      const parent = boundaryParents(state.doc).get(id);
      const origin = parent !== undefined ? fullLayout(state.doc).boundaries[parent] : undefined;
      state.resizeBoundary(id, {
        x: Math.round(params.x + (origin?.x ?? 0)),
        y: Math.round(params.y + (origin?.y ?? 0)),
        width: Math.round(params.width),
        height: Math.round(params.height),
      });
    },
    [id],
  );
  const onResizeEnd = useCallback(() => useStore.getState().endGesture(), []);
  const className = ['rb', selected ? 'selected' : '', highlighted ? HIGHLIGHT_CLASS : '', dimmed ? 'dimmed' : '', diffClass(diff)]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={className}
      data-testid={`boundary-${id}`}
      data-zone={boundary.zone}
      data-diff={diff}
      style={{ '--zone': colour } as CSSProperties}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={BOUNDARY_MIN.width}
        minHeight={BOUNDARY_MIN.height}
        onResizeStart={onResizeStart}
        onResize={onResize}
        onResizeEnd={onResizeEnd}
        lineClassName="rb-resize-line"
        handleClassName="rb-resize-handle"
      />
      <div className="rb-header" title={boundary.description ?? boundary.name}>
        <span className="rb-zone">{boundary.zone}</span>
        <span className="rb-name">{boundary.name}</span>
      </div>
    </div>
  );
});

export const RelationEdge = memo(function RelationEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
}: EdgeProps<RelationFlowEdge>) {
  const lane = data?.lane ?? 0;
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    curvature: 0.25 + lane * 0.2,
  });
  const highlighted = !!data?.highlighted;
  const labelled = useContext(EdgeLabelsShown);
  const className = ['re', selected ? 'selected' : '', highlighted ? HIGHLIGHT_CLASS : '', data?.dimmed ? 'dimmed' : '', diffClass(data?.diff)]
    .filter(Boolean)
    .join(' ');
  const marker = highlighted ? 'bartizan-arrow-highlight' : selected ? 'bartizan-arrow-selected' : data?.dimmed ? 'bartizan-arrow-dimmed' : 'bartizan-arrow';
  return (
    <g className={className} data-testid={`edge-${id}`} data-relation={data?.edge.relation} data-diff={data?.diff}>
      <BaseEdge id={id} path={path} markerEnd={`url(#${marker})`} interactionWidth={18} />
      {data && labelled && (
        <EdgeText
          x={labelX}
          y={labelY + lane * 24}
          label={relationLabel(data.edge.relation)}
          labelBgPadding={[6, 3]}
          labelBgBorderRadius={4}
          className="re-label"
        />
      )}
    </g>
  );
});

/** Arrowheads for edges, defined once and referenced by every edge. */
export function EdgeMarkers() {
  const marker = (id: string, className: string) => (
    <marker
      id={id}
      viewBox="0 0 12 12"
      refX="10"
      refY="6"
      markerWidth="14"
      markerHeight="14"
      markerUnits="userSpaceOnUse"
      orient="auto-start-reverse"
    >
      <path d="M1 1.5 10.5 6 1 10.5z" className={className} />
    </marker>
  );
  return (
    <svg className="bartizan-markers" aria-hidden="true" width="0" height="0">
      <defs>
        {marker('bartizan-arrow', 'arrow')}
        {marker('bartizan-arrow-selected', 'arrow-selected')}
        {marker('bartizan-arrow-highlight', 'arrow-highlight')}
        {marker('bartizan-arrow-dimmed', 'arrow-dimmed')}
      </defs>
    </svg>
  );
}

export const NODE_TYPES = { kind: KindNode, boundary: BoundaryNode };
export const EDGE_TYPES = { relation: RelationEdge };
