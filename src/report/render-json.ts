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
      const conns = key === 'connections';
      for (let j = 0; j < value.length; j++) {
        const item: unknown = value[j] === undefined ? null : value[j];
        const body = conns ? connectionText(item) : elementText(key, item);
        yield `${body}${j < value.length - 1 ? ',\n' : '\n'}`;
      }
      yield `  ]${sep}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${sep}`;
    }
  }
  if (entries.length > 0) yield '}\n';
}

/**
 * One array element at depth 2 (four spaces), as `JSON.stringify(report, null, 2)` prints it:
 * stringified inside a one-element array at the same depth, so JSON.stringify indents it itself
 * (cheaper than re-indenting tens of MB of text with a regular expression).
 */
function elementText(key: string, item: unknown): string {
  const wrapped = JSON.stringify({ [key]: [item] }, null, 2);
  return wrapped.slice(wrapped.indexOf('[\n') + 2, wrapped.lastIndexOf('\n  ]'));
}

/** Certificate objects are shared by every connection that presented them: each is stringified once. */
const certText = new WeakMap<object, string>();
const CERT_INDENT = '        ';

function certificateText(c: unknown): string {
  if (c === null || typeof c !== 'object') return CERT_INDENT + JSON.stringify(c === undefined ? null : c);
  let t = certText.get(c);
  if (t === undefined) {
    t = CERT_INDENT + JSON.stringify(c, null, 2).replace(/\n/g, `\n${CERT_INDENT}`);
    certText.set(c, t);
  }
  return t;
}

/**
 * Other connection fields whose objects are shared between connections (interned hellos, memoised
 * validation results, certificate requests): stringified once each, from their second use on (an object
 * seen once is left inline, so unique ones cost no cache memory).
 */
const SHARED_KEYS = ['client_hello', 'server_hello', 'certificate_request', 'validation'] as const;
const VALUE_INDENT = '      ';
const valueText = new WeakMap<object, string | 1>();

function sharedText(v: object): string | null {
  const t = valueText.get(v);
  if (t === undefined) {
    valueText.set(v, 1);
    return null;
  }
  if (t !== 1) return t;
  const text = JSON.stringify(v, null, 2).replace(/\n/g, `\n${VALUE_INDENT}`);
  valueText.set(v, text);
  return text;
}

/**
 * A connection: its certificate lists are spliced in from the per-certificate cache (they are 75 % of
 * a report's bytes, and the same few certificates recur on thousands of connections), and its shared
 * objects from theirs. The keys at six spaces after a newline are the connection's own (strings never
 * contain a raw newline), so a placeholder found there (`"certificates": []`, `"validation": 0`) is the
 * connection's field and nothing else.
 */
function connectionText(item: unknown): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return elementText('connections', item);
  const conn = item as Record<string, unknown>;
  const lists: [string, unknown[]][] = [];
  const values: [string, string][] = [];
  const shallow: Record<string, unknown> = { ...conn };
  for (const k of ['certificates', 'client_certificates']) {
    const v = conn[k];
    if (Array.isArray(v) && v.length > 0) {
      lists.push([k, v]);
      shallow[k] = [];
    }
  }
  for (const k of SHARED_KEYS) {
    const v = conn[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') continue;
    const t = sharedText(v);
    if (t === null) continue;
    values.push([k, t]);
    shallow[k] = 0;
  }
  let text = elementText('connections', shallow);
  for (const [k, v] of lists) {
    const mark = `\n      ${JSON.stringify(k)}: []`;
    const at = text.indexOf(mark);
    const inner = v.map(certificateText).join(',\n');
    text = `${text.slice(0, at)}\n      ${JSON.stringify(k)}: [\n${inner}\n      ]${text.slice(at + mark.length)}`;
  }
  for (const [k, t] of values) {
    const mark = `\n      ${JSON.stringify(k)}: 0`;
    const at = text.indexOf(mark);
    text = `${text.slice(0, at)}\n      ${JSON.stringify(k)}: ${t}${text.slice(at + mark.length)}`;
  }
  return text;
}
