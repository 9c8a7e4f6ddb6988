/**
 * Errors that stop a run (bad usage, unusable input) carry an exit code; everything else in the
 * input is data: counted in Diagnostics, never thrown to the top.
 * Exit codes are documented in the README and in `--help`.
 */
export const ExitCode = {
  /** analysis completed (whatever the verdicts) */
  ok: 0,
  /** internal error (a bug): the message asks for a report */
  internal: 1,
  /** bad usage: unknown option, missing argument, invalid value; or the output cannot be written */
  usage: 2,
  /** an input path is missing, unreadable (permission) or a directory without captures */
  inputMissing: 3,
  /** an input is empty or not a capture / bundle (a log or PEM file alone is not a capture) */
  notCapture: 4,
  /** a trust store was given but none of its entries could be read */
  truststore: 5,
  /** --strict: anomalies (decode errors, gaps, truncation, limits) were seen */
  strict: 6,
  /** --fail-on-untrusted: at least one presented chain is untrusted */
  untrusted: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly exitCode: ExitCode = ExitCode.usage) {
    super(message);
  }
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError;
}
