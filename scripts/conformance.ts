/**
 * Conformance against real public captures: runs tls-extract over every capture listed in
 * ../shared/corpus/public/MANIFEST.tsv (or $TLS_EXTRACT_CORPUS) and compares with tshark 4.0.17's view
 * in expected/<path>.json. Prints one line
 *   conformance: connections X/Y, server certificates A/B, client certificates C/D, fields F/G
 * and every mismatch. Ratchet: conformance-known.tsv lists the mismatches known today with a reason;
 * exit 1 on a mismatch not listed, and on a listed entry that now matches (remove it).
 *
 * Usage: npm run conformance [-- --corpus DIR] [--update-known] [--only SUBSTRING] [--verbose]
 */
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/pipeline.js';
import type { ConnectionOut } from '../src/report/model.js';

interface ExpAlert { from: string; level: number; description: number }
interface ExpConn {
  client: string; server: string; first_frame_time_epoch: string; sni: string | null;
  server_version_raw: string | null; cipher_suite: string | null; certificate_request: boolean;
  certificates: { sha256: string }[]; client_certificates: { sha256: string }[]; alerts: ExpAlert[];
}
interface Expected { file: string; connections: ExpConn[] }

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const argVal = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const corpus = resolve(argVal('--corpus') ?? process.env.TLS_EXTRACT_CORPUS ?? join(repoRoot, '..', 'shared', 'corpus', 'public'));
const knownPath = join(repoRoot, 'conformance-known.tsv');
const only = argVal('--only');
const verbose = args.includes('--verbose');

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function loadKnown(): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(knownPath)) return m;
  for (const line of readFileSync(knownPath, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, key, reason] = line.split('\t');
    m.set(`${file}\t${key}`, reason ?? '');
  }
  return m;
}

async function main(): Promise<number> {
  const manifest = join(corpus, 'MANIFEST.tsv');
  if (!existsSync(manifest)) {
    console.log(`conformance: corpus not found at ${corpus} (skipped)`);
    return 0;
  }
  const files = readFileSync(manifest, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')[0])
    .filter((f) => !only || f.includes(only));
  const t0 = process.hrtime.bigint();
  let connMatched = 0, connTotal = 0, certOk = 0, certTotal = 0, ccertOk = 0, ccertTotal = 0, fieldOk = 0, fieldTotal = 0;
  let extra = 0, bytes = 0;
  const mismatches: { file: string; key: string; detail: string }[] = [];
  for (const file of files) {
    const exp = JSON.parse(readFileSync(join(corpus, 'expected', `${file}.json`), 'utf8')) as Expected;
    let conns: ConnectionOut[] = [];
    try {
      const r = await analyze([join(corpus, file)], { now: new Date('2026-01-01T00:00:00Z') });
      conns = r.report.connections;
      bytes += r.report.captures.reduce((n, c) => n + c.bytes, 0);
    } catch (e) {
      mismatches.push({ file, key: 'run', detail: `analyze failed: ${(e as Error).message}` });
    }
    const used = new Set<number>();
    for (const ec of exp.connections) {
      connTotal++;
      certTotal += ec.certificates.length;
      ccertTotal += ec.client_certificates.length;
      const t = Number(ec.first_frame_time_epoch) * 1000;
      let best = -1, bestDt = Infinity;
      conns.forEach((c, i) => {
        if (used.has(i)) return;
        if (endpoint(c.server.ip, c.server.port) !== ec.server || endpoint(c.client.ip, c.client.port) !== ec.client) return;
        const dt = Math.abs(Date.parse(c.start) - t);
        if (dt < bestDt) { bestDt = dt; best = i; }
      });
      const id = `${ec.client}->${ec.server}@${ec.first_frame_time_epoch}`;
      if (best < 0 || bestDt > 2000) {
        mismatches.push({ file, key: `${id} missing`, detail: 'connection not reported' });
        continue;
      }
      used.add(best);
      connMatched++;
      const c = conns[best];
      const cmp = (field: string, want: unknown, got: unknown): void => {
        fieldTotal++;
        if (JSON.stringify(want) === JSON.stringify(got)) fieldOk++;
        else mismatches.push({ file, key: `${id} ${field}`, detail: `tshark ${JSON.stringify(want)} vs ours ${JSON.stringify(got)}` });
      };
      cmp('sni', ec.sni, c.client_hello?.sni ?? null);
      cmp('server_version', ec.server_version_raw, c.server_hello?.version_id ?? null);
      cmp('cipher_suite', ec.cipher_suite, c.server_hello?.cipher_suite?.id ?? null);
      cmp('certificate_request', ec.certificate_request, c.client_certificate_requested);
      cmp('alerts', ec.alerts.map((a) => `${a.from}:${a.level}:${a.description}`),
        c.alerts.filter((a) => a.cleartext !== false).map((a) => `${a.from}:${a.level_id}:${a.description_id}`));
      const sc = c.certificates.map((x) => x.sha256);
      ec.certificates.forEach((x, i) => { if (sc[i] === x.sha256) certOk++; });
      cmp('certificates', ec.certificates.map((x) => x.sha256), sc);
      const cc = c.client_certificates.map((x) => x.sha256);
      ec.client_certificates.forEach((x, i) => { if (cc[i] === x.sha256) ccertOk++; });
      cmp('client_certificates', ec.client_certificates.map((x) => x.sha256), cc);
    }
    conns.forEach((c, i) => {
      if (used.has(i)) return;
      extra++;
      mismatches.push({ file, key: `${endpoint(c.client.ip, c.client.port)}->${endpoint(c.server.ip, c.server.port)}@${c.start} extra`, detail: 'connection reported, not in tshark\'s view' });
    });
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const known = only ? new Map<string, string>() : loadKnown();
  let unexpected = 0;
  const seen = new Set<string>();
  for (const m of mismatches) {
    const k = `${m.file}\t${m.key}`;
    seen.add(k);
    const reason = known.get(k);
    if (reason === undefined) unexpected++;
    console.log(`${reason === undefined ? 'MISMATCH' : 'known   '} ${m.file} ${m.key}: ${m.detail}${reason ? ` [${reason}]` : ''}`);
  }
  const fixed = [...known.keys()].filter((k) => !seen.has(k));
  for (const k of fixed) console.log(`FIXED    ${k.replace('\t', ' ')}: now matches; remove it from conformance-known.tsv`);
  if (args.includes('--update-known')) {
    const lines = ['# file\tmismatch\treason (the list only shrinks; every entry names the tshark error it demonstrates)'];
    for (const m of mismatches) lines.push(`${m.file}\t${m.key}\t${known.get(`${m.file}\t${m.key}`) ?? 'TODO: reason'}`);
    writeFileSync(knownPath, lines.join('\n') + '\n');
  }
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  if (verbose || true) console.log(`conformance run: ${files.length} captures, ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s, peak RSS ${rss} MiB, ${extra} extra connections`);
  console.log(`conformance: connections ${connMatched}/${connTotal}, server certificates ${certOk}/${certTotal}, client certificates ${ccertOk}/${ccertTotal}, fields ${fieldOk}/${fieldTotal}`);
  if (unexpected > 0 || fixed.length > 0) {
    console.log(`conformance: FAILED (${unexpected} mismatches not in conformance-known.tsv, ${fixed.length} listed entries now match)`);
    return 1;
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
