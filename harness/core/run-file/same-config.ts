import type { RunManifest } from './records.js';

/** Settings that change how fast a run goes, not what its sessions record. */
const NOT_RESULT_SETTINGS = new Set(['concurrency']);

const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));

/**
 * Why two run manifests do not describe the same matrix, one sentence each;
 * empty when they do. Compares every recorded setting except concurrency, the
 * scenario and prompt files by content hash, and the batchbench version.
 * `labels` name the two runs in the sentences.
 */
export function configDifferences(a: RunManifest, b: RunManifest, labels: [string, string], options: { shard?: boolean } = {}): string[] {
  const [la, lb] = labels;
  const out: string[] = [];
  if (a.tool.version !== b.tool.version) out.push(`batchbench version: ${la} ${a.tool.version}, ${lb} ${b.tool.version}`);
  const configA: Record<string, unknown> = { ...a.config };
  const configB: Record<string, unknown> = { ...b.config };
  for (const key of new Set([...Object.keys(configA), ...Object.keys(configB)])) {
    if (NOT_RESULT_SETTINGS.has(key)) continue;
    const va = show(configA[key]);
    const vb = show(configB[key]);
    if (va !== vb) out.push(`${key}: ${la} ${va}, ${lb} ${vb}`);
  }
  out.push(...hashDifferences('scenario', a.scenarios, b.scenarios, labels));
  out.push(...hashDifferences('prompt variant', a.variants, b.variants, labels));
  if (options.shard !== false) {
    const sa = a.shard ? `${a.shard.index}/${a.shard.count}` : 'none';
    const sb = b.shard ? `${b.shard.index}/${b.shard.count}` : 'none';
    if (sa !== sb) out.push(`shard: ${la} ${sa}, ${lb} ${sb}`);
  }
  return out;
}

/** Files present in both lists under the same id whose content hash differs. */
export function hashDifferences(
  what: string,
  a: readonly { id: string; hash: string; file: string }[],
  b: readonly { id: string; hash: string; file: string }[],
  labels: [string, string],
): string[] {
  const byId = new Map(b.map((x) => [x.id, x]));
  const out: string[] = [];
  for (const x of a) {
    const y = byId.get(x.id);
    if (y && y.hash !== x.hash) {
      out.push(`${what} "${x.id}" differs: ${labels[0]} ${x.file} (sha256 ${x.hash.slice(0, 12)}), ${labels[1]} ${y.file} (sha256 ${y.hash.slice(0, 12)})`);
    }
  }
  return out;
}
