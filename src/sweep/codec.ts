/**
 * JSON for fit results, keeping what plain JSON loses: NaN, ±Infinity (a diverged objective, a
 * statistic of a constant column) and -0. Each becomes a one-key object `{"$num": "NaN"}` that no
 * result row holds otherwise. Finite numbers round-trip exactly (JSON writes the shortest decimal
 * that reads back as the same double).
 */
const TAG = '$num';

function encodeValue(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { [TAG]: Object.is(value, -0) ? '-0' : String(value) };
  }
  return value;
}

function decodeValue(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === TAG) {
      const s = (value as Record<string, unknown>)[TAG];
      if (s === 'NaN') return NaN;
      if (s === 'Infinity') return Infinity;
      if (s === '-Infinity') return -Infinity;
      if (s === '-0') return -0;
    }
  }
  return value;
}

/** One line of JSON (no newlines inside). */
export function encode(value: unknown): string {
  return JSON.stringify(value, encodeValue);
}

export function decode(text: string): unknown {
  return JSON.parse(text, decodeValue);
}

/**
 * `value` as it will be read back from the journal. Results from the main thread go through this
 * too, so a run gives the same rows whether its fits ran in-process or on workers.
 */
export function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}
