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
 * A connection, written field by field at its indentation (what `JSON.stringify(report, null, 2)`
 * prints for it): certificate lists from the per-certificate cache (75 % of a report's bytes; the same
 * few certificates recur on thousands of connections), shared objects from theirs, everything else by
 * JSON.stringify itself. Values JSON.stringify would treat specially (toJSON, BigInt) send the whole
 * connection through the plain path.
 */
function connectionText(item: unknown): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item) || typeof (item as { toJSON?: unknown }).toJSON === 'function') {
    return elementText('connections', item);
  }
  const conn = item as Record<string, unknown>;
  let out = '';
  for (const k in conn) {
    if (!Object.prototype.hasOwnProperty.call(conn, k)) continue;
    const v = conn[k];
    const t = fieldText(k, v);
    if (t === undefined) return elementText('connections', item);
    if (t === null) continue; // omitted, as JSON.stringify omits undefined and functions
    out += `${out === '' ? '' : ','}\n${VALUE_INDENT}${JSON.stringify(k)}: ${t}`;
  }
  return out === '' ? '    {}' : `    {${out}\n    }`;
}

/** One field's value text at six spaces; null = omitted; undefined = needs the plain path. */
function fieldText(k: string, v: unknown): string | null | undefined {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'undefined': case 'function': case 'symbol': return null;
    case 'bigint': return undefined;
    default: break;
  }
  if (v === null) return 'null';
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (k === 'certificates' || k === 'client_certificates') {
      if (v.some((c) => c !== null && typeof c === 'object' && typeof (c as { toJSON?: unknown }).toJSON === 'function')) return undefined;
      return `[\n${v.map(certificateText).join(',\n')}\n${VALUE_INDENT}]`;
    }
  } else if ((SHARED_KEYS as readonly string[]).includes(k)) {
    const t = sharedText(v as object);
    if (t !== null) return t;
  }
  return JSON.stringify(v, null, 2).replace(/\n/g, `\n${VALUE_INDENT}`);
}
