/**
 * No code through a diagram: what an expression in a deployed diagram or decision table may say.
 *
 * JUEL (`${...}` in BPMN, `juel` in DMN) is read token by token: variables, literals, comparison, arithmetic
 * and logic operators, `now()`, and method calls only by the names below (Spin JSON accessors and
 * `execution.getVariable`). Anything else — `getClass`, `forName`, bracket access, a Spring bean or an engine
 * service by name — is refused. The engine host enforces the same method list at evaluation time
 * (engine/src/main/java/.../security/AllowListElResolver.java; a unit test keeps the two lists equal).
 */

/** Method names an expression may call. */
export const ALLOWED_METHODS: readonly string[] = [
  'prop',
  'hasProp',
  'boolValue',
  'stringValue',
  'numberValue',
  'elements',
  'isNull',
  'isBoolean',
  'isNumber',
  'isString',
  'isArray',
  'isObject',
  'isValue',
  'getVariable',
];

/** Functions an expression may call (the engine's own date functions). */
export const ALLOWED_FUNCTIONS: readonly string[] = ['now'];

/** Properties that lead to Java reflection whatever the object. */
const DENIED_PROPERTIES = new Set(['class', 'classLoader', 'declaringClass', 'module', 'protectionDomain']);

/** Names that resolve to the engine's own objects or Spring beans rather than to process variables. */
const DENIED_ROOTS = new Set([
  'task',
  'externalTask',
  'caseExecution',
  'variableScope',
  'processEngine',
  'processEngineConfiguration',
  'applicationContext',
  'beanFactory',
  'environment',
  'systemProperties',
  'systemEnvironment',
  'dataSource',
  'transactionManager',
  'jdbcTemplate',
]);

const KEYWORDS = new Set(['true', 'false', 'null', 'empty', 'not', 'and', 'or', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod']);
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '(', ')', '.', ','];

type Token = { kind: 'ident' | 'number' | 'string' | 'op'; value: string };

/** Splits one expression body (what stands between `${` and `}`) into tokens, or names the first character it cannot read. */
export function tokenizeJuel(body: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < body.length && body[j] !== c) {
        if (body[j] === '\\') j++;
        value += body[j] ?? '';
        j++;
      }
      if (j >= body.length) return '字符串没有结束引号';
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(body.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => body.startsWith(o, i));
    if (!op) return `不允许的字符“${c}”`;
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

/** Checks one expression body; returns what is wrong (in Chinese) or null. */
export function checkJuelBody(body: string): string | null {
  const tokens = tokenizeJuel(body);
  if (typeof tokens === 'string') return tokens;
  if (tokens.length === 0) return '表达式为空';
  for (const [i, t] of tokens.entries()) {
    if (t.kind !== 'ident' || KEYWORDS.has(t.value)) continue;
    const member = tokens[i - 1]?.kind === 'op' && tokens[i - 1].value === '.';
    const call = tokens[i + 1]?.kind === 'op' && tokens[i + 1].value === '(';
    if (member && call && !ALLOWED_METHODS.includes(t.value)) return `不允许调用方法 ${t.value}()（只允许 ${ALLOWED_METHODS.join('、')}）`;
    if (member && !call && DENIED_PROPERTIES.has(t.value)) return `不允许访问属性 ${t.value}`;
    if (member) continue;
    if (call && !ALLOWED_FUNCTIONS.includes(t.value)) return `不允许调用函数 ${t.value}()（只允许 ${ALLOWED_FUNCTIONS.join('、')}）`;
    if (t.value === 'execution') {
      const getVariable = tokens[i + 1]?.value === '.' && tokens[i + 2]?.value === 'getVariable' && tokens[i + 3]?.value === '(';
      if (!getVariable) return '对 execution 只允许 execution.getVariable(...)';
    }
    if (DENIED_ROOTS.has(t.value) || /Service$/.test(t.value)) return `不允许引用引擎对象或 Bean“${t.value}”`;
  }
  return null;
}

/**
 * Checks a text as JUEL reads it: literal text with `${...}` / `#{...}` parts. Each part must pass
 * checkJuelBody; `bare` also checks a text without any part as one expression (a DMN `juel` cell).
 */
export function checkJuelText(text: string, bare = false): string | null {
  let i = 0;
  let found = false;
  while (i < text.length) {
    if (text[i] === '\\' && (text[i + 1] === '$' || text[i + 1] === '#')) {
      i += 2;
      continue;
    }
    if ((text[i] === '$' || text[i] === '#') && text[i + 1] === '{') {
      found = true;
      const end = closingBrace(text, i + 2);
      if (end < 0) return '表达式缺少结束的“}”';
      const problem = checkJuelBody(text.slice(i + 2, end));
      if (problem) return problem;
      i = end + 1;
      continue;
    }
    i++;
  }
  return !found && bare && text.trim() ? checkJuelBody(text) : null;
}

/** The index of the `}` that ends an expression starting at `from`, skipping string literals; -1 if none. */
function closingBrace(text: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}') return j;
  }
  return -1;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The text as the engine reads it: the XML parser here leaves the five named and the numeric entities as they are. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED_ENTITIES[name] ?? whole;
  });
}

/** True if a text holds a JUEL part at all. */
export const hasJuel = (text: string): boolean => /[$#]\{/.test(text);

/** FEEL names of the DMN expression language, as the engine accepts them (lower-cased). */
export const FEEL_LANGUAGES = new Set([
  'feel',
  'http://www.omg.org/spec/feel/20140401',
  'http://www.omg.org/spec/dmn/20180521/feel/',
  'https://www.omg.org/spec/dmn/20191111/feel/',
  'https://www.omg.org/spec/dmn/20211108/feel/',
  'https://www.omg.org/spec/dmn/20230324/feel/',
]);

/** FEEL may not define functions (a FEEL `function ... external { java: ... }` calls Java). */
export function checkFeel(text: string): string | null {
  const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const word = /\b(external|function)\b/.exec(outsideStrings);
  return word ? `FEEL 表达式中不允许使用 ${word[1]}` : null;
}
