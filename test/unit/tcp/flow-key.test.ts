import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import { ensureDist, ROOT } from '../../package/ensure-dist.js';
import { LastTupleKeys, flowHash, flowHash2 } from '../../../src/tcp/flow-key.js';
import { newPacketView, type PacketView } from '../../../src/decode/packet-view.js';

function view(t: { v6: boolean; s: number[]; d: number[]; sp: number; dp: number }): PacketView {
  const v = newPacketView();
  v.ipVersion = t.v6 ? 6 : 4;
  [v.src0, v.src1, v.src2, v.src3] = t.v6 ? t.s : [t.s[0], 0, 0, 0];
  [v.dst0, v.dst1, v.dst2, v.dst3] = t.v6 ? t.d : [t.d[0], 0, 0, 0];
  v.srcPort = t.sp;
  v.dstPort = t.dp;
  return v;
}

const word = fc.integer({ min: 0, max: 0xffffffff }).map((x) => x | 0);
const tuple = fc.record({
  v6: fc.boolean(), s: fc.array(word, { minLength: 4, maxLength: 4 }), d: fc.array(word, { minLength: 4, maxLength: 4 }),
  sp: fc.integer({ min: 0, max: 65535 }), dp: fc.integer({ min: 0, max: 65535 }),
});

describe('flow keys', () => {
  it('are the same in both directions', () => {
    fc.assert(fc.property(tuple, (t) => {
      const back = view({ ...t, s: t.d, d: t.s, sp: t.dp, dp: t.sp });
      expect(flowHash(view(t))).toBe(flowHash(back));
      expect(flowHash2(view(t))).toBe(flowHash2(back));
    }));
  });

  it('LastTupleKeys gives exactly flowHash / flowHash2 for any sequence of packets (repeats, reversals, v4/v6 look-alikes)', () => {
    const step = fc.tuple(tuple, fc.constantFrom('new', 'same', 'reverse', 'v4-twin'));
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
      const keys = new LastTupleKeys();
      let last = steps[0][0];
      for (const [t, how] of steps) {
        const cur = how === 'same' ? last : how === 'reverse' ? { ...last, s: last.d, d: last.s, sp: last.dp, dp: last.sp }
          : how === 'v4-twin' ? { ...last, v6: !last.v6, s: [last.s[0], 0, 0, 0], d: [last.d[0], 0, 0, 0] } : t;
        const v = view(cur);
        expect(keys.key(v)).toBe(flowHash(v));
        expect(keys.key2(v)).toBe(flowHash2(v));
        last = cur;
      }
    }), { numRuns: 500 });
  });

  it('tells an IPv4 flow from the IPv6 flow with the same first address words', () => {
    const t = { v6: false, s: [0x0a000001, 0, 0, 0], d: [0x0a000002, 0, 0, 0], sp: 40000, dp: 443 };
    const a = view(t), b = view({ ...t, v6: true });
    expect(flowHash(a)).not.toBe(flowHash(b));
    expect(flowHash2(a)).not.toBe(flowHash2(b));
    const keys = new LastTupleKeys();
    expect(keys.key(a)).toBe(flowHash(a));
    expect(keys.key(b)).toBe(flowHash(b));
  });

  it('are seeded per process: tuples that collide in one run do not in the next (no offline hash flooding)', () => {
    ensureDist();
    // 64 flows to one server; in each process, the bucket (low 10 bits) of each flow's key
    const probe = `
      const { flowHash, flowHash2 } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'src', 'tcp', 'flow-key.js')).href)});
      const out = [];
      for (let i = 0; i < 64; i++) {
        const v = { ipVersion: 4, src0: 0x0a000001, src1: 0, src2: 0, src3: 0, dst0: 0x0a000002, dst1: 0, dst2: 0, dst3: 0, srcPort: 40000 + i, dstPort: 443 };
        out.push([flowHash(v) & 1023, flowHash2(v)]);
      }
      console.log(JSON.stringify(out));`;
    const run = (): number[][] => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })) as number[][];
    const a = run(), b = run();
    // the same 64 tuples land in other buckets (a fixed seed would give identical lists)
    const sameBucket = a.filter((x, i) => x[0] === b[i][0]).length;
    expect(sameBucket).toBeLessThan(8); // ~64/1024 expected by chance
    expect(a.filter((x, i) => x[1] === b[i][1]).length).toBe(0);
  }, 60_000);
});
