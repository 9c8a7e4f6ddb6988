/**
 * Writing a case to disk: small cases are their bytes; large generated inputs (gzip bombs, logs
 * with 100 MB lines, a million log lines) are streamed from their recipe so neither the fuzzer nor
 * the reproducer needs them in memory. Recipes are deterministic, so a saved recipe reproduces.
 */
import { createWriteStream, existsSync, writeFileSync, renameSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { CaseSpec, Recipe } from './case.js';
import { ascii } from './bytes.js';
import { pcapHeader } from './capture-writers.js';
import { baseLog, baseCapture } from './seeds.js';
import { tarArchive } from './tar.js';
import { generate } from './generators.js';
import { Rng } from './rng.js';

async function write(w: Writable, chunk: Uint8Array): Promise<void> {
  if (!w.write(chunk)) await once(w, 'drain');
}

async function finish(w: Writable): Promise<void> {
  w.end();
  await once(w, 'finish');
}

/** Stream the recipe's bytes into `path`. */
export async function writeRecipe(r: Recipe, path: string): Promise<void> {
  if (r.gen === 'generator') {
    const c = generate(r.name ?? '', new Rng(r.params.seed));
    writeFileSync(path, c.bytes ?? new Uint8Array(0));
    return;
  }
  if (r.gen === 'gzipBomb' && r.params.member) {
    // the bomb as a .pcap.gz member of a tar.gz bundle, after a good capture
    await writeRecipe({ gen: 'gzipBomb', params: { mib: r.params.mib } }, `${path}.member`);
    const tar = tarArchive([
      { name: 'eth0_diagnostic_logging_tcpdump00_expc1_2027.pcap', data: baseCapture() },
      { name: 'eth1_diagnostic_logging_tcpdump00_expc1_2027.pcap.gz', data: new Uint8Array(readFileSync(`${path}.member`)) },
    ]);
    rmSync(`${path}.member`);
    writeFileSync(path, gzipSync(tar));
    return;
  }
  const file = createWriteStream(path);
  const closed = once(file, 'close');
  if (r.gen === 'gzipBomb') {
    const gz = createGzip({ level: 9 });
    gz.pipe(file);
    await write(gz, pcapHeader({ linkType: 1 }));
    const zeros = new Uint8Array(1 << 20);
    for (let i = 0; i < r.params.mib; i++) await write(gz, zeros);
    await finish(gz);
  } else if (r.gen === 'hugeLogLine') {
    await write(file, baseLog());
    await write(file, ascii('2027-03-01T14:58:20.000+02:00 expc1 traffic_server[2030]: Detail="'));
    const chunk = new Uint8Array(1 << 20).fill(r.params.nul ? 0 : 0x41);
    for (let i = 0; i < r.params.mib; i++) await write(file, chunk);
    await write(file, ascii('"\n'));
    await write(file, baseLog());
    await finish(file);
  } else {
    const line = ascii('2027-03-01T14:58:19.100+02:00 expc1 traffic_server[2030]: [ET_NET 1] ERROR: SSL connection failed for \'server.fuzz.test\': error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca\n');
    const batch = new Uint8Array(line.length * 1000);
    for (let i = 0; i < 1000; i++) batch.set(line, i * line.length);
    for (let i = 0; i < r.params.n; i += 1000) await write(file, batch);
    await finish(file);
  }
  await closed;
}

export function recipeKey(r: Recipe): string {
  return `${r.gen}${r.name ? `-${r.name}` : ''}-${Object.entries(r.params).map(([k, v]) => `${k}${v}`).join('-')}`;
}

/**
 * Write the case's input to `dir/input<ext>`; recipes are generated once into `cacheDir` and used from there.
 * Returns the path.
 */
export async function materialize(c: CaseSpec, dir: string, cacheDir: string): Promise<string> {
  const path = join(dir, `input${c.ext}`);
  if (c.bytes) {
    writeFileSync(path, c.bytes);
    return path;
  }
  if (!c.recipe) throw new Error('case without bytes or recipe');
  const cached = join(cacheDir, `${recipeKey(c.recipe)}${c.ext}`);
  if (!existsSync(cached)) {
    await writeRecipe(c.recipe, `${cached}.tmp`);
    renameSync(`${cached}.tmp`, cached);
  }
  return cached; // read-only input: no copy needed
}
