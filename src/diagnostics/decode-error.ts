/**
 * The project's own decode error, thrown by bounds-checked readers on the cold path (per TLS
 * record / handshake message / certificate / log line) and caught at exactly one boundary per
 * layer. Anything else caught at those boundaries is a bug and is counted as `internal`.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    /** short machine code, e.g. `truncated`, `bad_length`, `vector_overflow` */
    readonly code: string,
    /** the layer that failed, e.g. `tls.record`, `tls.client_hello`, `x509`, `pcapng` */
    readonly layer: string,
    /** human detail with the numbers (offsets, lengths) */
    readonly detail: string = '',
  ) {
    super(`${layer}: ${code}${detail ? ` (${detail})` : ''}`);
  }
}

export function isDecodeError(e: unknown): e is DecodeError {
  return e instanceof DecodeError;
}
