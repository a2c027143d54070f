/**
 * Early stopping on a validation metric (e.g. dev accuracy): keeps the best value seen and stops after
 * `patience` evaluations in a row without an improvement of more than `minDelta` (Keras'
 * `EarlyStopping` semantics). The caller restores or records the state at `bestAt`.
 */
export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (≥ 1). */
  patience: number;
  /** An improvement must exceed this (≥ 0, default 0). */
  minDelta?: number;
  /** `max` for accuracy-like metrics (default), `min` for losses. */
  mode?: 'max' | 'min';
}

export class EarlyStopping {
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private bestValue = NaN;
  private bestIndex = -1;
  private wait = 0;
  private count = 0;

  constructor(options: EarlyStoppingOptions) {
    if (!(options.patience >= 1) || !Number.isInteger(options.patience)) throw new RangeError(`patience must be an integer ≥ 1, got ${options.patience}`);
    const minDelta = options.minDelta ?? 0;
    if (!(minDelta >= 0)) throw new RangeError(`minDelta must be ≥ 0, got ${minDelta}`);
    this.patience = options.patience;
    this.minDelta = minDelta;
    this.sign = (options.mode ?? 'max') === 'max' ? 1 : -1;
  }

  /** The best value so far (NaN before the first finite one). */
  get best(): number {
    return this.bestValue;
  }

  /** The 0-based index of the evaluation that gave `best` (−1 before any), or the `at` it was given. */
  get bestAt(): number {
    return this.bestIndex;
  }

  /** Evaluations since the best one. */
  get sinceBest(): number {
    return this.wait;
  }

  /**
   * Records one evaluation (`at` labels it, e.g. the epoch; default its 0-based index). Returns true
   * when training should stop. A non-finite value never improves.
   */
  update(value: number, at: number = this.count): boolean {
    this.count++;
    const improved =
      Number.isFinite(value) && (Number.isNaN(this.bestValue) || this.sign * (value - this.bestValue) > this.minDelta);
    if (improved) {
      this.bestValue = value;
      this.bestIndex = at;
      this.wait = 0;
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }
}
