/** Reading the one file of an upload (attachments, history imports) and keeping the client's name of it safely. */
import type { FastifyRequest } from 'fastify';
import { UNSTORABLE_TEXT } from '../core/cases/limits';
import { TooLargeError, ValidationError } from '../core/errors';

/**
 * The client's file name, safe to keep and show: no path, no control characters, well-formed text (a half
 * surrogate pair cannot be stored as JSON), at most `max` characters counted as code points. `keep` which end
 * when cut: a history file is known by its end, an attachment by its start (its extension is replaced).
 */
export function safeFileName(name: string, max: number, keep: 'start' | 'end', fallback: string): string {
  const chars = Array.from(name.replace(new RegExp(UNSTORABLE_TEXT.source, 'g'), '_').replace(/[\\/\p{Cc}]/gu, '_'));
  const cut = chars.length <= max ? chars : keep === 'start' ? chars.slice(0, max) : chars.slice(-max);
  return cut.join('') || fallback;
}

/**
 * The upload's one file, `file`, read whole: refused when missing, larger than `maxBytes` (413) or sent with a
 * second one (read up to two, so that a second is refused rather than silently left out). A body the multipart
 * parser cannot read is left to the error handler (400 invalid_multipart).
 */
export async function readOneFile(req: FastifyRequest, maxBytes: number): Promise<{ filename: string; content: Buffer }> {
  if (!req.isMultipart()) throw new ValidationError('file', '请以 multipart/form-data 上传文件', 'upload the file as multipart/form-data', 400);
  const files = req.files({ limits: { fileSize: maxBytes, files: 2 } });
  const file = (await files.next()).value;
  if (!file || file.fieldname !== 'file') throw new ValidationError('file', '缺少文件', 'file is required', 400);
  const mb = Math.round(maxBytes / (1024 * 1024));
  const content = await file.toBuffer().catch((e: unknown) => {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new TooLargeError('file', `文件超过 ${mb} MB`, `file is larger than ${mb} MB`);
    throw e;
  });
  if (!(await files.next()).done) throw new ValidationError('file', '一次只能上传一个文件', 'upload exactly one file', 400);
  return { filename: file.filename, content };
}
