/**
 * Collects a samples × features float32 matrix whose features arrive one at a time (a GEO table lists
 * one probe per row, every sample's value in it), stored sample-major so that one sample's row is
 * contiguous: element (s, f) at `s * features + f` once finished.
 *
 * Space is reserved for `capacityHint` features (GEO headers declare the count); when the hint is
 * right nothing is copied, and `finish` hands over the buffer itself. More features than reserved
 * double the reservation; fewer are compacted by `finish`.
 */
export class SampleMajorBuilder {
  private buf: Float32Array;
  private cap: number;
  private n = 0;

  constructor(
    readonly samples: number,
    capacityHint = 0,
  ) {
    this.cap = Math.max(1, Math.min(Math.floor(capacityHint) || 0, MAX_HINT) || DEFAULT_CAPACITY);
    this.buf = new Float32Array(samples * this.cap);
  }

  /** Features added so far. */
  get features(): number {
    return this.n;
  }

  /**
   * Starts a new feature and returns where its values go: sample s's value belongs at
   * `data[s * stride + index]`. The returned buffer is valid until the next call.
   */
  addFeature(): { data: Float32Array; stride: number; index: number } {
    if (this.n === this.cap) this.resize(this.cap * 2);
    return { data: this.buf, stride: this.cap, index: this.n++ };
  }

  /** The matrix, samples × features, sample-major, exactly `samples * features` long. */
  finish(): Float32Array {
    if (this.n !== this.cap) this.resize(this.n);
    return this.buf;
  }

  private resize(cap: number): void {
    const next = new Float32Array(this.samples * cap);
    for (let s = 0; s < this.samples; s++) {
      next.set(this.buf.subarray(s * this.cap, s * this.cap + this.n), s * cap);
    }
    this.buf = next;
    this.cap = cap;
  }
}

const DEFAULT_CAPACITY = 4096;
/** A header's feature count is trusted only this far (a corrupt header must not reserve gigabytes). */
const MAX_HINT = 1_000_000;
