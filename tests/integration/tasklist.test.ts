import { groupsOf } from '../../server/plugins/auth';
import { createCase, engineAuthorization, http, login, openTask, waitFor } from './helpers';
import { stack } from './setup/stack';

/** The tasklist reads the engine's runtime tables (core/engine/task-list.ts); the engine's REST query is the reference. */
async function engineList(username: string): Promise<{ id: string; due: string | null; created: string }[]> {
  const me = (await http('GET', '/api/me', { token: await login(username) })).body;
  const res = await fetch(`${stack.engine}/task?firstResult=0&maxResults=5000`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: engineAuthorization() },
    body: JSON.stringify({
      orQueries: [{ candidateGroups: groupsOf(me.roles, me.unitId), assignee: username }],
      sorting: [
        { sortBy: 'dueDate', sortOrder: 'asc' },
        { sortBy: 'created', sortOrder: 'asc' },
      ],
    }),
  });
  return res.json();
}

async function ourList(username: string): Promise<{ id: string; due: string | null; created: string; caseCode: string | null }[]> {
  const items = [];
  for (let page = 1; ; page++) {
    const got = (await http('GET', `/api/tasks?page=${page}&pageSize=200`, { token: await login(username) })).body.items;
    items.push(...got);
    if (got.length < 200) return items;
  }
}

const sortKey = (t: { due: string | null; created: string }) => [t.due === null ? Infinity : Date.parse(t.due), Date.parse(t.created)];

describe('tasklist: the native task query answers as the engine does', () => {
  it('gives each user the same tasks as the engine REST query, in deadline order', async () => {
    // given waiting, claimed, dispatched and delegated-to-a-unit tasks
    const [a, b, c] = [await createCase(), await createCase(), await createCase()];
    const claimed = await openTask(b.id, 'dispatch');
    expect((await http('POST', `/api/tasks/${claimed.id}/claim`, { token: await login('office') })).status).toBe(204);
    const dispatch = await openTask(c.id, 'dispatch');
    const done = await http('POST', `/api/tasks/${dispatch.id}/complete`, {
      token: await login('office'),
      body: { variables: { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' } },
    });
    expect(done.status).toBe(204);
    await openTask(c.id, 'handle');

    for (const user of ['office', 'operator', 'xinhua', 'xinhua-leader', 'weidong']) {
      // when both lists are read (retried while the engine's workers still move cases on)
      const [ours, theirs] = await waitFor(
        `the same list for ${user}`,
        async () => {
          const pair = [await ourList(user), await engineList(user)] as const;
          const same =
            pair[0]
              .map((t) => t.id)
              .sort()
              .join() ===
            pair[1]
              .map((t) => t.id)
              .sort()
              .join();
          return same && pair;
        },
        5_000,
      );

      // then they hold the same tasks, with the same instants, ours sorted by deadline then creation
      const byId = new Map(theirs.map((t) => [t.id, t]));
      for (const t of ours) {
        expect(Date.parse(t.created)).toBe(Date.parse(byId.get(t.id)!.created));
        expect(t.due === null ? null : Date.parse(t.due)).toBe(byId.get(t.id)!.due === null ? null : Date.parse(byId.get(t.id)!.due!));
        expect(t.created).toMatch(/Z$/);
      }
      const keys = ours.map(sortKey);
      for (let i = 1; i < keys.length; i++) expect(keys[i - 1][0] < keys[i][0] || (keys[i - 1][0] === keys[i][0] && keys[i - 1][1] <= keys[i][1])).toBe(true);
    }

    // and the claimed task is the office's own, no longer the operator's; the dispatched one is Xinhua's
    const office = await ourList('office');
    expect(office.find((t) => t.id === claimed.id)).toBeDefined();
    expect((await ourList('operator')).find((t) => t.id === claimed.id)).toBeUndefined();
    expect((await ourList('operator')).some((t) => t.caseCode === a.code)).toBe(true);
    expect((await ourList('xinhua')).some((t) => t.caseCode === c.code)).toBe(true);
    expect((await ourList('weidong')).some((t) => t.caseCode === c.code)).toBe(false);
  });
});
