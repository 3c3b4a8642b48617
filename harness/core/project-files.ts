/** Names a config file may have in a project directory, in the order they are looked for. */
export const CONFIG_FILES = ['batchbench.config.yaml', 'batchbench.config.yml', 'batchbench.config.ts', 'batchbench.config.js', 'batchbench.config.mjs'];

/** The first line that points the YAML language server (VS Code, JetBrains, Neovim) at a schema. */
export const schemaModeline = (schemaPath: string): string => `# yaml-language-server: $schema=${schemaPath}`;
