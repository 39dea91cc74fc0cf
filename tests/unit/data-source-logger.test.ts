import { queryErrorLogger } from '../../core/db/data-source';

describe('the database log', () => {
  it('given a failed query with a citizen in its parameters, when logged, then the error and the SQL are written, never the parameters', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    try {
      queryErrorLogger.logQueryError(
        new Error('invalid byte sequence for encoding "UTF8": 0x00'),
        'INSERT INTO work_orders (citizen_name, citizen_phone)\n VALUES ($1, $2)',
        ['王秀英', '13812341234'],
      );
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([expect.stringContaining('invalid byte sequence')]);
    expect(lines[0]).toContain('INSERT INTO work_orders (citizen_name, citizen_phone) VALUES ($1, $2)');
    expect(lines[0]).not.toMatch(/王秀英|13812341234/);
  });
});
