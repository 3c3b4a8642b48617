/** Names a config file may have in a project directory, in the order they are looked for. */
export const CONFIG_FILES = ['batchbench.config.yaml', 'batchbench.config.yml', 'batchbench.config.ts', 'batchbench.config.js', 'batchbench.config.mjs'];
