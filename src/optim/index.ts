/**
 * Training machinery every runner uses: optimizers with settable learning rates, learning-rate
 * schedules, stopping rules, the stop-reason vocabulary, and yielding to the event loop.
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
