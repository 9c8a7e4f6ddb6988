/**
 * What correlation needs to know about one ConnectionSummary: normalised addresses, the name the
 * Traffic Server would have checked (ClientHello SNI, else the server IP), key times and whether
 * the handshake ended in a fatal alert from either side.
 */
import type { ConnectionSummary } from '../tls/summary.js';

export interface ConnFacts {
  c: ConnectionSummary;
  id: number;
  ip: string;
  port: number;
  clientIp: string;
  clientPort: number;
  start: number;
  /** the moment a verification warning would be logged: the client's alert, else the server's
   *  Certificate, ServerHello, ClientHello, first packet */
  ref: number;
  /** last known handshake time */
  end: number;
  /** ClientHello SNI (lower case) or null */
  sni: string | null;
  /** name ATS checks: SNI, or the server IP when the ClientHello has none */
  checked: string;
  hasHello: boolean;
  clientAlert: boolean;
  serverAlert: boolean;
}

/** Canonical text of an IP (IPv6 compressed lower case per RFC 5952; IPv4 as is). */
export function normIp(ip: string): string {
  let s = ip.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (!s.includes(':')) return s;
  try {
    return new URL(`http://[${s}]/`).hostname.slice(1, -1);
  } catch {
    return s.toLowerCase();
  }
}

/** Host names compare case-insensitively without a trailing dot; IPs compare canonically. */
export function normName(name: string): string {
  const s = name.trim().replace(/\.$/, '').toLowerCase();
  return s.includes(':') ? normIp(s) : s;
}

function isFatal(level: number, cleartext: boolean): boolean {
  return !cleartext || level === 2;
}

export function connFacts(c: ConnectionSummary): ConnFacts {
  let clientAlertAt: number | null = null;
  let clientAlert = false;
  let serverAlert = false;
  let end = c.startMicros;
  for (const a of c.alerts) {
    if (a.tsMicros > end) end = a.tsMicros;
    if (!isFatal(a.level, a.cleartext)) continue;
    if (a.from === 'client') {
      clientAlert = true;
      if (clientAlertAt === null) clientAlertAt = a.tsMicros;
    } else serverAlert = true;
  }
  for (const t of [c.clientHelloMicros, c.serverHelloMicros, c.serverCertificateMicros]) if (t !== null && t > end) end = t;
  const ip = normIp(c.server.ip);
  const sni = c.clientHello?.sni ? normName(c.clientHello.sni) : null;
  return {
    c, id: c.id, ip, port: c.server.port, clientIp: normIp(c.client.ip), clientPort: c.client.port, start: c.startMicros,
    ref: clientAlertAt ?? c.serverCertificateMicros ?? c.serverHelloMicros ?? c.clientHelloMicros ?? c.startMicros,
    end, sni, checked: sni ?? ip, hasHello: c.clientHello !== null, clientAlert, serverAlert,
  };
}
