/**
 * A faster Conv2DBackpropInput for the `wasm` backend. tfjs-backend-wasm 4.22's own kernel is a plain
 * loop: profiled on a width-16 CIFAR ResNet training step it took 1.4 s of ~4 s, more than the forward
 * convs and the filter gradient together (which run on XNNPACK).
 *
 * The input gradient of a forward convolution (NHWC, stride s, top/left padding pT/pL, no dilation)
 *
 *   dx[b, i, j, ci] = Σ_{p,q,co} dyd[b, i − p + pT, j − q + pL, co] · W[p, q, ci, co]
 *
 * where dyd is dy with s − 1 zeros between its rows and columns ((H_o − 1)·s + 1 rows), is one forward
 * convolution with stride 1 of dyd with the filter flipped in both spatial axes and its channel axes
 * swapped, W'[p, q, co, ci] = W[fH − 1 − p, fW − 1 − q, ci, co], padded by fH − 1 − pT on top and by
 * whatever makes H rows on the bottom (likewise for the width). When a bottom padding comes out negative
 * (a stride that skipped the last input rows) dyd is cropped instead. This runs on the backend's Conv2D
 * (XNNPACK), Reverse, Transpose and Pad kernels.
 */
import * as tf from '@tensorflow/tfjs';

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * dy with s − 1 zero rows (columns) after each of its rows (columns): [B, H_o·sH, W_o·sW, C] — dyd plus
 * s − 1 trailing zero rows, which stand in for as much of the conv's bottom padding (a Slice to drop
 * them cost more than the rest of the dilation on wasm).
 */
function dilate(dy: tf.Tensor4D, sH: number, sW: number): tf.Tensor4D {
  if (sH === 1 && sW === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [b, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sH - 1], [0, 0], [0, sW - 1], [0, 0]]);
  return tf.reshape(spread, [b, h * sH, w * sW, c]);
}

/**
 * The input gradient of a 2-D convolution, [B, H, W, C_in] = `inputShape`, computed as one forward
 * conv2d (see the module comment). NHWC, undilated forward convs only.
 */
export function conv2dBackpropInputViaConv(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const [fH, fW] = filter.shape;
  const [sH, sW] = pair(strides);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, [sH, sW], 1, pad, dimRoundingMode, false, 'channelsLast');
  if (info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) {
    throw new Error(`Conv2DBackpropInput (wasm, spred): dy is [${dy.shape}] but the forward conv gives ${info.outHeight}x${info.outWidth}`);
  }
  const [, H, W] = inputShape;
  return tf.tidy(() => {
    let d = dilate(dy, sH, sW);
    const top = fH - 1 - info.padInfo.top;
    const left = fW - 1 - info.padInfo.left;
    let bottom = H - d.shape[1] - top + fH - 1;
    let right = W - d.shape[2] - left + fW - 1;
    if (bottom < 0 || right < 0) {
      d = tf.slice(d, [0, 0, 0, 0], [-1, d.shape[1] + Math.min(0, bottom), d.shape[2] + Math.min(0, right), -1]);
      bottom = Math.max(0, bottom);
      right = Math.max(0, right);
    }
    const flipped = tf.transpose(fH === 1 && fW === 1 ? filter : tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(d, flipped as tf.Tensor4D, 1, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  });
}

function asTensor4D(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor4D {
  if (info instanceof tf.Tensor) return info as tf.Tensor4D;
  // A bare TensorInfo: wrap it with its own reference to the data, released when the wrapper is disposed.
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
}

/**
 * Replaces the wasm backend's Conv2DBackpropInput with the conv-based one for NHWC float32 inputs
 * whose padding leaves the flipped conv non-negative padding on top and left (every 'same' and 'valid'
 * conv), delegating anything else to the original kernel. Idempotent; returns whether this call
 * replaced it (false when wasm has no such kernel or it is already replaced).
 */
let replaced = false;
export function registerWasmConvInputGradient(): boolean {
  if (replaced) return false;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original == null) return false;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { dy, filter } = args.inputs as unknown as tf.Conv2DBackpropInputInputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dy == null || filter == null) throw new Error('Conv2DBackpropInput (wasm, spred): inputs dy and filter are required');
    const fast = dataFormat === 'NHWC' && dy.dtype === 'float32' && filter.dtype === 'float32' && (pad === 'same' || pad === 'valid');
    if (!fast) return original.kernelFunc(args);
    const backend = args.backend as tf.KernelBackend;
    return tf.tidy(() =>
      conv2dBackpropInputViaConv(asTensor4D(dy, backend), asTensor4D(filter, backend), inputShape as [number, number, number, number], strides, pad, dimRoundingMode),
    );
  };
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  replaced = true;
  return true;
}
