import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunError, UsageError } from '../errors';
import { createRunDir, utcStamp } from './run_dir';

describe('createRunDir', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-rundir-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const now = new Date('2026-11-23T19:05:09.876Z');

  it('formats the UTC second', () => {
    expect(utcStamp(now)).toBe('20261123T190509Z');
    expect(utcStamp(new Date('2027-01-02T03:04:05+02:00'))).toBe('20270102T010405Z');
  });

  it('creates <root>/<task>/<name>-<UTC time>/ and suffixes -2, -3 within the same second', () => {
    const a = createRunDir({ root, task: 'lasso', name: 'lasso-smoke', now });
    const b = createRunDir({ root, task: 'lasso', name: 'lasso-smoke', now });
    const c = createRunDir({ root, task: 'lasso', name: 'lasso-smoke', now });
    expect(a).toBe(path.join(root, 'lasso', 'lasso-smoke-20261123T190509Z'));
    expect(b).toBe(`${a}-2`);
    expect(c).toBe(`${a}-3`);
    for (const d of [a, b, c]) expect(fs.readdirSync(d)).toEqual([]);
  });

  it('refuses a task or name that is not a plain folder name, creating nothing', () => {
    expect(() => createRunDir({ root, task: 'lasso', name: '../escape', now })).toThrow(RunError);
    expect(() => createRunDir({ root, task: '..', name: 'x', now })).toThrow(/task ".." is not a plain folder name/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('reports a root that is a file (or lies under one) as bad input (UsageError, exit 2), creating nothing', () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, '');
    const errorOf = (r: string): UsageError => {
      try {
        createRunDir({ root: r, task: 'lasso', name: 'x', now });
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('created');
    };
    const e = errorOf(file);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`output ${file} is a file, not a directory (--out or the config field \`output\`)`);
    expect(errorOf(path.join(file, 'runs', 'deeper')).message).toBe(
      `output ${path.join(file, 'runs', 'deeper')}: ${file} is a file, not a directory (--out or the config field \`output\`)`,
    );
    expect(fs.readdirSync(root)).toEqual(['a-file']);
  });
});
