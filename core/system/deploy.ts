/** Deploys every diagram, decision table and form in `bpmn/` to the engine; unchanged resources keep their version. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LINTABLE } from '../bpmn/lint';
import type { Deployment, EngineClient } from '../engine/client';

export function bpmnResources(dir: string): { name: string; content: string }[] {
  return readdirSync(dir)
    .filter((f) => LINTABLE.test(f))
    .sort()
    .map((f) => ({ name: f, content: readFileSync(path.join(dir, f), 'utf8') }));
}

export function deployDiagrams(engine: EngineClient, dir: string): Promise<Deployment> {
  return engine.deploy('hotline', bpmnResources(dir), { source: 'hotline-start', changedOnly: true });
}
