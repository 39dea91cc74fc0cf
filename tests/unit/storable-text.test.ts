import { MAX_JSON_DEPTH, textFaultAt } from '../../server/plugins/storable-text';

const unstorable = (path: string) => ({ path, fault: 'unstorable' });

describe('text the database can store', () => {
  it('given NUL or a lone surrogate anywhere in a body, then its path is named; paired surrogates (emoji) and plain text pass', () => {
    expect(textFaultAt({ content: '路灯坏了 😀', citizen: { name: '王女士' } }, '')).toBeUndefined();
    expect(textFaultAt({ content: '路灯\u0000坏了' }, '')).toEqual(unstorable('content'));
    expect(textFaultAt({ citizen: { name: '王\ud800' } }, '')).toEqual(unstorable('citizen.name'));
    expect(textFaultAt({ tags: ['ok', '\udc00x'] }, '')).toEqual(unstorable('tags.1'));
    expect(textFaultAt({ ['a\u0000']: 1 }, '')).toEqual(unstorable('a\u0000'));
    expect(textFaultAt('\u0000', '')).toEqual(unstorable(''));
    expect(textFaultAt(null, '')).toBeUndefined();
  });

  it('given a body nested 200,000 levels deep, then the first level too deep is named without overflowing the stack', () => {
    const depth = 200_000;
    const deep = JSON.parse(`{"content":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const found = textFaultAt(deep, '');
    expect(found?.fault).toBe('too_deep');
    expect(found?.path).toBe(['content', ...Array(MAX_JSON_DEPTH - 1).fill('0')].join('.'));
    expect(textFaultAt({ variables: { list: [{ items: [{ text: '好' }] }] } }, '')).toBeUndefined();
  });
});
