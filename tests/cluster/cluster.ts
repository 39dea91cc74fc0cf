/**
 * The cluster the cluster tests run (scripts/lib/cluster.ts): two engine nodes, two worker processes and two
 * servers on one embedded PostgreSQL. Ports: CLUSTER_PG_PORT (55041), CLUSTER_ENGINE_PORTS (18791,18792),
 * CLUSTER_API_PORTS (3891,3892).
 */
import { startCluster as start, type Cluster } from '../../scripts/lib/cluster';

export type { Cluster, Kind, Part } from '../../scripts/lib/cluster';

const ports = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number);

export const PORTS = {
  pg: ports('CLUSTER_PG_PORT', '55041')[0],
  engines: ports('CLUSTER_ENGINE_PORTS', '18791,18792'),
  apis: ports('CLUSTER_API_PORTS', '3891,3892'),
};

export function startCluster(log: (msg: string) => void): Promise<Cluster> {
  return start({ ...PORTS, workers: 2 }, log);
}
