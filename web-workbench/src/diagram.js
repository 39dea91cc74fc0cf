/** The process diagram of a work order (bpmn-js viewer, pan and zoom), its current task highlighted. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

export async function drawDiagram(container, { xml, activeActivityIds = [], completedActivityIds = [] }) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const elements = viewer.get('elementRegistry');
  const mark = (ids, marker) => ids.filter((id) => elements.get(id)).forEach((id) => canvas.addMarker(id, marker));
  mark(completedActivityIds, 'is-completed');
  mark(activeActivityIds, 'is-active');
  canvas.zoom('fit-viewport', 'auto');
  return viewer;
}
