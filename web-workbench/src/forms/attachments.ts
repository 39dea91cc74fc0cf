/**
 * File pickers in task forms (key `attachmentIds`): the chosen files are uploaded to the work order
 * (POST /api/cases/:id/attachments) and their ids submitted in the picker's place. A file uploaded
 * once is not uploaded again when the submission is retried.
 */
import { upload } from '../api.js';
import { getIn, setIn } from './paths.js';

const uploaded = new WeakMap();

export function filePickerPaths(form) {
  const paths = form.get('pathRegistry');
  return form
    .get('formFieldRegistry')
    .getAll()
    .filter((f) => f.type === 'filepicker')
    .map((f) => paths.getValuePath(f));
}

async function uploadOnce(caseId, file) {
  if (!uploaded.has(file)) uploaded.set(file, (await upload(`/api/cases/${caseId}/attachments`, file)).id);
  return uploaded.get(file);
}

/** Replaces each visible picker's file reference in `submitted` by the uploaded ids ([] when none were chosen). */
export async function uploadChosenFiles(form, submitted, files, caseId) {
  for (const path of filePickerPaths(form)) {
    const parent = path.length > 1 ? getIn(submitted, path.slice(0, -1)) : submitted;
    if (parent == null) continue;
    const ref = getIn(submitted, path);
    const chosen = typeof ref === 'string' ? (files.get(ref) ?? []) : [];
    const ids = [];
    for (const file of chosen) ids.push(await uploadOnce(caseId, file));
    setIn(submitted, path, ids);
  }
  return submitted;
}
