/** A line of a trace that a reader cannot read: `path` is the field (dotted, empty for the whole line). */
export class TraceLineError extends Error {
  override readonly name = 'TraceLineError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
