/**
 * Log verdict vs our verdict (issue: "when the log's verdict disagrees with tls-extract's own verdict
 * for that connection, that is a finding of its own"). Traffic Server's warnings carry OpenSSL's error
 * text and depth; we recompute the verdict from the captured chain and the trust store. A difference
 * usually means the trust store given is not the one the Expressway had, or the log line belongs to
 * another node or another moment.
 */
import type { ConnectionOut, FindingOut, LogEventOut, ValidationCode } from './model.js';

/** OpenSSL texts (1.1.1 and 3.x spellings) → our codes. Order matters: longest first. */
const TEXT_CODES: [RegExp, ValidationCode][] = [
  [/self[- ]signed certificate in certificate chain/i, 'self_signed_in_chain'],
  [/self[- ]signed certificate/i, 'self_signed'],
  [/unable to get (local )?issuer certificate|unable to verify the first certificate/i, 'unknown_issuer'],
  [/certificate has expired/i, 'expired'],
  [/certificate is not yet valid/i, 'not_yet_valid'],
  [/format error in certificate's not(Before|After) field/i, 'bad_time_format'],
  [/certificate signature failure/i, 'bad_signature'],
  [/invalid CA certificate|path length constraint exceeded|key usage does not include certificate signing/i, 'invalid_ca'],
  [/(unsupported|unsuitable) certificate purpose/i, 'invalid_purpose'],
  [/certificate chain too long/i, 'chain_too_long'],
  [/(EE|CA) certificate key too weak/i, 'weak_key'],
  [/CA signature digest algorithm too weak/i, 'weak_digest'],
  [/unhandled critical extension/i, 'unhandled_critical'],
  [/(permitted|excluded) subtree violation|name constraints minimum and maximum|unsupported name constraint type|unsupported or invalid name syntax/i, 'name_constraints'],
];

/** What a Traffic Server warning claims: an error code and depth, or null when it says nothing checkable. */
export function logClaim(e: LogEventOut): { code: ValidationCode; depth: number | null } | null {
  if (e.kind === 'sni_mismatch' || e.kind === 'origin_hostname_mismatch') return { code: 'name_mismatch', depth: 0 };
  if (e.kind !== 'verify_failed') return null;
  const err = errorText(e.text);
  const depth = /depth=(\d+)/.exec(e.text);
  for (const [re, code] of TEXT_CODES) if (re.test(err)) return { code, depth: depth ? Number(depth[1]) : null };
  return null;
}

/**
 * The `Error=` text of a verification warning: what /^Error=(.*?)\s+server=/ matches from the first
 * `Error=` (the capture stays on its line; the blanks before `server=` may not), computed in one pass
 * instead of by backtracking, which was quadratic on a hostile line of blanks; the whole text when
 * there is no match.
 */
export function errorText(text: string): string {
  const at = text.indexOf('Error=');
  if (at < 0) return text;
  const from = at + 6;
  let eol = from;
  while (eol < text.length && !LINE_END.has(text[eol])) eol++;
  for (let j = text.indexOf('server=', from); j >= 0; j = text.indexOf('server=', j + 1)) {
    let k = j;
    while (k > from && WS.test(text[k - 1])) k--;
    if (k === j) continue; // no blank before this server=
    if (k > eol) break; // the capture would cross a line end (so would every later one)
    return text.slice(from, k);
  }
  return text;
}

/**
 * The `Error=` value of a verification warning the log parser did not read whole (a line without the
 * `server=` part, an unknown wording): up to ` server=` or ` depth=` or the end of its line; null if none
 * (log-only rows; `errorText` above keeps the whole line instead, as the reason of a logged refusal).
 */
export function errorField(text: string): string | null {
  const at = text.indexOf('Error=');
  if (at < 0) return null;
  let v = text.slice(at + 6);
  for (const end of [' server=', ' depth=', '\n', '\r']) {
    const i = v.indexOf(end);
    if (i >= 0) v = v.slice(0, i);
  }
  v = v.trim();
  return v === '' ? null : v;
}

const LINE_END: ReadonlySet<string> = new Set(['\n', '\r', '\u2028', '\u2029']);
const WS = /^\s$/;

/**
 * One finding per server:port and claim, listing every connection where the log and we disagree. Fed one
 * connection at a time (the streamed report builds each connection once and keeps only a slim view).
 */
export class LogDisagreements {
  private readonly byKey = new Map<string, FindingOut>();

  /** The connection at `index` of the report (its id, else that index, names it in a finding). */
  add(c: ConnectionOut, index: number): void {
    if (c.validation.status === 'not_checked') return; // nothing of ours to compare (TLS 1.3, no trust store)
    for (const e of c.log_events) {
      const claim = logClaim(e);
      if (claim === null) continue;
      const ours = c.validation.errors;
      const agrees = ours.some((x) => x.code === claim.code && (claim.depth === null || x.depth === claim.depth));
      if (agrees) continue;
      const ourWords = ours.length === 0 ? 'the certificate captured on this connection chains to the trust store and passes the name check'
        : `our verdict for the captured chain is ${ours.map((x) => `${x.code}${x.depth === null ? '' : ` at depth ${x.depth}`}`).join(', ')}`;
      const server = c.validation.checked_name ?? c.server.ip;
      const key = `${c.server.ip}|${c.server.port}|${claim.code}|${claim.depth}`;
      const seen = this.byKey.get(key);
      if (seen) {
        seen.connections.push(c.id ?? index);
        seen.log_events++;
        return;
      }
      this.byKey.set(key, {
        server: { ip: c.server.ip, port: c.server.port, name: c.validation.checked_name },
        service: null,
        verdict: 'info',
        code: 'log_disagrees',
        severity: 'warning',
        title: `${server}:${c.server.port}: the log's verdict differs from the captured certificate's`,
        reason: `${e.file}:${e.line} says ${claim.code}${claim.depth === null ? '' : ` at depth ${claim.depth}`} ("${e.text.slice(0, 200)}"), but ${ourWords}`,
        fix: [
          'Check that the trust store given to tls-extract is the one the Expressway-C had at the time (a bundle\'s ca_*.pem is; an export made later may already contain the fix)',
          'Check that the log and the capture come from the same cluster node and the same moment (each peer has its own log and capture)',
        ],
        connections: [c.id ?? index],
        certificates: c.certificates.slice(0, 1).map((x) => x.sha256),
        log_events: 1,
      });
      return; // one claim per connection
    }
  }

  findings(): FindingOut[] {
    return [...this.byKey.values()];
  }
}

/** `LogDisagreements` over a whole list. */
export function logDisagreementFindings(connections: readonly ConnectionOut[]): FindingOut[] {
  const acc = new LogDisagreements();
  connections.forEach((c, index) => acc.add(c, index));
  return acc.findings();
}
