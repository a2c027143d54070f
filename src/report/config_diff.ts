/**
 * Where two resolved configs differ, as dot paths (`problem.samples`, `lambdas`, `spred.init`): what
 * `spred check` reports when a run was made from another config than its reference.
 */

export interface ConfigDifference {
  /** Dot path of the field; `(root)` when the two values are of different kinds at the top. */
  path: string;
  /** The value in the first config; `undefined` when the field is absent there. */
  a: unknown;
  /** The value in the second config; `undefined` when the field is absent there. */
  b: unknown;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sameLeaf(a: unknown, b: unknown): boolean {
  // JSON numbers: 1e-6 and 0.000001 are the same value; NaN never comes out of JSON.
  return a === b;
}

/**
 * Every field where `a` and `b` differ, in `a`'s key order then `b`'s extra keys. Objects are compared
 * key by key; arrays element by element when they have the same length, else as one field (a λ list
 * of another length is one difference, not one per index). Top-level keys in `ignore` are skipped.
 */
export function configDifferences(a: unknown, b: unknown, ignore: readonly string[] = []): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const walk = (x: unknown, y: unknown, at: string[]): void => {
    if (isPlainObject(x) && isPlainObject(y)) {
      const keys = [...Object.keys(x), ...Object.keys(y).filter((k) => !(k in x))];
      for (const k of keys) {
        if (at.length === 0 && ignore.includes(k)) continue;
        walk(x[k], y[k], [...at, k]);
      }
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((xi, i) => walk(xi, y[i], [...at, String(i)]));
      return;
    }
    // Here at least one side is a leaf, or they are arrays of different lengths, or of different kinds.
    const container = (v: unknown): boolean => Array.isArray(v) || isPlainObject(v);
    if (container(x) || container(y) || !sameLeaf(x, y)) {
      out.push({ path: at.length === 0 ? '(root)' : at.join('.'), a: x, b: y });
    }
  };
  walk(a, b, []);
  return out;
}

/** `undefined` → `(absent)`; short JSON as it is; long JSON cut to `max` characters with `…`. */
export function describeValue(v: unknown, max = 40): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
