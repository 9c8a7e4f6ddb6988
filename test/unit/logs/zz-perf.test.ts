import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLog } from '../../../src/logs/parse-log.js';
import { correlate } from '../../../src/logs/correlate.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { conn } from './conn-builder.js';
it('perf', async () => {
  const seed = readFileSync('test/fixtures/logs/expressway-seed-reconstructed.log', 'utf8').split('\n').slice(1).join('\n') + '\n';
  const block = Buffer.from(seed);
  const reps = Math.ceil(30e6 / block.length);
  async function* src() { for (let i = 0; i < reps; i++) yield block; }
  let t = Date.now();
  const diag = new Diagnostics();
  const r = await parseLog(src(), { name: 'big', limits: DEFAULT_LIMITS, diag });
  process.stderr.write(`parse 30MB ${Date.now() - t} ms ${r.lines} ${r.events.length} ${process.memoryUsage().heapUsed / 1e6}\n`);
  const base = Date.parse('2022-07-11T16:55:00Z') * 1000;
  const conns = []; const evs = [];
  for (let i = 0; i < 20000; i++) {
    conns.push(conn({ id: i, server: '10.48.36.215', port: i % 2 ? 6972 : 8443, sni: 'cucm.steven.lab', start: base + i * 50_000, alert: i % 2 ? { from: 'client', description: 48, after: 2000 } : undefined }));
  }
  for (const e of r.events.slice(0, 60000)) evs.push(e);
  evs.forEach((e, k) => { e.timeMicros = base + Math.floor(k / 16) * 100_000 + (e.timeMicros! % 1_000_000) % 20_000; });
  t = Date.now();
  const c = correlate(conns, evs);
  process.stderr.write(`correlate ${Date.now() - t} ms ${c.unmatched.length} ${c.clockOffsetMs}\n`);
}, 600_000);
