import { describe, expect, it } from 'vitest';
import { redactReport } from '../../../src/report/redact.js';
import type { Report } from '../../../src/report/model.js';
import { sampleReport } from '../../helpers/sample-report.js';

function withLog(text: string): Report {
  const r = sampleReport();
  r.connections[0].log_events[0].text = text;
  return r;
}

describe('redactReport: user names', () => {
  it('replaces names from UDS paths, CSF files, Username= and username= consistently', () => {
    const { report, summary } = redactReport(sampleReport(), { users: true, ips: false });
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/emusk/i);
    expect(json).toContain('/cucm-uds/user/user1/devices');
    expect(json).toContain('CSFuser1.cnf.xml');
    expect(json).toContain('Username=\\"user1\\"');
    expect(summary).toEqual({ users: 1, ips: 0, pem_removed: false });
  });
  it('numbers distinct users in order of first appearance, case-insensitively', () => {
    const r = withLog('GET /cucm-uds/clusterUser?username=JDoe&x=1 then /cucm-uds/user/asmith/devices and TCTjdoe.cnf.xml, jdoe logged in');
    const { report, summary } = redactReport(r, { users: true, ips: false });
    expect(report.connections[0].log_events[0].text).toBe('GET /cucm-uds/clusterUser?username=user1&x=1 then /cucm-uds/user/user2/devices and TCTuser1.cnf.xml, user1 logged in');
    expect(summary.users).toBe(3); // jdoe, asmith, emusk
  });
  it('does not touch hashes, PEMs or the original report', () => {
    const original = sampleReport();
    const { report } = redactReport(original, { users: true, ips: true });
    expect(report.connections[0].certificates[0].sha256).toBe(original.connections[0].certificates[0].sha256);
    expect(report.connections[0].validation.chain).toEqual(original.connections[0].validation.chain);
    expect(original.connections[0].certificates[0].pem).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(original)).toContain('emusk');
  });
  it('leaves a report without user names unchanged', () => {
    const r = sampleReport();
    for (const c of r.connections) c.log_events = [];
    r.unmatched_log_events = [];
    const { report, summary } = redactReport(r, { users: true, ips: false });
    expect(report).toEqual(r);
    expect(summary.users).toBe(0);
  });
});

describe('redactReport: IP addresses', () => {
  it('maps each address to one documentation address everywhere, keeps loopback, drops PEMs', () => {
    const { report, summary } = redactReport(sampleReport(), { users: false, ips: true });
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/10\.48\.36\./);
    expect(report.connections[0].client.ip).toBe('192.0.2.1');
    expect(report.connections[0].server.ip).toBe('192.0.2.2');
    expect(report.findings[1].server.ip).toBe('192.0.2.2');
    expect(report.findings[1].server.name).toBe('192.0.2.2');
    expect(report.connections[4].validation.checked_name).toBe('192.0.2.2');
    expect(report.connections[4].log_events[1].text).toContain('SNI (192.0.2.2) not in certificate');
    expect(json).toContain('127.0.0.1');
    expect(report.connections.every((c) => c.certificates.every((x) => x.pem === null))).toBe(true);
    expect(summary).toEqual({ users: 0, ips: 3, pem_removed: true });
  });
  it('never hands out a pseudonym that is a real address in the report, and handles IPv6', () => {
    const r = sampleReport();
    r.connections[0].client.ip = '192.0.2.1';
    r.connections[1].server.ip = '2001:db8:aa::5';
    r.connections[1].notes = ['reached 2001:db8:aa::5 via 10.48.36.100'];
    const { report } = redactReport(r, { users: false, ips: true });
    const ips = report.connections.flatMap((c) => [c.client.ip, c.server.ip]);
    expect(ips).not.toContain('10.48.36.100');
    expect(report.connections[0].client.ip).not.toBe(report.connections[1].client.ip);
    expect(report.connections[1].server.ip).toBe('2001:db8::1');
    expect(report.connections[1].notes[0]).toMatch(/^reached 2001:db8::1 via 192\.0\.2\.\d+$/);
  });
  it('does not mistake versions, OIDs or times for addresses', () => {
    const r = withLog('OpenSSL 1.1.1k oid 1.2.840.10045.2.1 at 16:55:26.016 to 10.1.2.3');
    const { report } = redactReport(r, { users: false, ips: true });
    expect(report.connections[0].log_events[0].text).toMatch(/^OpenSSL 1\.1\.1k oid 1\.2\.840\.10045\.2\.1 at 16:55:26\.016 to 192\.0\.2\.\d+$/);
  });
});
