/**
 * Learning-rate schedules: pure functions of (step, total) — `step` 0-based, `total` the number of
 * steps in the run — returning the rate of that step. Combine warm-up with any of them via `withWarmup`.
 */
export type LearningRateSchedule = (step: number, total: number) => number;

/** The same rate at every step. */
export function constantSchedule(base: number): LearningRateSchedule {
  return () => base;
}

/**
 * Cosine decay from `base` at step 0 to `final` (default 0) at step `total`:
 * final + (base − final)·(1 + cos(π·min(step, total)/total))/2. Constant `base` when total ≤ 0.
 */
export function cosineSchedule(base: number, final = 0): LearningRateSchedule {
  return (step, total) => {
    if (total <= 0) return base;
    return final + ((base - final) * (1 + Math.cos((Math.PI * Math.min(step, total)) / total))) / 2;
  };
}

/** Step decay: base·factor^⌊step/every⌋ (multiply by `factor` every `every` steps). */
export function stepSchedule(base: number, factor: number, every: number): LearningRateSchedule {
  if (!(every >= 1) || !Number.isInteger(every)) throw new RangeError(`step schedule: every must be an integer ≥ 1, got ${every}`);
  return (step) => base * Math.pow(factor, Math.floor(step / every));
}

/**
 * Linear warm-up over the first `warmup` steps, then `schedule` over the remaining ones: step s < warmup
 * gets schedule(0, total − warmup)·(s + 1)/warmup (so step 0 already moves, and step warmup − 1 reaches
 * the schedule's starting rate); step s ≥ warmup gets schedule(s − warmup, total − warmup).
 * `warmup` 0 returns `schedule` itself.
 */
export function withWarmup(schedule: LearningRateSchedule, warmup: number): LearningRateSchedule {
  if (!(warmup >= 0) || !Number.isInteger(warmup)) throw new RangeError(`warm-up must be an integer ≥ 0, got ${warmup}`);
  if (warmup === 0) return schedule;
  return (step, total) => {
    const rest = Math.max(total - warmup, 0);
    if (step < warmup) return (schedule(0, rest) * (step + 1)) / warmup;
    return schedule(step - warmup, rest);
  };
}

/** A schedule by name, as configs give it. */
export type ScheduleSpec =
  | { kind: 'constant' }
  | { kind: 'cosine'; final?: number }
  | { kind: 'step'; factor: number; every: number };

/** The schedule `spec` starting at `base`, with `warmup` linear warm-up steps (default 0). */
export function makeSchedule(base: number, spec: ScheduleSpec, warmup = 0): LearningRateSchedule {
  const inner =
    spec.kind === 'constant' ? constantSchedule(base) : spec.kind === 'cosine' ? cosineSchedule(base, spec.final) : stepSchedule(base, spec.factor, spec.every);
  return withWarmup(inner, warmup);
}
