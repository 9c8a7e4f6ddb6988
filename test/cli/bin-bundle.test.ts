/**
 * bin/tls-extract.js runs the bundled CLI (dist/cli, scripts/bundle-cli.mjs) when it is at least as new
 * as the tsc output, else dist/src: a bare `tsc` after a build must not leave the command running stale
 * code. The choice is tested on a copy of bin/ next to stub dist trees; the real bundle must give the
 * same report as the compiled modules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist, ROOT } from '../package/ensure-dist.js';

const stub = (name: string): string => `export async function main() { process.stdout.write('${name}'); return 0; }\n`;

describe('which CLI build bin/tls-extract.js runs', () => {
  let tmp: string;
  let bin: string;
  const bundle = (): string => join(tmp, 'dist', 'cli', 'main.js');
  const compiled = (): string => join(tmp, 'dist', 'src', 'cli', 'main.js');
  const run = (): string => execFileSync(process.execPath, [bin], { encoding: 'utf8' });
  const age = (file: string, secondsAgo: number): void => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, t, t);
  };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'tls-extract-binsel-'));
    mkdirSync(join(tmp, 'bin'));
    mkdirSync(join(tmp, 'dist', 'cli'), { recursive: true });
    mkdirSync(join(tmp, 'dist', 'src', 'cli'), { recursive: true });
    bin = join(tmp, 'bin', 'tls-extract.js');
    copyFileSync(join(ROOT, 'bin', 'tls-extract.js'), bin);
    writeFileSync(join(tmp, 'package.json'), '{"type":"module"}');
    writeFileSync(bundle(), stub('bundle'));
    writeFileSync(compiled(), stub('tsc'));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the bundle when it is newer than the tsc output, or as new', () => {
    age(compiled(), 60);
    age(bundle(), 10);
    expect(run()).toBe('bundle');
    age(bundle(), 60);
    expect(run()).toBe('bundle');
  });

  it('dist/src when tsc ran after the bundle was made', () => {
    age(bundle(), 60);
    age(compiled(), 10);
    expect(run()).toBe('tsc');
  });

  it('dist/src when there is no bundle', () => {
    rmSync(bundle());
    expect(run()).toBe('tsc');
  });

  it('the real bundle reports what the compiled modules report', () => {
    ensureDist();
    const args = ['samples/lab/lab.pcap', '--truststore', 'samples/lab/ca.pem', '--json'];
    const viaBin = execFileSync(process.execPath, [join(ROOT, 'bin', 'tls-extract.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    const direct = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const { main } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli', 'main.js'))});
      process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
    `, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(viaBin.length).toBeGreaterThan(1000);
    expect(viaBin).toBe(direct);
  }, 120_000);
});
