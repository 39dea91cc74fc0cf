/** The server API as the modeler uses it: bearer token from sessionStorage, errors as Chinese messages. */
const TOKEN_KEY = 'hotline-modeler-token';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message?.zh ?? `请求失败（HTTP ${status}）`);
    this.status = status;
    this.body = body;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

async function request(method, path, { json, form } = {}) {
  const headers = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: form ?? (json === undefined ? undefined : JSON.stringify(json)) });
  } catch {
    throw new ApiError(0, { error: { message: { zh: '无法连接服务器，请检查网络后重试' } } });
  }
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export const api = {
  login: (username, password) => request('POST', '/api/auth/login', { json: { username, password } }),
  me: () => request('GET', '/api/me'),
  definitions: () => request('GET', '/api/definitions'),
  deployments: () => request('GET', '/api/deployments?maxResults=30'),
  xml: (kind, id) => request('GET', `/api/definitions/${kind}/${encodeURIComponent(id)}/xml`),
  lint: (files) => request('POST', '/api/deployments/lint', { json: { files } }),
  versions: (kind, key) => request('GET', `/api/definitions/${kind}/${encodeURIComponent(key)}/versions`),
  diff: (kind, key, from, to) => request('GET', `/api/definitions/${kind}/${encodeURIComponent(key)}/diff?from=${from}&to=${to}`),
  redeploy: (kind, id, comment, confirm = false) => request('POST', `/api/definitions/${kind}/${encodeURIComponent(id)}/redeploy`, { json: { comment, confirm } }),
  instances: (key) => request('GET', `/api/definitions/process/${encodeURIComponent(key)}/instances`),
  migrate: (key, fromVersion, toVersion) => request('POST', `/api/definitions/process/${encodeURIComponent(key)}/migrate`, { json: { fromVersion, toVersion } }),
  forms: () => request('GET', '/api/forms'),
  form: (formId) => request('GET', `/api/forms/${encodeURIComponent(formId)}`),
  live: (key) => request('GET', `/api/definitions/process/${encodeURIComponent(key)}/live`),
  deploy(files, comment, confirm = false) {
    const form = new FormData();
    form.append('comment', comment);
    if (confirm) form.append('confirm', 'true');
    for (const f of files) form.append('files', new Blob([f.content], { type: 'application/xml' }), f.name);
    return request('POST', '/api/deployments', { form });
  },
};
