/**
 * What the CLI needs from its environment, injectable so tests run main() in-process with fake
 * streams and a stub analyze(): output streams, environment variables, a clock for the progress
 * bar, and the analysis entry point (by default src/pipeline.ts, loaded on first use).
 */
import type { AnalyzeOptions } from '../pipeline.js';
import type { Report } from '../report/model.js';
import type { StreamedReport } from '../report/streamed.js';

export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type { AnalyzeOptions };

/** What the CLI reads of `analyze()`'s result (tests stub it with just a report): streamed or whole. */
export interface AnalysisResult {
  report: Report | StreamedReport;
}

export type AnalyzeFn = (inputs: string[], options?: AnalyzeOptions) => Promise<AnalysisResult>;

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  /** defaults to analyzeStream() from src/pipeline.ts */
  analyze?: AnalyzeFn;
  /** monotonic ms for the progress bar; defaults to performance.now() */
  now?: () => number;
  /** defaults to fs.existsSync (used to tell optional option values from inputs) */
  exists?: (path: string) => boolean;
}

/**
 * The pipeline is imported lazily, on the first real run: --help, --version and usage errors stay
 * fast, and tests that inject `analyze` never load it. The assignment type-checks the real analyze()
 * against AnalyzeFn.
 */
export async function loadAnalyze(): Promise<AnalyzeFn> {
  const mod = await import('../pipeline.js');
  const analyze: AnalyzeFn = mod.analyzeStream;
  return analyze;
}
