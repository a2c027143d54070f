import { groupBroadcastShape, normaliseAxis } from './shape';

describe('shape helpers', () => {
  it('normaliseAxis counts negative axes from the end and rejects out-of-range axes', () => {
    expect(normaliseAxis(0, 2)).toBe(0);
    expect(normaliseAxis(-1, 2)).toBe(1);
    expect(normaliseAxis(-3, 3)).toBe(0);
    expect(() => normaliseAxis(2, 2)).toThrow(/axis 2 is out of range for rank 2/);
    expect(() => normaliseAxis(-3, 2)).toThrow(/axis -3 is out of range for rank 2/);
    expect(() => normaliseAxis(0.5, 2)).toThrow(/out of range/);
  });

  it('groupBroadcastShape keeps the group axis and sets the others to 1', () => {
    expect(groupBroadcastShape([4, 3], 0)).toEqual([4, 1]);
    expect(groupBroadcastShape([4, 3], 1)).toEqual([1, 3]);
    expect(groupBroadcastShape([3, 3, 8, 16], 3)).toEqual([1, 1, 1, 16]);
  });
});
