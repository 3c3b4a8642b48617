import { configReference } from './config-reference.js';

/** The whole of docs/config.md. */
export function configDoc(): string {
  return `# Config reference

\`batchbench run\` reads \`batchbench.config.yaml\` (or \`.yml\`, or \`batchbench.config.ts\` / \`.js\` exporting \`defineConfig({...})\`) from the working directory, or the file given with \`--config\`. Flags given on the command line override the file; the file overrides the defaults. Paths in the file are relative to the file. Errors name the file and the field. A TypeScript config needs tsx installed beside batchbench (\`npm i -D tsx\`) or a Node that strips types (22.18 and later); without either, batchbench exits 2 naming the file. YAML and JavaScript configs need nothing.

This page is generated from the schema (\`npx tsx harness/config/write-config-reference.ts\`); a test fails when it is out of date.

${configReference()}
Example:

\`\`\`yaml
providers:
  - ref:optimal
  - id: openai:gpt-4o-mini
    temperature: 0
    requests_per_minute: 300
  - id: openai:qwen2.5-7b-instruct
    base_url: http://localhost:8000/v1
    api_key_env: LOCAL_LLM_KEY
scenarios: [scenarios]
prompts: [prompts]        # prompt variant files or directories
variants: [baseline, batch-independent]   # optional: which variant ids to run
tags: [domain=support]
repeats: 5
seed: 7
report:
  baseline: baseline
  compare_by: variants     # or models: each provider against baseline_provider, within each variant
\`\`\`
`;
}

export const README_START = '<!-- config-reference:start -->';
export const README_END = '<!-- config-reference:end -->';

/** `readme` with the generated reference between its markers. */
export function withReadmeReference(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} block`);
  return `${readme.slice(0, start + README_START.length)}\n${configReference()}${readme.slice(end)}`;
}
