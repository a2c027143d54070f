import { jsonErrorOffset } from './json_error_offset';

describe('jsonErrorOffset', () => {
  test.each([
    ['{"a": 1, "b": [true, null, -1.5e3, "x\\u00e9"]}', -1],
    ['{\n  "seed": ,\n}', 12],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": 01}', 7],
    ['{"a": tru}', 6],
    ['{} x', 3],
    ['', 0],
  ])('%j → %d', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    expect(parses).toBe(offset === -1);
  });
});
