/**
 * Findings over very many connections to one server stay linear: 100,000 connections to one
 * self-signed 6972 and one ECDSA address (a long capture of an Expressway retrying) must not cost
 * 10^10 steps in list lookups (uploadList, the per-server certificate list, the ECDSA grouping each
 * had a quadratic list operation before; at this size those took minutes, past the test timeout).
 */
import { describe, it, expect } from 'vitest';
import { buildFindings } from '../../../src/report/findings.js';
import { sampleReport } from '../../helpers/sample-report.js';
import type { ConnectionOut } from '../../../src/report/model.js';

describe('findings on 100,000 connections', () => {
  it('groups, lists and counts them all, in linear time', () => {
    const base = sampleReport().connections;
    const selfSigned = base.find((c) => c.server.port === 6972 && c.validation.errors.some((e) => e.code === 'self_signed'))!;
    expect(selfSigned).toBeDefined();
    const n = 100_000;
    const conns: ConnectionOut[] = new Array(n);
    for (let i = 0; i < n; i++) conns[i] = { ...selfSigned, id: i, client: { ip: '10.48.36.100', port: 1024 + (i % 60000) } };
    const findings = buildFindings({ connections: conns, certificates: new Map(), store: null });
    const row = findings.find((f) => f.server.port === 6972 && f.code === 'self_signed')!;
    expect(row.connections).toHaveLength(n);
    expect(row.connections[n - 1]).toBe(n - 1);
    expect(row.certificates).toContain(selfSigned.certificates[0].sha256);
    const ecdsa = findings.find((f) => f.code === 'ecdsa_preferred');
    expect(ecdsa?.connections).toHaveLength(n);
  }, 20_000);
});
