import { cubicMinimizer, strongWolfe, type LinePoint } from './strong_wolfe';

describe('cubicMinimizer (N&W Eq. 3.59)', () => {
  test('exact for a quadratic and a cubic, either order of the points', () => {
    // φ = (t − 0.3)²: φ(0) = 0.09, φ'(0) = −0.6; φ(1) = 0.49, φ'(1) = 1.4.
    expect(cubicMinimizer(0, 0.09, -0.6, 1, 0.49, 1.4, 0, 1)).toBeCloseTo(0.3, 12);
    expect(cubicMinimizer(1, 0.49, 1.4, 0, 0.09, -0.6, 0, 1)).toBeCloseTo(0.3, 12);
    // φ = t³ − 3t (local minimum at 1): φ(0) = 0, φ'(0) = −3; φ(2) = 2, φ'(2) = 9.
    expect(cubicMinimizer(0, 0, -3, 2, 2, 9, 0, 2)).toBeCloseTo(1, 12);
    expect(cubicMinimizer(2, 2, 9, 0, 0, -3, 0, 2)).toBeCloseTo(1, 12);
  });

  test('clamped to the bounds; the midpoint when there is no minimiser or a value is not finite', () => {
    expect(cubicMinimizer(0, 0.09, -0.6, 1, 0.49, 1.4, 0.5, 1)).toBe(0.5);
    // φ'(0) = φ'(1) = −1 with φ(1) = −2/3: the interpolating cubic is monotone (d1² − φ'φ' < 0).
    expect(cubicMinimizer(0, 0, -1, 1, -2 / 3, -1, 0, 1)).toBe(0.5);
    expect(cubicMinimizer(0, 0, -1, 1, Infinity, NaN, 0, 1)).toBe(0.5);
  });
});

/** A φ from f and f', with payloads that count as live until released. */
function instrumented(fn: (t: number) => [number, number]) {
  const live = new Set<number>();
  let next = 0;
  const trials: number[] = [];
  const phi = (t: number): LinePoint<number> => {
    trials.push(t);
    const [f, d] = fn(t);
    live.add(next);
    return { f, d, payload: next++ };
  };
  const release = (id: number) => {
    if (!live.delete(id)) throw new Error(`payload ${id} released twice or never made`);
  };
  return { phi, release, live, trials };
}

const cases: { name: string; fn: (t: number) => [number, number]; t1: number }[] = [
  // Minimum at 10: the first trial is far too short, so the search extrapolates.
  { name: 'extrapolation', fn: (t) => [(t - 10) ** 2, 2 * (t - 10)], t1: 0.01 },
  // Minimum at 0.05: the first trial overshoots, so the search zooms.
  { name: 'zoom', fn: (t) => [(t - 0.05) ** 2, 2 * (t - 0.05)], t1: 1 },
  // Non-quadratic, with a local maximum beyond the minimum (φ = −t·e^{−t}, minimum at 1).
  { name: 'non-quadratic', fn: (t) => [-t * Math.exp(-t), (t - 1) * Math.exp(-t)], t1: 5 },
  // The function is NaN beyond t = 2 (a step that leaves the domain).
  { name: 'non-finite beyond 2', fn: (t) => (t > 2 ? [NaN, NaN] : [(t - 1.5) ** 2, 2 * (t - 1.5)]), t1: 100 },
];

describe('strongWolfe', () => {
  test.each(cases)('$name: the returned step satisfies both strong Wolfe conditions; every other payload is released', async ({ fn, t1 }) => {
    const { phi, release, live } = instrumented(fn);
    const [f0, d0] = fn(0);
    const c1 = 1e-4;
    const c2 = 0.9;
    const r = await strongWolfe(phi, f0, d0, t1, { c1, c2 }, release);
    expect(r.reason).toBe('wolfe');
    expect(r.wolfe).toBe(true);
    expect(r.t).toBeGreaterThan(0);
    const [f, d] = fn(r.t);
    expect(f).toBeLessThanOrEqual(f0 + c1 * r.t * d0);
    expect(Math.abs(d)).toBeLessThanOrEqual(c2 * Math.abs(d0));
    expect([...live]).toEqual([r.payload]);
    expect(r.evaluations).toBeLessThanOrEqual(10);
  });

  test('a small c2 finds the minimum of a quadratic by interpolation (near-exact line search)', async () => {
    const { phi, release } = instrumented((t) => [(t - 0.37) ** 2, 2 * (t - 0.37)]);
    const r = await strongWolfe(phi, 0.37 ** 2, -0.74, 1, { c2: 0.01 }, release);
    expect(r.t).toBeCloseTo(0.37, 10);
    expect(r.evaluations).toBe(2);
  });

  test('out of evaluations without a Wolfe point: the best point with sufficient decrease, marked not Wolfe', async () => {
    const { phi, release, live } = instrumented((t) => [(t - 10) ** 2, 2 * (t - 10)]);
    const r = await strongWolfe(phi, 100, -20, 1e-3, { maxEvaluations: 2 }, release);
    expect(r.reason).toBe('maxEvaluations');
    expect(r.wolfe).toBe(false);
    expect(r.evaluations).toBe(2);
    expect(r.t).toBeGreaterThan(0);
    expect([...live]).toEqual([r.payload]);
  });

  test('round-off: a flat float32 φ passes only the approximate sufficient-decrease test, and only with fNoise', async () => {
    // φ(t) = 1 + a(t − 1)² − a with a = 1e-9, stored in float32: every φ(t) rounds to 1, φ' is exact.
    const a = 1e-9;
    const fn = (t: number): [number, number] => [Math.fround(1 + a * (t - 1) ** 2 - a), 2 * a * (t - 1)];
    const exact = instrumented(fn);
    const strict = await strongWolfe(exact.phi, 1, -2 * a, 1, {}, exact.release);
    expect(strict.wolfe || strict.approximate).toBe(false);
    expect(strict.t).toBeLessThan(1e-2);
    expect(exact.live.size).toBe(strict.t > 0 ? 1 : 0);
    const noisy = instrumented(fn);
    const approx = await strongWolfe(noisy.phi, 1, -2 * a, 1, { fNoise: 1e-6 }, noisy.release);
    expect(approx).toMatchObject({ t: 1, wolfe: false, approximate: true, reason: 'wolfe', evaluations: 1 });
  });

  test('a throwing φ releases every payload it made', async () => {
    let calls = 0;
    const { phi, release, live } = instrumented((t) => {
      if (++calls === 3) throw new Error('boom');
      return [(t - 10) ** 2, 2 * (t - 10)];
    });
    await expect(strongWolfe(phi, 100, -20, 1e-3, {}, release)).rejects.toThrow('boom');
    expect(live.size).toBe(0);
  });

  test('bad input: not a descent direction, c1/c2 out of order, a non-positive first step', async () => {
    const phi = (t: number) => ({ f: t * t, d: 2 * t, payload: 0 });
    await expect(strongWolfe(phi, 0, 0, 1)).rejects.toThrow(/descent direction/);
    await expect(strongWolfe(phi, 0, -1, 1, { c1: 0.9, c2: 0.1 })).rejects.toThrow(/0 < c1 < c2 < 1/);
    await expect(strongWolfe(phi, 0, -1, 0)).rejects.toThrow(/first trial step/);
    await expect(strongWolfe(phi, NaN, -1, 1)).rejects.toThrow(/finite/);
  });
});
