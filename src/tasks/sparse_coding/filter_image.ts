import { PNG } from 'pngjs';

/**
 * A PNG of every basis in a grid (paper Fig. 3): atom j (a p×p patch, row-major) in cell
 * (⌊j/cols⌋, j mod cols), cols = ⌈√k⌉, each pixel drawn as `scale`×`scale` screen pixels, one-pixel
 * white gaps. Each atom is scaled to its own range: its minimum is black, its maximum white (so a weak
 * atom is as visible as a strong one; a constant atom is mid-grey).
 */
export function filterGridPng(atoms: Float32Array | Float64Array, count: number, p: number, scale = 4): Uint8Array {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const cell = p * scale + 1;
  const width = cols * cell + 1;
  const height = rows * cell + 1;
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.alloc(width * height, 255);
  for (let j = 0; j < count; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < p * p; i++) {
      const v = atoms[j * p * p + i];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo;
    const top = Math.floor(j / cols) * cell + 1;
    const left = (j % cols) * cell + 1;
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) {
        const v = atoms[j * p * p + r * p + c];
        const g = span > 0 ? Math.round((255 * (v - lo)) / span) : 128;
        for (let dy = 0; dy < scale; dy++) {
          const o = (top + r * scale + dy) * width + left + c * scale;
          png.data.fill(g, o, o + scale);
        }
      }
    }
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
}
