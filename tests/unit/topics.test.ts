import path from 'node:path';
import { externalTopics, readDiagrams } from '../../core/bpmn/model';
import { createHandlers, type WorkerDeps } from '../../workers/handlers';

describe('diagrams and workers agree', () => {
  const elements = readDiagrams(path.resolve(__dirname, '../../bpmn'));
  const diagramTopics = externalTopics(elements);
  // Building the handlers needs no live dependency: they are only called when a task arrives.
  const workerTopics = createHandlers({} as WorkerDeps).map((w) => w.topic);

  it('every external-task topic in bpmn/ has a worker', () => {
    const orphans = [...diagramTopics.keys()].filter((t) => !workerTopics.includes(t));
    expect(orphans).toEqual([]);
  });

  it('every worker has a topic in bpmn/', () => {
    const unused = workerTopics.filter((t) => !diagramTopics.has(t));
    expect(unused).toEqual([]);
  });

  it('no two workers claim the same topic', () => {
    expect(new Set(workerTopics).size).toBe(workerTopics.length);
  });

  it('every user task names a candidate group and a form, and task ids come from the vocabulary', () => {
    // VOCABULARY.md, plus the tasks this project added to it (docs/rules.md, "Vocabulary extensions")
    const vocabulary = [
      'dispatch',
      'handle',
      'handleDelegated',
      'plan',
      'decideExtension',
      'decideReturn',
      'review',
      'revisit',
      'supervisionReply',
      'coInput',
      'onsitePlan',
      'leaderInstruction',
      'unitRevisit',
      'reviewReport',
      'leaderSignoff',
      'onsiteAtDispatch',
      'firstResponse',
      'instructionFeedback',
    ];
    const userTasks = elements.filter((e) => e.tag === 'userTask');
    expect(userTasks.length).toBeGreaterThan(0);
    for (const t of userTasks) {
      expect(vocabulary).toContain(t.id);
      expect(t.attrs.candidateGroups).toBeTruthy();
      expect(t.attrs.formRef).toBeTruthy();
    }
  });
});
