/**
 * The fuzzer's own building blocks: seeds are well-formed (tar checksums, pcap/pcapng framing, TLS
 * record lengths), the layout walkers find the fields the structured mutators clobber, cases are
 * reproducible from (seed, index), and the minimiser keeps the failure.
 */
import { describe, it, expect } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { syntheticSeeds, baseCapture, loadPems } from '../../scripts/fuzz/seeds.js';
import { pcapFields, pcapngFields, tlsFields, tarFields, readField } from '../../scripts/fuzz/layout.js';
import { Rng, mixSeed } from '../../scripts/fuzz/rng.js';
import { makeCase, sweepCase, sweepPlan } from '../../scripts/fuzz/make-case.js';
import { mutateBytes } from '../../scripts/fuzz/mutate.js';
import { minimize } from '../../scripts/fuzz/minimize.js';
import { derLength, nestedSequences, lyingTlv, sanExtension } from '../../scripts/fuzz/asn1.js';
import { tarArchive, base256, tarHeader } from '../../scripts/fuzz/tar.js';
import { generate, GENERATOR_NAMES } from '../../scripts/fuzz/generators.js';
import { signature, roleOfExt } from '../../scripts/fuzz/classify.js';
import { readU32 } from '../../scripts/fuzz/bytes.js';

describe('seeds', () => {
  const seeds = syntheticSeeds();

  it('covers every role and input mode', () => {
    expect(new Set(seeds.map((s) => s.role))).toEqual(new Set(['capture', 'archive', 'log', 'truststore']));
    expect(new Set(seeds.map((s) => s.ext))).toEqual(new Set(['.pcap', '.pcapng', '.pcap.gz', '.tar.gz', '.tar', '.zip', '.log', '.pem']));
  });

  it('classic pcap records chain exactly to the end of the file', () => {
    const b = baseCapture();
    const caplens = pcapFields(b).filter((f) => f.what === 'pcap.caplen');
    let o = 24;
    for (const f of caplens) {
      expect(f.off).toBe(o + 8);
      o += 16 + readField(b, f);
    }
    expect(o).toBe(b.length);
    expect(caplens.length).toBeGreaterThan(8);
  });

  it('pcapng blocks have matching leading and trailing lengths', () => {
    const ng = seeds.find((s) => s.ext === '.pcapng')!.bytes;
    const fields = pcapngFields(ng);
    const lead = fields.filter((f) => f.what === 'pcapng.block_total_length').map((f) => readField(ng, f));
    const trail = fields.filter((f) => f.what === 'pcapng.block_trailing_length').map((f) => readField(ng, f));
    expect(lead).toEqual(trail);
    expect(lead.reduce((a, b) => a + b, 0)).toBe(ng.length);
  });

  it('the base capture carries a Certificate message whose list length matches the chain', () => {
    const b = baseCapture();
    const list = tlsFields(b).find((f) => f.what === 'tls.certificate_list_length');
    expect(list).toBeDefined();
    const p = loadPems();
    expect(readField(b, list!)).toBe(p.leaf.length + p.inter.length + 6);
  });

  it('tar bundle headers carry valid checksums and gunzip to the plain tar seed', () => {
    const plain = seeds.find((s) => s.name === 'bundle-plain')!.bytes;
    const gz = seeds.find((s) => s.name === 'bundle')!.bytes;
    expect(new Uint8Array(gunzipSync(gz))).toEqual(plain);
    const hdrs = tarFields(plain).filter((f) => f.what === 'tar.checksum');
    expect(hdrs.length).toBe(4);
    for (const f of hdrs) {
      const h = plain.slice(f.off - 148, f.off - 148 + 512);
      const stored = parseInt(Buffer.from(h.subarray(148, 154)).toString(), 8);
      h.fill(0x20, 148, 156);
      expect(h.reduce((a, c) => a + c, 0)).toBe(stored);
    }
  });
});

describe('ASN.1 and tar builders', () => {
  it('encodes DER lengths in short and long form', () => {
    expect([...derLength(5)]).toEqual([5]);
    expect([...derLength(200)]).toEqual([0x81, 200]);
    expect([...derLength(0x1234)]).toEqual([0x82, 0x12, 0x34]);
  });

  it('nests SEQUENCEs with exact lengths', () => {
    const d = nestedSequences(3);
    expect([...d]).toEqual([0x30, 6, 0x30, 4, 0x30, 2, 0x05, 0x00]);
    const deep = nestedSequences(10_000);
    expect([deep[0], deep[1]]).toEqual([0x30, 0x82]);
    expect(4 + ((deep[2] << 8) | deep[3])).toBe(deep.length);
  });

  it('writes a 4-byte lying length', () => {
    expect([...lyingTlv(0x30, 0x7fffffff, Uint8Array.of(1))]).toEqual([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 1]);
  });

  it('builds a SAN extension with the requested number of names', () => {
    const ext = sanExtension(3, 1);
    expect(Buffer.from(ext).toString('latin1')).toContain('h2.x.test');
  });

  it('writes GNU base-256 sizes', () => {
    expect([...base256(1n << 40n)]).toEqual([0x80, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect([...base256(-1n)]).toEqual(new Array(12).fill(0xff));
    const h = tarHeader({ name: 'a', data: new Uint8Array(0), sizeField: base256(1n << 40n) });
    expect(h[124]).toBe(0x80);
    expect(tarArchive([{ name: 'a', data: Uint8Array.of(1) }]).length).toBe(512 * 4);
  });
});

describe('case production', () => {
  const seeds = syntheticSeeds();

  it('is reproducible from (run seed, case index)', () => {
    for (const k of [0, 1, 17, 999]) {
      const a = makeCase(seeds, new Rng(mixSeed(42, k)));
      const b = makeCase(seeds, new Rng(mixSeed(42, k)));
      expect(a.origin).toBe(b.origin);
      expect(a.bytes ?? a.recipe).toEqual(b.bytes ?? b.recipe);
    }
  });

  it('differs between case indexes', () => {
    const origins = new Set(Array.from({ length: 40 }, (_, k) => makeCase(seeds, new Rng(mixSeed(7, k))).origin));
    expect(origins.size).toBeGreaterThan(30);
  });

  it('sweeps every capture and bundle seed at every offset below the bound, and no further', () => {
    const pool = seeds.filter((s) => s.role === 'capture' || s.role === 'archive');
    const plan = sweepPlan(seeds, 1200);
    expect(plan.length).toBe(pool.reduce((n, s) => n + Math.min(1200, s.bytes.length), 0));
    for (const s of pool) {
      const offs = plan.filter((p) => p.seed === s).map((p) => p.off);
      expect(offs).toEqual(Array.from({ length: Math.min(1200, s.bytes.length) }, (_, i) => i));
    }
    const c = sweepCase(plan[pool.length * 5 + 1]);
    expect(c.bytes!.length).toBe(5);
    expect(c.origin).toBe(`truncate(${pool[1].name}@5)`);
  });

  it('structured capture mutations change the input', () => {
    const b = baseCapture();
    let changed = 0;
    for (let i = 0; i < 50; i++) if (Buffer.compare(Buffer.from(mutateBytes(b, new Rng(i), 'capture').bytes), Buffer.from(b)) !== 0) changed++;
    expect(changed).toBeGreaterThan(45);
  });

  it('every generator yields bytes or a recipe with a role and an extension', () => {
    const rng = new Rng(3);
    for (const name of GENERATOR_NAMES.filter((n) => n !== 'synFlood' && n !== 'partialHandshakes')) {
      const c = generate(name, rng);
      expect(c.bytes !== undefined || c.recipe !== undefined, name).toBe(true);
      expect(roleOfExt(`x${c.ext}`), name).toBe(c.role);
    }
  });
});

describe('minimize', () => {
  it('keeps the failure while shrinking', async () => {
    const input = new Uint8Array(1000).map((_, i) => i & 0xff);
    input[700] = 0xee;
    input[100] = 0xee;
    // "fails" when two 0xee bytes are present
    const fails = async (b: Uint8Array): Promise<boolean> => b.filter((x) => x === 0xee).length >= 2;
    const out = await minimize(input, fails, { maxAttempts: 2000, deadlineMs: 10_000 });
    expect(await fails(out)).toBe(true);
    expect(out.length).toBeLessThan(20);
  });
});

describe('signature', () => {
  it('ignores numbers and keeps the first src frame', () => {
    const a = signature({ verdict: 'crash', detail: 'RangeError: offset 12 out of range', stack: 'RangeError\n    at x (node:internal)\n    at decodeFoo (file:///r/dist/src/tls/vector.js:10:3)' });
    const b = signature({ verdict: 'crash', detail: 'RangeError: offset 99 out of range', stack: 'RangeError\n    at decodeFoo (file:///r/src/tls/vector.ts:11:9)' });
    expect(a).toBe('crash|RangeError: offset N out of range|src/tls/vector.js:decodeFoo');
    expect(b).toBe('crash|RangeError: offset N out of range|src/tls/vector.ts:decodeFoo');
  });

  it('reads pcap magic in both byte orders', () => {
    expect(readU32(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1), 0, true)).toBe(0xa1b2c3d4);
  });
});
