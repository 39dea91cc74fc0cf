/** Serves the built browser apps: the workbench (tasklist) at `/`, the modeler at `/modeler/`. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(async function web(app: FastifyInstance, opts: { rootDir: string }) {
  const mounts: [string, string][] = [
    ['web-workbench', '/'],
    ['web-modeler', '/modeler/'],
  ];
  let decorated = false;
  for (const [dir, prefix] of mounts) {
    const root = path.join(opts.rootDir, dir, 'dist');
    if (!existsSync(root)) continue;
    await app.register(fastifyStatic, { root, prefix, decorateReply: !decorated, index: 'index.html', wildcard: true });
    decorated = true;
  }
});
