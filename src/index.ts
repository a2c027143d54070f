/**
 * spred as a library: `import { SpredDense, RedundantParameter, … } from 'spred'`.
 * The method lives in src/spred (conventions.ts states κ against λ and weight decay once).
 */
export * from './spred';
export { selectBackend, describeBackend, BACKEND_NAMES } from './backend';
export { registerWasmConvGradients } from './backends/wasm_conv2d_backprop_filter';
export { registerWasmConvInputGradient } from './backends/wasm_conv2d_backprop_input';
export { registerWasmIdentity } from './backends/wasm_identity';
export { FastBatchNormalization, fastBatchNormalization, batchNormInTraining } from './layers/batch_normalization';
export { FastL2, fastL2, scaledSquaredNorm } from './spred/l2_penalty';
export { flushedProduct } from './spred/flush_below';
export type { BackendChoice, BackendName } from './backend';
export { SpredError, UsageError, DataError, RunError, RegressionError, InterruptedError } from './errors';
