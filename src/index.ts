/**
 * tls-extract library API. Re-exports only (test/package/packed.test.ts checks it from an installed tarball).
 *
 *   import { analyze, renderTable, renderMarkdown, renderJson, type Report } from 'tls-extract';
 *   const { report } = await analyze(['capture.pcap'], { truststores: ['ca.pem'] });
 *   process.stdout.write(renderTable(report, { width: 100, color: false }));
 *
 * For captures of hundreds of thousands of handshakes, analyzeStream() gives the same report with its
 * connections built one at a time as they are read (renderJson and JSON.stringify read it in order):
 *   const { report } = await analyzeStream(['big.pcap']);
 *   for (const c of report.connections) console.log(c.server.ip, c.validation.status);
 *   console.log(report.findings.get().length);
 *
 * Renderers take the Report (the `--json` contract, schema/report.schema.json) and return text; they
 * never print. redactReport() returns a redacted deep copy to render instead of the original.
 */
export { analyze, analyzeStream } from './pipeline.js';
export type { AnalyzeOptions, AnalysisResult, StreamedAnalysisResult } from './pipeline.js';
export { materializeReport, ConnectionStream, Deferred } from './report/streamed.js';
export type { StreamedReport } from './report/streamed.js';

// The report model: the versioned JSON contract.
export type * from './report/model.js';
export { SCHEMA_VERSION } from './report/model.js';

// Renderers and redaction.
export { renderTable, MIN_TABLE_WIDTH } from './report/render-table.js';
export type { TableRenderOptions } from './report/render-table.js';
export { renderMarkdown } from './report/render-markdown.js';
export type { MarkdownOptions } from './report/render-markdown.js';
export { renderJson } from './report/render-json.js';
export { renderTimeline } from './report/render-timeline.js';
export type { TimelineOptions } from './report/render-timeline.js';
export { redactReport } from './report/redact.js';
export type { RedactOptions, RedactionSummary } from './report/redact.js';

// Types reachable from AnalysisResult.
export type { ParsedCert, CertMeta } from './x509/parsed-cert.js';
export type { TrustStore, TrustStoreError } from './trust/trust-store.js';
export type { Diagnostics, DiagnosticEntry, DiagnosticSample, Severity } from './diagnostics/diagnostics.js';

// Errors, exit codes, limits, version.
export { UsageError, ExitCode } from './errors.js';
export { DEFAULT_LIMITS } from './options.js';
export type { Limits } from './options.js';
export { toolVersion } from './version.js';
