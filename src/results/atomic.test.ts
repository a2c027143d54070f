import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEMP_PREFIX, writeFileAtomic } from './atomic';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes text and bytes, replacing an existing file, and leaves no temporary file', () => {
    const file = path.join(dir, 'a.csv');
    writeFileAtomic(file, 'x,y\n1,2\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('x,y\n1,2\n');
    writeFileAtomic(file, new Uint8Array([0xce, 0xba, 0x0a])); // "κ\n"
    expect(fs.readFileSync(file, 'utf8')).toBe('κ\n');
    expect(fs.readdirSync(dir)).toEqual(['a.csv']);
  });

  it('writes a large buffer completely', () => {
    const file = path.join(dir, 'big.bin');
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    writeFileAtomic(file, data);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
  });

  it('on a failed rename keeps the old target and removes its temporary file', () => {
    // A directory in the way makes the final rename fail after the data was written.
    const target = path.join(dir, 'results.csv');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'old');
    expect(() => writeFileAtomic(target, 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(fs.readdirSync(dir)).toEqual(['results.csv']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('old');
  });

  it('fails without creating anything when the directory does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'a.txt'), 'x')).toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('names its temporary files with the git-ignored prefix', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', '.gitignore'), 'utf8')).toContain(`${TEMP_PREFIX}*`);
  });
});
