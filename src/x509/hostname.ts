/**
 * Host name checks.
 *
 * atsNameCheck: Apache Traffic Server `validate_hostname(cert, name, is_ip=false)`
 * (src/tscore/X509HostnameValidator.cc), which the Expressway's proxy runs for every origin
 * connection: DNS SANs first (one wildcard, in the left-most label only; wildcards are tried only
 * when the name is longer than 5 characters and does not start with '.'), then the FIRST
 * commonName only, even when SANs exist. iPAddress SANs are never consulted.
 *
 * rfc6125NameCheck: what browsers and OpenSSL X509_check_host / X509_check_ip do (RFC 6125 §6.4):
 * an IP literal is compared with iPAddress SANs only; a DNS name with DNS SANs (OpenSSL wildcard
 * rules, partial wildcards allowed), falling back to the commonName only when no DNS SAN exists.
 */
import type { CertificateOut } from '../report/model.js';
import { formatIpBytes, parseIpLiteral } from './extensions.js';

const isAlnum = (c: string) => /[A-Za-z0-9]/.test(c);

function equalNocase(a: string, b: string): boolean {
  return a.length === b.length && a.replace(/[A-Z]/g, (c) => c.toLowerCase()) === b.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** ATS find_wildcard_in_hostname: index of a valid wildcard in the first label, or -1. */
function atsWildcard(p: string, idnaSubject: boolean): number {
  const len = p.length;
  if (len < 5) return -1;
  let finalDot = 0;
  for (let i = len - 2; i > 1; i--) {
    if (p[i] === '.') {
      finalDot = i;
      break;
    }
  }
  if (finalDot < 3) return -1;
  let wildcard = -1;
  for (let i = 0; i < finalDot; i++) {
    if (p[i] === '*') {
      if (wildcard !== -1) break;
      if (i === 0 || (i < finalDot - 1 && p[i + 1] === '.')) {
        if (idnaSubject && (i !== 0 || p[i + 1] !== '.')) break;
        wildcard = i;
      } else break;
    }
    if (p[i] === '.') return wildcard;
  }
  return -1;
}

/** Shared wildcard_match of ATS and OpenSSL; `extra` lists characters beyond [A-Za-z0-9-]. */
function wildcardMatch(pattern: string, star: number, subject: string, extra: string, idnaGuard: boolean): boolean {
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (subject.length < prefix.length + suffix.length) return false;
  if (!equalNocase(prefix, subject.slice(0, prefix.length))) return false;
  const wEnd = subject.length - suffix.length;
  if (!equalNocase(subject.slice(wEnd), suffix)) return false;
  const middle = subject.slice(prefix.length, wEnd);
  const fullLabel = prefix.length === 0 && suffix.startsWith('.');
  if (fullLabel && middle.length === 0) return false;
  if (idnaGuard && !fullLabel && subject.length >= 4 && subject.slice(0, 4).toLowerCase() === 'xn--') return false;
  if (middle === '*') return true;
  for (const c of middle) if (!(isAlnum(c) || c === '-' || extra.includes(c))) return false;
  return true;
}

/** ATS equal_wildcard. */
function atsEqual(pattern: string, subject: string): boolean {
  if (pattern.length === 0) return false;
  const idna = subject.length > 4 && subject.slice(0, 4).toLowerCase() === 'xn--';
  const star = subject.length > 5 && subject[0] !== '.' ? atsWildcard(pattern, idna) : -1;
  return star < 0 ? equalNocase(pattern, subject) : wildcardMatch(pattern, star, subject, '_', false);
}

/** OpenSSL valid_star (crypto/x509/v3_utl.c) with default flags (partial wildcards allowed). */
function opensslStar(p: string): number {
  let star = -1;
  let labelStart = true, idna = false, hyphen = false;
  let dots = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      const atEnd = i === p.length - 1 || p[i + 1] === '.';
      if (star !== -1 || idna || dots) return -1;
      if (!labelStart && !atEnd) return -1;
      star = i;
      labelStart = false;
    } else if (isAlnum(c)) {
      if (labelStart && p.length - i >= 4 && p.slice(i, i + 4).toLowerCase() === 'xn--') idna = true;
      labelStart = false;
      hyphen = false;
    } else if (c === '.') {
      if (hyphen || labelStart) return -1;
      labelStart = true;
      idna = false;
      dots++;
    } else if (c === '-') {
      if (labelStart) return -1;
      hyphen = true;
    } else return -1;
  }
  return labelStart || hyphen || dots < 2 ? -1 : star;
}

function opensslEqual(pattern: string, subject: string): boolean {
  if (pattern.length === 0 || pattern.includes('\0')) return false;
  const star = subject.length > 1 && subject[0] === '.' ? -1 : opensslStar(pattern);
  return star < 0 ? equalNocase(pattern, subject) : wildcardMatch(pattern, star, subject, '', true);
}

export interface NameCheckResult {
  ok: boolean;
  via: 'dns_san' | 'cn' | null;
  /** an iPAddress SAN equals the name (Traffic Server ignores it; browsers and OpenSSL accept it) */
  ipSanMatches: boolean;
}

function ipSanMatches(ipSans: readonly string[], name: string): boolean {
  const b = parseIpLiteral(name);
  if (!b) return false;
  const want = formatIpBytes(b);
  return ipSans.some((s) => {
    const sb = parseIpLiteral(s);
    return sb !== null && formatIpBytes(sb) === want;
  });
}

/** Traffic Server's check over explicit lists (the validator passes uncapped SAN lists). */
export function atsNameCheckLists(dns: readonly string[], ip: readonly string[], firstCn: string | null, name: string): NameCheckResult {
  const ipMatch = ipSanMatches(ip, name);
  if (name.length === 0) return { ok: false, via: null, ipSanMatches: false };
  if (dns.some((d) => atsEqual(d, name))) return { ok: true, via: 'dns_san', ipSanMatches: ipMatch };
  if (firstCn !== null && atsEqual(firstCn, name)) return { ok: true, via: 'cn', ipSanMatches: ipMatch };
  return { ok: false, via: null, ipSanMatches: ipMatch };
}

/** RFC 6125 / OpenSSL result over explicit lists. */
export function rfc6125NameCheckLists(dns: readonly string[], ip: readonly string[], cns: readonly string[], name: string): boolean {
  if (parseIpLiteral(name)) return ipSanMatches(ip, name);
  // a trailing dot is compared as it is, as X509_check_host does (a.example.com. does not match a SAN
  // a.example.com; the SAN a.example.com. does)
  if (dns.length > 0) return dns.some((d) => opensslEqual(d, name));
  return cns.some((cn) => opensslEqual(cn, name));
}

export function atsNameCheck(facts: CertificateOut, name: string): NameCheckResult {
  return atsNameCheckLists(facts.san.dns, facts.san.ip, facts.subject_cn, name);
}

export function rfc6125NameCheck(facts: CertificateOut, name: string): boolean {
  return rfc6125NameCheckLists(facts.san.dns, facts.san.ip, facts.subject_cn === null ? [] : [facts.subject_cn], name);
}
