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
 * `=\s*(name)?\s*\(` is written so that its two blank runs cannot meet when the name is empty. The
 * patterns are not anchored, so a field runs at most 1,024 characters (4,096 for error texts): unbounded,
 * `\(([^)]*)\)` ran to the end of the line from each of thousands of keyword starts (`SNI(` repeated
 * over 60 KB, then `not in certificate`: 4.3 s for one line). No real field comes near the bounds.
 */
const VERIFY_RE =
  /Core server certificate verification failed for\s*\(([^)]{0,1024})\)[\s.]*Action\s*=\s*(\w+)\s+Error\s*=(.{0,4096}?)\sserver\s*=\s*(?:([^(\s]{1,1024})\s*)?\(([^)]{0,1024})\)\s*depth\s*=\s*(\d+)/;
const SNI_RE =
  /SNI\s*\(([^)]{0,1024})\)\s*not in certificate[\s.]*Action\s*=\s*(\w+)\s+server\s*=\s*(?:([^(\s]{1,1024})\s*)?\(([^)]{0,1024})\)/;
const ORIGIN_RE =
  /Origin hostname\s*\(([^)]{0,1024})\)\s*not in certificate[\s.]*Action\s*=\s*(\w+)\s+server\s*=\s*(?:([^(\s]{1,1024})\s*)?\(([^)]{0,1024})\)/;
const PLUGIN_RE =
  /TS_EVENT_SSL_VERIFY_SERVER plugin failed the origin certificate check for\s+(\S+?)\.\s+Action\s*=\s*(\w+)\s+SNI\s*=\s*(\S*)/;
// (the s flag on the two patterns that run to `$`: a CR or U+2028/U+2029 left inside the line stops a
// plain `.`, and `\s*:?\s*(.*)$` then tried every split of the blanks before it, cubic: 1,000 blanks
// and `x\rx` took 1.3 s, 10,000 more than 9 minutes; the message was lost besides)
const SSL_FAILED_RE = /SSL connection failed for\s*'([^']{0,1024})'\s*:?\s*(.*)$/s;
const CONNECT_92_RE =
  /CONNECT: attempt fail\s*\[([^\]]{0,1024})\]\s*to\s+(\[[0-9A-Fa-f:.]+\]|[0-9.]+|[0-9A-Fa-f:.]+?)(?::(\d{1,5}))?\s+for host='([^']{0,1024})'(.*)$/s;
const CONNECT_OLD_RE = /CONNECT:\s*(?:\[\d+\]\s*)?could not connect\s*(?:\[([^\]]{0,1024})\]\s*)?to\s+(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+?)(?::(\d{1,5}))?\s+for\s+'([^']{0,1024})'/;
const LEGACY_HOST_RE = /(Hostname|IP) verification failed for\s*\(([^)]{0,1024})\)( but still continuing)?/;
const LEGACY_SERVER_RE =
  /Server certificate verification failed(?: for (\S+))?(?: but (?:still )?continuing with the connection establishment)?(?::([^:]{0,4096}):(.*))?/;

/** Strip the brackets of an IPv6 endpoint literal. */
function bareIp(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}

function hostOfUrl(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  return m ? bareIp(m[1]) : null;
}

/** characters of a line kept before and after a message's keyword (fields are bounded: see the patterns) */
const BEFORE_KEYWORD = 1200;
const AFTER_KEYWORD = 8192;

/**
 * The part of `text` where the message around the keyword at `at` can lie: the whole text when short (every
 * real line), else a window, so that a hostile 64 KiB line of repeated keyword starts costs the window.
 */
function around(text: string, at: number): string {
  return text.length <= BEFORE_KEYWORD + AFTER_KEYWORD ? text : text.slice(Math.max(0, at - BEFORE_KEYWORD), at + AFTER_KEYWORD);
}

/** Match one ATS message in `text` (around the first occurrence of its keyword); null if none applies. */
export function matchAtsMessage(text: string): AtsFields | null {
  // cheap keyword gate before any regex
  let k = text.indexOf('verification failed for');
  if (k >= 0) {
    const m = VERIFY_RE.exec(around(text, k));
    if (m) {
      return { kind: 'verify_failed', sni: m[1].trim(), action: m[2], error: m[3].trim(), serverName: m[4] || null, serverIp: m[5].trim() || null, depth: Number(m[6]) };
    }
  }
  k = text.indexOf('not in certificate');
  if (k >= 0) {
    const t = around(text, k);
    let m = SNI_RE.exec(t);
    if (m) return { kind: 'sni_mismatch', sni: m[1].trim(), action: m[2], serverName: m[3] || null, serverIp: m[4].trim() || null };
    m = ORIGIN_RE.exec(t);
    if (m) return { kind: 'origin_hostname_mismatch', sni: m[1].trim(), action: m[2], serverName: m[3] || null, serverIp: m[4].trim() || null };
  }
  k = text.indexOf('TS_EVENT_SSL_VERIFY_SERVER');
  if (k >= 0) {
    const m = PLUGIN_RE.exec(around(text, k));
    if (m) return { kind: 'plugin_verify_failed', serverName: m[1], action: m[2], sni: m[3] || null };
  }
  k = text.indexOf('SSL connection failed');
  if (k >= 0) {
    const m = SSL_FAILED_RE.exec(around(text, k));
    if (m) return { kind: 'ssl_connect_failed', sni: m[1], error: m[2].trim() || null };
  }
  k = text.indexOf('CONNECT:');
  if (k >= 0) return matchConnect(around(text, k));
  k = text.indexOf('verification failed');
  if (k >= 0) return matchLegacy(around(text, k));
  return null;
}

const ERROR_KEY_RE = /\berror=/;
const RESULT_KEY_RE = /\bconnection_result=/;
const NEXT_KEY_RE = /\w+=/y;
const BLANK_RE = /\s/;

/**
 * The value after the first match of `key` (`error=`) in a CONNECT line's tail: up to the next blank
 * followed by `name=`, or the end; trimmed. Linear: each word run looked at starts after its own blank.
 * (`(.*?)(?=\s\w+=|$)` looked ahead at every character: 0.8 s for a 16 KB run of `error=` and tabs.)
 */
function fieldValue(rest: string, key: RegExp): string | null {
  const m = key.exec(rest);
  if (m === null) return null;
  const start = m.index + m[0].length;
  for (let i = start; i < rest.length; i++) {
    if (!BLANK_RE.test(rest[i])) continue;
    NEXT_KEY_RE.lastIndex = i + 1;
    if (NEXT_KEY_RE.test(rest)) return rest.slice(start, i).trim();
  }
  return rest.slice(start).trim();
}

function matchConnect(text: string): AtsFields | null {
  const m = CONNECT_92_RE.exec(text);
  if (m) {
    const rest = m[5];
    const url = /\burl='([^']*)'/.exec(rest)?.[1] ?? null;
    const err = fieldValue(rest, ERROR_KEY_RE);
    const result = fieldValue(rest, RESULT_KEY_RE);
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
