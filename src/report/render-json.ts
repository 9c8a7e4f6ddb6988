/**
 * `--json`: the Report exactly as built (docs/json-contract.md, schema/report.schema.json), two-space
 * indented. Values are never sanitised here: JSON escaping (RFC 8259 §7) makes control characters
 * inert, and scripts need the exact bytes of names and log lines.
 */
import type { Report } from './model.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The same bytes as `renderJson`, in pieces (one per connection), so the CLI can stream a report of
 * many thousand connections without building one string of tens of MB (peak memory).
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined && typeof v !== 'function');
  yield entries.length === 0 ? '{}\n' : '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const sep = i < entries.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j++) {
        // stringified inside a one-element array at the same depth, so JSON.stringify indents it as
        // renderJson would (cheaper than re-indenting 40 MB of text with a regular expression)
        const wrapped = JSON.stringify({ [key]: [value[j] === undefined ? null : value[j]] }, null, 2);
        const body = wrapped.slice(wrapped.indexOf('[\n') + 2, wrapped.lastIndexOf('\n  ]'));
        yield `${body}${j < value.length - 1 ? ',\n' : '\n'}`;
      }
      yield `  ]${sep}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${sep}`;
    }
  }
  if (entries.length > 0) yield '}\n';
}
