/**
 * Training machinery every runner uses: optimizers with settable learning rates, learning-rate
 * schedules, stopping rules, the stop-reason vocabulary, yielding to the event loop, and L-BFGS with a
 * strong Wolfe line search (full-batch quasi-Newton over tf.Variables).
 */
export { createOptimizer } from './optimizers';
export type { OptimizerKind, OptimizerSpec, ScheduledOptimizer } from './optimizers';
export { constantSchedule, cosineSchedule, makeSchedule, stepSchedule, withWarmup } from './schedules';
export type { LearningRateSchedule, ScheduleSpec } from './schedules';
export type { StopReason } from './stop_reason';
export { ZeroRateRule } from './zero_rate_rule';
export type { ZeroRateRuleOptions } from './zero_rate_rule';
export { ObjectivePlateau } from './plateau';
export type { PlateauOptions } from './plateau';
export { EarlyStopping } from './early_stopping';
export type { EarlyStoppingOptions } from './early_stopping';
export { yieldToEventLoop } from './event_loop';
export { Lbfgs, lbfgsStopReason } from './lbfgs';
export type { LbfgsOptions, LbfgsStep, LbfgsStopCause } from './lbfgs';
export { minimizeLbfgs } from './minimize_lbfgs';
export type { LbfgsResult } from './minimize_lbfgs';
export { cubicMinimizer, strongWolfe } from './strong_wolfe';
export type { LinePoint, LineSearchRecord, LineSearchResult, StrongWolfeOptions } from './strong_wolfe';
