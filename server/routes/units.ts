import type { FastifyInstance } from 'fastify';
import { UnitEntity, type Unit } from '../../core/db/entities';
import type { AppDeps } from '../app';

interface UnitNode extends Unit {
  children: UnitNode[];
}

const unitNode: Record<string, unknown> = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'integer' },
    kind: { type: 'string' },
    parentId: { type: ['string', 'null'] },
    children: { type: 'array', items: { $ref: 'unitNode#' } },
  },
};

/** The three-level network (R1.4) as a tree: the hotline office, its level-2 units, their level-3 units. */
export default async function unitRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.addSchema({ $id: 'unitNode', ...unitNode });
  app.get(
    '/api/units',
    { onRequest: app.authenticate, schema: { tags: ['单位'], summary: '三级网络单位树', security: [{ bearer: [] }], response: { 200: { type: 'array', items: { $ref: 'unitNode#' } } } } },
    async () => {
      const all = await ds.getRepository(UnitEntity).find({ order: { sort: 'ASC' } });
      const nodes = new Map(all.map((u) => [u.id, { ...u, children: [] as UnitNode[] }]));
      const roots: UnitNode[] = [];
      for (const n of nodes.values()) (n.parentId ? nodes.get(n.parentId)?.children : roots)?.push(n);
      return roots;
    },
  );
}
