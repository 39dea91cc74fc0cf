import { ValidationError } from '../../core/errors';
import { checkSubmission, evaluateHide, isShown, MAX_FIELD_TEXT, type FormComponent, type FormSchema } from '../../server/tasks/form-validation';

const form: FormSchema = {
  components: [
    { type: 'text', key: 'ignored' },
    { type: 'radio', key: 'kind', values: [{ value: 'a' }, { value: 'b' }], validate: { required: true } },
    { type: 'textfield', key: 'note', validate: { required: true, maxLength: 5, pattern: '^[a-z]+$' }, conditional: { hide: '=kind != "a"' } },
    { type: 'number', key: 'count', validate: { min: 1, max: 3 } },
    { type: 'checkbox', key: 'flag' },
    { type: 'taglist', key: 'tags', values: [{ value: 'x' }, { value: 'y' }] },
    { type: 'select', key: 'reason', valuesKey: 'reasons' },
    { type: 'datetime', key: 'at', subtype: 'datetime' },
    {
      type: 'group',
      path: 'person',
      components: [
        { type: 'textfield', key: 'name', validate: { required: true } },
        { type: 'textfield', key: 'extra.phone' },
      ],
    },
  ],
};

function refusal(submitted: Record<string, unknown>, opts = {}, of: FormSchema = form): [string, number] | 'accepted' {
  try {
    checkSubmission(of, submitted, opts);
  } catch (e) {
    if (e instanceof ValidationError) return [e.field, e.statusCode];
    throw e;
  }
  return 'accepted';
}

describe('a submission is checked against its form', () => {
  const ok = { kind: 'b', person: { name: '李' } };

  it('accepts what the form asks for, with nested paths and dotted keys', () => {
    expect(refusal(ok)).toBe('accepted');
    expect(refusal({ ...ok, count: 2, flag: false, tags: ['x'], at: '2026-11-27T10:00:00+08:00', person: { name: '李', extra: { phone: '1' } } })).toBe(
      'accepted',
    );
  });

  it('required fields, types and the validate rules', () => {
    expect(refusal({ person: { name: '李' } })).toEqual(['variables.kind', 400]);
    expect(refusal({ ...ok, kind: 'c' })).toEqual(['variables.kind', 400]);
    expect(refusal({ kind: 'b' })).toEqual(['variables.person', 400]);
    expect(refusal({ kind: 'b', person: { name: '  ' } })).toEqual(['variables.person.name', 400]);
    expect(refusal({ ...ok, count: 4 })).toEqual(['variables.count', 400]);
    expect(refusal({ ...ok, count: '2' })).toEqual(['variables.count', 400]);
    expect(refusal({ ...ok, flag: 'yes' })).toEqual(['variables.flag', 400]);
    expect(refusal({ ...ok, tags: ['z'] })).toEqual(['variables.tags.0', 400]);
    expect(refusal({ ...ok, at: 'tomorrow' })).toEqual(['variables.at', 400]);
    // real days and clocks only, within the years the system holds
    for (const at of ['2026-12-03T24:00:00+0800', '2026-12-03T10:60:00Z', '2027-02-30T10:00:00Z', '9999-12-31T23:59:59Z']) {
      expect([at, refusal({ ...ok, at })]).toEqual([at, ['variables.at', 400]]);
    }
    expect(refusal({ ...ok, at: '2026-12-03T23:59:59+0800' })).toBe('accepted');
    expect(refusal({ ...ok, kind: 'a', note: 'abcdef' })).toEqual(['variables.note', 400]);
    expect(refusal({ ...ok, kind: 'a', note: 'AB' })).toEqual(['variables.note', 400]);
  });

  it('a hidden field is neither required nor accepted', () => {
    expect(refusal({ ...ok, kind: 'a' })).toEqual(['variables.note', 400]);
    expect(refusal({ ...ok, kind: 'a', note: 'abc' })).toBe('accepted');
    expect(refusal({ ...ok, note: 'abc' })).toEqual(['variables.note', 422]);
  });

  it('a variable the form does not have is refused with 422 naming it, unless allowed', () => {
    expect(refusal({ ...ok, priority: 'high' })).toEqual(['variables.priority', 422]);
    expect(refusal({ ...ok, person: { name: '李', age: 3 } })).toEqual(['variables.person.age', 422]);
    expect(refusal({ ...ok, priority: 'high' }, { allowed: ['priority'] })).toBe('accepted');
  });

  it('options policy gives by valuesKey', () => {
    expect(refusal({ ...ok, reason: 'any' })).toBe('accepted');
    expect(refusal({ ...ok, reason: 'any' }, { options: { reasons: ['petition'] } })).toEqual(['variables.reason', 422]);
    expect(refusal({ ...ok, reason: 'petition' }, { options: { reasons: ['petition'] } })).toBe('accepted');
  });
});

describe('the FEEL of conditional.hide', () => {
  it('the simple comparisons the forms use', () => {
    expect(evaluateHide('=disposition != "dispatch"', { disposition: 'guide' })).toBe(true);
    expect(evaluateHide('=disposition != "dispatch"', { disposition: 'dispatch' })).toBe(false);
    expect(evaluateHide('=clock.leaderRequired != true', {})).toBe(true);
    expect(evaluateHide('=clock.leaderRequired != true', { clock: { leaderRequired: true } })).toBe(false);
    expect(evaluateHide('=a = 1 and b = null', { a: 1 })).toBe(true);
    expect(evaluateHide('=a = 1 or b', { a: 2, b: true })).toBe(true);
    expect(evaluateHide('=not(a)', { a: true })).toBe(false);
    expect(evaluateHide('=count(list) > 2', {})).toBeNull();
  });

  it('isShown follows groups and conditions', () => {
    expect(isShown(form, 'person.name', {})).toBe(true);
    expect(isShown(form, 'note', { kind: 'b' })).toBe(false);
    expect(isShown(form, 'nowhere', {})).toBe(false);
  });
});

describe('what the conditions read', () => {
  it("the task's variables for what the form does not ask, the submission alone for its own fields", () => {
    const lifted: FormSchema = {
      components: [
        { type: 'checkbox', key: 'lifted' },
        { type: 'textarea', key: 'reason', validate: { required: true }, conditional: { hide: '=lifted != true or clock.off = true' } },
      ],
    };
    const check = (submitted: Record<string, unknown>, context: Record<string, unknown>) => () => checkSubmission(lifted, submitted, { context });
    // an earlier decision left lifted = true among the variables: this submission did not tick it
    expect(check({}, { lifted: true })).not.toThrow();
    expect(check({ lifted: true }, {})).toThrow(ValidationError);
    expect(check({ lifted: true }, { clock: { off: true } })).not.toThrow();
  });
});

describe('what an admin deployed is never a 500 nor a held server at completion (forms deployed before lint refused them)', () => {
  const check = (f: FormSchema, submitted: Record<string, unknown>) => () => checkSubmission(f, submitted);

  it('given a pattern that does not compile or may backtrack catastrophically, when a 27-character text is submitted, then that constraint is skipped, logged once, and the other rules still apply', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const patterned: FormSchema = {
        components: [
          { type: 'textfield', key: 'broken', validate: { pattern: '[', maxLength: 30 } },
          { type: 'textfield', key: 'evil', validate: { pattern: '^(a+)+$', maxLength: 30 } },
        ],
      };
      const text = `${'a'.repeat(26)}!`;
      expect(check(patterned, { broken: text, evil: text })).not.toThrow();
      expect(check(patterned, { broken: text, evil: text })).not.toThrow();
      expect(warn).toHaveBeenCalledTimes(2);
      expect(check(patterned, { evil: 'a'.repeat(31) })).toThrow(ValidationError);
    } finally {
      warn.mockRestore();
    }
  });

  it('given a field without a maxLength, when a text longer than any field takes is submitted, then it is refused before any pattern runs', () => {
    const open: FormSchema = { components: [{ type: 'textarea', key: 'note', validate: { pattern: '\\S' } }] };
    expect(check(open, { note: '好'.repeat(MAX_FIELD_TEXT) })).not.toThrow();
    expect(check(open, { note: '好'.repeat(MAX_FIELD_TEXT + 1) })).toThrow(ValidationError);
  });

  it('given a form nested 30,000 deep (groups, a group path, a dotted key), when a submission is checked, then it is refused with 422 until a fixed form is deployed, not a stack overflow', () => {
    let groups: FormComponent = { type: 'textfield', key: 'x' };
    for (let i = 0; i < 30_000; i++) groups = { type: 'group', components: [groups] };
    const deep = Array.from({ length: 30_000 }, () => 'a').join('.');
    for (const f of [
      { components: [groups] },
      { components: [{ type: 'group', path: deep, components: [{ type: 'textfield', key: 'x' }] }] },
      { components: [{ type: 'textfield', key: deep }] },
    ]) {
      expect(refusal({}, {}, f)).toEqual(['taskDefinitionKey', 422]);
    }
  });

  it('given a form with entries that are no component, when a submission is checked, then they hold nothing', () => {
    const odd = { components: [null, 7, { type: 'group', components: { x: 1 } }, { type: 'textfield', key: 'note' }] } as unknown as FormSchema;
    expect(check(odd, { note: 'ok' })).not.toThrow();
  });

  it('given a hide that is no text and options that are no list (a form deployed before lint refused them), when a submission is checked, then they hold nothing', () => {
    const odd = {
      components: [
        { type: 'textfield', key: 'note', conditional: { hide: 42 }, validate: { pattern: 7 } },
        { type: 'select', key: 'pick', values: 'a,b' },
      ],
    } as unknown as FormSchema;
    expect(check(odd, { note: 'ok', pick: 'a' })).not.toThrow();
  });

  it('given a condition of 100,000 nested not(…), when evaluated, then it is undefined, not a stack overflow', () => {
    const n = 100_000;
    expect(evaluateHide(`=${'not('.repeat(n)}a${')'.repeat(n)}`, { a: true })).toBeNull();
    expect(evaluateHide('=not(not(a))', { a: true })).toBe(true);
  });
});
