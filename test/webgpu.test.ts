// The WebGPU backend (issue 10) against wasm, each in its own process (Dawn is an ES module jest
// cannot load; one process holds one device). CI installs Mesa's software Vulkan driver (llvmpipe),
// so there these tests always run; elsewhere they need some Vulkan adapter and say when there is none.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { probeAdapter } from '../src/backends/webgpu';
import type { CrossBackendResult } from '../src/backends/cross_backend_check';
import { ROOT } from './harness';

const probe = probeAdapter();
const haveAdapter = 'adapter' in probe;
if (!haveAdapter && process.env.CI) throw new Error(`CI must have a WebGPU adapter (.ci/run installs Mesa 25): ${probe.reason}`);
const withAdapter = haveAdapter ? describe : describe.skip;
if (!haveAdapter) console.warn(`webgpu tests skipped: ${probe.reason}`);

function node(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function crossBackend(backend: string): CrossBackendResult {
  const r = node([path.join(ROOT, 'dist/backends/cross_backend_check.js'), backend]);
  if (r.code !== 0) throw new Error(`cross_backend_check ${backend} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CrossBackendResult;
}

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
const maxAbs = (a: number[]) => Math.max(...a.map(Math.abs));

withAdapter('webgpu (software adapter in CI) against wasm', () => {
  let wasm: CrossBackendResult;
  let gpu: CrossBackendResult;
  beforeAll(() => {
    wasm = crossBackend('wasm');
    gpu = crossBackend('webgpu');
  });

  it('ran on the backends asked for', () => {
    expect([wasm.backend, gpu.backend]).toEqual(['wasm', 'webgpu']);
  });

  // Float32 tolerance: both backends compute in float32 with different summation orders; measured
  // differences are ~1e-8 of the largest coefficient and ~4e-7 relative on the losses.
  it('one lasso-scaling spred solve: the same V within 1e-5 of its largest entry, the same support', () => {
    expect(gpu.lasso.steps).toBe(wasm.lasso.steps);
    expect(maxAbsDiff(gpu.lasso.coef, wasm.lasso.coef)).toBeLessThanOrEqual(1e-5 * maxAbs(wasm.lasso.coef));
    const support = (c: number[]) => c.flatMap((v, i) => (Math.abs(v) > 1e-3 ? [i] : []));
    expect(support(gpu.lasso.coef)).toEqual(support(wasm.lasso.coef));
    expect(support(wasm.lasso.coef).length).toBeGreaterThan(0);
  });

  it('eight SGD steps of a SpredDense network: losses within 1e-5 relative, kernel within 1e-5 of its largest entry', () => {
    wasm.network.losses.forEach((l, i) => expect(Math.abs(gpu.network.losses[i] - l)).toBeLessThanOrEqual(1e-5 * Math.abs(l)));
    expect(maxAbsDiff(gpu.network.kernel, wasm.network.kernel)).toBeLessThanOrEqual(1e-5 * maxAbs(wasm.network.kernel));
    // the losses moved: the comparison is of training, not of an initialisation
    expect(wasm.network.losses[7]).toBeLessThan(0.9 * wasm.network.losses[0]);
  });

  // Measured: objectives within 3e-6 relative, D within 2e-7 and the codes within 2e-7 of their largest entry.
  it('two rounds of sparse coding (spred code steps, then L-BFGS on D): objectives within 1e-5 relative, D and codes within 1e-5 of their largest entry', () => {
    const [w, g] = [wasm.sparseCoding, gpu.sparseCoding];
    expect(g.lbfgsIterations).toEqual(w.lbfgsIterations);
    w.objectives.forEach((f, i) => expect(Math.abs(g.objectives[i] - f)).toBeLessThanOrEqual(1e-5 * Math.abs(f)));
    expect(maxAbsDiff(g.dictionary, w.dictionary)).toBeLessThanOrEqual(1e-5 * maxAbs(w.dictionary));
    expect(maxAbsDiff(g.codes, w.codes)).toBeLessThanOrEqual(1e-5 * maxAbs(w.codes));
    // the alternation made progress: the comparison is of training, not of an initialisation
    expect(w.objectives[1]).toBeLessThan(w.objectives[0]);
    expect(Math.min(...w.lbfgsIterations)).toBeGreaterThan(0);
  });

  it('the tensor count stays flat on webgpu', () => {
    expect(gpu.lasso.tensorsAfter).toBe(gpu.lasso.tensorsBefore);
    expect(new Set(gpu.network.tensorsPerEpoch).size).toBe(1);
    expect(new Set(gpu.sparseCoding.tensorsPerRound).size).toBe(1);
  });

  it('auto never picks a software adapter, and says so', () => {
    if (!('adapter' in probe) || !probe.adapter.software) return; // a hardware adapter: auto may take it
    const r = node(['bin/spred', 'run', 'configs/lasso-smoke.json', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend: (tensorflow|wasm) .*webgpu has only a software adapter .*not chosen automatically \(--backend webgpu uses it\)$/m);
  });

  it('--backend webgpu names the adapter and its limits, and runs fits one at a time by default', () => {
    const r = node(['bin/spred', 'run', 'configs/lasso-smoke.json', '--backend', 'webgpu', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend: webgpu \(.*adapter .*largest tensor \d+ MB\)\)$/m);
    expect(r.stdout).toMatch(/on 1 worker;/); // one device: fits run one at a time by default
  });

  it('a tensor larger than the adapter allows fails loudly instead of returning zeros', () => {
    if (!('adapter' in probe)) return;
    const cols = Math.ceil(probe.adapter.limits.maxStorageBufferBindingSize / 2000); // twice the limit
    const script = `
      const tf = require('@tensorflow/tfjs');
      require('./dist/backend').selectBackend('webgpu').then(async () => {
        const s = tf.ones([1000, ${cols}]).sum();
        try { console.log('read', (await s.data())[0]); } catch (e) { console.log('error', e.message); }
      });`;
    const r = node(['-e', script]);
    // (Dawn itself prints the validation errors on stdout before it: native code, not ours to silence.)
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^error webgpu: a tensor of [\d.]+ MB is larger than this adapter allows in one buffer \([\d.]+ MB\); use a smaller problem or --backend wasm$/);
  });

  it('a synchronous read (impossible on webgpu in Node) says so instead of "OffscreenCanvas is not defined"', () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      require('./dist/backend').selectBackend('webgpu').then(() => {
        const t = tf.ones([64, 64]).matMul(tf.ones([64, 64]));
        try { console.log('read', t.dataSync()[0]); } catch (e) { console.log('error', e.message); }
      });`;
    const r = node(['-e', script]);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^error webgpu: this code reads a tensor synchronously \(dataSync\/arraySync\).*use --backend wasm$/);
  });
});

describe('--backend webgpu without an adapter', () => {
  it('exits 2 with one line saying what is missing and how to get it', () => {
    // No Vulkan driver: point the loader at a file that does not exist.
    const r = node(['bin/spred', 'run', 'configs/lasso-smoke.json', '--backend', 'webgpu', '--dry-run'], { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^spred: error: --backend webgpu: cannot use it: (no adapter \(it needs a Vulkan driver: .*mesa-vulkan-drivers`\)\)|webgpu or @tensorflow\/tfjs-backend-webgpu is not installed .*)$/),
    ]);
  });
});
