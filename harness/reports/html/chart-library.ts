import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The installed Chart.js UMD build, to inline into the report (no CDN: the
 * file must work offline). Its license banners stay (the MIT license asks for
 * them) minus their web-address lines, so the report holds no external URL.
 */
export function chartLibrary(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  // The package exports only its module entry points; the UMD build sits beside them in dist/.
  const file = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const source = readFileSync(file, 'utf8');
  const stripped = source.replace(/\/\*![\s\S]*?\*\//g, (banner) => banner.replace(/^ \* https?:\/\/\S*\n/gm, ''));
  if (/https?:\/\//i.test(stripped)) throw new Error(`${file} holds a web address outside its license banners; the report would not be self-contained`);
  cached = stripped.replace(/<\/script/gi, '<\\/script');
  return cached;
}
