/**
 * `--redact` / `--redact-ips`: a deep copy of the Report with user names (and optionally IP
 * addresses) replaced by consistent pseudonyms, so a report can be pasted into a case or a public
 * thread. Applied before any renderer, so table, Markdown and JSON agree.
 *
 * User names are learnt from the places MRA puts them (expressway-reference.md §3):
 * `/cucm-uds/user/<name>`, Jabber device config files `CSF<name>.cnf.xml` (also TCT, BOT, TAB),
 * `Username="<name>"` and `username=<name>` query parameters; then every whole-word occurrence of a
 * learnt name (≥ 3 characters, case-insensitive) is replaced everywhere. Pseudonyms: user1, user2… in
 * order of first appearance.
 * IP addresses: IPv4 (dotted quad) anywhere in text and IPv6 addresses found in structured fields
 * become documentation addresses (RFC 5737 192.0.2.x, 198.51.100.x, 203.0.113.x, then `ip-N`;
 * RFC 3849 2001:db8::x for IPv6), one per distinct address. Loopback and unspecified addresses are
 * kept. PEM text cannot be rewritten (it would no longer be the certificate), so with --redact-ips
 * PEMs are dropped (`pem: null`).
 * Hashes, serials, key identifiers and chain references are never touched.
 */
import type { Report } from './model.js';

export interface RedactOptions {
  users: boolean;
  ips: boolean;
}

export interface RedactionSummary {
  users: number;
  ips: number;
  pem_removed: boolean;
}

/** Keys whose string values are identifiers, not text. */
const SKIP_KEYS = new Set(['sha256', 'pem', 'serial', 'ski', 'aki', 'chain', 'anchor', 'cipher_suites', 'certificates_sha256']);

const USER_PATTERNS: readonly RegExp[] = [
  /(\/cucm-uds\/user\/)([^/?#\s"'&<>]+)/gi,
  /(\b(?:CSF|TCT|BOT|TAB))([A-Za-z0-9._-]+?)(?=\.cnf\.xml)/g,
  /(\bUser[-_]?name=")([^"]+)(?=")/gi,
  /([?&]user[-_]?name=)([^&#\s"'<>]+)/gi,
];

/** Path and protocol words never replaced as whole words, even when a user is called that. */
const STRUCTURAL_WORDS = new Set(['user', 'users', 'devices', 'cucm', 'uds', 'true', 'false', 'null', 'http', 'https']);

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function mapStrings(v: Json, key: string | null, f: (s: string) => string): Json {
  if (key !== null && SKIP_KEYS.has(key)) return v;
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, null, f));
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, k, f);
    return out;
  }
  return v;
}

function forEachString(v: Json, key: string | null, f: (s: string, key: string | null) => void): void {
  if (key !== null && SKIP_KEYS.has(key)) return;
  if (typeof v === 'string') f(v, key);
  else if (Array.isArray(v)) v.forEach((x) => forEachString(x, key, f));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) forEachString(x, k, f);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isKeptIp(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '::' || ip === '::1';
}

/** Pseudonym allocator for IPs that never hands out an address that is itself in the report. */
function ipAllocator(taken: Set<string>): { v4: () => string; v6: () => string } {
  const nets = ['192.0.2.', '198.51.100.', '203.0.113.'];
  let n4 = 0;
  let n6 = 0;
  return {
    v4: () => {
      for (;;) {
        n4++;
        const net = Math.floor((n4 - 1) / 254);
        const cand = net < nets.length ? `${nets[net]}${((n4 - 1) % 254) + 1}` : `ip-${n4}`;
        if (!taken.has(cand)) return cand;
      }
    },
    v6: () => {
      for (;;) {
        n6++;
        const cand = `2001:db8::${n6.toString(16)}`;
        if (!taken.has(cand)) return cand;
      }
    },
  };
}

function collectIps(report: Report): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  const add = (ip: string | null | undefined): void => {
    if (!ip) return;
    if (ip.includes(':')) { if (!v6.includes(ip)) v6.push(ip); } else if (!v4.includes(ip)) v4.push(ip);
  };
  for (const c of report.connections) {
    add(c.client.ip);
    add(c.server.ip);
    for (const cert of [...c.certificates, ...c.client_certificates]) cert.san.ip.forEach(add);
  }
  for (const f of report.findings) add(f.server.ip);
  forEachString(report as unknown as Json, null, (s) => { for (const m of s.matchAll(IPV4)) add(m[0]); });
  return { v4, v6 };
}

export function redactReport(report: Report, opts: RedactOptions): { report: Report; summary: RedactionSummary } {
  let data = JSON.parse(JSON.stringify(report)) as Json;
  const summary: RedactionSummary = { users: 0, ips: 0, pem_removed: false };

  if (opts.users) {
    const names = new Map<string, string>();
    forEachString(data, null, (s) => {
      const found = USER_PATTERNS.flatMap((re) => [...s.matchAll(re)].map((m) => ({ at: m.index ?? 0, name: m[2].toLowerCase() })));
      for (const { name } of found.sort((a, b) => a.at - b.at)) {
        if (!names.has(name) && !/^user\d+$/.test(name)) names.set(name, `user${names.size + 1}`);
      }
    });
    summary.users = names.size;
    if (names.size > 0) {
      const words = [...names.keys()].filter((n) => n.length >= 3 && !STRUCTURAL_WORDS.has(n)).sort((a, b) => b.length - a.length);
      const wordRe = words.length > 0 ? new RegExp(`(?<![A-Za-z0-9_.-])(?:${words.map(escapeRegExp).join('|')})(?![A-Za-z0-9_-])`, 'gi') : null;
      data = mapStrings(data, null, (s) => {
        let t = s;
        for (const re of USER_PATTERNS) t = t.replace(re, (all, pre: string, name: string) => `${pre}${names.get(name.toLowerCase()) ?? name}`);
        if (wordRe !== null) t = t.replace(wordRe, (w) => names.get(w.toLowerCase()) ?? w);
        return t;
      });
    }
  }

  if (opts.ips) {
    const { v4, v6 } = collectIps(data as unknown as Report);
    const alloc = ipAllocator(new Set([...v4, ...v6]));
    const map = new Map<string, string>();
    for (const ip of v4) if (!isKeptIp(ip)) map.set(ip, alloc.v4());
    for (const ip of v6) if (!isKeptIp(ip)) map.set(ip, alloc.v6());
    summary.ips = map.size;
    const v6s = [...map.keys()].filter((k) => k.includes(':')).sort((a, b) => b.length - a.length);
    const v6Re = v6s.length > 0 ? new RegExp(`(?<![0-9a-fA-F:])(?:${v6s.map(escapeRegExp).join('|')})(?![0-9a-fA-F:])`, 'g') : null;
    data = mapStrings(data, null, (s) => {
      let t = s.replace(IPV4, (ip) => map.get(ip) ?? ip);
      if (v6Re !== null) t = t.replace(v6Re, (ip) => map.get(ip) ?? ip);
      return t;
    });
    const r = data as unknown as Report;
    for (const c of r.connections) {
      for (const cert of [...c.certificates, ...c.client_certificates]) {
        if (cert.pem !== null) { cert.pem = null; summary.pem_removed = true; }
      }
    }
  }
  return { report: data as unknown as Report, summary };
}
