/**
 * The WebGPU backend in Node: Dawn (the `webgpu` npm package, which ships its native binary) under
 * `@tensorflow/tfjs-backend-webgpu`. Both are optional dependencies, loaded only when asked for, so a
 * machine without them (or without a Vulkan driver) still runs on wasm.
 *
 * Measured on a 2-core machine with Mesa 25.0.7's software Vulkan (llvmpipe): a 512² matMul is right,
 * ~3.5 GFLOP/s against ~20 for wasm — a software adapter serves correctness checks, not speed, so `auto`
 * never picks one. Dawn reports limits that are real: a 400 MB tensor exceeds llvmpipe's 128 MB storage
 * binding, and WebGPU then reports the error asynchronously and returns zeros. `guardReads` turns such
 * errors into an exception at the next read, so a wrong number never leaves the device silently.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader): correct, slow, never chosen by `auto`. */
  software: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

/** What a user is told when Dawn finds no adapter it accepts. */
export const WEBGPU_ADAPTER_HINT =
  'it needs a Vulkan driver: your GPU vendor\'s, or for a software adapter Mesa >= 23 ' +
  '(Debian 12: add bookworm-backports and `apt-get install -t bookworm-backports mesa-vulkan-drivers`)';

export const WEBGPU_PACKAGE_HINT =
  'npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@<your tfjs version>';

// Minimal shapes of the WebGPU objects used here (the `webgpu` package's own types are DOM-flavoured).
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuLimitsLike {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  [name: string]: number;
}
interface GpuDeviceLike {
  limits: GpuLimitsLike;
  onuncapturederror: ((ev: { error: { message: string } }) => void) | null;
  lost: Promise<{ message: string }>;
}
interface GpuAdapterLike {
  info: GpuAdapterInfoLike;
  limits: GpuLimitsLike;
  features: { has(name: string): boolean };
  requestDevice(descriptor: object): Promise<GpuDeviceLike>;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

export function summariseAdapter(info: GpuAdapterInfoLike, limits: GpuAdapterSummary['limits']): GpuAdapterSummary {
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(text),
    limits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    },
  };
}

export function describeAdapter(a: GpuAdapterSummary): string {
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  const kind = a.software ? 'software adapter' : 'adapter';
  return `${kind} ${a.description || a.device || a.vendor} (${a.vendor}/${a.architecture}; largest tensor ${mb(a.limits.maxStorageBufferBindingSize)})`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** `require('webgpu')` with one-line reasons; the package is an ES module (Node >= 20.19 can require it). */
function loadDawn(): GpuLike {
  let mod: { create(flags: string[]): GpuLike; globals: object };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('webgpu');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND') throw new Error(`the webgpu package is not installed (${WEBGPU_PACKAGE_HINT})`);
    if (code === 'ERR_REQUIRE_ESM') throw new Error(`the webgpu package needs Node >= 20.19 (this is ${process.version})`);
    throw new Error(`the webgpu package failed to load (${firstLine(e)})`);
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  // tfjs-backend-webgpu checks navigator.gpu when it is first required.
  (globalThis as { navigator?: unknown }).navigator = { gpu };
  return gpu;
}

/** Whether the `webgpu` package can be resolved at all (cheap; loads nothing). */
export function webgpuInstalled(): boolean {
  try {
    require.resolve('webgpu');
    require.resolve('@tensorflow/tfjs-backend-webgpu');
    return true;
  } catch {
    return false;
  }
}

const PROBE_SCRIPT = `
const { create, globals } = require(process.argv[1]);
Object.assign(globalThis, globals);
create([]).requestAdapter({ powerPreference: 'high-performance' }).then((a) => {
  if (!a) { process.stdout.write('null'); return; }
  const i = a.info;
  process.stdout.write(JSON.stringify({ vendor: i.vendor, architecture: i.architecture, device: i.device,
    description: i.description, isFallbackAdapter: i.isFallbackAdapter,
    maxBufferSize: a.limits.maxBufferSize, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize }));
}).then(() => process.exit(0), (e) => { process.stdout.write('error ' + String(e && e.message).split('\\n')[0]); process.exit(0); });
`;

/**
 * Looks for an adapter in a child process. Dawn prints limit-clamping warnings from native code straight
 * to file descriptor 2 when it enumerates adapters; a child's stderr is captured and dropped, so `auto`
 * can look without printing them — and without starting Dawn in this process when it will not be used.
 */
export function probeAdapter(timeoutMs = 30_000): AdapterProbe {
  // One look per process: the answer does not change while it runs.
  probed ??= probeInChild(timeoutMs);
  return probed;
}

export type AdapterProbe = { adapter: GpuAdapterSummary } | { reason: string };
let probed: AdapterProbe | undefined;

function probeInChild(timeoutMs: number): AdapterProbe {
  if (!webgpuInstalled()) return { reason: `webgpu: webgpu or @tensorflow/tfjs-backend-webgpu is not installed (${WEBGPU_PACKAGE_HINT})` };
  const child = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, require.resolve('webgpu')], {
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = (child.stdout ?? '').trim();
  if (child.error || child.status !== 0) return { reason: `webgpu: the adapter probe failed (${child.error?.message ?? `exit ${child.status}`})` };
  if (out === 'null') return { reason: `webgpu: no adapter (${WEBGPU_ADAPTER_HINT})` };
  if (out.startsWith('error ')) return { reason: `webgpu: ${out.slice(6)}` };
  const p = JSON.parse(out) as GpuAdapterInfoLike & { maxBufferSize: number; maxStorageBufferBindingSize: number };
  return { adapter: summariseAdapter(p, p) };
}

/** The first asynchronous WebGPU error, as one line a user can act on. */
function explainGpuError(message: string, limits: GpuAdapterSummary['limits']): string {
  const binding = /Binding size \((\d+)\)/.exec(message);
  if (binding) {
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    return (
      `webgpu: a tensor of ${mb(Number(binding[1]))} is larger than this adapter allows in one buffer ` +
      `(${mb(limits.maxStorageBufferBindingSize)}); use a smaller problem or --backend wasm`
    );
  }
  return `webgpu: the device reported an error: ${message.split('\n')[0]}`;
}

/**
 * Errors in WebGPU arrive on the device's `uncapturederror` event, after the command that caused them
 * returned; the results are then garbage (zeros). Every value that leaves the device goes through the
 * backend's `read`/`readSync`, so the first read after an error throws it.
 */
function guardReads(backend: tf.KernelBackend, device: GpuDeviceLike, limits: GpuAdapterSummary['limits']): void {
  let failure: string | undefined;
  device.onuncapturederror = (ev) => {
    failure ??= explainGpuError(ev.error.message, limits);
  };
  void device.lost.then((info) => {
    failure ??= `webgpu: the device was lost (${firstLine(info.message)})`;
  });
  const b = backend as unknown as {
    read(id: object): Promise<tf.backend_util.BackendValues>;
    readSync(id: object): tf.backend_util.BackendValues;
  };
  const read = b.read.bind(b);
  const readSync = b.readSync.bind(b);
  // Reported once, at the first read after it: the computation that read is the one that failed (a
  // fit stops there); what runs after it on the same device starts clean.
  const raise = (): void => {
    const message = failure;
    failure = undefined;
    if (message) throw new Error(message);
  };
  b.read = async (id) => {
    const values = await read(id);
    raise();
    return values;
  };
  b.readSync = (id) => {
    let values: tf.backend_util.BackendValues;
    try {
      values = readSync(id);
    } catch (e) {
      // tfjs-backend-webgpu reads synchronously through an OffscreenCanvas, which Node does not have.
      if (e instanceof ReferenceError) throw new Error(SYNC_READ_MESSAGE);
      throw e;
    }
    raise();
    return values;
  };
}

export const SYNC_READ_MESSAGE =
  'webgpu: this code reads a tensor synchronously (dataSync/arraySync), which the WebGPU backend cannot do in Node; ' +
  'it needs `await tensor.data()` — please report it; meanwhile use --backend wasm';

let active: GpuAdapterSummary | undefined;

/**
 * Starts Dawn in this process, creates a device with the adapter's own limits (as tfjs-backend-webgpu
 * does) and makes `webgpu` the tfjs backend. Throws one line saying what is missing.
 */
export async function activateWebGpu(): Promise<GpuAdapterSummary> {
  if (active && tf.findBackend('webgpu')) {
    if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') returned false");
    return active;
  }
  const gpu = loadDawn();
  let WebGPUBackend: new (device: GpuDeviceLike, info?: GpuAdapterInfoLike) => tf.KernelBackend;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      throw new Error(`@tensorflow/tfjs-backend-webgpu is not installed (${WEBGPU_PACKAGE_HINT})`);
    }
    throw e;
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`Dawn found no WebGPU adapter: ${WEBGPU_ADAPTER_HINT}`);
  const summary = summariseAdapter(adapter.info, adapter.limits);
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      // tfjs's own device request leaves this at WebGPU's default 8; kernels with many inputs need more.
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  // The package registered its own factory on require; this one uses the device made (and guarded) here.
  if (tf.findBackend('webgpu') || tf.engine().registryFactory.webgpu) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => {
    const backend = new WebGPUBackend(device, adapter.info);
    guardReads(backend, device, summary.limits);
    return backend;
  });
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') returned false");
  await tf.ready();
  active = summary;
  return summary;
}
