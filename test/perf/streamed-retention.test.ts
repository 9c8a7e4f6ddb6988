/**
 * The streamed report keeps no connection once it has been read: what stays is the slim shared view
 * findings need (report/findings.ts FindingsViews), so the memory of a `--json` run does not grow with
 * the number of connections (a 4.45 GB capture of 22,680 handshakes peaked at 111 MiB when all were
 * kept, 88 MiB streamed; the 1.11 GB one at 74 MiB either way).
 *
 * Checked with WeakRefs to every connection object handed out and a full GC (made callable through
 * --expose-gc, set at run time for this test file only); the whole report (analyze) is the control.
 */
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { analyze, analyzeStream } from '../../src/pipeline.js';
import { ByteBatcher, writeJsonReport } from '../../src/report/render-json.js';
import { ConnectionStream } from '../../src/report/streamed.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const INPUTS = [join('samples', 'lab', 'lab.pcap')];
const OPTS = { truststores: [join('samples', 'lab', 'ca.pem')], now: new Date('2026-06-01T00:00:00Z') };

/** WeakRefs are held until the end of the current job: collect on a later macrotask. */
async function aliveAfterGc(refs: WeakRef<object>[]): Promise<number> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  return refs.filter((r) => r.deref() !== undefined).length;
}

describe('streamed report retention', () => {
  it('every connection written by --json is garbage once written; findings still come out', async () => {
    const { report } = await analyzeStream(INPUTS, OPTS);
    const refs: WeakRef<object>[] = [];
    // the same stream, with a WeakRef to each connection it hands out
    const tapped = new ConnectionStream(report.connections.length, function* () {
      for (const c of report.connections) {
        refs.push(new WeakRef(c));
        yield c;
      }
    });
    let bytes = 0;
    const out = new ByteBatcher((b) => { bytes += b.length; });
    for (const _ of writeJsonReport({ ...report, connections: tapped }, out)) { /* writing */ }
    out.flush();
    expect(refs.length).toBeGreaterThan(5);
    expect(refs.length).toBe(report.connections.length);
    expect(bytes).toBeGreaterThan(10_000);
    expect(report.findings.get().length).toBeGreaterThan(0);
    expect(await aliveAfterGc(refs)).toBe(0);
  });

  it('control: the whole report keeps every connection (the check above can fail)', async () => {
    const { report } = await analyze(INPUTS, OPTS);
    const refs = report.connections.map((c) => new WeakRef(c));
    expect(await aliveAfterGc(refs)).toBe(refs.length);
    expect(report.connections.length).toBe(refs.length); // (the report is still in use here)
  });
});
