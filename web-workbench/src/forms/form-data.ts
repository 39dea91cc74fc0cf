/**
 * What a task form is opened with: the process variables, the unit options its selects name by
 * `valuesKey`, and defaults a field takes from another variable (`properties.defaultFrom`,
 * e.g. the dispatch form's category from the suggested category). File pickers start empty: the ids an
 * earlier round submitted are not files the picker could show.
 */
import type { Form } from '@bpmn-io/form-js';
import type { User } from '../../../web-shared/src/session';
import { unitOptions } from '../units';
import { getIn, setIn, type Path } from './paths';

/** The parts of a form-js component this workbench reads. */
export interface FormComponent {
  id?: string;
  key?: string;
  path?: string;
  type?: string;
  valuesKey?: string;
  properties?: { defaultFrom?: string };
  components?: FormComponent[];
}

export interface FormSchema {
  components?: FormComponent[];
}

/** A rendered form field as form-js's registry holds it. */
export interface RenderedField {
  id: string;
  key?: string;
  type: string;
}

/** The form-js services the workbench uses on a rendered form. */
export interface FormServices {
  pathRegistry: { getValuePath(field: RenderedField): Path };
  formFieldRegistry: { getAll(): RenderedField[] };
}

export const service = <K extends keyof FormServices>(form: Form, name: K): FormServices[K] => form.get(name) as FormServices[K];

function* fieldsOf(components: FormComponent[] | undefined, path: string[] = []): Generator<{ field: FormComponent; path: string[] }> {
  for (const c of components ?? []) {
    const here = c.path ? [...path, ...c.path.split('.')] : path;
    yield { field: c, path: c.key ? [...path, ...c.key.split('.')] : here };
    if (c.components) yield* fieldsOf(c.components, here);
  }
}

/** Select options by `valuesKey`, as the server reads them from policy (guideReasons from the decision table caseGuideReasons). */
export type FormOptions = Record<string, { label: string; value: string }[]>;

/** Returns the data to import and the helper keys that must never be submitted. */
export async function prepareFormData(
  schema: FormSchema,
  variables: Record<string, unknown>,
  user: User,
  options: FormOptions = {},
): Promise<{ data: Record<string, unknown>; helperKeys: string[] }> {
  const fields = [...fieldsOf(schema.components)];
  const needsUnits = fields.some(({ field }) => /Units$/.test(field.valuesKey ?? ''));
  const helpers = { ...options, ...(needsUnits ? await unitOptions(user) : {}) };
  const data: Record<string, unknown> = structuredClone({ ...variables, ...helpers });
  for (const { field, path } of fields) {
    const from = field.properties?.defaultFrom;
    if (from && field.key && getIn(data, path) == null && data[from] != null) setIn(data, path, data[from]);
    if (field.type === 'filepicker' && getIn(data, path) != null) setIn(data, path, null);
  }
  return { data, helperKeys: Object.keys(helpers) };
}

/** The valuePath → field id index of a rendered form, to put a server error next to its field. */
export function fieldIdByPath(form: Form): Map<string, string> {
  const paths = service(form, 'pathRegistry');
  const index = new Map<string, string>();
  for (const field of service(form, 'formFieldRegistry').getAll()) {
    if (field.key) index.set(paths.getValuePath(field).join('.'), field.id);
  }
  return index;
}
