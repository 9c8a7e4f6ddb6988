/**
 * Cisco Expressway `Key="Value"` entries → LogEvent fields (expressway-reference.md §1.4; the
 * traffic_server request lines of the seed technote): `Detail="Receive Request|Sending Request|
 * Receive Response|Sending Response"`, `Event="Request Allowed"`, `Event="Sending HTTP error
 * response"`, tvcs `Detail="TCP Connection Closed"`, `Event="Outbound TLS Negotiation Error"`.
 * The exact key sets are not documented by Cisco: keys are read generically and every one optional.
 */
import { findMra } from '../mra.js';
import { nonEmpty, portOf } from '../kv.js';
import type { AtsFields } from './ats-messages.js';

const REQUEST_LINE_RE = /^\s*(?:\|\s*)?([A-Z][A-Z_-]{2,15})\s+(\S+)\s+HTTP\/\d(?:\.\d)?\b/;
// (unanchored: no `\|?\s*` before HTTP, which only widened m[0] and was quadratic on blank runs)
const STATUS_LINE_RE = /HTTP\/\d(?:\.\d)?\s+(\d{3})\b[ \t]*([^\n|]*)/;
const HOST_HEADER_RE = /^\s*Host:\s*(\S+)/i;

function stripPort(hostPort: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (v6) return v6[1];
  const i = hostPort.lastIndexOf(':');
  return i > 0 && hostPort.indexOf(':') === i ? hostPort.slice(0, i) : hostPort;
}

/** Request line from `Msg="GET … HTTP/1.1"` or an HTTPMSG `|GET …` continuation line. */
function requestLine(kv: Map<string, string>, conts: string[]): { method: string; url: string } | null {
  const msg = kv.get('Msg');
  const m = msg !== undefined ? REQUEST_LINE_RE.exec(msg) : null;
  if (m) return { method: m[1], url: m[2] };
  for (const c of conts) {
    if (!c.includes('|')) continue;
    const r = REQUEST_LINE_RE.exec(c);
    if (r) return { method: r[1], url: r[2] };
  }
  return null;
}

/** Status line from `Msg="HTTP/1.1 502 connect failed"` or an HTTPMSG `|HTTP/1.1 …` line. */
function statusLine(kv: Map<string, string>, payload: string, conts: string[]): { status: number; reason: string | null } | null {
  for (const s of [kv.get('Msg'), payload, ...conts]) {
    if (s === undefined || !s.includes('HTTP/')) continue;
    const m = STATUS_LINE_RE.exec(s.replace(/\s+/g, ' '));
    if (m) {
      // a collapsed HTTPMSG (`|HTTP/1.1 403 Forbidden Date: …`) continues with headers: cut there
      // (a header right after the code: no reason phrase, as Tomcat sends `HTTP/1.1 200 `)
      const reason = m[2].split(/(?:^|\s+)[A-Za-z][\w-]*:\s/)[0].trim();
      return { status: Number(m[1]), reason: reason === '' ? null : reason };
    }
  }
  return null;
}

function hostHeader(conts: string[]): string | null {
  for (const c of conts) {
    const m = HOST_HEADER_RE.exec(c);
    if (m) return stripPort(m[1]);
  }
  return null;
}

function urlHostPort(url: string): { host: string; port: number | null } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d{1,5}))?/i.exec(url);
  if (!m) return null;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const port = m[3] ? Number(m[3]) : m[1].toLowerCase() === 'https' ? 443 : m[1].toLowerCase() === 'http' ? 80 : null;
  return { host, port };
}

/** Map a parsed Key="Value" entry to event fields; null when it is not one we use. */
export function kvEvent(kv: Map<string, string>, payload: string, conts: string[]): AtsFields | null {
  const detail = kv.get('Detail')?.trim();
  const event = kv.get('Event')?.trim();
  const common = { txnId: nonEmpty(kv.get('Txn-id')), trackingId: nonEmpty(kv.get('TrackingID') ?? kv.get('TrackingId')) };
  switch (detail) {
    case 'Receive Request': {
      const r = requestLine(kv, conts);
      return {
        kind: 'request_received', ...common, srcIp: nonEmpty(kv.get('Src-ip')), srcPort: portOf(kv.get('Src-port')),
        method: r?.method ?? null, url: r?.url ?? null, mra: r ? findMra(r.url) : null,
      };
    }
    case 'Sending Request': {
      const r = requestLine(kv, conts);
      return {
        kind: 'request_sent', ...common, serverIp: nonEmpty(kv.get('Dst-ip')), serverPort: portOf(kv.get('Dst-port')),
        method: r?.method ?? null, url: r?.url ?? null, serverName: hostHeader(conts), mra: r ? findMra(r.url) : null,
      };
    }
    case 'Receive Response': {
      const s = statusLine(kv, payload, conts);
      return {
        kind: 'response_received', ...common, serverIp: nonEmpty(kv.get('Src-ip')), serverPort: portOf(kv.get('Src-port')),
        status: s?.status ?? null, reason: s?.reason ?? null,
      };
    }
    case 'Sending Response': {
      const s = statusLine(kv, payload, conts);
      return {
        kind: 'response_sent', ...common, srcIp: nonEmpty(kv.get('Dst-ip')), srcPort: portOf(kv.get('Dst-port')),
        status: s?.status ?? null, reason: s?.reason ?? null,
      };
    }
    case 'TCP Connection Closed':
      return {
        kind: 'tcp_closed', ...common, srcIp: nonEmpty(kv.get('Src-ip')), srcPort: portOf(kv.get('Src-port')),
        serverIp: nonEmpty(kv.get('Dst-ip')), serverPort: portOf(kv.get('Dst-port')), reason: nonEmpty(kv.get('Reason')),
      };
  }
  if (event === 'Request Allowed') {
    const url = nonEmpty(kv.get('Request'));
    const hp = url ? urlHostPort(url) : null;
    return {
      kind: 'request_allowed', ...common, method: nonEmpty(kv.get('Method')), url, serverName: hp?.host ?? null,
      serverPort: hp?.port ?? null, reason: nonEmpty(kv.get('Reason')), mra: url ? findMra(url) : null,
    };
  }
  if (event === 'Sending HTTP error response') {
    const status = portOf(kv.get('Status'));
    return {
      kind: 'http_error_response', ...common, status, reason: nonEmpty(kv.get('Reason')),
      srcIp: nonEmpty(kv.get('Dst-ip')), srcPort: portOf(kv.get('Dst-port')),
    };
  }
  const text = `${event ?? ''} ${detail ?? ''}`;
  if (/\b(TLS|SSL|certificate)\b/i.test(text)) {
    return {
      kind: 'other', ...common, srcIp: nonEmpty(kv.get('Src-ip')), srcPort: portOf(kv.get('Src-port')),
      serverIp: nonEmpty(kv.get('Dst-ip')), serverPort: portOf(kv.get('Dst-port')),
      reason: nonEmpty(detail ?? event), serverName: nonEmpty(kv.get('Common-name')),
    };
  }
  return null;
}
