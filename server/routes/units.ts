import type { FastifyInstance } from 'fastify';
import { UnitEntity, type Unit } from '../../core/db/entities';
import type { AppDeps } from '../app';
import { Nullable, ResponseObject, Type } from '../schemas';

interface UnitNode extends Unit {
  children: UnitNode[];
}

/** One unit and its units below, a shared schema referring to itself. */
const UnitNodeSchema = ResponseObject(
  {
    id: Type.String(),
    name: Type.String(),
    level: Type.Integer(),
    kind: Type.String(),
    parentId: Nullable(Type.String()),
    children: Type.Array(Type.Ref('unitNode')),
  },
  { $id: 'unitNode' },
);

/** The three-level network (R1.4) as a tree: the hotline office, its level-2 units, their level-3 units. */
export default async function unitRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.addSchema(UnitNodeSchema);
  app.get(
    '/api/units',
    {
      onRequest: app.authenticate,
      schema: { tags: ['单位'], summary: '三级网络单位树', security: [{ bearer: [] }], response: { 200: Type.Array(Type.Ref('unitNode')) } },
    },
    async () => {
      const all = await ds.getRepository(UnitEntity).find({ order: { sort: 'ASC' } });
      const nodes = new Map(all.map((u) => [u.id, { ...u, children: [] as UnitNode[] }]));
      const roots: UnitNode[] = [];
      for (const n of nodes.values()) (n.parentId ? nodes.get(n.parentId)?.children : roots)?.push(n);
      return roots;
    },
  );
}
