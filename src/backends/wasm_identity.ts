/**
 * A zero-copy Identity kernel for the `wasm` backend. tfjs-backend-wasm 4.22's Identity copies the
 * tensor's bytes, and the engine calls Identity for every tensor a kernel saves for its gradient
 * (`saveTensorsForBackwardMode` clones each one): profiled on a ResNet training step of batch 10, 909
 * Identity calls copied every saved activation once more. The cpu and webgl backends share the data
 * instead (one more reference to the same buffer), which is safe because no kernel writes into its
 * inputs; this does the same with the wasm backend's reference counts, as its own Reshape kernel does.
 */
import * as tf from '@tensorflow/tfjs';

/** The kernel function: the input's data under one more reference (strings keep the stock copy). */
export const wasmIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  if (x == null) throw new Error('Identity (wasm, spred): input x is required');
  (backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

let zeroCopy: tf.KernelFunc | null = null;

/**
 * Replaces the wasm backend's Identity with the zero-copy one (string tensors, which have no wasm
 * memory, keep the stock kernel). Idempotent; returns whether this call replaced it.
 */
export function registerWasmIdentity(): boolean {
  const stock = tf.getKernel('Identity', 'wasm');
  if (stock == null || stock.kernelFunc === zeroCopy) return false;
  const copying = stock.kernelFunc;
  zeroCopy = (args) => ((args.inputs as unknown as { x: tf.TensorInfo }).x?.dtype === 'string' ? copying(args) : wasmIdentity(args));
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: zeroCopy });
  return true;
}
