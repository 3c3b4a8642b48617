/**
 * The SHA-256 of `parts` (each as UTF-8, in order) in hex, computed when first read: a scenario's
 * or a variant's `hash` is read by a run, never by `validate`, which so does not load node:crypto.
 * The parts are let go once the hash is known.
 */
export function lazySha256(parts: readonly string[]): () => string {
  let pending: readonly string[] | undefined = parts;
  let hex = '';
  return () => {
    if (pending !== undefined) {
      const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
      for (const part of pending) hash.update(part);
      hex = hash.digest('hex');
      pending = undefined;
    }
    return hex;
  };
}
