import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readArchive, type ArchiveMember } from '../../../src/input/archive.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS, type Limits } from '../../../src/options.js';
import { collect, makeTar, makeZip, pcapBytes } from './build-archives.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsx-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, data: Uint8Array | string): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, data);
  return p;
}

interface Got { name: string; role: string; size: number | null; file?: string; bytes: Buffer | null }

/** Read every member; `consume(name)` decides whether its bytes are read. */
async function read(path: string, limits: Partial<Limits> = {}, consume: (m: ArchiveMember) => boolean = () => true): Promise<{ got: Got[]; diag: Diagnostics }> {
  const diag = new Diagnostics();
  const got: Got[] = [];
  for await (const m of readArchive(path, { limits: { ...DEFAULT_LIMITS, ...limits }, diag })) {
    // a folder's capture comes as its file path (read from disk by the capture readers), its stream empty
    if (m.file !== undefined) expect(await collect(m.stream)).toEqual(Buffer.alloc(0));
    got.push({ name: m.name, role: m.role, size: m.size, file: m.file, bytes: consume(m) ? (m.file !== undefined ? readFileSync(m.file) : await collect(m.stream)) : null });
  }
  return { got, diag };
}

const TS = '2022-07-11_16-55-00';
const LOG = `2022-07-11T18:55:26.016+02:00 vcsc traffic_server[1]: [ET_NET 0] WARNING: SNI (a) not in certificate. Action=Terminate server=a(10.0.0.1)\n`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function bundle(): Promise<Buffer> {
  return makeTar([
    { name: 'diagnostic_log_expc1/', type: 'directory' },
    { name: `diagnostic_log_expc1/loggingsnapshot_expc1_${TS}.txt`, data: LOG },
    { name: `diagnostic_log_expc1/eth0_diagnostic_logging_tcpdump00_expc1_${TS}.pcap`, data: pcapBytes(1) },
    { name: `diagnostic_log_expc1/eth0_diagnostic_logging_tcpdump01_expc1_${TS}.pcap.gz`, data: gzipSync(pcapBytes(2)) },
    { name: `diagnostic_log_expc1/ca_expc1_${TS}.pem`, data: PEM },
    { name: `diagnostic_log_expc1/server_expc1_${TS}.pem`, data: PEM },
    { name: `diagnostic_log_expc1/xconf_dump_expc1_${TS}.txt`, data: '*c xConfiguration EdgeConfigServer VerifyOriginServer: On\n' },
    { name: `diagnostic_log_expc1/xstat_dump_expc1_${TS}.txt`, data: 'status\n' },
    { name: 'diagnostic_log_expc1/link', type: 'symlink' },
  ]);
}

describe('readArchive: Expressway bundle', () => {
  it('tar.gz: members in archive order with roles, gzip members decompressed, contents intact', async () => {
    const { got, diag } = await read(file('bundle.tar.gz', gzipSync(await bundle())));
    expect(got.map((g) => [g.name.replace('diagnostic_log_expc1/', ''), g.role])).toEqual([
      [`loggingsnapshot_expc1_${TS}.txt`, 'log'],
      [`eth0_diagnostic_logging_tcpdump00_expc1_${TS}.pcap`, 'capture'],
      [`eth0_diagnostic_logging_tcpdump01_expc1_${TS}.pcap.gz`, 'capture'],
      [`ca_expc1_${TS}.pem`, 'truststore'],
      [`server_expc1_${TS}.pem`, 'server_cert'],
      [`xconf_dump_expc1_${TS}.txt`, 'xconf'],
      [`xstat_dump_expc1_${TS}.txt`, 'other'],
    ]);
    expect(got[0].bytes?.toString()).toBe(LOG);
    expect(got[1].bytes).toEqual(pcapBytes(1));
    expect(got[1].size).toBe(pcapBytes(1).length);
    expect(got[2].bytes).toEqual(pcapBytes(2));
    expect(got[2].size).toBeNull();
    expect(diag.total).toBe(0);
  });

  it('plain tar gives the same members', async () => {
    const { got } = await read(file('bundle.tar', await bundle()));
    expect(got).toHaveLength(7);
    expect(got[2].bytes).toEqual(pcapBytes(2));
  });

  it('members whose streams are not consumed are drained; later members are intact', async () => {
    const { got } = await read(file('skip.tar.gz', gzipSync(await bundle())), {}, (m) => m.role === 'truststore');
    expect(got.map((g) => g.bytes === null)).toEqual([true, true, true, false, true, true, true]);
    expect(got[3].bytes?.toString()).toBe(PEM);
  });

  it('a member read only partly does not disturb the next one', async () => {
    const big = Buffer.alloc(300_000, 0x41);
    const tarball = await makeTar([{ name: 'a.log', data: big }, { name: 'b.log', data: 'second\n' }]);
    const diag = new Diagnostics();
    const out: string[] = [];
    for await (const m of readArchive(file('partial.tar', tarball), { limits: DEFAULT_LIMITS, diag })) {
      if (m.name === 'a.log') {
        for await (const c of m.stream) {
          out.push(`a:${c.length > 0}`);
          break;
        }
      } else out.push((await collect(m.stream)).toString());
    }
    expect(out).toEqual(['a:true', 'second\n']);
  });
});

describe('readArchive: nesting, bombs and limits', () => {
  it('opens an archive inside the archive one level deep (outer!inner names)', async () => {
    const innermost = await makeTar([{ name: 'deep.log', data: 'x\n' }]);
    const inner = gzipSync(await makeTar([
      { name: `loggingsnapshot_expc2_${TS}.txt`, data: LOG },
      { name: 'again.tar', data: innermost },
    ]));
    const outer = makeZip([{ name: 'expc2.tar.gz', data: inner, method: 0 }, { name: 'notes.log', data: 'n\n' }]);
    const { got, diag } = await read(file('outer.zip', outer));
    expect(got.map((g) => `${g.name}|${g.role}`)).toEqual([
      `expc2.tar.gz!loggingsnapshot_expc2_${TS}.txt|log`,
      'expc2.tar.gz!again.tar|other',
      'notes.log|log',
    ]);
    expect(got[0].bytes?.toString()).toBe(LOG);
    expect(diag.count('archive.nested_too_deep')).toBe(1);
  });

  it('gzip bomb inside a member: counted, that member stopped, the next member intact', async () => {
    const bomb = gzipSync(Buffer.alloc(24 * 1024 * 1024));
    const tarball = await makeTar([{ name: 'diags.log.gz', data: bomb }, { name: 'ok.log', data: 'fine\n' }]);
    const { got, diag } = await read(file('bomb.tar', tarball), { maxDecompressionRatio: 100 });
    expect(diag.count('archive.gzip_ratio')).toBe(1);
    // stopped soon after the 1 MiB guard floor: the ratio uses the bytes zlib consumed, not read ahead
    expect(got[0].bytes!.length).toBeLessThan(2 * 1024 * 1024);
    expect(got[1].bytes?.toString()).toBe('fine\n');
  });

  it('non-capture members are capped at maxMemberBytes; captures are not', async () => {
    const big = Buffer.alloc(300_000, 0x42);
    const bigPcap = Buffer.concat([pcapBytes(3), Buffer.alloc(200_000)]);
    const tarball = await makeTar([{ name: 'loggingsnapshot_x_1.txt', data: big }, { name: 'eth0_diagnostic_logging_tcpdump00_x_1.pcap', data: bigPcap }]);
    const { got, diag } = await read(file('cap.tar', tarball), { maxMemberBytes: 100_000 });
    expect(got[0].bytes!.length).toBe(100_000);
    expect(got[1].bytes!.length).toBe(bigPcap.length);
    expect(diag.count('limit.member_bytes')).toBe(1);
  });

  it('control characters and absurd lengths in names are cleaned and counted', async () => {
    const tarball = await makeTar([{ name: 'evil\u0001name\u001b[31m.log', data: 'a\n' }, { name: `${'d/'.repeat(1500)}x.log`, data: 'b\n' }]);
    const { got, diag } = await read(file('names.tar', tarball));
    expect(got[0].name).toBe('evil?name?[31m.log');
    expect(got[1].name.length).toBe(1025);
    expect(diag.count('archive.bad_name')).toBe(2);
  });

  it('truncated tar.gz: members before the cut, the damage counted, no throw', async () => {
    const gz = gzipSync(await makeTar([{ name: 'one.log', data: 'one\n' }, { name: 'two.pcap', data: Buffer.alloc(50_000, 7) }]));
    const { got, diag } = await read(file('cut.tar.gz', gz.subarray(0, gz.length - 200)));
    expect(got[0].bytes?.toString()).toBe('one\n');
    expect(diag.count('archive.gzip_truncated') + diag.count('archive.truncated') + diag.count('archive.tar_error')).toBeGreaterThan(0);
  });

  it('a header claiming an 8 GiB member in a small file ends as truncated', async () => {
    const t = await makeTar([{ name: 'huge.log', data: 'x'.repeat(10) }]);
    t.write('77777777777\0', 124, 'latin1');
    t.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += t[i];
    t.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const { got, diag } = await read(file('huge.tar', t));
    expect(got.map((g) => g.name)).toEqual(['huge.log']);
    expect(got[0].size).toBe(8 ** 11 - 1);
    expect(diag.count('archive.truncated') + diag.count('archive.tar_error')).toBeGreaterThan(0);
  });

  it('a missing path is counted, not thrown', async () => {
    const { got, diag } = await read(join(dir, 'does-not-exist.tar.gz'));
    expect(got).toEqual([]);
    expect(diag.count('archive.read_error')).toBe(1);
  });
});

describe('readArchive: zip', () => {
  it('stored, deflated and data-descriptor entries of a zip file', async () => {
    const z = makeZip([
      { name: `loggingsnapshot_e_${TS}.txt`, data: LOG, method: 8 },
      { name: `eth0_diagnostic_logging_tcpdump00_e_${TS}.pcap`, data: pcapBytes(4), method: 0 },
      { name: `ca_e_${TS}.pem`, data: PEM, method: 8, descriptor: true },
      { name: 'after.log', data: 'after\n', method: 8 },
    ]);
    const { got, diag } = await read(file('bundle.zip', z));
    expect(got.map((g) => g.role)).toEqual(['log', 'capture', 'truststore', 'log']);
    expect(got[0].bytes?.toString()).toBe(LOG);
    expect(got[1].bytes).toEqual(pcapBytes(4));
    expect(got[2].bytes?.toString()).toBe(PEM);
    expect(got[3].bytes?.toString()).toBe('after\n');
    expect(diag.total).toBe(0);
  });

  it('a zip nested in a tar: entries with data descriptors cannot be walked and are counted', async () => {
    const z = makeZip([{ name: 'a.log', data: 'a\n' }, { name: 'b.log', data: 'b\n', descriptor: true }]);
    const { got, diag } = await read(file('zip-in.tar', await makeTar([{ name: 'inner.zip', data: z }])));
    expect(got.map((g) => g.name)).toEqual(['inner.zip!a.log']);
    expect(diag.count('archive.zip_data_descriptor')).toBe(1);
  });
});

describe('readArchive: folder', () => {
  it('natural order, nested archives opened in place, files without a role left out', async () => {
    const d = join(dir, 'extracted');
    mkdirSync(join(d, 'sub'), { recursive: true });
    for (const i of [10, 2, 1]) writeFileSync(join(d, `eth0_diagnostic_logging_tcpdump${i}_e_${TS}.pcap`), pcapBytes(i));
    writeFileSync(join(d, `loggingsnapshot_e_${TS}.txt`), LOG);
    writeFileSync(join(d, `xstat_dump_e_${TS}.txt`), 'x\n');
    writeFileSync(join(d, 'README'), 'r\n');
    writeFileSync(join(d, 'mystery.bin'), pcapBytes(9));
    const nested = await makeTar([{ name: 'deeper.log', data: 'd\n' }]);
    writeFileSync(join(d, 'sub', 'peer2.tar.gz'), gzipSync(await makeTar([{ name: 'error.log', data: 'e\n' }, { name: 'inner.tar', data: nested }])));
    const { got } = await read(d);
    expect(got.map((g) => `${g.name.slice(d.length + 1)}|${g.role}`)).toEqual([
      `eth0_diagnostic_logging_tcpdump1_e_${TS}.pcap|capture`,
      `eth0_diagnostic_logging_tcpdump2_e_${TS}.pcap|capture`,
      `eth0_diagnostic_logging_tcpdump10_e_${TS}.pcap|capture`,
      `loggingsnapshot_e_${TS}.txt|log`,
      'mystery.bin|capture',
      'sub/peer2.tar.gz!error.log|log',
      'sub/peer2.tar.gz!inner.tar!deeper.log|log',
    ]);
    expect(got[2].bytes).toEqual(pcapBytes(10));
    expect(got[2].file).toBe(join(d, `eth0_diagnostic_logging_tcpdump10_e_${TS}.pcap`));
    expect(got[4].file).toBe(join(d, 'mystery.bin'));
    expect(got[3].file).toBeUndefined();
    expect(got[5].bytes?.toString()).toBe('e\n');
  });
});
