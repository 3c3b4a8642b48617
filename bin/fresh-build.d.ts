/** Whether `root/dist` was built after the last change to any file under harness/ or the build's config files. */
export declare function distIsFresh(root: string): boolean;
/** Marks dist/ as built from the current sources. */
export declare function stampBuild(root: string): void;
/** Builds dist/ with `tsc --incremental` unless it is fresh; false when the compiler reported errors. */
export declare function buildIfStale(root: string): boolean;
