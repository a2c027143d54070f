/**
 * The stopping rule of paper §4.1 / footnote 3 (App. A.1): the sparse ratios (or zero counts) at two
 * thresholds converge to the same value at about the same time, so stop once they agree and have not
 * changed for `patience` consecutive checks.
 *
 * Optionally (`objectiveTol` > 0) the objective must also have changed by at most `objectiveTol`
 * relative to its current value since the previous check: under gradient descent the zero-rate settles
 * long before the non-zero values do (their rate of change is ∝ |v|), so without it the stopping point
 * can be ~1e-3 above P*.
 */
export interface ZeroRateRuleOptions {
  /** Checks in a row with agreeing, unchanged ratios before stopping; 0 never stops. */
  patience: number;
  /** Also require |objective − previous| ≤ objectiveTol·|objective|; 0 (default) ignores the objective. */
  objectiveTol?: number;
}

export class ZeroRateRule {
  private readonly patience: number;
  private readonly objectiveTol: number;
  private last: { first: number[]; second: number[]; objective: number } | undefined;
  private stable = 0;

  constructor(options: ZeroRateRuleOptions) {
    if (!(options.patience >= 0)) throw new RangeError(`patience must be ≥ 0, got ${options.patience}`);
    this.patience = options.patience;
    this.objectiveTol = options.objectiveTol ?? 0;
  }

  /** Checks in a row so far that met the rule. */
  get stableChecks(): number {
    return this.stable;
  }

  /**
   * Records one check: `first[k]` and `second[k]` are the sparse ratios (or zero counts) of problem k at
   * the two thresholds (several problems, e.g. a grid of λ, must all meet the rule), `objective` the
   * objective (read only when `objectiveTol` > 0). Returns true when the run has converged.
   */
  update(first: readonly number[], second: readonly number[], objective = 0): boolean {
    if (first.length !== second.length) throw new RangeError(`ratio lists differ in length: ${first.length} vs ${second.length}`);
    const last = this.last;
    const agree = first.every((x, k) => x === second[k]);
    const same = last !== undefined && first.every((x, k) => x === last.first[k]) && second.every((x, k) => x === last.second[k]);
    const flat = this.objectiveTol === 0 || (last !== undefined && Math.abs(objective - last.objective) <= this.objectiveTol * Math.abs(objective));
    this.stable = agree && same && flat ? this.stable + 1 : 0;
    this.last = { first: [...first], second: [...second], objective };
    return this.patience > 0 && this.stable >= this.patience;
  }
}
