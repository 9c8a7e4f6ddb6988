/**
 * `--json`: the Report exactly as built (docs/json-contract.md, schema/report.schema.json), two-space
 * indented. Values are never sanitised here: JSON escaping (RFC 8259 §7) makes control characters
 * inert, and scripts need the exact bytes of names and log lines.
 */
import type { Report } from './model.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
