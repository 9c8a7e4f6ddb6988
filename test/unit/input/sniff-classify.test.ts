import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { classifyMember } from '../../../src/input/archive.js';
import { naturalCompare } from '../../../src/input/classify.js';
import { sniff, tarChecksumOk } from '../../../src/input/sniff.js';
import { makeTar, makeZip, pcapBytes, pcapngBytes } from './build-archives.js';

describe('sniff', () => {
  it('recognises captures in every byte order and resolution', () => {
    const le = pcapBytes();
    const be = Buffer.from(le);
    be.writeUInt32BE(0xa1b2c3d4, 0);
    const ns = Buffer.from(le);
    ns.writeUInt32LE(0xa1b23c4d, 0);
    expect([sniff(le), sniff(be), sniff(ns), sniff(pcapngBytes())]).toEqual(['pcap', 'pcap', 'pcap', 'pcapng']);
  });

  it('containers, compressors, PEM, text, empty, unknown', async () => {
    const t = await makeTar([{ name: 'a', data: 'b' }]);
    expect(sniff(t.subarray(0, 512))).toBe('tar');
    expect(tarChecksumOk(t.subarray(0, 512))).toBe(true);
    // a v7 header: no ustar magic, checksum still valid
    const v7 = Buffer.from(t.subarray(0, 512));
    v7.fill(0, 257, 265);
    let sum = 0;
    v7.fill(0x20, 148, 156);
    for (const b of v7) sum += b;
    v7.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    expect(sniff(v7)).toBe('tar');
    expect(sniff(gzipSync('x'))).toBe('gzip');
    expect(sniff(makeZip([{ name: 'a', data: 'b' }]))).toBe('zip');
    expect(sniff(Buffer.from('BZh91AY&SY'))).toBe('bzip2');
    expect(sniff(Buffer.from('\uFEFF  -----BEGIN CERTIFICATE-----\n'))).toBe('pem');
    expect(sniff(Buffer.from('2022-07-11T18:55:26.016+02:00 vcsc tvcs: x\n'))).toBe('text');
    expect(sniff(new Uint8Array(0))).toBe('empty');
    expect(sniff(Buffer.from([0, 1, 2, 3, 4, 5, 0, 0]))).toBe('unknown');
  });
});

describe('classifyMember', () => {
  it('bundle names (Admin Guide X15.5 list)', () => {
    expect(classifyMember('diagnostic_log_expc1_2025-09-22_12_58_19/loggingsnapshot_expc1_2025-09-22_12_58_19.txt')).toBe('log');
    expect(classifyMember('eth0_diagnostic_logging_tcpdump00_expc1_2025-09-22_12_58_19.pcap')).toBe('capture');
    expect(classifyMember('eth1_diagnostic_logging_tcpdump19_expc1_ts.pcap.gz')).toBe('capture');
    expect(classifyMember('ca_expc1_ts.pem')).toBe('truststore');
    expect(classifyMember('server_expc1_ts.pem')).toBe('server_cert');
    expect(classifyMember('client_expc1_ts.pem')).toBe('client_cert');
    expect(classifyMember('xconf_dump_expc1_ts.xml')).toBe('xconf');
    expect(classifyMember('xstat_dump_expc1_ts.txt')).toBe('other');
    expect(classifyMember('outer.tar.gz!inner/diags.log')).toBe('log');
    expect(classifyMember('capture.pcapng')).toBe('capture');
    expect(classifyMember('README.md')).toBe('other');
  });

  it('natural order keeps a rotated series in sequence', () => {
    const names = ['eth1_x_tcpdump0.pcap', 'eth0_x_tcpdump10.pcap', 'eth0_x_tcpdump2.pcap', 'eth0_x_tcpdump1.pcap'];
    expect(names.sort(naturalCompare)).toEqual(['eth0_x_tcpdump1.pcap', 'eth0_x_tcpdump2.pcap', 'eth0_x_tcpdump10.pcap', 'eth1_x_tcpdump0.pcap']);
  });
});
