import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareHtml } from './compare-html.js';
import { compareMarkdown } from './compare-markdown.js';
import type { CompareResult } from '../../metrics/compare-runs.js';
import { junitXml } from '../junit.js';

/** Writes `compare.md`, `compare.html` and `junit.xml` into `dir`; returns their paths. */
export function writeCompareOutputs(result: CompareResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['compare.md', compareMarkdown(result)],
    ['compare.html', compareHtml(result)],
    ['junit.xml', junitXml(result)],
  ];
  return files.map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}
