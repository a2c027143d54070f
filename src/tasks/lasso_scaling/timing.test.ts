import { supportStats, timeToSolution, traceMilestones } from './timing';

const point = (seconds: number, zeroRate2: number, objective: number) => ({ step: seconds * 100, seconds, zeroRate1: zeroRate2, zeroRate2, objective });

describe('traceMilestones', () => {
  // Converged zero-rate 0.8 (the last point): 75 % of it is 0.6, 90 % is 0.72. P* = 2.
  const trace = [point(0, 0, 10), point(1, 0.5, 3), point(2, 0.65, 2.01), point(3, 0.75, 2.0019), point(4, 0.8, 2.000001), point(5, 0.8, 2.000001)];

  test('times from which the zero-rate stays at 75, 90 and 100 % of the converged one', () => {
    const m = traceMilestones(trace, 2);
    expect(m.seconds_to_zero_rate_75).toBe(2); // 0.65 ≥ 0.6
    expect(m.seconds_to_zero_rate_90).toBe(3); // 0.75 ≥ 0.72
    expect(m.seconds_to_zero_rate_100).toBe(4);
  });

  test('first times the relative suboptimality reaches 1e-3 and 1e-6, or null', () => {
    const m = traceMilestones(trace, 2);
    expect(m.seconds_to_subopt_1e3).toBe(3); // (2.0019 − 2)/2 = 9.5e-4
    expect(m.seconds_to_subopt_1e6).toBe(4); // 5e-7
    expect(traceMilestones(trace, 1.9).seconds_to_subopt_1e6).toBeNull();
  });
});

test('a run that starts at V = 0 (zero-rate 1) reaches a level when it stays there, not at its start', () => {
  // Converged 0.9: the dense phase dips to 0.2, the zero-rate then climbs back.
  const trace = [point(0, 1, 5), point(1, 0.2, 3), point(2, 0.8, 2.1), point(3, 0.7, 2.01), point(4, 0.9, 2)];
  const m = traceMilestones(trace, 2);
  expect(m.seconds_to_zero_rate_75).toBe(2); // 0.8, 0.7 and 0.9 are all ≥ 0.675
  expect(m.seconds_to_zero_rate_90).toBe(4); // 0.7 < 0.81 at 3 s
  expect(m.seconds_to_zero_rate_100).toBe(4);
  expect(traceMilestones([], 2).seconds_to_zero_rate_100).toBeNull();
});

test('supportStats counts |v| ≤ threshold as zero, for V and the reference alike', () => {
  const v = Float64Array.from([0, 1e-7, 0.5, -2e-6, 0]);
  const ref = Float64Array.from([0, 0, 0.4, 0, 1]);
  const s = supportStats(v, ref, 1e-6);
  expect(s.zeroRate).toBeCloseTo(3 / 5, 12); // 0, 1e-7 and the last 0
  expect(s.agreement).toBeCloseTo(3 / 5, 12); // disagree on index 3 (−2e-6 vs 0) and 4 (0 vs 1)
});

test('timeToSolution: spred to 100 % of its converged zero-rate, a baseline to its stop', () => {
  expect(timeToSolution({ method: 'spred', seconds: 3, seconds_to_zero_rate_100: 2 })).toBe(2);
  expect(timeToSolution({ method: 'spred', seconds: 3, seconds_to_zero_rate_100: null })).toBeNull();
  expect(timeToSolution({ method: 'lars', seconds: 3, seconds_to_zero_rate_100: 0.01 })).toBe(3);
});
