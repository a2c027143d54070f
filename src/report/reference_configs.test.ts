import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../paths';
import { loadReference } from './reference';
import { configFileFor, formatReferenceJson, referenceConfigOf, updateReferenceConfigs } from './reference_configs';

const ROOT = packageRoot();
const REFERENCES = fs.readdirSync(path.join(ROOT, 'reference')).filter((f) => f.endsWith('.json'));

describe('shipped reference files', () => {
  it('exist', () => expect(REFERENCES.length).toBeGreaterThanOrEqual(3));

  it.each(REFERENCES)('%s records what its config resolves to today (else: npm run build && npm run reference:configs)', (f) => {
    const file = path.join(ROOT, 'reference', f);
    const ref = loadReference(file);
    const configFile = configFileFor(path.join(ROOT, 'configs'), ref.config);
    expect(configFile).toBeDefined();
    expect(ref.resolvedConfig).toEqual(referenceConfigOf(configFile as string));
    // and is laid out as the script writes it, so a regeneration gives no spurious diff
    expect(formatReferenceJson(JSON.parse(fs.readFileSync(file, 'utf8')))).toBe(fs.readFileSync(file, 'utf8'));
  });
});

describe('formatReferenceJson', () => {
  it('keeps small objects and arrays of leaves on one line, the rest indented', () => {
    const text = formatReferenceJson({ a: 1, checks: [{ where: { method: 'spred' }, expect: { max: 0.01 } }], xs: [0.1, 1e-6], o: {} });
    expect(text).toBe(
      '{\n  "a": 1,\n  "checks": [\n    {\n      "where": { "method": "spred" },\n      "expect": { "max": 0.01 }\n    }\n  ],\n  "xs": [0.1, 0.000001],\n  "o": {}\n}\n',
    );
    expect(JSON.parse(text)).toEqual({ a: 1, checks: [{ where: { method: 'spred' }, expect: { max: 0.01 } }], xs: [0.1, 1e-6], o: {} });
  });
});

describe('updateReferenceConfigs', () => {
  it('writes resolvedConfig from configs/<name>.* and reports which files changed', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-refcfg-'));
    try {
      fs.mkdirSync(path.join(tmp, 'reference'));
      fs.mkdirSync(path.join(tmp, 'configs'));
      fs.writeFileSync(path.join(tmp, 'configs', 'tiny.json'), JSON.stringify({ task: 'lasso', iterations: 10 }));
      const ref = path.join(tmp, 'reference', 'tiny.json');
      fs.writeFileSync(ref, JSON.stringify({ config: 'tiny', description: 'd', checks: [] }));
      expect(updateReferenceConfigs(path.join(tmp, 'reference'), path.join(tmp, 'configs'))).toEqual([ref]);
      const written = JSON.parse(fs.readFileSync(ref, 'utf8'));
      expect(written.resolvedConfig).toMatchObject({ task: 'lasso', name: 'tiny', iterations: 10, seed: 0 });
      expect(updateReferenceConfigs(path.join(tmp, 'reference'), path.join(tmp, 'configs'))).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
