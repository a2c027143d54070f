/**
 * Why a training loop stopped, the one vocabulary every runner reports:
 * - `converged`: its stopping rule fired;
 * - `budget`: it used all its steps (or epochs) first;
 * - `diverged`: the objective became NaN or infinite;
 * - `interrupted`: the caller asked it to stop (Ctrl-C).
 */
export type StopReason = 'converged' | 'budget' | 'diverged' | 'interrupted';
