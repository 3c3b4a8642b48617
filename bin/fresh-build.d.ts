/** Whether `root/dist` was built after the last change to any file under harness/ or the build's config files. */
export declare function distIsFresh(root: string): boolean;
/** Marks dist/ as built from the current sources. */
export declare function stampBuild(root: string): void;
/** After compiling: writes the help cache with the compiled program, then stamps; false (no stamp) when the program could not. */
export declare function finishBuild(root: string): boolean;
/** Builds dist/ with `tsc --incremental` unless it is fresh; false when the compiler reported errors or the help could not be written. */
export declare function buildIfStale(root: string): boolean;
