/**
 * The server's JSON API as both web apps call it. The session is the HttpOnly cookie the browser sends by itself;
 * every unsafe request carries the session's CSRF token (from the readable `hotline_csrf` cookie) in X-CSRF-Token.
 * A refusal becomes an ApiError with the server's Chinese message, the field it names and its whole body.
 */

/** The common error shape of the API. */
export interface ErrorBody {
  error?: { code?: string; field?: string; message?: { zh?: string; en?: string } };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | undefined,
    message: string,
    /** The whole answer, for refusals that carry more (a deployment's problems, a migration's impacts). */
    readonly body: unknown,
  ) {
    super(message);
  }
}

const CSRF_COOKIE = 'hotline_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function csrfToken(): string | undefined {
  const entry = document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return entry === undefined ? undefined : decodeURIComponent(entry.slice(CSRF_COOKIE.length + 1));
}

const unauthorizedHandlers = new Set<() => void>();

/** Called when a request finds the session gone (expired, or signed out in the other app). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandlers.add(handler);
}

function headersFor(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const token = UNSAFE.has(method) ? csrfToken() : undefined;
  return { ...extra, ...(token ? { 'x-csrf-token': token } : {}) };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refusal(status: number, body: unknown, fallback: string): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  return new ApiError(status, error?.code ?? 'http', error?.field, error?.message?.zh ?? fallback, body);
}

async function send(method: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { ...init, method, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', undefined, '无法连接服务器，请检查网络后重试', undefined);
  }
}

/** `body` is sent as JSON, or as it is when it is FormData (file uploads); `extra` headers beside it. `T` is what the route answers. */
export async function api<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const isForm = body instanceof FormData;
  const headers = headersFor(method, {
    ...extra,
    accept: 'application/json',
    ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
  });
  const res = await send(method, path, { headers, body: body === undefined ? undefined : isForm ? body : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? parse(text) : undefined;
  if (res.ok) return data as T;
  if (res.status === 401 && path !== '/api/auth/login') for (const handler of unauthorizedHandlers) handler();
  throw refusal(res.status, data, `请求失败（HTTP ${res.status}）`);
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T = void>(path: string, body?: unknown, extra?: Record<string, string>) => api<T>('POST', path, body, extra);

/** A protected file as a blob: URL (for <img> and <iframe> previews); revoke it when done. */
export async function blobUrl(path: string): Promise<string> {
  const res = await send('GET', path, {});
  if (!res.ok) throw refusal(res.status, parse(await res.text()), `文件读取失败（HTTP ${res.status}）`);
  return URL.createObjectURL(await res.blob());
}

/** Saves a file the API serves (xlsx exports, attachments) under the name given. */
export async function download(path: string, filename: string): Promise<void> {
  const url = await blobUrl(path);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Query string from an object, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * A fresh Idempotency-Key: a form sends one with every try of the same submission, so a retry after a lost answer
 * finds what the first made. From getRandomValues (crypto.randomUUID needs a secure context; the workbench may be
 * served over plain HTTP inside the office network).
 */
export const idempotencyKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
