/**
 * The one place that knows TensorFlow.js backend names.
 *
 * | name         | package                                                        | where it runs                  |
 * |--------------|----------------------------------------------------------------|--------------------------------|
 * | `tensorflow` | `@tensorflow/tfjs-node-gpu` (CUDA), else `@tensorflow/tfjs-node` | native libtensorflow, GPU if any |
 * | `webgpu`     | `webgpu` (Dawn) + `@tensorflow/tfjs-backend-webgpu`            | any GPU with a Vulkan driver    |
 * | `wasm`       | `@tensorflow/tfjs-backend-wasm` (SIMD)                          | any CPU; the fallback          |
 * | `cpu`        | `@tensorflow/tfjs-backend-cpu` (plain JS; 1.7–2x slower than wasm on spred's runs, ~40x on a large matMul) | anywhere; for debugging |
 *
 * `auto` tries them in that order, and takes `webgpu` only on a hardware adapter (a software rasteriser
 * such as llvmpipe is correct but ~6x slower than wasm). The GPU packages are optional dependencies,
 * required lazily: tfjs-node-gpu's install downloads libtensorflow from outside the npm registry, which
 * fails on closed machines (npm then skips it); webgpu ships Dawn inside the package.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from './errors';
import { registerWasmConvGradients } from './backends/wasm_conv2d_backprop_filter';
import { activateWebGpu, describeAdapter, probeAdapter, type GpuAdapterSummary } from './backends/webgpu';
import { registerWasmConvInputGradient } from './backends/wasm_conv2d_backprop_input';
import { registerWasmIdentity } from './backends/wasm_identity';

export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  /** What was asked for. */
  requested: BackendName;
  /** What runs: `tensorflow`, `webgpu`, `wasm` or `cpu`. */
  name: Exclude<BackendName, 'auto'>;
  /** The tfjs backend id in use (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  tfjsBackend: string;
  /** The npm package that provides it. */
  packageName: string;
  /** Set when `auto` fell back: why the earlier backends could not be used. */
  fallbackReason?: string;
  /** `webgpu` only: the adapter (vendor, architecture, description) and its buffer limits. */
  adapter?: GpuAdapterSummary;
}

/** Backends that drive one GPU: fits run one at a time by default (parallel threads would share it). */
export function onDevice(choice: BackendChoice): boolean {
  return choice.name === 'webgpu' || (choice.name === 'tensorflow' && choice.packageName.endsWith('-gpu'));
}

const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu + webgpu (Dawn)';

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

/** Loads a native tfjs package; returns its name, or throws with why none could be loaded. */
function loadNative(): string {
  const reasons: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // Lazy: never imported at module load, so a machine without libtensorflow still runs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(pkg);
      return pkg;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      reasons.push(code === 'MODULE_NOT_FOUND' ? `${pkg} is not installed` : `${pkg} failed to load (${firstLine(e)})`);
    }
  }
  throw new Error(reasons.join('; '));
}

async function activate(id: string): Promise<void> {
  const ok = await tf.setBackend(id);
  if (!ok) throw new Error(`tf.setBackend('${id}') returned false`);
  await tf.ready();
}

/**
 * tfjs-backend-cpu prints a banner ("Hi, looks like you are running TensorFlow.js in Node.js. To speed
 * things up dramatically, install our node backend…") on the first tensor its backend instance
 * writes, guarded by the instance's `firstUse` flag (backend_cpu.ts). spred has already printed which
 * backend runs and why (asked for with --backend cpu, or auto's fallback reason), so the banner only
 * repeats it. Clearing that one flag drops that one message; `tf.enableProdMode()` or the `IS_TEST` flag
 * would also silence every other tfjs warning and change checks, so they are not used.
 */
function silenceCpuBanner(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (backend && typeof backend.firstUse === 'boolean') backend.firstUse = false;
}

async function activateCpu(): Promise<void> {
  await activate('cpu');
  silenceCpuBanner();
}

async function useWasm(): Promise<void> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    // An optional peer dependency of the package (it must match the project's tfjs-core exactly).
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error('@tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm@<your tfjs version>)');
  }
  await activate('wasm');
  // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (tfjs #8474): without it conv layers cannot train.
  registerWasmConvGradients();
  // Its Conv2DBackpropInput is a plain loop (~4× the forward conv's time): one XNNPACK conv instead.
  registerWasmConvInputGradient();
  // Its Identity copies; the engine clones every tensor a gradient needs through it.
  registerWasmIdentity();
}

export const TENSORFLOW_HINT =
  'install it with `npm install @tensorflow/tfjs-node-gpu` (CUDA 11.2 + cuDNN 8.1, Linux x64) or ' +
  '`npm install @tensorflow/tfjs-node` (CPU); both download libtensorflow at install time';

/**
 * Activates a backend. `tensorflow` that cannot load is a usage error (exit 2) saying why and how to
 * get it; `auto` falls back and records why.
 */
export async function selectBackend(requested: BackendName): Promise<BackendChoice> {
  if (requested === 'tensorflow') {
    try {
      const pkg = loadNative();
      await activate('tensorflow');
      return { requested, name: 'tensorflow', tfjsBackend: tf.getBackend(), packageName: pkg };
    } catch (e) {
      throw new UsageError(`--backend tensorflow: cannot load it: ${firstLine(e)}; ${TENSORFLOW_HINT}`);
    }
  }
  if (requested === 'webgpu') {
    // Look first in a child process: when there is no adapter, Dawn and the Vulkan loader print their
    // own warnings on stderr, and the user should see one line instead.
    const probe = probeAdapter();
    if ('reason' in probe) throw new UsageError(`--backend webgpu: cannot use it: ${probe.reason.replace(/^webgpu: /, '')}`);
    try {
      const adapter = await activateWebGpu();
      return { requested, name: 'webgpu', tfjsBackend: tf.getBackend(), packageName: WEBGPU_PACKAGE, adapter };
    } catch (e) {
      throw new UsageError(`--backend webgpu: cannot use it: ${firstLine(e)}`);
    }
  }
  if (requested === 'auto') return selectAuto();
  if (requested === 'wasm') {
    try {
      await useWasm();
    } catch (e) {
      throw new UsageError(`--backend wasm: cannot load it: ${firstLine(e)}`);
    }
    return { requested, name: 'wasm', tfjsBackend: tf.getBackend(), packageName: '@tensorflow/tfjs-backend-wasm' };
  }
  await activateCpu();
  return { requested, name: 'cpu', tfjsBackend: tf.getBackend(), packageName: '@tensorflow/tfjs-backend-cpu' };
}

/** `auto`: tensorflow, then webgpu on a hardware adapter, then wasm, then cpu; records why each was passed over. */
async function selectAuto(): Promise<BackendChoice> {
  const reasons: string[] = [];
  try {
    const pkg = loadNative();
    await activate('tensorflow');
    return { requested: 'auto', name: 'tensorflow', tfjsBackend: tf.getBackend(), packageName: pkg };
  } catch (e) {
    reasons.push(firstLine(e));
  }
  const probe = probeAdapter();
  if ('adapter' in probe && !probe.adapter.software) {
    try {
      const adapter = await activateWebGpu();
      const fallbackReason = reasons.join('; ');
      return { requested: 'auto', name: 'webgpu', tfjsBackend: tf.getBackend(), packageName: WEBGPU_PACKAGE, adapter, fallbackReason };
    } catch (e) {
      reasons.push(`webgpu failed (${firstLine(e)})`);
    }
  } else {
    reasons.push('adapter' in probe ? `webgpu has only a ${describeAdapter(probe.adapter)}, not chosen automatically (--backend webgpu uses it)` : probe.reason);
  }
  try {
    await useWasm();
    return { requested: 'auto', name: 'wasm', tfjsBackend: tf.getBackend(), packageName: '@tensorflow/tfjs-backend-wasm', fallbackReason: reasons.join('; ') };
  } catch (e) {
    reasons.push(`wasm failed (${firstLine(e)})`);
  }
  await activateCpu();
  return { requested: 'auto', name: 'cpu', tfjsBackend: tf.getBackend(), packageName: '@tensorflow/tfjs-backend-cpu', fallbackReason: reasons.join('; ') };
}

/** The one line printed at start: which backend runs and, if `auto` fell back, why. */
export function describeBackend(choice: BackendChoice): string {
  const device = choice.adapter ? `, ${describeAdapter(choice.adapter)}` : '';
  const base = `backend: ${choice.name} (${choice.packageName}, tfjs ${tf.version.tfjs}${device})`;
  return choice.fallbackReason ? `${base}; auto fell back because ${choice.fallbackReason}` : base;
}
