import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../errors';
import { readDataFile } from './read_file';

/**
 * Photographs as grayscale arrays, for sparse coding (issue 12 part 1).
 *
 * - The format is recognised by its magic bytes, never by the file name: PNG starts 89 50 4E 47
 *   ("\x89PNG"), JPEG starts FF D8 FF (SOI then a marker). Decoding is pngjs (every PNG colour type and
 *   bit depth, palette, interlace) and jpeg-js (baseline and progressive; grey, YCbCr, Adobe CMYK).
 * - Gray = ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, on values scaled to [0, 1] by the format's
 *   maximum (2^depth − 1 for PNG, so 16-bit PNGs keep their precision; 255 for palette entries and
 *   JPEG). Gray and gray+alpha PNGs are read as they are (no weights). Alpha is ignored, including a
 *   tRNS chunk: pngjs would otherwise turn the pixels of a tRNS colour key into black. Pixel values are
 *   used as stored: no gamma (gAMA) or ICC correction, as in scikit-image's `rgb2gray` on the raw values.
 * - Result: a Float64Array [height, width], row-major, in [0, 1].
 */

export type ImageFormat = 'png' | 'jpeg';

/** A decoded photograph in gray levels. */
export interface GrayImage {
  /** The file it came from (as given), for messages. */
  file: string;
  format: ImageFormat;
  width: number;
  height: number;
  /** Gray levels in [0, 1], row-major: pixel (row r, column c) at r·width + c. */
  data: Float64Array;
}

/** BT.601 luma weights of R, G and B. */
export const LUMA_BT601 = [0.299, 0.587, 0.114] as const;

/** 'png' or 'jpeg' from the first bytes, or undefined when they are neither. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

function firstBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  return `first bytes ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/** A decoder's error as one line. */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The PNG without its tRNS chunks (or the bytes unchanged when the chunk structure cannot be walked;
 * pngjs then reports what is wrong). Removing whole chunks leaves every other chunk's CRC valid.
 */
function withoutTransparencyChunks(bytes: Buffer): Buffer {
  const parts: Buffer[] = [bytes.subarray(0, 8)];
  let pos = 8;
  let removed = false;
  while (pos + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const end = pos + 12 + length;
    if (end > bytes.length) return bytes;
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (type === 'tRNS') removed = true;
    else parts.push(bytes.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  return removed ? Buffer.concat(parts) : bytes;
}

function decodePng(bytes: Buffer, file: string): GrayImage {
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    // skipRescale keeps 16-bit samples as they are (pngjs would round them to 8 bits) and low-depth
    // gray samples in 0 … 2^depth − 1; palette entries are always 8-bit.
    png = PNG.sync.read(withoutTransparencyChunks(bytes), { skipRescale: true });
  } catch (e) {
    const msg = oneLine(e);
    // pngjs's sync reader says this when the data end before the image does.
    if (/read requests/.test(msg)) throw new DataError(`${file}: truncated PNG: the file ends before the image data do`);
    throw new DataError(`${file}: corrupt PNG (pngjs: ${msg})`);
  }
  const { width, height } = png;
  const samples = png.data as unknown as ArrayLike<number>; // RGBA, Buffer or (16-bit) Uint16Array
  const palette = (png.colorType & 1) === 1;
  const max = palette ? 255 : 2 ** png.depth - 1;
  const gray = (png.colorType & 2) === 0; // colour types 0 (gray) and 4 (gray + alpha)
  const data = new Float64Array(width * height);
  const [wr, wg, wb] = LUMA_BT601;
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const v = gray ? samples[j] / max : (wr * samples[j] + wg * samples[j + 1] + wb * samples[j + 2]) / max;
    data[i] = v > 1 ? 1 : v;
  }
  return { file, format: 'png', width, height, data };
}

function decodeJpeg(bytes: Buffer, file: string): GrayImage {
  let img: jpeg.RawImageData<Uint8Array>;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (e) {
    throw new DataError(`${file}: corrupt or truncated JPEG (jpeg-js: ${oneLine(e)})`);
  }
  const { width, height } = img;
  const rgba = img.data;
  if (rgba.length !== width * height * 4 || width === 0 || height === 0) {
    throw new DataError(`${file}: corrupt JPEG: decoded ${rgba.length} bytes for a ${width}×${height} image`);
  }
  const data = new Float64Array(width * height);
  const [wr, wg, wb] = LUMA_BT601;
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const v = (wr * rgba[j] + wg * rgba[j + 1] + wb * rgba[j + 2]) / 255;
    data[i] = v > 1 ? 1 : v;
  }
  return { file, format: 'jpeg', width, height, data };
}

/** Decodes PNG or JPEG bytes (told apart by magic bytes) to gray levels; `file` names it in errors. */
export function decodeGrayImage(bytes: Buffer, file: string): GrayImage {
  const format = imageFormatOf(bytes);
  if (format === 'png') return decodePng(bytes, file);
  if (format === 'jpeg') return decodeJpeg(bytes, file);
  throw new DataError(`${file}: not a PNG or JPEG image (${firstBytes(bytes)})`);
}

/** Reads and decodes one image file (see `decodeGrayImage`). */
export function readGrayImage(file: string): GrayImage {
  return decodeGrayImage(readDataFile(file), file);
}

/** Names that say "image": a file so named must be one, whatever else is in the folder. */
const IMAGE_NAME = /\.(png|jpe?g|jpe|jfif)$/i;

export interface ImageFolder {
  /** The images in file-name order (code-point order, the same on every system). */
  images: GrayImage[];
  /** Files that were neither PNG nor JPEG and not named as images (e.g. a README), skipped. */
  skipped: string[];
}

/**
 * Every PNG and JPEG file directly in `dir` (not in subfolders; hidden files are ignored), decoded to
 * gray levels. A file is an image by its magic bytes; other files are skipped (and listed) unless
 * their name ends in .png/.jpg/.jpeg, in which case they are an error (`not a PNG or JPEG image`).
 * A folder with no image is an error.
 */
export function readImageFolder(dir: string): ImageFolder {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such folder' : err.code === 'ENOTDIR' ? 'not a folder' : err.message;
    throw new DataError(`${dir}: cannot read the image folder: ${why}`);
  }
  const names = entries
    .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isSymbolicLink()))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const images: GrayImage[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile() !== true) continue;
    const bytes = readDataFile(file);
    if (imageFormatOf(bytes) === undefined && !IMAGE_NAME.test(name)) {
      skipped.push(name);
      continue;
    }
    images.push(decodeGrayImage(bytes, file));
  }
  if (images.length === 0) {
    const other = skipped.length === 0 ? 'the folder is empty' : `${skipped.length} other file${skipped.length === 1 ? '' : 's'} skipped: ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}`;
    throw new DataError(`${dir}: no PNG or JPEG images (${other})`);
  }
  return { images, skipped };
}
