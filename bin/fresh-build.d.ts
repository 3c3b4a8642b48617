/** The bundled CLI that bin/batchbench.js and `npm start` run, relative to the package's root. */
export declare const CLI_BUNDLE: string;
/** Whether a file of dist/harness/cli is part of the bundle: bin.bundle.js or a bundle.*.js chunk. */
export declare function isBundleFile(name: string): boolean;
/** Whether `root/dist` (with the CLI's bundle) was built after the last change to any file under harness/ or the build's config files. */
export declare function distIsFresh(root: string): boolean;
/** Marks dist/ as built from the current sources. */
export declare function stampBuild(root: string): void;
/** Bundles the compiled CLI with esbuild into dist/harness/cli/bin.bundle.js and bundle.*.js; false when esbuild reported errors. */
export declare function bundleCli(root: string): boolean;
/** After compiling: bundles the CLI, writes the help cache and the compiled o200k vocabulary with the compiled program, then stamps; false (no stamp) when any of it failed. */
export declare function finishBuild(root: string): boolean;
/** Builds dist/ with `tsc --incremental`, then the bundle, help and vocabulary (finishBuild), unless it is fresh; false when the compiler reported errors or finishBuild failed. */
export declare function buildIfStale(root: string): boolean;
