/**
 * Named points between the steps of the operations, where the fault tests stop an operation as a crash
 * would (tests/integration/operations.test.ts). In production the hook does nothing, unless FAULT_POINT
 * names a point: then the process exits there, for crash drills against a running system.
 */
export const FAULT_POINTS = [
  'intake:after-commit',
  'start:before-engine',
  'start:after-engine',
  'complete:after-record',
  'complete:after-engine',
  'calendar:after-load',
  'calendar:after-deadline',
  'supervision:after-record',
  'supervision:before-engine',
  'supervision:after-engine',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export type Faults = (point: FaultPoint) => void;

/** The process "died" at a point: whoever catches it must not clean up, as a dead process would not. */
export class InjectedCrash extends Error {
  constructor(readonly point: FaultPoint) {
    super(`injected crash at ${point}`);
    this.name = 'InjectedCrash';
  }
}

export function faultsFromEnv(env: Record<string, string | undefined> = process.env): Faults {
  const point = env.FAULT_POINT;
  if (!point) return () => undefined;
  if (!(FAULT_POINTS as readonly string[]).includes(point)) throw new Error(`FAULT_POINT must be one of ${FAULT_POINTS.join(', ')}`);
  return (p) => {
    if (p === point) process.exit(137);
  };
}
