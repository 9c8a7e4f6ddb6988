/**
 * tls-extract library API. Re-exports only.
 *
 *   import { analyze, renderTable, renderMarkdown, renderJson } from 'tls-extract';
 *   const { report } = await analyze(['capture.pcap'], { truststores: ['ca.pem'] });
 */
export { analyze } from './pipeline.js';
export type { AnalyzeOptions, AnalysisResult } from './pipeline.js';
export type * from './report/model.js';
export { SCHEMA_VERSION } from './report/model.js';
export { UsageError, ExitCode } from './errors.js';
export { DEFAULT_LIMITS } from './options.js';
export type { Limits } from './options.js';
