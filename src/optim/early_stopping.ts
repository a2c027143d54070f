/**
 * Early stopping on a validation metric (e.g. dev accuracy): keeps the best value seen and stops after
 * `patience` evaluations in a row without an improvement of more than `minDelta` (Keras'
 * `EarlyStopping` semantics by default). The caller restores or records the state at `bestAt`.
 *
 * A metric on a few dozen samples (accuracy on 11 dev samples takes 12 values) is mostly flat: it
 * equals its best again and again while a penalty keeps changing the model. `ties` says what such an
 * evaluation — at least as good as the best, but not better by more than `minDelta` — counts for.
 */
export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (≥ 1). */
  patience: number;
  /** An improvement must exceed this (≥ 0, default 0). */
  minDelta?: number;
  /** `max` for accuracy-like metrics (default), `min` for losses. */
  mode?: 'max' | 'min';
  /**
   * What an evaluation that ties the best does. `first` (default, Keras): nothing — the best point stays
   * at the first of the ties and patience keeps counting. `latest`: it becomes the best point (`bestAt`
   * moves to it) but patience still counts from the last strict improvement. `restart`: it becomes the
   * best point and patience restarts, so training goes on while the metric holds its best.
   */
  ties?: 'first' | 'latest' | 'restart';
  /**
   * Evaluations to skip before monitoring starts (default 0; Keras' `start_from_epoch`): a warm-up in
   * which nothing can become the best and patience does not count, e.g. while a penalty has not yet had
   * time to act on the model.
   */
  startFrom?: number;
}

export class EarlyStopping {
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private readonly ties: 'first' | 'latest' | 'restart';
  private bestValue = NaN;
  private bestIndex = -1;
  private wait = 0;
  private count = 0;
  private lastWasBest = false;
  private readonly startFrom: number;

  constructor(options: EarlyStoppingOptions) {
    if (!(options.patience >= 1) || !Number.isInteger(options.patience)) throw new RangeError(`patience must be an integer ≥ 1, got ${options.patience}`);
    const minDelta = options.minDelta ?? 0;
    if (!(minDelta >= 0)) throw new RangeError(`minDelta must be ≥ 0, got ${minDelta}`);
    this.patience = options.patience;
    this.minDelta = minDelta;
    this.sign = (options.mode ?? 'max') === 'max' ? 1 : -1;
    this.ties = options.ties ?? 'first';
    const startFrom = options.startFrom ?? 0;
    if (!(startFrom >= 0) || !Number.isInteger(startFrom)) throw new RangeError(`startFrom must be an integer ≥ 0, got ${startFrom}`);
    this.startFrom = startFrom;
  }

  /** The best value so far (NaN before the first finite one); a tie does not replace it. */
  get best(): number {
    return this.bestValue;
  }

  /** The 0-based index (or the `at` given) of the best evaluation: the first of ties, or with `ties` ≠ `first` the latest. */
  get bestAt(): number {
    return this.bestIndex;
  }

  /** Evaluations since patience last restarted. */
  get sinceBest(): number {
    return this.wait;
  }

  /** Whether the last evaluation became the best point (`bestAt`): the state to keep. */
  get lastIsBest(): boolean {
    return this.lastWasBest;
  }

  /** Whether the last evaluation was monitored (false during the `startFrom` warm-up). */
  get monitoring(): boolean {
    return this.count > this.startFrom;
  }

  /**
   * Records one evaluation (`at` labels it, e.g. the epoch; default its 0-based index). Returns true
   * when training should stop. A non-finite value never improves nor ties.
   */
  update(value: number, at: number = this.count): boolean {
    this.count++;
    this.lastWasBest = false;
    if (!this.monitoring) return false;
    const finite = Number.isFinite(value);
    const gain = this.sign * (value - this.bestValue);
    const improved = finite && (Number.isNaN(this.bestValue) || gain > this.minDelta);
    const tie = finite && !improved && gain >= 0 && this.ties !== 'first';
    if (improved) this.bestValue = value;
    this.lastWasBest = improved || tie;
    if (this.lastWasBest) this.bestIndex = at;
    if (improved || (tie && this.ties === 'restart')) {
      this.wait = 0;
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }
}
