/**
 * Finished flows must die young, even after a full GC has moved the flow table to the old generation.
 *
 * Regression guard for the flow index: as a Map with thousands of deletions it rebuilt its hash table
 * every few flows, and V8's discarded tables (old-generation garbage after a full GC) kept pointing to
 * their successors and the flows in them, so every finished flow survived young collections and was
 * promoted until the next full GC. On a 4.4 GB capture the young generation grew to compensate (+30 MB
 * of peak memory); here, over 6,000 short overlapping connections after a forced full GC, the Map
 * version promoted ≈ 5.7 MB (≈ 950 B per connection), the array of bucket heads ≈ 0.5 MB (≈ 90 B: what
 * the test's own conversation objects leave).
 *
 * Measured in this process with v8.GCProfiler (old-space bytes gained across each young collection) and
 * a full GC made callable through --expose-gc, set at run time for this test file only.
 */
import { describe, expect, it } from 'vitest';
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as B from '../helpers/tls-builder.js';
import { Conversation, harness } from '../unit/tcp/conversation.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const chain = [B.fakeDer(700, 1), B.fakeDer(600, 2)];
const CH = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }));
const SF = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverHelloDone()));

/** Bytes promoted to the old generation by young collections (old space after minus before each). */
function promotedBy(profile: ReturnType<GCProfiler['stop']>): { bytes: number; scavenges: number } {
  let bytes = 0, scavenges = 0;
  for (const s of profile?.statistics ?? []) {
    if (s.gcType !== 'Scavenge') continue;
    scavenges++;
    const old = (h: typeof s.beforeGC) => h.heapSpaceStatistics.find((x) => x.spaceName === 'old_space')?.spaceUsedSize ?? 0;
    bytes += Math.max(0, old(s.afterGC) - old(s.beforeGC));
  }
  return { bytes, scavenges };
}

describe('flow churn after a full GC', () => {
  it('thousands of short TLS connections promote (almost) nothing', () => {
    const h = harness();
    let reported = 0;
    // count connections without keeping them: only what the flow table itself keeps alive matters
    (h.table as unknown as { onConnection: (c: unknown) => void }).onConnection = () => { reported++; };
    let n = 0, t = 1_700_000_000_000_000;
    // Connections overlap (each ends after the next one has started) and one stays open throughout, as
    // in any real capture: the chain of discarded Map tables only kept flows that were in the index
    // when a table was rebuilt, so a test with one flow at a time would not see it.
    const open = new Conversation('10.2.0.1', 40000, '10.0.0.3', 443, 1, 2, t);
    open.handshake();
    open.send('c', CH);
    h.feed(open.packets, false);
    let previous: Conversation | null = null;
    const connect = (count: number): void => {
      for (let i = 0; i < count; i++, n++) {
        const c = new Conversation(`10.1.${(n >> 8) & 255}.${n & 255}`, 1024 + (n % 60_000), '10.0.0.2', 443, n * 7, n * 11, t);
        c.handshake();
        c.send('c', CH);
        c.send('s', SF);
        h.feed(c.packets, false);
        if (previous !== null) {
          previous.ts = c.ts;
          h.feed([previous.fin('c'), previous.fin('s')], false);
        }
        t = c.ts;
        previous = c;
      }
    };
    connect(1000); // warm the JIT and the tables
    gc();
    gc(); // everything alive now is old: the flow table, its index, its lists
    const profiler = new GCProfiler();
    profiler.start();
    connect(6000);
    const { bytes, scavenges } = promotedBy(profiler.stop());
    h.table.finish();
    expect(reported).toBe(7001);
    expect(scavenges, 'the connections made garbage enough for young collections').toBeGreaterThan(3);
    expect(bytes / 6000, `bytes promoted per connection (${bytes} in ${scavenges} scavenges)`).toBeLessThan(300);
  });
});
