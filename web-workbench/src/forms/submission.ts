/**
 * Turns what form-js submits into what the server accepts (it allows no additional properties):
 * empty optional values and helper data are dropped, text is trimmed, and date-times get the seconds
 * form-js leaves out (2026-11-27T10:00+08:00 → 2026-11-27T10:00:00+08:00, RFC 3339).
 */
const MINUTE_PRECISION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/;

function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean).filter((v) => v !== undefined);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, clean(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return undefined;
    const m = text.match(MINUTE_PRECISION);
    return m ? `${m[1]}:00${m[2]}` : text;
  }
  return value ?? undefined;
}

export function toVariables(submitted: Record<string, unknown>, helperKeys: string[] = []): Record<string, unknown> {
  const variables = (clean(submitted) ?? {}) as Record<string, unknown>;
  for (const key of helperKeys) delete variables[key];
  return variables;
}
