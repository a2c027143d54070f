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
});
