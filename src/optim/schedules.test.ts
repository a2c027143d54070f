import { constantSchedule, cosineSchedule, makeSchedule, stepSchedule, withWarmup } from './schedules';

test('constant stays at its base', () => {
  expect(constantSchedule(0.1)(77, 100)).toBe(0.1);
  expect(makeSchedule(0.1, { kind: 'constant' })(0, 100)).toBe(0.1);
});

test('cosine: base at step 0, half at the midpoint, 0 at the end and after; constant for total ≤ 0', () => {
  const s = cosineSchedule(0.1);
  expect(s(0, 100)).toBeCloseTo(0.1, 12);
  expect(s(50, 100)).toBeCloseTo(0.05, 12);
  expect(s(25, 100)).toBeCloseTo((0.1 * (1 + Math.SQRT1_2)) / 2, 12);
  expect(s(100, 100)).toBeCloseTo(0, 12);
  expect(s(150, 100)).toBeCloseTo(0, 12);
  expect(s(5, 0)).toBe(0.1);
  expect(cosineSchedule(0.1, 0.02)(100, 100)).toBeCloseTo(0.02, 12);
  expect(cosineSchedule(0.1, 0.02)(50, 100)).toBeCloseTo(0.06, 12);
});

test('step: multiplied by the factor every k steps', () => {
  const s = stepSchedule(1, 0.5, 10);
  expect([0, 9, 10, 19, 20, 35].map((t) => s(t, 100))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
  expect(makeSchedule(1, { kind: 'step', factor: 0.1, every: 3 })(6, 10)).toBeCloseTo(0.01, 12);
  expect(() => stepSchedule(1, 0.5, 0)).toThrow(RangeError);
});

test('linear warm-up rises to the schedule, which then runs over the remaining steps', () => {
  const s = withWarmup(constantSchedule(0.4), 4);
  expect([0, 1, 2, 3, 4, 50].map((t) => s(t, 100))).toEqual([0.1, 0.2, 0.30000000000000004, 0.4, 0.4, 0.4]);
  const c = makeSchedule(0.1, { kind: 'cosine' }, 10);
  expect(c(0, 110)).toBeCloseTo(0.01, 12);
  expect(c(9, 110)).toBeCloseTo(0.1, 12);
  expect(c(10, 110)).toBeCloseTo(0.1, 12);
  expect(c(60, 110)).toBeCloseTo(0.05, 12); // the cosine's midpoint over the 100 steps after warm-up
  expect(c(110, 110)).toBeCloseTo(0, 12);
  const st = withWarmup(stepSchedule(1, 0.5, 10), 5);
  expect([0, 4, 5, 14, 15].map((t) => st(t, 100))).toEqual([0.2, 1, 1, 1, 0.5]);
  const constant = constantSchedule(1);
  expect(withWarmup(constant, 0)).toBe(constant); // no warm-up: the schedule itself
  expect(withWarmup(cosineSchedule(1), 0)(50, 100)).toBeCloseTo(0.5, 12);
  expect(() => withWarmup(constantSchedule(1), -1)).toThrow(RangeError);
});
