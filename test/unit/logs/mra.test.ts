import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMraSegment, decodeMraText, findMra } from '../../../src/logs/mra.js';

describe('MRA base64 path segment (expressway-reference §3)', () => {
  it('decodes the seed segments (padding stripped)', () => {
    expect(decodeMraSegment('c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw')).toEqual({ domain: 'steven.lab', scheme: 'https', host: 'cucm.steven.lab', port: 8443 });
    expect(decodeMraSegment('c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvNjk3Mg')).toMatchObject({ host: 'cucm.steven.lab', port: 6972 });
    expect(decodeMraSegment('c3RldmVuLmxhYi9odHRwcy8xMC40OC4zNi4yMTUvODQ0Mw')).toMatchObject({ host: '10.48.36.215', port: 8443 });
  });

  it('accepts padded and URL-safe forms', () => {
    const b = Buffer.from('ex.lab/https/cucm.ex.lab/6972').toString('base64');
    expect(b.endsWith('=')).toBe(true);
    expect(decodeMraSegment(b)).toMatchObject({ host: 'cucm.ex.lab', port: 6972 });
    expect(decodeMraSegment(b.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toMatchObject({ port: 6972 });
  });

  it('rejects ordinary path segments and non-MRA base64', () => {
    expect(decodeMraSegment('cucm-uds')).toBeNull();
    expect(decodeMraSegment('get_edge_config')).toBeNull();
    // get_edge_config's single-field domain segment decodes to text without '/'
    expect(decodeMraText('dGJ0cC5jb20')).toBeNull();
    // printable with '/' but not four fields with a numeric port
    expect(decodeMraSegment(Buffer.from('a/b/c/port').toString('base64'))).toBeNull();
    expect(decodeMraSegment(Buffer.from([0x01, 0x2f, 0x02, 0x2f, 0x03, 0x04]).toString('base64'))).toBeNull();
  });

  it('finds the segment in an absolute URL or an origin-form path with a query', () => {
    expect(findMra('http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw/cucm-uds/user/emusk/devices'))
      .toMatchObject({ host: 'cucm.steven.lab' });
    expect(findMra('/c3RldmVuLmxhYi9odHRwcy8xMC40OC4zNi4yMTUvODQ0Mw/cucm-uds/user/emusk/devices?max=100')).toMatchObject({ host: '10.48.36.215' });
    expect(findMra('/cucm-uds/user/emusk/devices')).toBeNull();
  });

  it('round-trips any printable domain/scheme/host/port (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(fc.property(label, label, fc.integer({ min: 1, max: 65535 }), (d, h, port) => {
      const seg = Buffer.from(`${d}.lab/https/${h}.${d}.lab/${port}`).toString('base64').replace(/=+$/, '');
      expect(decodeMraSegment(seg)).toEqual({ domain: `${d}.lab`, scheme: 'https', host: `${h}.${d}.lab`, port });
    }));
  });
});
