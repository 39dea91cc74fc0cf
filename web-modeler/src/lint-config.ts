/**
 * The bpmnlint rules checked live in the browser: core rules that fit an executable process on this engine.
 * Our own rules (worker topics, forms, candidate groups, timers) are checked by the server (/api/deployments/lint).
 * This is what `bpmnlint pack` would generate, written out so esbuild can bundle the rules directly.
 */
import endEventRequired from 'bpmnlint/rules/end-event-required';
import labelRequired from 'bpmnlint/rules/label-required';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import startEventRequired from 'bpmnlint/rules/start-event-required';

type Rule = typeof noDisconnected;

const RULES: Record<string, ['error' | 'warn', Rule]> = {
  'no-disconnected': ['error', noDisconnected],
  'start-event-required': ['error', startEventRequired],
  'end-event-required': ['error', endEventRequired],
  'no-implicit-split': ['error', noImplicitSplit],
  'no-duplicate-sequence-flows': ['error', noDuplicateSequenceFlows],
  'label-required': ['warn', labelRequired],
};

const resolver = {
  resolveRule(pkg: string, name: string): Rule {
    const rule = pkg === 'bpmnlint' && RULES[name]?.[1];
    if (!rule) throw new Error(`未知的校验规则 ${pkg}/${name}`);
    return rule;
  },
  resolveConfig(pkg: string, name: string): never {
    throw new Error(`未知的校验配置 ${pkg}/${name}`);
  },
};

export const bpmnlintConfig = {
  resolver,
  config: { rules: Object.fromEntries(Object.entries(RULES).map(([name, [level]]) => [name, level])) },
};
