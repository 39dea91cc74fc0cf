/**
 * The server's JSON API with the session's bearer token. A refusal becomes an ApiError carrying the
 * server's Chinese message and the field it names; an expired session sends the user back to login.
 */
import { session, signOut } from './session.js';

export class ApiError extends Error {
  constructor(status, code, field, zh) {
    super(zh);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `body` is sent as JSON, or as it is when it is FormData (file uploads). */
export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined || isForm ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', undefined, '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  const data = text ? parse(text) : undefined;
  if (res.ok) return data;
  const error = data?.error;
  if (res.status === 401 && session.token) {
    signOut();
    location.hash = '#/login';
  }
  throw new ApiError(res.status, error?.code ?? 'http', error?.field, error?.message?.zh ?? `请求失败（HTTP ${res.status}）`);
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);

/** A protected file as a blob: URL (the token cannot ride on a plain link); revoke it when done. */
export async function blobUrl(path) {
  const res = await fetch(path, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, 'http', undefined, `文件读取失败（HTTP ${res.status}）`);
  return URL.createObjectURL(await res.blob());
}

/** Saves a file the API serves behind the bearer token (a plain link would not send it). */
export async function download(path, filename) {
  const url = await blobUrl(path);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function upload(path, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api('POST', path, form);
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
