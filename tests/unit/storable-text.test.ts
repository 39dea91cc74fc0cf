import { unstorableAt } from '../../server/plugins/storable-text';

describe('text the database can store', () => {
  it('given NUL or a lone surrogate anywhere in a body, then its path is named; paired surrogates (emoji) and plain text pass', () => {
    expect(unstorableAt({ content: '路灯坏了 😀', citizen: { name: '王女士' } }, '')).toBeUndefined();
    expect(unstorableAt({ content: '路灯\u0000坏了' }, '')).toBe('content');
    expect(unstorableAt({ citizen: { name: '王\ud800' } }, '')).toBe('citizen.name');
    expect(unstorableAt({ tags: ['ok', '\udc00x'] }, '')).toBe('tags.1');
    expect(unstorableAt({ ['a\u0000']: 1 }, '')).toBe('a\u0000');
    expect(unstorableAt('\u0000', '')).toBe('');
    expect(unstorableAt(null, '')).toBeUndefined();
  });
});
