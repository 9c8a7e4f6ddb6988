/**
 * Apache Traffic Server origin-certificate and connect messages, every version's wording
 * (expressway-reference.md §2.1 table, regexes §7.2). Sources: iocore/net/SSLClientUtils.cc
 * `verify_callback` (8.0.0 … 9.2.15, master), iocore/net/SSLNetVConnection.cc
 * `sslClientHandShakeEvent`, proxy/http/HttpSM.cc (9.2 error.log
 * `CONNECT: attempt fail [{}] to {} for host='{}' connection_result={::s} error={::s} attempts={} url='{}'`,
 * checked against the strings of the Debian 9.2 traffic_server binary).
 * Whitespace is matched flexibly; the optional `[ET_NET n]` thread tag and `LEVEL:` word are
 * handled by the caller. Each matcher returns the fields the message carries.
 */
import type { EventFields } from '../types.js';

export type AtsFields = EventFields;

/*
 * Linear-time patterns (a log line is untrusted input, up to limits.maxLogLineBytes): no two adjacent
 * variable-length parts may match the same characters. `\(\s*([^)]*?)\s*\)` and `(.*?)\s+server` split
 * a run of blanks in O(n^2) ways and, chained, took seconds on 2,000 blanks; here a group takes
 * everything up to its delimiter and is trimmed in code, a lazy group stops before one blank, and
 * `=\s*(name)?\s*\(` is written so that its two blank runs cannot meet when the name is empty.
 */
const VERIFY_RE =
  /Core server certificate verification failed for\s*\(([^)]*)\)[\s.]*Action\s*=\s*(\w+)\s+Error\s*=(.*?)\sserver\s*=\s*(?:([^(\s]+)\s*)?\(([^)]*)\)\s*depth\s*=\s*(\d+)/;
const SNI_RE =
  /SNI\s*\(([^)]*)\)\s*not in certificate[\s.]*Action\s*=\s*(\w+)\s+server\s*=\s*(?:([^(\s]+)\s*)?\(([^)]*)\)/;
const ORIGIN_RE =
  /Origin hostname\s*\(([^)]*)\)\s*not in certificate[\s.]*Action\s*=\s*(\w+)\s+server\s*=\s*(?:([^(\s]+)\s*)?\(([^)]*)\)/;
const PLUGIN_RE =
  /TS_EVENT_SSL_VERIFY_SERVER plugin failed the origin certificate check for\s+(\S+?)\.\s+Action\s*=\s*(\w+)\s+SNI\s*=\s*(\S*)/;
// (the s flag on the two patterns that run to `$`: a CR or U+2028/U+2029 left inside the line stops a
// plain `.`, and `\s*:?\s*(.*)$` then tried every split of the blanks before it, cubic: 1,000 blanks
// and `x\rx` took 1.3 s, 10,000 more than 9 minutes; the message was lost besides)
const SSL_FAILED_RE = /SSL connection failed for\s*'([^']*)'\s*:?\s*(.*)$/s;
const CONNECT_92_RE =
  /CONNECT: attempt fail\s*\[([^\]]*)\]\s*to\s+(\[[0-9A-Fa-f:.]+\]|[0-9.]+|[0-9A-Fa-f:.]+?)(?::(\d{1,5}))?\s+for host='([^']*)'(.*)$/s;
const CONNECT_OLD_RE = /CONNECT:\s*(?:\[\d+\]\s*)?could not connect\s*(?:\[([^\]]*)\]\s*)?to\s+(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+?)(?::(\d{1,5}))?\s+for\s+'([^']*)'/;
const LEGACY_HOST_RE = /(Hostname|IP) verification failed for\s*\(([^)]*)\)( but still continuing)?/;
const LEGACY_SERVER_RE =
  /Server certificate verification failed(?: for (\S+))?(?: but (?:still )?continuing with the connection establishment)?(?::([^:]*):(.*))?/;

/** Strip the brackets of an IPv6 endpoint literal. */
function bareIp(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}

function hostOfUrl(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  return m ? bareIp(m[1]) : null;
}

/** Match one ATS message anywhere in `text`; null if none applies. */
export function matchAtsMessage(text: string): AtsFields | null {
  // cheap keyword gate before any regex
  if (text.includes('verification failed for')) {
    const m = VERIFY_RE.exec(text);
    if (m) {
      return { kind: 'verify_failed', sni: m[1].trim(), action: m[2], error: m[3].trim(), serverName: m[4] || null, serverIp: m[5].trim() || null, depth: Number(m[6]) };
    }
  }
  if (text.includes('not in certificate')) {
    let m = SNI_RE.exec(text);
    if (m) return { kind: 'sni_mismatch', sni: m[1].trim(), action: m[2], serverName: m[3] || null, serverIp: m[4].trim() || null };
    m = ORIGIN_RE.exec(text);
    if (m) return { kind: 'origin_hostname_mismatch', sni: m[1].trim(), action: m[2], serverName: m[3] || null, serverIp: m[4].trim() || null };
  }
  if (text.includes('TS_EVENT_SSL_VERIFY_SERVER')) {
    const m = PLUGIN_RE.exec(text);
    if (m) return { kind: 'plugin_verify_failed', serverName: m[1], action: m[2], sni: m[3] || null };
  }
  if (text.includes('SSL connection failed')) {
    const m = SSL_FAILED_RE.exec(text);
    if (m) return { kind: 'ssl_connect_failed', sni: m[1], error: m[2].trim() || null };
  }
  if (text.includes('CONNECT:')) return matchConnect(text);
  if (text.includes('verification failed')) return matchLegacy(text);
  return null;
}

function matchConnect(text: string): AtsFields | null {
  const m = CONNECT_92_RE.exec(text);
  if (m) {
    const rest = m[5];
    const url = /\burl='([^']*)'/.exec(rest)?.[1] ?? null;
    // (one blank in the lookahead, not \s+: linear; the value is trimmed instead)
    const err = /\berror=(.*?)(?=\s\w+=|$)/.exec(rest)?.[1]?.trim() ?? null;
    const result = /\bconnection_result=(.*?)(?=\s\w+=|$)/.exec(rest)?.[1]?.trim() ?? null;
    return {
      kind: 'connect_attempt_failed', reason: m[1], serverIp: bareIp(m[2]), serverPort: m[3] ? Number(m[3]) : null,
      url, serverName: url ? hostOfUrl(url) : null, error: err ?? result,
    };
  }
  const o = CONNECT_OLD_RE.exec(text);
  if (o) {
    return {
      kind: 'connect_attempt_failed', reason: o[1] ?? null, serverIp: bareIp(o[2]), serverPort: o[3] ? Number(o[3]) : null,
      url: o[4], serverName: hostOfUrl(o[4]),
    };
  }
  return null;
}

function matchLegacy(text: string): AtsFields | null {
  const h = LEGACY_HOST_RE.exec(text);
  if (h) return { kind: 'hostname_verify_failed_legacy', sni: h[2], action: h[3] ? 'Continue' : 'Terminate' };
  if (/Server certificate verification failed/.test(text) && !text.includes('Core server')) {
    const s = LEGACY_SERVER_RE.exec(text);
    const cont = /continuing/.test(text);
    return {
      kind: 'server_verify_failed_legacy', sni: s?.[1] ?? (s?.[2]?.trim() || null), action: cont ? 'Continue' : 'Terminate',
      error: s?.[3]?.trim() || null,
    };
  }
  return null;
}

/** `[ET_NET 0]` / `{0x7f…}` thread tag and `WARNING:` level at the start of a diag text. */
const DIAG_HEAD_RE = /^\s*(?:(?:\[([^\]]{1,40})\]|\{[^}]{1,40}\}|([A-Za-z_][\w-]{0,40}))\s*)?(DIAG|DEBUG|STATUS|NOTE|WARNING|ERROR|FATAL|ALERT|EMERGENCY)\s*:\s*/;
// (the blank run after an optional tag belongs to the tag's group: `^\s*(tag)?\s*LEVEL` let the two
// runs split the blanks of a hostile line in O(n^2) ways)

/** Split `[ET_NET 0] WARNING: text` into level and text; null when it has no level word. */
export function splitDiag(s: string): { thread: string | null; level: string; text: string } | null {
  const m = DIAG_HEAD_RE.exec(s);
  if (!m) return null;
  return { thread: m[1] ?? m[2] ?? null, level: m[3], text: s.slice(m[0].length) };
}
