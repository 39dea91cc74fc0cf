/** The process diagram of a work order (bpmn-js viewer, pan and zoom), its current task highlighted. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

/** Below this scale the labels cannot be read; a large diagram is shown at this scale around the current step instead. */
const READABLE = 0.8;

function centerOn(canvas, element, scale) {
  canvas.zoom(scale);
  const box = canvas.viewbox();
  canvas.viewbox({ x: element.x + element.width / 2 - box.width / 2, y: element.y + element.height / 2 - box.height / 2, width: box.width, height: box.height });
}

export async function drawDiagram(container, { xml, activeActivityIds = [], completedActivityIds = [] }) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const elements = viewer.get('elementRegistry');
  const mark = (ids, marker) => ids.filter((id) => elements.get(id)).forEach((id) => canvas.addMarker(id, marker));
  mark(completedActivityIds, 'is-completed');
  mark(activeActivityIds, 'is-active');
  const fit = canvas.zoom('fit-viewport', 'auto');
  const focus = elements.get(activeActivityIds[0] ?? completedActivityIds.at(-1));
  if (fit < READABLE && focus) centerOn(canvas, focus, READABLE);
  return viewer;
}
