/**
 * What a task form is opened with: the process variables, the unit options its selects name by
 * `valuesKey`, and defaults a field takes from another variable (`properties.defaultFrom`,
 * e.g. the dispatch form's category from the suggested category). File pickers start empty: the ids an
 * earlier round submitted are not files the picker could show.
 */
import { unitOptions } from '../units.js';
import { getIn, setIn } from './paths.js';

function* fieldsOf(components, path = []) {
  for (const c of components ?? []) {
    const here = c.path ? [...path, ...c.path.split('.')] : path;
    yield { field: c, path: c.key ? [...path, ...c.key.split('.')] : here };
    if (c.components) yield* fieldsOf(c.components, here);
  }
}

/** Returns the data to import and the helper keys that must never be submitted. */
export async function prepareFormData(schema, variables, user) {
  const fields = [...fieldsOf(schema.components)];
  const needsUnits = fields.some(({ field }) => /Units$/.test(field.valuesKey ?? ''));
  const helpers = needsUnits ? await unitOptions(user) : {};
  const data = structuredClone({ ...variables, ...helpers });
  for (const { field, path } of fields) {
    const from = field.properties?.defaultFrom;
    if (from && field.key && getIn(data, path) == null && data[from] != null) setIn(data, path, data[from]);
    if (field.type === 'filepicker' && getIn(data, path) != null) setIn(data, path, null);
  }
  return { data, helperKeys: Object.keys(helpers) };
}

/** The valuePath → field id index of a rendered form, to put a server error next to its field. */
export function fieldIdByPath(form) {
  const paths = form.get('pathRegistry');
  const index = new Map();
  for (const field of form.get('formFieldRegistry').getAll()) {
    if (field.key) index.set(paths.getValuePath(field).join('.'), field.id);
  }
  return index;
}
