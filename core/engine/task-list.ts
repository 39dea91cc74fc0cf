/**
 * The tasklist's one read: a user's open tasks, straight from the engine's runtime tables.
 *
 * This is a native task query (what the engine's Java API offers as NativeTaskQuery, and its REST API does
 * not): the rows are the engine's own, in the same transactions the engine writes them, so nothing can drift.
 * It answers the same question as POST /engine-rest/task with
 * `orQueries: [{ candidateGroups, assignee }]`, sorted by due date then creation — an integration test
 * holds the two to the same answer — without the REST round trip, which was most of the tasklist's time
 * under load. Everything else (one task, claim, complete, variables) still goes through the REST API.
 * Only ACT_RU_TASK and ACT_RU_IDENTITYLINK are read; their shape has been stable since Camunda 7.0.
 */
import { Pool } from 'pg';
import type { EngineTask } from './client';

export interface TaskListQuery {
  username: string;
  groups: string[];
  taskKey?: string;
  offset: number;
  limit: number;
}

export interface TaskList {
  forUser(q: TaskListQuery): Promise<EngineTask[]>;
  close(): Promise<void>;
}

/**
 * @param engineDatabaseUrl the engine's PostgreSQL database (ENGINE_DATABASE_URL, default `<db>_engine`)
 * @param engineTimezone the engine's JVM time zone (ENGINE_TIMEZONE): it stores times without a zone
 */
export function createTaskList(engineDatabaseUrl: string, engineTimezone: string, poolSize = 10): TaskList {
  const pool = new Pool({ connectionString: engineDatabaseUrl, max: poolSize, application_name: 'hotline-tasklist' });
  pool.on('error', () => undefined);
  return {
    async forUser({ username, groups, taskKey, offset, limit }) {
      // Mine (assigned to me), or unassigned with one of my groups as a candidate: the engine's own semantics.
      const { rows } = await pool.query<{
        id: string; name: string; assignee: string | null; created: Date; due: Date | null;
        taskDefinitionKey: string; processInstanceId: string; processDefinitionId: string; description: string | null;
      }>({
        name: 'hotline-tasklist',
        // One pass over the open tasks against a hashed set of my groups' candidate links: linear in the open
        // tasks whatever the planner's statistics say (a join planned on stale counts went quadratic).
        text: `SELECT t.id_ AS id, t.name_ AS name, t.assignee_ AS assignee,
                      t.create_time_ AT TIME ZONE $1 AS created, t.due_date_ AT TIME ZONE $1 AS due,
                      t.task_def_key_ AS "taskDefinitionKey", t.proc_inst_id_ AS "processInstanceId",
                      t.proc_def_id_ AS "processDefinitionId", t.description_ AS description
                 FROM act_ru_task t
                WHERE (t.assignee_ = $2
                       OR (t.assignee_ IS NULL AND t.id_ IN (
                             SELECT l.task_id_ FROM act_ru_identitylink l WHERE l.type_ = 'candidate' AND l.group_id_ = ANY($3))))
                  AND ($4::text IS NULL OR t.task_def_key_ = $4)
                ORDER BY t.due_date_ ASC NULLS LAST, t.create_time_ ASC, t.id_
               OFFSET $5 LIMIT $6`,
        values: [engineTimezone, username, groups, taskKey ?? null, offset, limit],
      });
      return rows.map((r) => ({ ...r, created: r.created.toISOString(), due: r.due ? r.due.toISOString() : null }));
    },
    close: () => pool.end(),
  };
}
