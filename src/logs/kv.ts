/**
 * Cisco Expressway `Key="Value"` payloads (expressway-reference.md §1.4): values are double-quoted,
 * contain no `"`, may be followed by `:` (`Level="INFO":`) and may have a space after `=`
 * (`Detail= "Peer's TLS certificate identity was unacceptable"`). First occurrence of a key wins.
 */
const KV_RE = /(?<![\w.-])([A-Za-z][\w.-]*)= ?"([^"]*)"/g; // the lookbehind keeps it linear on long key-like runs (fuzz 5d2c20f220bd)

export function parseKv(s: string): Map<string, string> {
  const out = new Map<string, string>();
  KV_RE.lastIndex = 0;
  for (let m = KV_RE.exec(s); m !== null; m = KV_RE.exec(s)) {
    if (!out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

/** True when `s` has an odd number of `"` (a quoted value continues on the next line). */
export function hasOpenQuote(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return (n & 1) === 1;
}

/** `"10.48.36.215"` → itself; `"8443"` → 8443; anything else → null. */
export function portOf(v: string | undefined): number | null {
  if (v === undefined || !/^\d{1,5}$/.test(v.trim())) return null;
  const n = Number(v);
  return n <= 65535 ? n : null;
}

export function nonEmpty(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
}
