import { describe, expect, it } from 'vitest';
import { logSummary, matchesServer, renderTimeline, stageOfLogKind } from '../../../src/report/render-timeline.js';
import { displayWidth } from '../../../src/report/text-width.js';
import { hostileReport, sampleReport } from '../../helpers/sample-report.js';

const lines = (s: string): string[] => s.replace(/\n$/, '').split('\n');

function section(out: string, heading: string): string[] {
  const all = lines(out);
  const start = all.findIndex((l) => l.startsWith(heading));
  const end = all.findIndex((l, i) => i > start && l.startsWith('── '));
  return all.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

describe('renderTimeline', () => {
  const out = renderTimeline(sampleReport(), { width: 100, color: false });

  it('orders request → handshake → certificate → alert → warning → response for 6972', () => {
    const stages = section(out, '── 10.48.36.215:6972').filter((l) => /^\d/.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(stages).toEqual(['request', 'handshake', 'certificate', 'alert', 'request', 'handshake', 'certificate', 'alert', 'warning', 'warning', 'response']);
  });
  it('describes each step', () => {
    const s = section(out, '── 10.48.36.215:6972').join('\n');
    expect(s).toContain('16:55:26.006  request      line 265  GET /CSFemusk.cnf.xml HTTP/1.1 (Txn 191)');
    expect(s).toMatch(/certificate {2}conn 2 {4}TLS 1\.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;/);
    expect(s).toContain('untrusted');
    expect(s).toContain('16:55:26.024  response     line 289  HTTP/1.1 502 connect failed (Txn 191)');
  });
  it('groups by server ip:port and lists unmatched log events last', () => {
    const heads = lines(out).filter((l) => l.startsWith('── '));
    expect(heads).toEqual(['── 10.48.36.215:6972 cucm.steven.lab', '── 10.48.36.215:8443 cucm.steven.lab', '── 10.48.36.216:7400 imp.steven.lab', '── Log events not matched to a connection']);
  });
  it('filters by IP, ip:port and name', () => {
    const byPort = renderTimeline(sampleReport(), { width: 100, color: false, server: '10.48.36.215:8443' });
    expect(lines(byPort).filter((l) => l.startsWith('── '))).toEqual(['── 10.48.36.215:8443 cucm.steven.lab']);
    const byIp = renderTimeline(sampleReport(), { width: 100, color: false, server: '10.48.36.215' });
    expect(lines(byIp).filter((l) => l.startsWith('── ')).length).toBe(2);
    const byName = renderTimeline(sampleReport(), { width: 100, color: false, server: 'IMP.steven.lab' });
    expect(lines(byName).filter((l) => l.startsWith('── '))).toEqual(['── 10.48.36.216:7400 imp.steven.lab']);
    const none = renderTimeline(sampleReport(), { width: 100, color: false, server: '192.0.2.1' });
    expect(none).toContain('No connection or log event matches 192.0.2.1.');
  });
  for (const width of [20, 40, 80, 120]) {
    it(`fits ${width} columns`, () => {
      for (const l of lines(renderTimeline(sampleReport(), { width, color: true }))) expect(displayWidth(l)).toBeLessThanOrEqual(width);
    });
  }
  it('prints hostile strings inert', () => {
    const t = renderTimeline(hostileReport(), { width: 100, color: false });
    expect(t).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u);
    expect(t).toContain('\\x1b[2J');
  });
});

describe('timeline helpers', () => {
  it('maps log kinds to stages', () => {
    expect(stageOfLogKind('request_sent')).toBe('request');
    expect(stageOfLogKind('Receive Response')).toBe('response');
    expect(stageOfLogKind('verify_failed')).toBe('warning');
    expect(stageOfLogKind('sni_not_in_certificate')).toBe('warning');
    expect(stageOfLogKind('other', '[ET_NET 0] ERROR: x')).toBe('warning');
    expect(stageOfLogKind('other', 'hello')).toBe('log');
  });
  it('summarises log lines', () => {
    const e = { file: 'f', line: 1, time: null, kind: 'x', txn_id: '7', text: 'a b c: Detail="Sending Request" Msg="GET /x HTTP/1.1"' };
    expect(logSummary(e)).toBe('GET /x HTTP/1.1 (Txn 7)');
    expect(logSummary({ ...e, txn_id: null, text: 'd h ts[1]: [ET_NET 2] WARNING: SNI (x) not in certificate.' })).toBe('WARNING: SNI (x) not in certificate.');
  });
  it('matches servers', () => {
    expect(matchesServer('[2001:db8::1]:443', '2001:db8::1', 443, [])).toBe(true);
    expect(matchesServer('2001:db8::1', '2001:db8::1', 443, [])).toBe(true);
    expect(matchesServer('cucm.lab:8443', '10.0.0.1', 6972, ['cucm.lab'])).toBe(false);
    expect(matchesServer('cucm.lab:8443', '10.0.0.1', 8443, ['CUCM.lab'])).toBe(true);
  });
});
