/**
 * A small seeded pseudo-random generator, so that synthetic problems are identical on every machine
 * and Node version (Math.random cannot be seeded).
 *
 * - Bits: xoshiro128** 1.1 (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro128starstar.c),
 *   period 2¹²⁸ − 1, state seeded from the integer seed by splitmix32.
 * - Uniforms in [0, 1): 53 random bits from two outputs (the upper 27 and 26 bits).
 * - Normals: Box–Muller, z = √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂) with u₁ ∈ (0, 1]; both values are used.
 *
 * Changing anything here changes every synthetic problem; the golden values in prng.test.ts pin it.
 */

/** splitmix32's output function: a bijective 32-bit mixer. */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** `Xoshiro128.state()`: the four state words and Box–Muller's unused second normal. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  /** `seed`: a non-negative safe integer. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`prng: seed must be a non-negative integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    // splitmix32: a Weyl sequence started at the seed, each value mixed; the high word is folded in.
    let z = (lo ^ mix32(hi)) >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      return mix32(z);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /** The generator's position in its stream (JSON-safe), to continue it later with `restore` (e.g. from a checkpoint). */
  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare ?? null };
  }

  /** Continues the stream from a `state()`: the next draws are those that followed it. */
  restore(state: RngState): this {
    const [s0, s1, s2, s3] = state.s;
    if (![s0, s1, s2, s3].every((x) => Number.isInteger(x)) || (s0 | s1 | s2 | s3) === 0) throw new RangeError('prng: not a xoshiro128 state');
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.spare = state.spare ?? undefined;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  uint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in [0, n), for n ≤ 2³². */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Fills `out` with standard normal draws. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** k distinct integers from [0, n), in random order (a partial Fisher–Yates shuffle). */
  sample(n: number, k: number): Int32Array {
    if (!(k >= 0 && k <= n)) throw new RangeError(`prng: cannot sample ${k} of ${n}`);
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, k);
  }
}

/** A generator seeded with `seed` (a non-negative safe integer). */
export function createRng(seed: number): Xoshiro128 {
  return new Xoshiro128(seed);
}
