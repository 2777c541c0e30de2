import { queryReturning, returnedRows } from './returning';

describe('returnedRows', () => {
  it('unwraps the [rows, count] answer of an UPDATE ... RETURNING', () => {
    expect(returnedRows([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(returnedRows([[], 0])).toEqual([]);
  });

  it('passes INSERT and SELECT rows through', () => {
    expect(returnedRows([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(returnedRows([])).toEqual([]);
  });
});

describe('queryReturning', () => {
  it('gives the rows of an UPDATE ... RETURNING as it gives those of an INSERT', async () => {
    const update = { query: () => Promise.resolve([[{ id: 'a' }], 1]) };
    const insert = { query: () => Promise.resolve([{ id: 'b' }]) };
    expect(await queryReturning(update, 'UPDATE ...', [])).toEqual([{ id: 'a' }]);
    expect(await queryReturning(insert, 'INSERT ...', [])).toEqual([{ id: 'b' }]);
  });
});
