/** The bundled CLI that bin/batchbench.js and `npm start` run, relative to the package's root. */
export declare const CLI_BUNDLE: string;
/** Whether `root/dist` (with the CLI's bundle) was built after the last change to any file under harness/ or the build's config files. */
export declare function distIsFresh(root: string): boolean;
/** Marks dist/ as built from the current sources. */
export declare function stampBuild(root: string): void;
/** Bundles the compiled CLI with esbuild into dist/harness/cli/bin.bundle.js and bundle.*.js; false when esbuild reported errors. */
export declare function bundleCli(root: string): boolean;
/** After compiling: bundles the CLI, writes the help cache with the compiled program, then stamps; false (no stamp) when either failed. */
export declare function finishBuild(root: string): boolean;
/** Builds dist/ with `tsc --incremental`, then the bundle and help, unless it is fresh; false when the compiler reported errors, the bundle failed or the help could not be written. */
export declare function buildIfStale(root: string): boolean;
