/**
 * Conv2DBackpropFilter for the `wasm` backend, which tfjs-backend-wasm 4.22 does not register
 * (tfjs issue #8474): without it the gradient of every conv layer throws on wasm, so
 * `tf.layers.conv2d` cannot train there.
 *
 * The filter gradient of a forward convolution (NHWC, stride s, padding top/left pT/pL, no dilation)
 *
 *   dW[p, q, ci, co] = Σ_{b,i,j} xpad[b, i·sH + p, j·sW + q, ci] · dy[b, i, j, co]
 *
 * is itself one forward convolution with batch and channels swapped: take x as a batch of C_in
 * single-image "inputs" with B channels, x' = transpose(x) [C_in, H, W, B], and dy as a filter
 * f' = transpose(dy) [H_o, W_o, B, C_out]; convolve with stride 1 and dilation (sH, sW):
 *
 *   out[ci, p, q, co] = Σ_{i,j,b} x'pad[ci, p + i·sH, q + j·sW, b] · f'[i, j, b, co]  = dW[p, q, ci, co]
 *
 * The padded input must start at the forward conv's top/left padding and yield exactly fH × fW
 * outputs: bottom padding fH + (H_o − 1)·sH − H − pT (likewise for the width). When that is negative
 * (a 'valid' or explicitly padded conv whose stride skips the last rows) those rows of x never meet
 * the filter and are cropped instead. Then out [C_in, fH, fW, C_out] is transposed to
 * [fH, fW, C_in, C_out]. This runs on the wasm backend's own Conv2D (XNNPACK) and Transpose kernels.
 */
import * as tf from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

function asTensor4D(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor4D {
  if (info instanceof tf.Tensor) return info as tf.Tensor4D;
  // A bare TensorInfo (a caller invoking kernelFunc directly): wrap it in a tensor holding its own
  // reference to the data (makeTensorFromTensorInfo adds none, and disposing the wrapper, as the
  // surrounding tidy does, releases one), so the caller's data outlives the wrapper.
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
}

/**
 * The filter gradient of a 2-D convolution, [fH, fW, C_in, C_out], computed as one forward conv2d
 * (see the module comment). Runs with whatever backend is active; the kernel below calls it on wasm.
 * `x` is [B, H, W, C_in], `dy` is [B, H_o, W_o, C_out], NHWC only, undilated forward conv only
 * (tfjs's conv2d gradient itself refuses dilations > 1).
 */
export function conv2dBackpropFilterViaConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  if (dataFormat !== 'NHWC') {
    throw new Error(
      `Conv2DBackpropFilter (wasm, spred): dataFormat '${dataFormat}' is not supported; use 'NHWC' (channelsLast), ` +
        'the only layout the wasm backend convolves',
    );
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm, spred): float32 tensors expected, got x ${x.dtype} and dy ${dy.dtype}`);
  }
  const [fH, fW, cIn, cOut] = filterShape;
  const [B, H, W, xC] = x.shape;
  const [dyB, hOut, wOut, dyC] = dy.shape;
  if (xC !== cIn || dyC !== cOut || dyB !== B) {
    throw new Error(
      `Conv2DBackpropFilter (wasm, spred): shapes do not match: x [${x.shape}], dy [${dy.shape}], filter [${filterShape}]`,
    );
  }
  const [sH, sW] = pair(strides);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    [sH, sW],
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.outHeight !== hOut || info.outWidth !== wOut) {
    throw new Error(
      `Conv2DBackpropFilter (wasm, spred): dy is [${dy.shape}] but a ${fH}x${fW} conv with strides [${sH},${sW}] and ` +
        `pad ${JSON.stringify(pad)} of x [${x.shape}] gives ${info.outHeight}x${info.outWidth}`,
    );
  }
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  // Padding after the last row/column so that the dilated "filter" (dy) slides exactly fH × fW times.
  let padBottom = fH + (hOut - 1) * sH - H - padTop;
  let padRight = fW + (wOut - 1) * sW - W - padLeft;
  const keepH = Math.min(H, H + padBottom);
  const keepW = Math.min(W, W + padRight);
  if (keepH <= 0 || keepW <= 0) {
    // Every tap the forward conv made lies in its padding: the gradient is zero.
    return tf.zeros(filterShape) as tf.Tensor4D;
  }
  padBottom = Math.max(0, padBottom);
  padRight = Math.max(0, padRight);

  return tf.tidy(() => {
    const xUsed = keepH < H || keepW < W ? tf.slice(x, [0, 0, 0, 0], [B, keepH, keepW, cIn]) : x;
    const xT = tf.transpose(xUsed, [3, 1, 2, 0]); // [C_in, H', W', B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [H_o, W_o, B, C_out]
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ];
    const out = tf.conv2d(xT, dyT, 1, explicit, 'NHWC', [sH, sW]); // [C_in, fH, fW, C_out]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/** The kernel function: inputs {x, dy}, attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}. */
export const wasmConv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as tf.Conv2DBackpropFilterInputs;
  if (x == null || dy == null) throw new Error('Conv2DBackpropFilter (wasm, spred): inputs x and dy are required');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() =>
    conv2dBackpropFilterViaConv(
      asTensor4D(x, backend as tf.KernelBackend),
      asTensor4D(dy, backend as tf.KernelBackend),
      filterShape,
      strides,
      pad,
      dataFormat,
      dimRoundingMode,
    ),
  );
};

export const wasmConv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: wasmConv2DBackpropFilter,
};

/**
 * Registers the kernel for the 'wasm' backend unless one is already registered (a future
 * tfjs-backend-wasm may ship its own). Idempotent; returns whether this call registered it.
 * Works before or after the wasm backend is initialised.
 */
export function registerWasmConvGradients(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') != null) return false;
  tf.registerKernel(wasmConv2DBackpropFilterConfig);
  return true;
}
