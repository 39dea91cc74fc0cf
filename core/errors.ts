/**
 * The error taxonomy, in one place.
 * - BusinessError: an outcome the diagram decides on; workers raise it as a BPMN error the diagram catches.
 * - TransientError: a fault that may pass (network, lock, restart); workers report a failure with retries and back-off.
 * - any other Error: permanent; workers report a failure with no retries left, which the engine turns into an incident.
 * - ValidationError: bad input at the API boundary, answered 400/422 in Chinese and English, naming the field.
 */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly zh: string,
    readonly en: string,
    readonly statusCode: 400 | 404 | 409 | 422 = 422,
  ) {
    super(`${field}: ${en}`);
    this.name = 'ValidationError';
  }
}

export class ForbiddenError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'ForbiddenError';
  }
}

/** PostgreSQL and network faults that pass on their own: connection loss, serialization conflicts, deadlocks. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', '40001', '40P01', '53300']);

export function isTransient(e: unknown): boolean {
  if (e instanceof TransientError) return true;
  const code = (e as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ?? (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}
