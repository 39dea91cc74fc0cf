/** Hash routes (#/tasks, #/cases/:id?page=2): each navigation renders one view into a fresh <main>. */
export function parseHash(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(search)) };
}

/** `#/cases` with the query object, leaving out empty values. */
export function hashOf(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function match(routes, path) {
  for (const route of routes) {
    const m = path.match(route.pattern);
    if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}
