import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors';
import { jsonErrorOffset } from './json_error_offset';

/** 1-based line and column of a character offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const offset = jsonErrorOffset(text);
    const where = lineCol(text, offset < 0 ? 0 : offset);
    const found = offset >= text.length ? 'end of file' : JSON.stringify(text[offset]);
    const reason = (e as Error).message.split('\n')[0];
    throw new UsageError(`${file}:${where.line}:${where.col}: JSON syntax error: unexpected ${found} (${reason.replace(/, ".*$/s, '')})`);
  }
}

function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const where = lineCol(text, err.pos[0]);
    const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${file}:${where.line}:${where.col}: YAML syntax error: ${reason}`);
  }
  return doc.toJS();
}

/**
 * Reads a config file as plain data: `.json` with JSON.parse, `.yaml`/`.yml` with the yaml package.
 * Syntax errors name the file, line and column.
 */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: config file not found`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory, expected a config file`);
    throw new UsageError(`${file}: cannot read config file (${code ?? (e as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return parseJson(file, text);
  if (ext === '.yaml' || ext === '.yml') return parseYaml(file, text);
  throw new UsageError(`${file}: unknown config extension '${ext}', expected .json, .yaml or .yml`);
}
