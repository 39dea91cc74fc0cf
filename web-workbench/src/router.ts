/** Hash routes (#/tasks, #/cases/:id?page=2): each navigation renders one view into a fresh <main>. */
export type Query = Record<string, string>;

export function parseHash(hash: string): { path: string; query: Query } {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(search)) };
}

/** `#/cases` with the query object, leaving out empty values. */
export function hashOf(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined || v === null || v === '' ? [] : [[k, String(v)]])));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export type Route<T> = T & { pattern: RegExp };

export function match<T>(routes: Route<T>[], path: string): { route: Route<T>; params: string[] } | null {
  for (const route of routes) {
    const m = path.match(route.pattern);
    if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}
