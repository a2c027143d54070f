import { blockLayout, BlockKernels, hsicVectorLength, type HsicKernel, resolveBlocks } from './hsic_kernel';
import { createRng } from '../numeric/prng';

/** The flat design column of pyHSICLasso's compute_kernel, written out naively: B×B blocks, HKH with an explicit H. */
function flatColumn(x: Float64Array, kernel: HsicKernel, order: Int32Array, B: number, nBlocks: number): Float64Array[] {
  const n = x.length;
  let z = x;
  if (kernel === 'gaussian') {
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    z = x.map((v) => v / (std + 1e-19));
  }
  const out: Float64Array[] = [];
  for (let blk = 0; blk < nBlocks; blk++) {
    const idx = Array.from(order.subarray(blk * B, blk * B + B));
    const K = idx.flatMap((i) =>
      idx.map((j) => {
        if (kernel === 'gaussian') return Math.exp(-((z[i] - z[j]) ** 2) / 2);
        const count = idx.filter((t) => z[t] === z[i]).length;
        return z[i] === z[j] ? 1 / count : 0;
      }),
    );
    const H = (i: number, j: number): number => (i === j ? 1 : 0) - 1 / B;
    const HK = new Float64Array(B * B);
    for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) for (let t = 0; t < B; t++) HK[i * B + j] += H(i, t) * K[t * B + j];
    const HKH = new Float64Array(B * B);
    for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) for (let t = 0; t < B; t++) HKH[i * B + j] += HK[i * B + t] * H(t, j);
    const fro = Math.sqrt(HKH.reduce((s, v) => s + v * v, 0));
    out.push(HKH.map((v) => v / (fro + 1e-9)));
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('HSIC block kernels', () => {
  it('resolves B and M as pyHSICLasso does', () => {
    expect(resolveBlocks(62, 0, 3)).toEqual({ B: 62, M: 1, blocks: 1, discarded: 0 });
    expect(resolveBlocks(62, 20, 3)).toEqual({ B: 20, M: 3, blocks: 3, discarded: 2 });
    expect(resolveBlocks(62, 31, 10)).toEqual({ B: 31, M: 10, blocks: 2, discarded: 0 });
    expect(resolveBlocks(62, 40, 3)).toEqual({ B: 40, M: 1, blocks: 1, discarded: 22 });
    expect(hsicVectorLength(606, 20, 3)).toBe(30 * 3 * 210);
    expect(() => resolveBlocks(62, 63, 3)).toThrow(/block size/);
    expect(() => resolveBlocks(62, 1, 3)).toThrow(/block size/);
    expect(() => resolveBlocks(62, 20, 0)).toThrow(/permutations/);
  });

  it('draws seeded permutations: deterministic, distinct per seed, each ordering without repeats', () => {
    const a = blockLayout(62, 20, 3, 7);
    expect(a.order).toEqual(blockLayout(62, 20, 3, 7).order);
    expect(a.order).not.toEqual(blockLayout(62, 20, 3, 8).order);
    expect(a.order.length).toBe(3 * 60);
    for (let m = 0; m < 3; m++) expect(new Set(a.order.subarray(m * 60, m * 60 + 60)).size).toBe(60);
    // Vanilla: sample order, one block.
    expect(Array.from(blockLayout(5, 0, 3, 7).order)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each(['gaussian', 'delta'] as const)('packs the %s kernels so that dot products equal the Frobenius inner products of the flat form', (kernel) => {
    const n = 23;
    const layout = blockLayout(n, 7, 2, 3); // 3 blocks of 7, 2 left out, 2 orderings
    const rng = createRng(1);
    const draw = (): Float64Array => Float64Array.from({ length: n }, () => (kernel === 'delta' ? rng.int(3) : 3 + 2 * rng.normal()));
    const x1 = draw();
    const x2 = draw();
    const k = new BlockKernels(layout);
    const p1 = Float64Array.from(k.column(x1, kernel));
    const p2 = k.column(x2, kernel);
    expect(p1.length).toBe(layout.vectorLength);
    const f1 = flatColumn(x1, kernel, layout.order, 7, 6);
    const f2 = flatColumn(x2, kernel, layout.order, 7, 6);
    const scale2 = 1 / (layout.blocks * layout.permutations);
    const flat12 = f1.reduce((s, K, b) => s + dot(K, f2[b]), 0) * scale2;
    const flat11 = f1.reduce((s, K) => s + dot(K, K), 0) * scale2;
    expect(dot(p1, p2)).toBeCloseTo(flat12, 12);
    expect(dot(p1, p1)).toBeCloseTo(flat11, 12);
    // Every block is normalised: the column has squared norm 1 (blocks·M blocks of norm² 1/(blocks·M)).
    expect(dot(p1, p1)).toBeCloseTo(1, 6);
  });

  it('gives a constant variable a zero column, and the Gaussian kernel is scale-free', () => {
    const layout = blockLayout(12, 0, 1, 0);
    const k = new BlockKernels(layout);
    expect(k.column(new Float64Array(12).fill(4), 'gaussian').every((v) => v === 0)).toBe(true);
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const a = Float64Array.from(k.column(x, 'gaussian'));
    const b = k.column(x.map((v) => 5 * v - 2), 'gaussian');
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 12);
  });
});
