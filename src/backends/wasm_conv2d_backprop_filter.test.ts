import * as tf from '@tensorflow/tfjs';
import {
  registerWasmConvGradients,
  wasmConv2DBackpropFilterConfig,
} from './wasm_conv2d_backprop_filter';
import { selectBackend } from '../backend';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

interface Case {
  x: Shape4; // [B, H, W, C_in]
  f: Shape4; // [fH, fW, C_in, C_out]
  s: number | [number, number];
  pad: Pad;
}

/** tfjs's public API has no conv2DBackpropFilter op: run the kernel through the engine, as that op does. */
function backpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  strides: number | [number, number],
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): tf.Tensor4D {
  const attrs = { strides, pad, dataFormat, filterShape };
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

const MISSING_KERNEL = "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'";

/** Runs `fn` on the cpu backend (inputs given as plain arrays) and returns the result's values. */
async function onCpu(fn: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend('cpu');
  // The cpu backend's "install the node backend" banner says nothing a test needs (see src/backend.ts).
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean };
  cpu.firstUse = false;
  try {
    const out = tf.tidy(fn);
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  } finally {
    await tf.setBackend('wasm');
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
}

const label = (c: Case) =>
  `x[${c.x}] f[${c.f}] s=${JSON.stringify(c.s)} pad=${JSON.stringify(c.pad)}`;

const cases: Case[] = [];
for (const s of [1, 2]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const k of [1, 3]) {
      for (const hw of [7, 8]) {
        cases.push({ x: [3, hw, hw, 4], f: [k, k, 4, 5], s, pad });
      }
    }
  }
}
// Non-square inputs and filters, other strides, numeric and explicit pads.
cases.push(
  { x: [2, 9, 6, 3], f: [3, 2, 3, 6], s: [2, 1], pad: 'same' },
  { x: [2, 11, 10, 3], f: [2, 3, 3, 2], s: 3, pad: 'valid' },
  { x: [2, 8, 7, 3], f: [3, 3, 3, 4], s: 2, pad: 1 },
  { x: [2, 9, 10, 3], f: [2, 3, 3, 2], s: 2, pad: [[0, 0], [1, 2], [0, 3], [0, 0]] },
  { x: [1, 5, 5, 2], f: [5, 5, 2, 3], s: 1, pad: 'same' },
);

beforeAll(() => {
  expect(tf.getBackend()).toBe('wasm');
});

describe('wasm Conv2DBackpropFilter', () => {
  // First, while nothing registers it: this is what training a conv layer on wasm hits (tfjs #8474).
  test('without the kernel, the conv2d filter gradient throws on wasm', () => {
    if (tf.getKernel('Conv2DBackpropFilter', 'wasm') != null) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    expect(() => tf.grad((v: tf.Tensor) => tf.conv2d(x, v as tf.Tensor4D, 1, 'same').sum())(w)).toThrow(MISSING_KERNEL);
    tf.dispose([x, w]);
  });

  test('registerWasmConvGradients registers once and is idempotent', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(registerWasmConvGradients()).toBe(true);
    expect(registerWasmConvGradients()).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(wasmConv2DBackpropFilterConfig.kernelFunc);
  });

  const errors: string[] = [];
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`Conv2DBackpropFilter wasm vs cpu, max |diff| / max |cpu|:\n${errors.join('\n')}`);
  });

  test.each(cases.map((c) => [label(c), c] as const))('matches the cpu backend: %s', async (_name, c) => {
    const xs = tf.randomNormal(c.x, 0, 1, 'float32', 11) as tf.Tensor4D;
    const w = tf.randomNormal(c.f, 0, 0.5, 'float32', 12) as tf.Tensor4D;
    const yShape = tf.tidy(() => tf.conv2d(xs, w, c.s, c.pad).shape);
    const dy = tf.randomNormal(yShape, 0, 1, 'float32', 13) as tf.Tensor4D;

    // The kernel itself, and the whole tf.grad path through tfjs's conv2d gradient.
    const direct = backpropFilter(xs, dy, c.f, c.s, c.pad);
    const viaGrad = tf.grad((v: tf.Tensor) => tf.conv2d(xs, v as tf.Tensor4D, c.s, c.pad).mul(dy).sum())(w);
    expect(direct.shape).toEqual(c.f);
    expect(viaGrad.shape).toEqual(c.f);

    const [xa, dya, wa] = [await xs.array(), await dy.array(), await w.array()];
    const ref = await onCpu(() => backpropFilter(tf.tensor4d(xa), tf.tensor4d(dya), c.f, c.s, c.pad));
    const refGrad = await onCpu(() =>
      tf.grad((v: tf.Tensor) => tf.conv2d(tf.tensor4d(xa), v as tf.Tensor4D, c.s, c.pad).mul(tf.tensor4d(dya)).sum())(
        tf.tensor4d(wa),
      ),
    );
    const d1 = maxAbsDiff(await direct.data(), ref);
    const d2 = maxAbsDiff(await viaGrad.data(), refGrad);
    errors.push(`${label(c)}: kernel ${d1.diff.toExponential(2)} / ${d1.scale.toFixed(2)}, tf.grad ${d2.diff.toExponential(2)}`);
    expect(d1.scale).toBeGreaterThan(0);
    expect(d1.diff).toBeLessThanOrEqual(1e-4 * Math.max(1, d1.scale));
    expect(d2.diff).toBeLessThanOrEqual(1e-4 * Math.max(1, d2.scale));
    tf.dispose([xs, w, dy, direct, viaGrad]);
  });

  test('no tensors or buffers leak over repeated gradients', () => {
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2));
    const dy = tf.ones([2, 5, 5, 4]) as tf.Tensor4D;
    const step = () => {
      const { value, grads } = tf.variableGrads(() =>
        tf.conv2d(x, w as tf.Variable<tf.Rank.R4>, 2, 'same').square().sum(),
      );
      tf.dispose([value, grads]);
      tf.grad((v: tf.Tensor) => tf.conv2d(x, v as tf.Tensor4D, 1, 'valid').sum())(w).dispose();
      backpropFilter(x, dy, [3, 3, 3, 4], 2, 'same').dispose();
    };
    step();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, w, dy]);
  });

  test('the kernel accepts bare TensorInfos and releases them', () => {
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 6, 6, 2]) as tf.Tensor4D;
    const before = tf.memory();
    const out = wasmConv2DBackpropFilterConfig.kernelFunc({
      inputs: {
        x: { dataId: x.dataId, shape: x.shape, dtype: x.dtype },
        dy: { dataId: dy.dataId, shape: dy.shape, dtype: dy.dtype },
      },
      backend: tf.backend(),
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 2] },
    }) as tf.Tensor;
    expect(out.shape).toEqual([3, 3, 3, 2]);
    const ref = backpropFilter(x, dy, [3, 3, 3, 2], 1, 'same');
    expect(maxAbsDiff(out.dataSync(), ref.dataSync()).diff).toBe(0);
    tf.dispose([out, ref]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, dy]);
  });

  test('NCHW is refused with a clear error', () => {
    const x = tf.ones([1, 2, 5, 5]) as tf.Tensor4D; // [B, C_in, H, W]
    const dy = tf.ones([1, 3, 5, 5]) as tf.Tensor4D;
    expect(() => backpropFilter(x, dy, [3, 3, 2, 3], 1, 'same', 'NCHW')).toThrow(
      /dataFormat 'NCHW' is not supported; use 'NHWC'/,
    );
    tf.dispose([x, dy]);
  });

  test('tf.layers.conv2d trains on wasm with model.fit: the loss drops, tensor count flat', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 1 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const xs = tf.randomNormal([32, 8, 8, 2], 0, 1, 'float32', 5);
    const ys = tf.tidy(() => xs.mean([1, 2, 3]).reshape([32, 1]).mul(3));
    const first = await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const tensorsAfterFirst = tf.memory().numTensors;
    const rest = await model.fit(xs, ys, { epochs: 15, batchSize: 8, shuffle: false, verbose: 0 });
    const loss0 = first.history.loss[0] as number;
    const lossN = rest.history.loss[rest.history.loss.length - 1] as number;
    // eslint-disable-next-line no-console
    console.log(`tiny conv model on wasm: loss ${loss0.toFixed(4)} -> ${lossN.toFixed(4)} after 16 epochs`);
    expect(Number.isFinite(lossN)).toBe(true);
    expect(lossN).toBeLessThan(0.5 * loss0);
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    model.dispose();
    tf.dispose([xs, ys]);
  });

  test("selectBackend('wasm') registers it (spred's runners need no extra call)", async () => {
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    await selectBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(wasmConv2DBackpropFilterConfig.kernelFunc);
  });

  test('speed: 32x32x64 -> 64, 3x3, batch 32 (printed, not asserted)', async () => {
    const [B, H, W, C, K] = [32, 32, 32, 64, 64];
    const x = tf.randomNormal([B, H, W, C], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, C, K], 0, 0.1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal([B, H, W, K], 0, 1, 'float32', 3) as tf.Tensor4D;
    const flop = 2 * B * H * W * 9 * C * K;
    const time = async (fn: () => tf.Tensor, reps = 3): Promise<number> => {
      const warm = fn();
      await warm.data();
      warm.dispose();
      let best = Infinity;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const out = fn();
        await out.data();
        best = Math.min(best, performance.now() - t0);
        out.dispose();
      }
      return best;
    };
    const tf_ = await time(() => tf.conv2d(x, w, 1, 'same'));
    const tb = await time(() => backpropFilter(x, dy, [3, 3, C, K], 1, 'same'));
    const dy2 = dy.slice([0, 0, 0, 0], [B, H / 2, W / 2, K]) as tf.Tensor4D;
    const tb2 = await time(() => backpropFilter(x, dy2, [3, 3, C, K], 2, 'same'));
    const g = (ms: number, f = flop) => (f / ms / 1e6).toFixed(2);
    // eslint-disable-next-line no-console
    console.log(
      `wasm, ${B}x${H}x${W}x${C} -> ${K}, 3x3, ${(flop / 1e9).toFixed(2)} GFLOP: forward conv2d ${tf_.toFixed(0)} ms ` +
        `(${g(tf_)} GFLOP/s); Conv2DBackpropFilter stride 1 ${tb.toFixed(0)} ms (${g(tb)} GFLOP/s); ` +
        `stride 2 ${tb2.toFixed(0)} ms (${g(tb2, flop / 4)} GFLOP/s)`,
    );
    tf.dispose([x, w, dy, dy2]);
  });
});
