/**
 * The method: sparsity by redundancy (spred). See conventions.ts for κ, λ, α, β and weight decay.
 */
export {
  balanceScales,
  kappaFromKerasL1,
  kappaFromKerasL2,
  kappaFromLambda,
  kappaFromTorchWeightDecay,
  lambdaFromKappa,
  resolvePenalty,
  splitKappa,
} from './conventions';
export type { PenaltyArgs, PenaltyStrengths } from './conventions';
export { deriveSeed, INIT_SCHEMES, initRedundantPair, standardInitStd } from './init';
export type { InitScheme, RedundantInitArgs, StandardInit } from './init';
export { RedundantParameter } from './redundant_parameter';
export type { RedundantParameterArgs } from './redundant_parameter';
export { groupRedundantGradients, redundantGradients } from './redundant_gradient';
export type { PairGradients, PenaltyStrengthValue } from './redundant_gradient';
export { GroupRedundantParameter } from './group_parameter';
export type { GroupRedundantParameterArgs, ThresholdMode } from './group_parameter';
export { compressionRatio, countNonzero, groupMagnitudes, groupSparsity, l1Norm, sparseRatio } from './sparsity';
export type { GroupMeasure, ShapedValues, Values } from './sparsity';
export {
  groupLassoOrthonormal,
  groupSoftThreshold,
  lassoKktResidual,
  lassoObjective,
  lassoOrthogonal,
  orthogonalColumnNorms,
  softThreshold,
} from './soft_threshold';
export { REDUNDANCIES, SpredDense, spredDense } from './spred_dense';
export type { Redundancy, SpredDenseArgs } from './spred_dense';
export { SpredConv2D, spredConv2d } from './spred_conv2d';
export type { SpredConv2DArgs } from './spred_conv2d';
export { fileSystem, FileSystemHandler, fileSystemRouter, registerFileSystemRouter, weightsByteLength } from '../io/file_io';
