import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMraSegment, decodeMraText, findMra, originForm } from '../../../src/logs/mra.js';

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

describe('MRA segment decoding rules, one by one', () => {
  const seg = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '');
  const SEED = 'c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw'; // steven.lab/https/cucm.steven.lab/8443
  const TARGET = { domain: 'steven.lab', scheme: 'https', host: 'cucm.steven.lab', port: 8443 };

  it('the URL-safe alphabet maps both - and _ back', () => {
    const std = Buffer.from('ex.lab/https/x>>>?.lab/8443').toString('base64');
    expect(std).toContain('+');
    expect(std).toContain('/');
    expect(decodeMraSegment(std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toEqual({ domain: 'ex.lab', scheme: 'https', host: 'x>>>?.lab', port: 8443 });
  });

  it('only base64 characters, 8 to 400 of them; a length of 4n+1 is no base64', () => {
    expect(decodeMraSegment(`${SEED}!`)).toBeNull();
    expect(decodeMraSegment(`${SEED.slice(0, 20)}.${SEED.slice(20)}`)).toBeNull();
    const long = seg(`${'d'.repeat(290)}.lab/https/cucm.lab/8443`);
    expect(long.length).toBeGreaterThan(400);
    expect(decodeMraSegment(long)).toBeNull();
    const atMax = seg(`${'d'.repeat(276)}.lab/https/cucm.lab/8443`);
    expect(atMax.length).toBeLessThanOrEqual(400);
    expect(decodeMraSegment(atMax)).toMatchObject({ host: 'cucm.lab', port: 8443 });
    const four = seg('ex.lab/https/cucm1.lab/8443'); // 36 characters, no padding needed
    expect(four.length % 4).toBe(0);
    expect(decodeMraSegment(four)).toMatchObject({ port: 8443 });
    expect(decodeMraSegment(`${four}A`)).toBeNull();
  });

  it('printable ASCII only: space and ~ are, control characters, DEL and non-ASCII are not', () => {
    expect(decodeMraSegment(seg('ex lab/https/cucm~1.lab/8443'))).toEqual({ domain: 'ex lab', scheme: 'https', host: 'cucm~1.lab', port: 8443 });
    expect(decodeMraSegment(seg('ex.lab/https/cucm\x1f.lab/8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cucm\x7f.lab/8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cücm.lab/8443'))).toBeNull();
  });

  it('scheme: a letter then letters, digits, + . -; host not empty; port 1 to 65535 in 1 to 5 digits', () => {
    expect(decodeMraSegment(seg('ex.lab/HTTPS/cucm.lab/8443'))).toMatchObject({ scheme: 'https' });
    expect(decodeMraSegment(seg('ex.lab/1https/cucm.lab/8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https!/cucm.lab/8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https//8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/x8443'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/8443x'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/0'))).toBeNull();
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/1'))).toMatchObject({ port: 1 });
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/65535'))).toMatchObject({ port: 65535 });
    expect(decodeMraSegment(seg('ex.lab/https/cucm.lab/65536'))).toBeNull();
  });

  it('findMra looks at the first three path segments after the authority, empty segments not counted, query and fragment cut', () => {
    expect(findMra(`http://vcs_control.steven.lab:8443/a/b/${SEED}/devices`)).toEqual(TARGET);
    expect(findMra(`http://vcs_control.steven.lab:8443/a/b/c/${SEED}`)).toBeNull();
    expect(findMra(`/a//b//${SEED}`)).toEqual(TARGET);
    expect(findMra(`/cucm-uds/${SEED}`)).toEqual(TARGET);
    expect(findMra(`/${SEED}`)).toEqual(TARGET);
    expect(findMra(`/cucm-uds/user?next=/${SEED}`)).toBeNull();
    expect(findMra(`/cucm-uds/user#/${SEED}`)).toBeNull();
    expect(findMra(`https://cucm.steven.lab?next=/${SEED}`)).toBeNull();
  });
});

describe('originForm (the request target both MRA decoding and Request Allowed matching read)', () => {
  it('drops scheme and authority, which ends at / ? or #; keeps origin-form targets as they are', () => {
    expect(originForm('https://vcs.lab:8443/a/b?c=d')).toBe('/a/b?c=d');
    expect(originForm('https://vcs.lab?next=/a')).toBe('/?next=/a');
    expect(originForm('https://vcs.lab#/a')).toBe('/#/a');
    expect(originForm('HTTPS://vcs.lab')).toBe('/');
    expect(originForm('/a/b')).toBe('/a/b');
    expect(originForm('')).toBe('');
  });
});
