/**
 * The library as another TypeScript project sees it (issue #7.4): `npm pack` the repo, install the
 * tarball into a fresh temp project, type-check a consumer that imports `{ analyze, renderTable }`
 * and the public types from 'tls-extract' (module/moduleResolution NodeNext, strict, the repo's
 * TypeScript), run it on samples/lab/lab.pcap and check what it prints.
 *
 * Install: `npm install <tgz> --offline` (npm ci has just filled the npm cache with every
 * dependency). When that cannot work (no cache, no network), the tarball is unpacked into the
 * project's node_modules and each *declared* dependency is linked from the repo's node_modules, so
 * the package's `files`, `exports` and `dependencies` are still what is tested.
 * dist/ is rebuilt first when stale (the tarball is packed with --ignore-scripts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureDist, ROOT } from './ensure-dist.js';

interface Exec { code: number; stdout: string; stderr: string }

function exec(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<Exec> {
  // npm run / npx export npm_* variables describing *this* project: keep them away from the nested npm
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^npm_(package_|lifecycle_|config_local_prefix|config_prefix$)|^INIT_CWD$/.test(k)) env[k] = v;
  }
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, timeout, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') { reject(err); return; }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; bin: Record<string, string>; main: string; types: string;
  exports: Record<string, string | Record<string, string>>; dependencies: Record<string, string>;
};

const CONSUMER = `import {
  analyze, analyzeStream, renderTable, renderMarkdown, renderJson, renderTimeline, redactReport, SCHEMA_VERSION, ExitCode,
  type AnalyzeOptions, type AnalysisResult, type Report, type FindingOut, type ConnectionOut, type TableRenderOptions, type StreamedReport,
} from 'tls-extract';

const [capture, ca] = process.argv.slice(2);
const options: AnalyzeOptions = { truststores: [ca], now: new Date('2026-06-01T00:00:00Z') };
const result: AnalysisResult = await analyze([capture], options);
const report: Report = result.report;
const untrusted: FindingOut[] = report.findings.filter((f) => f.verdict === 'untrusted');
const tls13: ConnectionOut[] = report.connections.filter((c) => c.server_hello?.version === 'TLS 1.3');
const table: TableRenderOptions = { width: 100, color: false };
// @ts-expect-error the width is a number: this line proves the declarations are real types, not any
renderTable(report, { width: '100', color: false });
const redacted = redactReport(report, { users: true, ips: true });
const streamed: StreamedReport = (await analyzeStream([capture], options)).report;
let streamedStatuses = '';
for (const c of streamed.connections) streamedStatuses += c.validation.status[0];
console.log(JSON.stringify({
  streamed: streamedStatuses === report.connections.map((c) => c.validation.status[0]).join('') && streamed.findings.get().length === report.findings.length,
  schema: SCHEMA_VERSION,
  version: report.version,
  connections: report.connections.length,
  tls13: tls13.length,
  untrusted: untrusted.map((f) => \`\${f.server.ip}:\${f.server.port ?? '*'} \${f.code}\`).sort(),
  certificates: result.certificates.size,
  table: renderTable(report, table).split('\\n'),
  markdown: renderMarkdown(report).split('\\n')[0],
  json: (JSON.parse(renderJson(report)) as Report).connections.length,
  timeline: renderTimeline(report, { width: 100, color: false, server: '127.0.10.2' }).length > 0,
  pemRemoved: redacted.summary.pem_removed && redacted.report.connections.every((c) => c.certificates.every((x) => x.pem === null)),
  usage: ExitCode.usage,
}));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmitOnError: true,
    // a consumer's usual setting; tsc -p tsconfig.json of the repo already checks our own declarations
    skipLibCheck: true,
    types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')], outDir: 'out',
  },
  files: ['consumer.ts'],
};

describe('npm pack → npm install in a fresh project → import from "tls-extract"', () => {
  let tmp: string;
  let app: string;
  let tarball: string;
  let packedFiles: string[];
  let installMode: 'npm --offline' | 'unpacked + linked dependencies';
  let tsc: Exec;
  let run: Exec;

  beforeAll(async () => {
    ensureDist();
    tmp = mkdtempSync(join(tmpdir(), 'tls-extract-pack-'));
    const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp, '--loglevel=error'], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const info = (JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[])[0];
    tarball = join(tmp, info.filename);
    packedFiles = info.files.map((f) => f.path);

    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    const npm = await exec('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], app);
    if (npm.code === 0) {
      installMode = 'npm --offline';
    } else {
      installMode = 'unpacked + linked dependencies';
      const dest = join(app, 'node_modules', pkg.name);
      mkdirSync(dest, { recursive: true });
      const tar = await exec('tar', ['xzf', tarball, '-C', dest, '--strip-components=1'], app);
      expect(tar.code, tar.stderr).toBe(0);
      for (const dep of Object.keys(pkg.dependencies)) {
        const link = join(app, 'node_modules', dep);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', dep), link, 'dir');
      }
    }
    writeFileSync(join(app, 'consumer.ts'), CONSUMER);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    tsc = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
    if (tsc.code === 0) run = await exec(process.execPath, ['out/consumer.js', join(ROOT, 'samples/lab/lab.pcap'), join(ROOT, 'samples/lab/ca.pem')], app);
  }, 300_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball holds the compiled library, its declarations, the bin with its bundled CLI and the schema, and no sources or samples', () => {
    for (const f of ['package.json', 'README.md', 'bin/tls-extract.js', 'schema/report.schema.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/cli/main.js']) {
      expect(packedFiles, f).toContain(f);
    }
    const declared = [pkg.main, pkg.types, ...Object.values(pkg.bin), ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    for (const f of declared) expect(packedFiles, `${f} (named in package.json)`).toContain(f.replace(/^\.\//, ''));
    expect(packedFiles.filter((f) => /^(src|test|samples|scripts|\.cache|node_modules)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)))).toEqual([]);
  });

  it('installs from the tarball alone', () => {
    expect(['npm --offline', 'unpacked + linked dependencies']).toContain(installMode);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', pkg.name, 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pkg.version);
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(app, 'node_modules', dep, 'package.json')), dep).toBe(true);
  });

  it('the consumer type-checks with NodeNext resolution against the shipped declarations', () => {
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });

  it('the consumer runs: analyze + renderers on samples/lab/lab.pcap', () => {
    expect(run?.stderr).toBe('');
    expect(run?.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      schema: number; version: string; connections: number; tls13: number; untrusted: string[]; certificates: number;
      table: string[]; markdown: string; json: number; timeline: boolean; pemRemoved: boolean; usage: number; streamed: boolean;
    };
    expect(out).toMatchObject({ streamed: true, schema: 1, version: pkg.version, connections: 7, tls13: 1, json: 7, timeline: true, markdown: '# tls-extract report', pemRemoved: true, usage: 2 });
    expect(out.untrusted).toEqual(['127.0.10.1:6972 self_signed', '127.0.10.2:8443 name_mismatch', '127.0.10.3:8443 self_signed_in_chain']);
    expect(out.certificates).toBeGreaterThanOrEqual(6);
    expect(out.table[0]).toMatch(/^Verdict: 3 untrusted · 1 trusted\b.*\(5 servers, 7 TLS connections\)$/);
    expect(Math.max(...out.table.map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });

  it('exports only the entry point (deep imports are refused) and the installed bin runs', async () => {
    const probe = `import('tls-extract/dist/src/pipeline.js').then(() => console.log('open'), (e) => console.log(e.code));
import('tls-extract/package.json', { with: { type: 'json' } }).then((m) => console.log(m.default.name));`;
    const deep = await exec(process.execPath, ['--input-type=module', '-e', probe], app);
    expect(deep.stdout.split('\n').sort()).toEqual(['', 'ERR_PACKAGE_PATH_NOT_EXPORTED', pkg.name]);
    const bin = await exec(process.execPath, [join(app, 'node_modules', pkg.name, pkg.bin['tls-extract']), '--version'], app);
    expect(bin.stdout).toBe(`tls-extract ${pkg.version}\n`);
  });
});
