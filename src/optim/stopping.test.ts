import { EarlyStopping } from './early_stopping';
import { ObjectivePlateau } from './plateau';
import { ZeroRateRule } from './zero_rate_rule';

describe('ZeroRateRule (paper footnote 3)', () => {
  test('stops after `patience` checks with agreeing, unchanged ratios', () => {
    const rule = new ZeroRateRule({ patience: 2 });
    expect(rule.update([0.5], [0.4])).toBe(false); // disagree
    expect(rule.update([0.5], [0.5])).toBe(false); // agree, but changed (second ratio)
    expect(rule.stableChecks).toBe(0);
    expect(rule.update([0.5], [0.5])).toBe(false);
    expect(rule.stableChecks).toBe(1);
    expect(rule.update([0.5], [0.5])).toBe(true);
  });

  test('a change resets the count; every problem of a grid must meet it', () => {
    const rule = new ZeroRateRule({ patience: 2 });
    rule.update([0.1, 0.2], [0.1, 0.2]);
    rule.update([0.1, 0.2], [0.1, 0.2]);
    expect(rule.update([0.1, 0.3], [0.1, 0.3])).toBe(false);
    expect(rule.stableChecks).toBe(0);
    rule.update([0.1, 0.3], [0.1, 0.3]);
    expect(rule.update([0.1, 0.3], [0.1, 0.3])).toBe(true);
    const grid = new ZeroRateRule({ patience: 1 });
    grid.update([0.1, 0.2], [0.1, 0.25]);
    expect(grid.update([0.1, 0.2], [0.1, 0.25])).toBe(false);
  });

  test('patience 0 never stops', () => {
    const rule = new ZeroRateRule({ patience: 0 });
    for (let i = 0; i < 10; i++) expect(rule.update([1], [1])).toBe(false);
  });

  test('with objectiveTol the objective must also be flat (relative to its value)', () => {
    const rule = new ZeroRateRule({ patience: 1, objectiveTol: 1e-3 });
    rule.update([3], [3], 100);
    expect(rule.update([3], [3], 99)).toBe(false); // changed by 1 > 0.099
    expect(rule.update([3], [3], 98.95)).toBe(true); // changed by 0.05 ≤ 0.09895
    const nan = new ZeroRateRule({ patience: 1, objectiveTol: 1e-3 });
    nan.update([3], [3], NaN);
    expect(nan.update([3], [3], NaN)).toBe(false);
  });
});

describe('ObjectivePlateau', () => {
  test('stops after `patience` checks of relative change ≤ tol', () => {
    const p = new ObjectivePlateau({ tol: 0.01, patience: 2 });
    expect(p.update(10)).toBe(false);
    expect(p.update(9)).toBe(false); // 1 > 0.09
    expect(p.update(8.95)).toBe(false); // flat 1
    expect(p.flatChecks).toBe(1);
    expect(p.update(8.9)).toBe(true); // flat 2
  });

  test('a jump or a non-finite value resets it; patience 0 never stops', () => {
    const p = new ObjectivePlateau({ tol: 0.01, patience: 2 });
    p.update(1);
    p.update(1);
    expect(p.update(NaN)).toBe(false);
    expect(p.flatChecks).toBe(0);
    expect(p.update(NaN)).toBe(false);
    const never = new ObjectivePlateau({ tol: 1, patience: 0 });
    for (let i = 0; i < 5; i++) expect(never.update(1)).toBe(false);
  });
});

describe('EarlyStopping', () => {
  test('keeps the best dev accuracy and stops after `patience` evaluations without improvement', () => {
    const e = new EarlyStopping({ patience: 2 });
    expect(e.update(0.5)).toBe(false);
    expect(e.update(0.6)).toBe(false);
    expect(e.update(0.55)).toBe(false);
    expect(e.sinceBest).toBe(1);
    expect(e.update(0.6)).toBe(true); // equal is no improvement
    expect(e.best).toBe(0.6);
    expect(e.bestAt).toBe(1);
  });

  test('an improvement must exceed minDelta; labels are kept', () => {
    const e = new EarlyStopping({ patience: 2, minDelta: 0.01 });
    e.update(0.8, 1);
    expect(e.update(0.805, 2)).toBe(false); // not enough
    expect(e.update(0.82, 3)).toBe(false); // improvement resets
    expect(e.bestAt).toBe(3);
    expect(e.update(0.821, 4)).toBe(false);
    expect(e.update(0.7, 5)).toBe(true);
    expect(e.best).toBe(0.82);
  });

  test("mode 'min' for losses; NaN never improves", () => {
    const e = new EarlyStopping({ patience: 1, mode: 'min' });
    expect(e.update(NaN)).toBe(true);
    const f = new EarlyStopping({ patience: 1, mode: 'min' });
    expect(f.update(3)).toBe(false);
    expect(f.update(2)).toBe(false);
    expect(f.update(2.5)).toBe(true);
    expect(f.best).toBe(2);
    expect(() => new EarlyStopping({ patience: 0 })).toThrow(RangeError);
  });

  // Dev accuracy on a small dev part: 0.6, then the best 0.8 at index 1, then a plateau of ties at 3, 5, 7.
  const plateau = [0.6, 0.8, 0.7, 0.8, 0.7, 0.8, 0.7, 0.8, 0.7, 0.7, 0.7];
  const run = (e: EarlyStopping) => {
    const best: boolean[] = [];
    let stoppedAt = -1;
    for (let i = 0; i < plateau.length && stoppedAt < 0; i++) {
      if (e.update(plateau[i])) stoppedAt = i;
      best.push(e.lastIsBest);
    }
    return { stoppedAt, best };
  };

  test("ties 'first' (Keras): the first of equal values is the best point, patience counts through ties", () => {
    const e = new EarlyStopping({ patience: 3 });
    const r = run(e);
    expect(r.stoppedAt).toBe(4); // indices 2, 3, 4 without a strict improvement
    expect(e.bestAt).toBe(1);
    expect(r.best).toEqual([true, true, false, false, false]);
  });

  test("ties 'latest': the read-out moves to the latest tie, patience still counts from the last strict improvement", () => {
    const e = new EarlyStopping({ patience: 3, ties: 'latest' });
    const r = run(e);
    expect(r.stoppedAt).toBe(4);
    expect(e.bestAt).toBe(3);
    expect(e.best).toBe(0.8);
    expect(r.best).toEqual([true, true, false, true, false]);
  });

  test("ties 'restart': every tie restarts patience, so training goes on while the metric holds its best", () => {
    const e = new EarlyStopping({ patience: 3, ties: 'restart' });
    const r = run(e);
    expect(r.stoppedAt).toBe(10); // last tie at 7, then 8, 9, 10
    expect(e.bestAt).toBe(7);
    expect(e.sinceBest).toBe(3);
    expect(r.best.filter(Boolean).length).toBe(5); // 0, 1, 3, 5, 7
  });

  test('with minDelta a tie is a value not worse than the best and not better by more than minDelta; it does not replace best', () => {
    const e = new EarlyStopping({ patience: 2, minDelta: 0.05, ties: 'restart' });
    e.update(0.8, 1);
    expect(e.update(0.83, 2)).toBe(false); // tie (within minDelta)
    expect(e.bestAt).toBe(2);
    expect(e.best).toBe(0.8);
    expect(e.update(0.79, 3)).toBe(false); // worse: counts
    expect(e.update(0.8, 4)).toBe(false); // tie again: restarts
    expect(e.update(NaN, 5)).toBe(false);
    expect(e.update(0.7, 6)).toBe(true);
    expect(e.bestAt).toBe(4);
  });

  test("startFrom: a warm-up in which nothing is the best and patience does not count (Keras' start_from_epoch)", () => {
    const e = new EarlyStopping({ patience: 2, startFrom: 3 });
    for (const v of [0.9, 0.5, 0.4]) {
      expect(e.update(v)).toBe(false);
      expect(e.monitoring).toBe(false);
      expect(e.lastIsBest).toBe(false);
    }
    expect(Number.isNaN(e.best)).toBe(true);
    expect(e.update(0.6)).toBe(false);
    expect(e.monitoring).toBe(true);
    expect(e.lastIsBest).toBe(true);
    expect(e.bestAt).toBe(3);
    expect(e.update(0.55)).toBe(false);
    expect(e.update(0.6)).toBe(true); // 'first' ties: no restart
    expect(e.best).toBe(0.6);
    expect(() => new EarlyStopping({ patience: 1, startFrom: -1 })).toThrow(RangeError);
    expect(() => new EarlyStopping({ patience: 1, startFrom: 1.5 })).toThrow(RangeError);
  });
});
