import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export const ENGINE_JAR: string;
export function findJava(): string;
export function findMaven(): Promise<string>;
export function buildEngine(opts?: { force?: boolean }): Promise<string>;
export interface RunningEngine {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}
export function startEngine(opts: {
  jdbcUrl: string;
  user?: string;
  password?: string;
  port?: number;
  bind?: string;
  log?: boolean | ((line: string) => void);
  timeoutMs?: number;
  javaOpts?: string[];
}): Promise<RunningEngine>;
