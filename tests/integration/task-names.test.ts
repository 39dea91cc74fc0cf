/** A task's Chinese name is its BPMN `name`: the API gives the kinds of user task with the names the diagrams give them. */
import { http, login } from './helpers';

describe('task kinds', () => {
  it('lists every deployed user task with its diagram name, marking those the tasklist can filter by', async () => {
    const res = await http('GET', '/api/tasks/kinds', { token: await login('xinhua-leader') });
    expect(res.status).toBe(200);
    const byKey = new Map(res.body.items.map((k: { taskKey: string }) => [k.taskKey, k]));
    expect(byKey.get('leaderSignoff')).toEqual({ taskKey: 'leaderSignoff', name: '单位领导签发', processKey: 'hotlineCase', filterable: true });
    expect(byKey.get('unitRevisit')).toMatchObject({ name: '承办单位回访' });
    expect(byKey.get('reviewReport')).toMatchObject({ name: '审核报表' });
  });
});
