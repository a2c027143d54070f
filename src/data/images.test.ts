import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { DataError } from '../errors';
import { decodeGrayImage, imageFormatOf, readGrayImage, readImageFolder } from './images';

const IMAGES = path.join(__dirname, '..', '..', 'data', 'images');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-images-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function at(img: { width: number; data: Float64Array }, r: number, c: number): number {
  return img.data[r * img.width + c];
}

// ---- a minimal PNG writer, independent of pngjs, for colour types and depths pngjs cannot write ----

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG from already packed scanlines (each row's bytes, filter type 0 is prepended here). */
function rawPng(width: number, height: number, depth: number, colorType: number, rows: Buffer[], extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  const idat = zlib.deflateSync(Buffer.concat(rows.map((r) => Buffer.concat([Buffer.from([0]), r]))));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('real photographs in data/images', () => {
  // Reference values from an independent pure-Python PNG decoder (zlib + the five PNG filters, numpy
  // for the luma), not from pngjs.
  it('decodes the gray PNG camera.png', () => {
    const img = readGrayImage(path.join(IMAGES, 'camera.png'));
    expect(img.format).toBe('png');
    expect([img.width, img.height]).toEqual([512, 512]);
    expect(at(img, 0, 0)).toBeCloseTo(200 / 255, 12); // 0.784313725490
    expect(at(img, 100, 200)).toBeCloseTo(54 / 255, 12); // 0.211764705882
    expect(at(img, 255, 256)).toBeCloseTo(7 / 255, 12);
    expect(at(img, 511, 511)).toBeCloseTo(149 / 255, 12);
    expect(at(img, 37, 450)).toBeCloseTo(0.76862745098, 10);
    expect(img.data.reduce((a, b) => a + b, 0) / img.data.length).toBeCloseTo(0.506120494768, 10);
  });

  it('decodes the RGB PNGs astronaut.png and chelsea.png with BT.601 luma', () => {
    const astro = readGrayImage(path.join(IMAGES, 'astronaut.png'));
    expect([astro.width, astro.height]).toEqual([512, 512]);
    expect(at(astro, 0, 0)).toBeCloseTo(0.586466666667, 10);
    expect(at(astro, 100, 200)).toBeCloseTo(0.233788235294, 10);
    expect(at(astro, 255, 256)).toBeCloseTo(0.048619607843, 10);
    expect(at(astro, 511, 511)).toBe(0);
    expect(at(astro, 37, 450)).toBeCloseTo(0.691117647059, 10);
    expect(astro.data.reduce((a, b) => a + b, 0) / astro.data.length).toBeCloseTo(0.452573090467, 10);
    const cat = readGrayImage(path.join(IMAGES, 'chelsea.png'));
    expect([cat.width, cat.height]).toEqual([451, 300]);
    expect(at(cat, 0, 0)).toBeCloseTo(0.490403921569, 10);
    expect(at(cat, 255, 256)).toBeCloseTo(0.191870588235, 10);
    expect(at(cat, 37, 450)).toBeCloseTo(0.336890196078, 10);
  });

  it('decodes the JPEG rocket.jpg close to libjpeg-turbo', () => {
    // Reference: libjpeg-turbo 2.1.5 `djpeg -ppm`, then BT.601 luma in numpy. jpeg-js uses another IDCT and
    // chroma upsampling; over the whole image it differs from djpeg by at most 2.1/255 (0.59/255 on average).
    const img = readGrayImage(path.join(IMAGES, 'rocket.jpg'));
    expect(img.format).toBe('jpeg');
    expect([img.width, img.height]).toEqual([640, 427]);
    const ref: [number, number, number][] = [
      [0, 0, 0.121827],
      [100, 200, 0.222761],
      [213, 320, 0.488882],
      [426, 639, 0.254282],
      [300, 100, 0.392027],
    ];
    for (const [r, c, v] of ref) expect(Math.abs(at(img, r, c) - v)).toBeLessThan(3 / 255);
    const mean = img.data.reduce((a, b) => a + b, 0) / img.data.length;
    expect(Math.abs(mean - 0.239161)).toBeLessThan(0.004);
    expect(img.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('reads the folder in name order and skips its README', () => {
    const folder = readImageFolder(IMAGES);
    expect(folder.images.map((i) => path.basename(i.file))).toEqual([
      'astronaut.png',
      'brick.png',
      'camera.png',
      'chelsea.png',
      'coffee.png',
      'grass.png',
      'gravel.png',
      'rocket.jpg',
    ]);
    expect(folder.skipped).toEqual(['README.md']);
  });
});

describe('grayscale conversion', () => {
  it('is 0.299 R + 0.587 G + 0.114 B on an RGBA PNG written by pngjs, alpha ignored', () => {
    const png = new PNG({ width: 3, height: 2 });
    const pixels = [
      [255, 0, 0, 255],
      [0, 255, 0, 0],
      [0, 0, 255, 128],
      [10, 20, 30, 255],
      [255, 255, 255, 7],
      [0, 0, 0, 255],
    ];
    pixels.forEach((p, i) => png.data.set(p, 4 * i));
    const img = decodeGrayImage(PNG.sync.write(png), 'synthetic.png');
    expect([img.width, img.height]).toEqual([3, 2]);
    pixels.forEach(([r, g, b], i) => expect(img.data[i]).toBeCloseTo((0.299 * r + 0.587 * g + 0.114 * b) / 255, 14));
    expect(img.data[4]).toBe(1); // white stays exactly 1 (clamped)
  });

  it('reads an RGB PNG written by pngjs (colour type 2) the same way', () => {
    const png = new PNG({ width: 2, height: 1, colorType: 2, inputColorType: 2, inputHasAlpha: false });
    png.data = Buffer.from([200, 100, 50, 1, 2, 3]);
    const img = decodeGrayImage(PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }), 'rgb.png');
    expect(img.data[0]).toBeCloseTo((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255, 14);
    expect(img.data[1]).toBeCloseTo((0.299 * 1 + 0.587 * 2 + 0.114 * 3) / 255, 14);
  });

  it('keeps 16-bit gray samples at full precision', () => {
    const row = Buffer.alloc(6);
    [0, 1000, 65535].forEach((v, i) => row.writeUInt16BE(v, 2 * i));
    const img = decodeGrayImage(rawPng(3, 1, 16, 0, [row]), 'gray16.png');
    expect(Array.from(img.data)).toEqual([0, 1000 / 65535, 1]);
  });

  it('scales 16-bit RGB', () => {
    const row = Buffer.alloc(6);
    [65535, 32768, 1].forEach((v, i) => row.writeUInt16BE(v, 2 * i));
    const img = decodeGrayImage(rawPng(1, 1, 16, 2, [row]), 'rgb16.png');
    expect(img.data[0]).toBeCloseTo((0.299 * 65535 + 0.587 * 32768 + 0.114 * 1) / 65535, 14);
  });

  it('reads 1-bit gray and a palette image', () => {
    const bits = decodeGrayImage(rawPng(4, 1, 1, 0, [Buffer.from([0b1010_0000])]), 'bits.png');
    expect(Array.from(bits.data)).toEqual([1, 0, 1, 0]);
    const palette = chunk('PLTE', Buffer.from([255, 0, 0, 0, 0, 255, 10, 20, 30]));
    const pal = decodeGrayImage(rawPng(3, 1, 8, 3, [Buffer.from([2, 0, 1])], [palette]), 'palette.png');
    expect(pal.data[0]).toBeCloseTo((0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255, 14);
    expect(pal.data[1]).toBeCloseTo(0.299, 14);
    expect(pal.data[2]).toBeCloseTo(0.114, 14);
  });

  it('ignores a tRNS colour key (pngjs alone would turn those pixels black)', () => {
    const trns = chunk('tRNS', Buffer.from([0, 200])); // gray 200 is transparent
    const img = decodeGrayImage(rawPng(2, 1, 8, 0, [Buffer.from([200, 100])], [trns]), 'trns.png');
    expect(Array.from(img.data)).toEqual([200 / 255, 100 / 255]);
  });
});

describe('format detection and errors', () => {
  it('recognises PNG and JPEG by magic bytes only', () => {
    expect(imageFormatOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('png');
    expect(imageFormatOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(imageFormatOf(Buffer.from('GIF89a'))).toBeUndefined();
    expect(imageFormatOf(Buffer.alloc(0))).toBeUndefined();
    // A PNG named .jpg is read as a PNG.
    const file = path.join(tmp, 'really-a-png.jpg');
    fs.copyFileSync(path.join(IMAGES, 'camera.png'), file);
    expect(readGrayImage(file).format).toBe('png');
  });

  it('not an image', () => {
    const file = path.join(tmp, 'notes.png');
    fs.writeFileSync(file, 'hello, world\n');
    expect(() => readGrayImage(file)).toThrow(new DataError(`${file}: not a PNG or JPEG image (first bytes 68 65 6c 6c)`));
    const empty = path.join(tmp, 'empty.jpg');
    fs.writeFileSync(empty, '');
    expect(() => readGrayImage(empty)).toThrow(new DataError(`${empty}: not a PNG or JPEG image (the file is empty)`));
  });

  it('a truncated PNG', () => {
    const bytes = fs.readFileSync(path.join(IMAGES, 'camera.png'));
    for (const n of [20, 1000, bytes.length - 20]) {
      expect(() => decodeGrayImage(bytes.subarray(0, n), 'cut.png')).toThrow(
        new DataError('cut.png: truncated PNG: the file ends before the image data do'),
      );
    }
  });

  it('a corrupt PNG (bad CRC, bad deflate data)', () => {
    const bytes = Buffer.from(fs.readFileSync(path.join(IMAGES, 'camera.png')));
    bytes[200] ^= 0xff; // inside the first IDAT
    let message = '';
    try {
      decodeGrayImage(bytes, 'bad.png');
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^bad\.png: corrupt PNG \(pngjs: .+\)$/);
    expect(message).not.toContain('\n');
  });

  it('a truncated or corrupt JPEG', () => {
    const bytes = fs.readFileSync(path.join(IMAGES, 'rocket.jpg'));
    for (const n of [3, 100, 5000, bytes.length - 2]) {
      let message = '';
      try {
        decodeGrayImage(bytes.subarray(0, n), 'cut.jpg');
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/^cut\.jpg: corrupt or truncated JPEG \(jpeg-js: [^\n]+\)$/);
    }
  });

  it('a missing file', () => {
    const file = path.join(tmp, 'nope.png');
    expect(() => readGrayImage(file)).toThrow(new DataError(`${file}: cannot read: no such file`));
  });

  it('an empty folder, a folder without images, a missing folder', () => {
    const dir = path.join(tmp, 'empty-folder');
    fs.mkdirSync(dir);
    expect(() => readImageFolder(dir)).toThrow(new DataError(`${dir}: no PNG or JPEG images (the folder is empty)`));
    fs.writeFileSync(path.join(dir, 'README.md'), '# photos\n');
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'x');
    expect(() => readImageFolder(dir)).toThrow(new DataError(`${dir}: no PNG or JPEG images (1 other file skipped: README.md)`));
    const missing = path.join(tmp, 'no-such-folder');
    expect(() => readImageFolder(missing)).toThrow(new DataError(`${missing}: cannot read the image folder: no such folder`));
  });

  it('a file named as an image that is not one, in a folder', () => {
    const dir = path.join(tmp, 'bad-folder');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(IMAGES, 'camera.png'), path.join(dir, 'a.png'));
    fs.writeFileSync(path.join(dir, 'b.JPG'), '<html>not found</html>');
    expect(() => readImageFolder(dir)).toThrow(new DataError(`${path.join(dir, 'b.JPG')}: not a PNG or JPEG image (first bytes 3c 68 74 6d)`));
  });
});
