/**
 * How closely the calls must follow the expected calls for a `success.trajectory` check.
 * Its own module so that scenario files can be checked without building the run-file schema.
 */
export const TRAJECTORY_MODES = ['strict', 'in-order', 'any-order', 'subset', 'superset'] as const;
