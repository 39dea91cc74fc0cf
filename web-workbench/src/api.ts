/** File uploads to a work order, on the shared API client. */
import { api } from '../../web-shared/src/api';

/** Uploads one file as multipart form data; the server answers with the stored attachment. */
export function upload(path: string, file: File): Promise<{ id: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<{ id: string }>('POST', path, form);
}
