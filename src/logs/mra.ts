/**
 * MRA proxied-request path segment: base64 of `<domain>/<scheme>/<host>/<port>`, `=` padding
 * stripped (expressway-reference.md §3; e.g. `c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw`
 * = `steven.lab/https/cucm.steven.lab/8443`). Decoding is lenient about the alphabet (`+/` or
 * `-_`) and padding, and accepts only printable ASCII containing at least one `/`.
 */
import type { MraTarget } from './types.js';

const B64_RE = /^[A-Za-z0-9+/_-]{8,400}={0,2}$/;

/** Decode one path segment; null unless it is printable ASCII with ≥1 `/`. */
export function decodeMraText(segment: string): string | null {
  if (!B64_RE.test(segment)) return null;
  let s = segment.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (s.length % 4 === 1) return null;
  while (s.length % 4 !== 0) s += '=';
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length === 0) return null;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return null;
  const text = bytes.toString('latin1');
  return text.includes('/') ? text : null;
}

/** Decode one segment into the four MRA fields; null when it is not that shape. */
export function decodeMraSegment(segment: string): MraTarget | null {
  const text = decodeMraText(segment);
  if (text === null) return null;
  const parts = text.split('/');
  if (parts.length < 4) return null;
  const [domain, scheme, host, portText] = parts;
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme) || host === '' || !/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { domain, scheme: scheme.toLowerCase(), host, port };
}

/**
 * A request target in origin form (path and query): an absolute URL without its scheme and authority,
 * which ends at the first / ? or # (RFC 3986 §3.2), '/' when nothing is left; anything else unchanged.
 */
export function originForm(url: string): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!origin) return url;
  const rest = url.slice(origin[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** First MRA segment among the first few path segments of a URL or origin-form path. */
export function findMra(url: string): MraTarget | null {
  let path = originForm(url);
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  const segs = path.split('/').filter((x) => x !== '');
  for (const seg of segs.slice(0, 3)) {
    const t = decodeMraSegment(seg);
    if (t !== null) return t;
  }
  return null;
}
