/**
 * Canvas-drawn views of the whole diagram (see lod.ts): the far level of detail, which stands
 * in for React Flow's nodes and edges below `FAR_ZOOM`, and the minimap. React Flow's own
 * minimap draws only the nodes React Flow renders, and far out it renders none.
 */
import { Panel, useReactFlow, useStore as useFlowStore, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useRef, type PointerEvent } from 'react';
import { drawScene, type Palette, type Scene } from './lod';

const flowSize = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

/** Sizes the canvas's backing store for the screen's pixel density; returns the density. */
function fitBackingStore(canvas: HTMLCanvasElement, width: number, height: number): number {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return ratio;
}

/**
 * The diagram drawn in the viewport, redrawn at most once a frame while the viewport moves.
 * While React Flow has only part of what is in view mounted (`mounting`), only the nodes and
 * edges it has not.
 */
export function FarCanvas({
  scene,
  palette,
  mounting,
}: {
  scene: Scene;
  palette: Palette;
  mounting?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };
}) {
  const store = useStoreApi();
  const ref = useRef<HTMLCanvasElement>(null);
  // Re-render on a resize of the pane, so the canvas's CSS size follows.
  const size = useFlowStore(flowSize);
  const [width, height] = size.split('x').map(Number);

  const draw = useCallback(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const { transform, width: w, height: h } = store.getState();
    const pixelRatio = fitBackingStore(canvas, w, h);
    drawScene(ctx, scene, { x: transform[0], y: transform[1], zoom: transform[2] }, palette, {
      pixelRatio,
      width: w,
      height: h,
      detail: mounting ? 'edges' : 'full',
      pending: mounting?.nodes,
      mountedEdges: mounting?.edges,
    });
  }, [scene, palette, store, mounting]);

  // Drawn before the first paint (the frame that unmounts the nodes shows the picture), then
  // once a frame at most while the viewport changes.
  useLayoutEffect(() => {
    draw();
    let frame = 0;
    const unsubscribe = store.subscribe((s, previous) => {
      if (s.transform === previous.transform && s.width === previous.width && s.height === previous.height) return;
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          draw();
        });
      }
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [draw, store]);

  return (
    <canvas
      ref={ref}
      className="canvas-far"
      data-testid="canvas-far"
      data-nodes={mounting ? mounting.nodes.size : scene.nodes.length}
      style={{ width, height }}
      aria-hidden="true"
    />
  );
}

const MAP = { width: 200, height: 150 };
/** Margin around the diagram in the map, in map pixels. */
const MAP_MARGIN = 5;

const viewState = (s: { transform: [number, number, number]; width: number; height: number }) =>
  `${s.transform[0]},${s.transform[1]},${s.transform[2]},${s.width},${s.height}`;

/**
 * The minimap: the whole diagram (boundaries and nodes), the viewport as a window in a veil.
 * Drag in it to pan, scroll in it to zoom.
 */
export function DiagramMap({ scene, palette }: { scene: Scene; palette: Palette }) {
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [tx, ty, zoom, paneWidth, paneHeight] = useFlowStore(viewState).split(',').map(Number);
  const view = { x: -tx / zoom, y: -ty / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
  // The area shown: the diagram and the viewport, centred, with a margin (as React Flow's).
  const b = scene.bounds ?? view;
  const x0 = Math.min(b.x, view.x);
  const y0 = Math.min(b.y, view.y);
  const x1 = Math.max(b.x + b.width, view.x + view.width);
  const y1 = Math.max(b.y + b.height, view.y + view.height);
  const unitsPerPixel = Math.max((x1 - x0) / (MAP.width - 2 * MAP_MARGIN), (y1 - y0) / (MAP.height - 2 * MAP_MARGIN));
  const area = {
    x: (x0 + x1) / 2 - (MAP.width / 2) * unitsPerPixel,
    y: (y0 + y1) / 2 - (MAP.height / 2) * unitsPerPixel,
    width: MAP.width * unitsPerPixel,
    height: MAP.height * unitsPerPixel,
  };
  const scale = useRef(unitsPerPixel);
  scale.current = unitsPerPixel;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const pixelRatio = fitBackingStore(canvas, MAP.width, MAP.height);
    const k = 1 / unitsPerPixel;
    drawScene(ctx, scene, { x: -area.x * k, y: -area.y * k, zoom: k }, palette, {
      pixelRatio,
      width: MAP.width,
      height: MAP.height,
      detail: 'map',
    });
    // Redrawn only when the diagram or the area shown changes, not on every pan inside it.
  }, [scene, palette, area.x, area.y, unitsPerPixel]);

  const drag = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = useCallback((event: PointerEvent) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY };
  }, []);
  const onPointerMove = useCallback(
    (event: PointerEvent) => {
      if (!drag.current) return;
      const { x, y, zoom: z } = flow.getViewport();
      const dx = (event.clientX - drag.current.x) * scale.current;
      const dy = (event.clientY - drag.current.y) * scale.current;
      drag.current = { x: event.clientX, y: event.clientY };
      void flow.setViewport({ x: x - dx * z, y: y - dy * z, zoom: z });
    },
    [flow],
  );
  const onPointerUp = useCallback(() => {
    drag.current = null;
  }, []);

  // Wheel: zoom about the viewport's centre. Not passive, so the page does not scroll too.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const step = event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002;
      void flow.zoomTo(flow.getZoom() * Math.pow(2, -event.deltaY * step));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [flow]);

  const veil =
    `M${area.x},${area.y}h${area.width}v${area.height}h${-area.width}z ` +
    `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
  return (
    <Panel position="bottom-right" className="diagram-map" data-testid="minimap">
      <canvas ref={canvasRef} style={{ width: MAP.width, height: MAP.height }} aria-hidden="true" />
      <svg
        ref={svgRef}
        width={MAP.width}
        height={MAP.height}
        viewBox={`${area.x} ${area.y} ${area.width} ${area.height}`}
        role="img"
        aria-label="Minimap"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <path className="diagram-map-veil" d={veil} fillRule="evenodd" />
      </svg>
    </Panel>
  );
}
