/**
 * The diagram. React Flow draws what `FlowProjector` derives from the store; every change the
 * user makes on the canvas (move, select, resize, connect, drop) goes back to the store as a
 * command, never into local state.
 */
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnNodeDrag,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { fullLayout, NODE_HEIGHT, NODE_WIDTH } from '../model/geometry';
import { findNode } from '../model/structure';
import type { NodeKind, Position } from '../model/types';
import { isKind, validRelations } from '../model/vocabulary';
import { useStore } from '../store';
import { DiffLegend } from './DiffLegend';
import { EDGE_TYPES, EdgeLabelsShown, EdgeMarkers, NODE_TYPES } from './elements';
import { DiagramMap, FarCanvas } from './FarView';
import { FlowProjector, type FlowNode, type RelationFlowEdge } from './flow';
import { HelpOverlay } from './HelpOverlay';
import { FAR_ZOOM, hitTest, paletteFrom, SceneCache, type Scene } from './lod';
import { PALETTE_MIME } from './Palette';
import { RelationMenu } from './RelationMenu';
import { SearchBox } from './SearchBox';

// Far out the nodes are hidden from React Flow (drawn on the far canvas): fit them all the same.
const FIT_OPTIONS = { padding: 0.15, duration: 250, maxZoom: 1.4, includeHiddenNodes: true };
/**
 * Level of detail: full; 'out' (no labels, no shadows); 'far' below `FAR_ZOOM`, where React
 * Flow mounts no node and no edge and `FarCanvas` draws the diagram instead.
 */
const detailSelector = (s: { transform: [number, number, number] }) =>
  s.transform[2] < FAR_ZOOM ? 'far' : s.transform[2] < 0.45 ? 'out' : 'full';
const NO_EDGES: RelationFlowEdge[] = [];
/**
 * On a diagram this large a zoom under way mounts nothing new (every step out would mount what
 * it brings into view), and below 45% it is drawn by the far view; what is in view mounts when
 * the zoom stops.
 */
const LARGE_DIAGRAM = 500;
/** Over how many frames the nodes in view, then the edges, mount (after a zoom, or coming in past FAR_ZOOM). */
const MOUNT_FRAMES = 4;
const NOTHING_PENDING: ReadonlySet<string> = new Set();
/** Far out; a zoom under way (what was mounted stays, nothing more mounts); or near in. */
type Mode = 'far' | 'frozen' | 'near';
/** What stays mounted while a zoom is under way. */
interface Held {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}
const NOTHING_HELD: Held = { nodes: new Set(), edges: new Set() };

/** The view in diagram coordinates. */
function viewRect(view: { x: number; y: number; zoom: number }, box: DOMRect) {
  return { left: -view.x / view.zoom, top: -view.y / view.zoom, width: box.width / view.zoom, height: box.height / view.zoom };
}

/** The edges in view (as React Flow has it: the box between their ends meets the view). */
function edgesInView(scene: Scene, view: { x: number; y: number; zoom: number }, box: DOMRect | undefined): Set<string> {
  if (!box) return new Set();
  const { left, top, width, height } = viewRect(view, box);
  return new Set(
    scene.edges
      .filter(
        (e) =>
          Math.max(e.from.x, e.to.x) >= left &&
          Math.min(e.from.x, e.to.x) <= left + width &&
          Math.max(e.from.y, e.to.y) >= top &&
          Math.min(e.from.y, e.to.y) <= top + height,
      )
      .map((e) => e.id),
  );
}

/** The nodes in view, nearest the centre first. */
function nodesInView(scene: Scene, view: { x: number; y: number; zoom: number }, box: DOMRect | undefined): string[] {
  if (!box) return [];
  const { left, top, width, height } = viewRect(view, box);
  const cx = left + width / 2;
  const cy = top + height / 2;
  return scene.nodes
    .filter((n) => n.x + NODE_WIDTH >= left && n.x <= left + width && n.y + NODE_HEIGHT >= top && n.y <= top + height)
    .map((n) => ({ id: n.id, d: Math.hypot(n.x + NODE_WIDTH / 2 - cx, n.y + NODE_HEIGHT / 2 - cy) }))
    .sort((a, b) => a.d - b.d)
    .map((n) => n.id);
}

/** The same node hidden from React Flow, one copy per projected node object. */
const hiddenCopies = new WeakMap<FlowNode, FlowNode>();
function hidden(node: FlowNode): FlowNode {
  let copy = hiddenCopies.get(node);
  if (!copy) {
    copy = { ...node, hidden: true };
    hiddenCopies.set(node, copy);
  }
  return copy;
}

/** Whether a connection may be made: two different nodes with a relation still to add. */
export const isValidConnection: IsValidConnection = (connection) => {
  if (connection.source === connection.target) return false;
  const doc = useStore.getState().doc;
  const source = findNode(doc, connection.source);
  const target = findNode(doc, connection.target);
  if (!source || !target) return false;
  const existing = new Set(
    (doc.edges ?? [])
      .filter((e) => e.from === source.id && e.to === target.id)
      .map((e) => e.relation),
  );
  return validRelations(source.kind, target.kind).some((r) => !existing.has(r));
};

const closeMenu = () => useStore.getState().closeConnect();

/** Selects an element and puts the cursor in the inspector's name field. */
function editName(id: string) {
  useStore.getState().select([id]);
  setTimeout(() => {
    const field = document.querySelector<HTMLInputElement>('[data-testid="field-name"]');
    field?.focus();
    field?.select();
  }, 50);
}

function CanvasInner() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const highlight = useStore((s) => s.highlight);
  const findings = useStore((s) => s.findings);
  const theme = useStore((s) => s.theme);
  const readOnly = useStore((s) => s.readOnly !== null);
  const layoutRunning = useStore((s) => s.layoutRunning);
  const flow = useReactFlow();
  const detail = useFlowStore(detailSelector);
  const [zooming, setZooming] = useState(false);
  const zoomAtMoveStart = useRef(1);
  const large = doc.nodes.length > LARGE_DIAGRAM;
  const far = detail === 'far' || (zooming && large && detail === 'out');
  const wrapper = useRef<HTMLDivElement>(null);
  const projector = useRef(new FlowProjector());
  const pendingConnection = useRef<Connection | null>(null);
  const pendingConnect = useStore((s) => s.pendingConnect);
  const marks = useStore((s) => s.comparison?.marks ?? null);

  const inputs = useMemo(() => ({ doc, selection, highlight, findings, marks }), [doc, selection, highlight, findings, marks]);
  const projected = useMemo(() => projector.current.nodes(inputs), [inputs]);
  const projectedEdges = useMemo(() => projector.current.edges(inputs), [inputs]);
  const scenes = useRef(new SceneCache());
  const scene = useMemo(() => scenes.current.of(inputs), [inputs]);
  // What React Flow may mount. Far out: nothing. While a zoom is under way on a large diagram:
  // what was mounted when it began (every step out would mount what it brings into view). Back
  // in, or when the zoom stops: what is in view, over a few frames, none paying for all (the
  // nodes nearest the centre first, then the edges a share at a time). The far canvas draws
  // whatever is not mounted.
  const frozen = !far && zooming && large;
  const mode: Mode = far ? 'far' : frozen ? 'frozen' : 'near';
  const [ramp, setRamp] = useState<{ mode: Mode; from: Mode; step: number }>({ mode, from: mode, step: 0 });
  let { step, from } = ramp;
  if (ramp.mode !== mode) {
    setRamp({ mode, from: ramp.mode, step: 0 });
    step = 0;
    from = ramp.mode;
  }
  const heldWhileFrozen = useRef<Held>(NOTHING_HELD);
  // Worked out when the mode changes, from what was in view then.
  const plan = useMemo(() => {
    const view = flow.getViewport();
    const box = wrapper.current?.getBoundingClientRect();
    if (mode === 'far') return { held: NOTHING_HELD, chunks: [] as string[] };
    if (mode === 'frozen') {
      const held = from === 'near' ? { nodes: new Set(nodesInView(scene, view, box)), edges: edgesInView(scene, view, box) } : NOTHING_HELD;
      return { held, chunks: [] as string[] };
    }
    const held = from === 'frozen' ? heldWhileFrozen.current : NOTHING_HELD;
    return { held, chunks: nodesInView(scene, view, box).filter((id) => !held.nodes.has(id)) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);
  useEffect(() => {
    if (mode === 'frozen') heldWhileFrozen.current = plan.held;
  }, [mode, plan]);
  const mounting = mode === 'near' && step < 2 * MOUNT_FRAMES - 1;
  useEffect(() => {
    if (!mounting) return;
    const frame = requestAnimationFrame(() => setRamp((r) => (r.mode === 'near' ? { ...r, step: r.step + 1 } : r)));
    return () => cancelAnimationFrame(frame);
  }, [mounting, step]);
  const pending = useMemo((): ReadonlySet<string> => {
    if (mode === 'frozen') return new Set(scene.nodes.filter((n) => !plan.held.nodes.has(n.id)).map((n) => n.id));
    if (mode === 'far' || step >= MOUNT_FRAMES - 1) return NOTHING_PENDING;
    return new Set(plan.chunks.slice(Math.ceil((plan.chunks.length * (step + 1)) / MOUNT_FRAMES)));
  }, [mode, step, plan, scene]);
  const nodes = useMemo(
    () => (far ? projected.map(hidden) : pending.size > 0 ? projected.map((n) => (pending.has(n.id) ? hidden(n) : n)) : projected),
    [far, pending, projected],
  );
  const edges = useMemo(() => {
    if (far) return NO_EDGES;
    if (mode === 'near' && !mounting) return projectedEdges;
    const share = mode === 'near' && step >= MOUNT_FRAMES - 1 ? Math.round((projectedEdges.length * (step - MOUNT_FRAMES + 2)) / MOUNT_FRAMES) : 0;
    return projectedEdges.filter((e, i) => i < share || plan.held.edges.has(e.id));
  }, [far, mode, mounting, step, plan, projectedEdges]);
  const mountedEdges = useMemo(() => new Set(edges.map((e) => e.id)), [edges]);
  const parentOf = useMemo(() => new Map(projected.map((n) => [n.id, n.parentId])), [projected]);
  const sceneRef = useRef<Scene>(scene);
  sceneRef.current = scene;
  // The theme's colours for the canvas-drawn views, read once the theme is applied.
  const [palette, setPalette] = useState(() => paletteFrom(getComputedStyle(document.documentElement)));
  useLayoutEffect(() => {
    if (wrapper.current) setPalette(paletteFrom(getComputedStyle(wrapper.current)));
  }, [theme]);

  // Lend the store what it needs to move the viewport.
  useEffect(() => {
    const centre = (): Position => {
      const box = wrapper.current?.getBoundingClientRect();
      if (!box) return { x: 0, y: 0 };
      return flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
    };
    const fit = (ids?: string[]) => {
      // Let React Flow take in a new document before framing it.
      setTimeout(() => {
        const options =
          ids && ids.length > 0
            ? { ...FIT_OPTIONS, nodes: ids.map((id) => ({ id })), maxZoom: 1.2 }
            : FIT_OPTIONS;
        void flow.fitView(options);
      }, 30);
    };
    useStore.getState().registerCanvas({
      centre,
      fit,
      zoomIn: () => void flow.zoomIn({ duration: 150 }),
      zoomOut: () => void flow.zoomOut({ duration: 150 }),
      reveal: (rect) => {
        const box = wrapper.current?.getBoundingClientRect();
        if (!box) return;
        const { x, y, zoom } = flow.getViewport();
        const view = { x: -x / zoom, y: -y / zoom, width: box.width / zoom, height: box.height / zoom };
        const inside =
          rect.x >= view.x &&
          rect.y >= view.y &&
          rect.x + rect.width <= view.x + view.width &&
          rect.y + rect.height <= view.y + view.height;
        if (!inside) {
          void flow.setCenter(rect.x + rect.width / 2, rect.y + rect.height / 2, { zoom, duration: 250 });
        }
      },
    });
    return () => useStore.getState().registerCanvas(null);
  }, [flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const state = useStore.getState();
      const full = fullLayout(state.doc);
      const moves: Record<string, Position> = {};
      const selected = new Set(state.selection);
      let selectionChanged = false;
      for (const change of changes) {
        if (change.type === 'select') {
          if (change.selected) selected.add(change.id);
          else selected.delete(change.id);
          selectionChanged = true;
        } else if (change.type === 'position' && change.position && change.dragging !== undefined) {
          // Positions from React Flow are relative to the parent boundary.
          const parent = parentOf.get(change.id);
          const origin = parent ? full.boundaries[parent] : undefined;
          moves[change.id] = {
            x: Math.round(change.position.x + (origin?.x ?? 0)),
            y: Math.round(change.position.y + (origin?.y ?? 0)),
          };
        }
        // Dimension changes: nodes have fixed sizes; boundaries resize through NodeResizer.
        // Remove changes cannot happen: deleting goes through the store.
      }
      if (Object.keys(moves).length > 0) state.moveElements(moves);
      if (selectionChanged) state.select([...selected]);
    },
    [parentOf],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const state = useStore.getState();
    const selected = new Set(state.selection);
    let selectionChanged = false;
    for (const change of changes) {
      if (change.type === 'select') {
        if (change.selected) selected.add(change.id);
        else selected.delete(change.id);
        selectionChanged = true;
      }
    }
    if (selectionChanged) state.select([...selected]);
  }, []);

  const onDragStart = useCallback(() => useStore.getState().beginGesture(), []);
  const onDragStop: OnNodeDrag<FlowNode> = useCallback((_event, _node, dragged) => {
    const state = useStore.getState();
    state.dropElements(dragged.map((n) => n.id));
    state.endGesture();
  }, []);
  const onSelectionDragStop = useCallback((_event: unknown, dragged: FlowNode[]) => {
    const state = useStore.getState();
    state.dropElements(dragged.map((n) => n.id));
    state.endGesture();
  }, []);

  // Double-click: straight to the name field of the inspector.
  const onNodeDoubleClick = useCallback((_event: unknown, node: { id: string }) => editName(node.id), []);

  /** Far out, where React Flow has no nodes to click, the click is tested against the drawing. */
  const elementAt = useCallback(
    (event: { clientX: number; clientY: number }): string | null => {
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // A node is a few pixels tall far out: a click within 4 pixels of one is on it.
      return hitTest(sceneRef.current, point, 4 / flow.getZoom());
    },
    [flow],
  );

  const onMoveStart = useCallback((_event: unknown, viewport: Viewport) => {
    closeMenu();
    zoomAtMoveStart.current = viewport.zoom;
  }, []);
  const onMove = useCallback(
    (_event: unknown, viewport: Viewport) => {
      if (!zooming && viewport.zoom !== zoomAtMoveStart.current) setZooming(true);
    },
    [zooming],
  );
  const onMoveEnd = useCallback(() => setZooming(false), []);

  const onPaneClick = useCallback(
    (event: ReactMouseEvent) => {
      closeMenu();
      if (!far) return;
      const id = elementAt(event);
      if (!id) return;
      const before = useStore.getState().selection;
      const next = event.ctrlKey || event.metaKey ? (before.includes(id) ? before.filter((s) => s !== id) : [...before, id]) : [id];
      // After React Flow's own handling of a pane click, which clears the selection.
      queueMicrotask(() => useStore.getState().select(next));
    },
    [far, elementAt],
  );

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!far || !(event.target as Element).classList.contains('react-flow__pane')) return;
      const id = elementAt(event);
      if (id) editName(id);
    },
    [far, elementAt],
  );

  const onConnect = useCallback((connection: Connection) => {
    pendingConnection.current = connection;
  }, []);

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, _state: FinalConnectionState) => {
      const connection = pendingConnection.current;
      pendingConnection.current = null;
      if (!connection) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      const box = wrapper.current?.getBoundingClientRect();
      if (!box) return;
      useStore.getState().openConnect(connection.source, connection.target, {
        x: point.clientX - box.left + 8,
        y: point.clientY - box.top + 8,
      });
    },
    [],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const item = event.dataTransfer.getData(PALETTE_MIME);
      if (!item) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const state = useStore.getState();
      if (item === 'boundary') {
        state.addBoundary({ x: Math.round(at.x - 40), y: Math.round(at.y - 22) });
      } else if (isKind(item)) {
        state.addNode(item as NodeKind, {
          x: Math.round(at.x - NODE_WIDTH / 2),
          y: Math.round(at.y - NODE_HEIGHT / 2),
        });
      }
    },
    [flow],
  );

  // The relation menu: where the connection was dropped, or next to the target node.
  const menu = useMemo(() => {
    if (!pendingConnect) return null;
    const box = wrapper.current?.getBoundingClientRect();
    if (!box) return null;
    let { x, y } = pendingConnect;
    if (x === undefined || y === undefined) {
      const target = fullLayout(doc).nodes[pendingConnect.to];
      const screen = target
        ? flow.flowToScreenPosition({ x: target.x + NODE_WIDTH, y: target.y })
        : { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      x = screen.x - box.left + 12;
      y = screen.y - box.top;
    }
    return {
      from: pendingConnect.from,
      to: pendingConnect.to,
      x: Math.min(Math.max(8, x), Math.max(8, box.width - 310)),
      y: Math.min(Math.max(8, y), Math.max(8, box.height - 330)),
    };
  }, [pendingConnect, doc, flow]);
  const empty = doc.nodes.length === 0 && (doc.boundaries ?? []).length === 0;

  return (
    <div
      ref={wrapper}
      className={`canvas${detail === 'full' ? '' : ' zoomed-out'}`}
      data-testid="canvas"
      data-detail={detail}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
    >
      <EdgeMarkers />
      <EdgeLabelsShown.Provider value={detail === 'full'}>
        <ReactFlow<FlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={onDragStart}
          onNodeDragStop={onDragStop}
          onSelectionDragStart={onDragStart}
          onSelectionDragStop={onSelectionDragStop}
          onNodeDoubleClick={onNodeDoubleClick}
          zoomOnDoubleClick={false}
          // A read-only document (its file did not read completely) is looked at, not edited.
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onPaneClick={onPaneClick}
          onMoveStart={onMoveStart}
          onMove={onMove}
          onMoveEnd={onMoveEnd}
          colorMode={theme}
          zIndexMode="manual"
          connectionLineType={ConnectionLineType.Bezier}
          connectionRadius={28}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          disableKeyboardA11y
          onlyRenderVisibleElements
          elevateNodesOnSelect={false}
          elevateEdgesOnSelect={false}
          minZoom={0.05}
          maxZoom={2.5}
          fitView
          fitViewOptions={FIT_OPTIONS}
        >
          <Background variant={BackgroundVariant.Dots} gap={24} size={1.4} />
          {mode !== 'near' || mounting ? (
            <FarCanvas scene={scene} palette={palette} mounting={far ? undefined : { nodes: pending, edges: mountedEdges }} />
          ) : null}
          <Controls showInteractive={false} position="bottom-left" />
          <DiagramMap scene={scene} palette={palette} />
        </ReactFlow>
      </EdgeLabelsShown.Provider>
      <div className="canvas-toolbar">
        <SearchBox />
        <CanvasButtons />
      </div>
      {empty && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <h2>Draw your agent system</h2>
          <p>
            Drag a component from the palette onto the canvas, or click it to add it here. Drag
            from a node’s right handle to another node to connect them.
          </p>
          <p className="canvas-empty-hint">
            Press <kbd>?</kbd> for keyboard shortcuts.
          </p>
        </div>
      )}
      {layoutRunning && <div className="canvas-busy">Laying out…</div>}
      <DiffLegend />
      {menu && <RelationMenu pending={menu} onClose={closeMenu} />}
      <Toast />
      <HelpOverlay />
    </div>
  );
}

function CanvasButtons() {
  const canUndo = useStore((s) => s.canUndo);
  const canRedo = useStore((s) => s.canRedo);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const autoLayout = useStore((s) => s.autoLayout);
  const layoutRunning = useStore((s) => s.layoutRunning);
  const canvas = useStore((s) => s.canvas);
  const setHelpOpen = useStore((s) => s.setHelpOpen);
  return (
    <div className="canvas-buttons" role="toolbar" aria-label="Canvas">
      <button type="button" className="tool-button" data-testid="undo" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true"><path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" /></svg>
      </button>
      <button type="button" className="tool-button" data-testid="redo" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true"><path d="m15 14 5-5-5-5" /><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" /></svg>
      </button>
      <span className="tool-separator" />
      <button type="button" className="tool-button wide" data-testid="auto-layout" onClick={() => void autoLayout()} disabled={layoutRunning} title="Auto-layout (Shift+L)">
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true"><rect x="3" y="3" width="7" height="7" rx="1" /><rect x="14" y="3" width="7" height="7" rx="1" /><rect x="14" y="14" width="7" height="7" rx="1" /><path d="M10 6.5h4M17.5 10v4" /></svg>
        <span>Layout</span>
      </button>
      <button type="button" className="tool-button" data-testid="fit-view" onClick={() => canvas?.fit()} title="Fit to window (F)">
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true"><path d="M4 9V5a1 1 0 0 1 1-1h4M15 4h4a1 1 0 0 1 1 1v4M20 15v4a1 1 0 0 1-1 1h-4M9 20H5a1 1 0 0 1-1-1v-4" /></svg>
      </button>
      <button type="button" className="tool-button" data-testid="help-button" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (?)">
        <span className="tool-glyph">?</span>
      </button>
    </div>
  );
}

function Toast() {
  const notice = useStore((s) => s.notice);
  const dismiss = useStore((s) => s.dismissNotice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismiss, notice.kind === 'error' ? 6000 : 3500);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="toast">
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        ✕
      </button>
    </div>
  );
}

export function Canvas() {
  return (
    <ReactFlowProvider>
      <CanvasInner />
    </ReactFlowProvider>
  );
}
