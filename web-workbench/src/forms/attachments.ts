/**
 * File pickers in task forms (key `attachmentIds`): the chosen files are uploaded to the work order
 * (POST /api/cases/:id/attachments) and their ids submitted in the picker's place. A file uploaded
 * once is not uploaded again when the submission is retried.
 */
import type { Form } from '@bpmn-io/form-js';
import { upload } from '../api';
import { service } from './form-data';
import { getIn, setIn, type Path } from './paths';

const uploaded = new WeakMap<File, string>();

export function filePickerPaths(form: Form): Path[] {
  const paths = service(form, 'pathRegistry');
  return service(form, 'formFieldRegistry')
    .getAll()
    .filter((f) => f.type === 'filepicker')
    .map((f) => paths.getValuePath(f));
}

async function uploadOnce(caseId: string, file: File): Promise<string> {
  const known = uploaded.get(file);
  if (known) return known;
  const { id } = await upload(`/api/cases/${caseId}/attachments`, file);
  uploaded.set(file, id);
  return id;
}

/** Replaces each visible picker's file reference in `submitted` by the uploaded ids ([] when none were chosen). */
export async function uploadChosenFiles(
  form: Form,
  submitted: Record<string, unknown>,
  files: Map<string, File[]>,
  caseId: string | null,
): Promise<Record<string, unknown>> {
  for (const path of filePickerPaths(form)) {
    const parent = path.length > 1 ? getIn(submitted, path.slice(0, -1)) : submitted;
    if (parent == null) continue;
    const ref = getIn(submitted, path);
    const chosen = typeof ref === 'string' ? (files.get(ref) ?? []) : [];
    if (chosen.length > 0 && !caseId) throw new Error('该任务不属于任何工单，不能上传附件');
    const ids: string[] = [];
    for (const file of chosen) ids.push(await uploadOnce(caseId ?? '', file));
    setIn(submitted, path, ids);
  }
  return submitted;
}
