/**
 * Stop when an objective has plateaued: its relative change |f − f_prev| ≤ tol·|f| held for `patience`
 * checks in a row. A non-finite value never counts as flat.
 */
export interface PlateauOptions {
  /** Relative change that counts as flat (≥ 0). */
  tol: number;
  /** Flat checks in a row before stopping; 0 never stops. */
  patience: number;
}

export class ObjectivePlateau {
  private readonly tol: number;
  private readonly patience: number;
  private last: number | undefined;
  private flat = 0;

  constructor(options: PlateauOptions) {
    if (!(options.tol >= 0)) throw new RangeError(`tol must be ≥ 0, got ${options.tol}`);
    if (!(options.patience >= 0)) throw new RangeError(`patience must be ≥ 0, got ${options.patience}`);
    this.tol = options.tol;
    this.patience = options.patience;
  }

  /** Flat checks in a row so far. */
  get flatChecks(): number {
    return this.flat;
  }

  /** Records one objective value; true when it has plateaued. */
  update(value: number): boolean {
    const isFlat = Number.isFinite(value) && this.last !== undefined && Math.abs(value - this.last) <= this.tol * Math.abs(value);
    this.flat = isFlat ? this.flat + 1 : 0;
    this.last = value;
    return this.patience > 0 && this.flat >= this.patience;
  }
}
