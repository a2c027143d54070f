/** Shape helpers for parameters grouped along one axis. */

/** Normalises a possibly negative axis against a rank; throws a RangeError for an axis out of range. */
export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** The shape that broadcasts a [shape[axis]] vector along `axis` of a tensor of shape `shape`. */
export function groupBroadcastShape(shape: readonly number[], axis: number): number[] {
  return shape.map((s, i) => (i === axis ? s : 1));
}
