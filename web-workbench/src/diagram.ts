/** The process diagram of a work order (bpmn-js viewer, pan and zoom), its current task highlighted. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';

/** GET /api/cases/:id/diagram: the process's XML and where the work order stands in it. */
export interface CaseDiagram {
  xml: string;
  activeActivityIds?: string[];
  completedActivityIds?: string[];
}

type Box = { x: number; y: number; width: number; height: number };

/** Below this scale the labels cannot be read; a large diagram is shown at this scale around the current step instead. */
const READABLE = 0.8;

function centerOn(canvas: Canvas, element: Box, scale: number) {
  canvas.zoom(scale);
  const box = canvas.viewbox();
  canvas.viewbox({
    x: element.x + element.width / 2 - box.width / 2,
    y: element.y + element.height / 2 - box.height / 2,
    width: box.width,
    height: box.height,
  });
}

export async function drawDiagram(container: HTMLElement, { xml, activeActivityIds = [], completedActivityIds = [] }: CaseDiagram): Promise<NavigatedViewer> {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get<Canvas>('canvas');
  const elements = viewer.get<ElementRegistry>('elementRegistry');
  const mark = (ids: string[], marker: string) => ids.filter((id) => elements.get(id)).forEach((id) => canvas.addMarker(id, marker));
  mark(completedActivityIds, 'is-completed');
  mark(activeActivityIds, 'is-active');
  // diagram-js centres the fitted diagram for `center: 'auto'`, which its type declarations leave out
  const fitCentred = canvas.zoom.bind(canvas) as unknown as (scale: 'fit-viewport', center: 'auto') => number;
  const fit = fitCentred('fit-viewport', 'auto');
  const focusId = activeActivityIds[0] ?? completedActivityIds.at(-1);
  const focus = focusId ? (elements.get(focusId) as Partial<Box> | undefined) : undefined;
  if (fit < READABLE && focus?.x !== undefined && focus.y !== undefined && focus.width !== undefined && focus.height !== undefined)
    centerOn(canvas, { x: focus.x, y: focus.y, width: focus.width, height: focus.height }, READABLE);
  return viewer;
}
