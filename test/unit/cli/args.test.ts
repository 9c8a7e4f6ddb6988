import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseArgs, type CliOptions } from '../../../src/cli/args.js';
import { ExitCode, UsageError } from '../../../src/errors.js';

const existing = new Set(['cap.pcap', 'bundle.tar.gz', 'old.md']);
const env = { exists: (p: string) => existing.has(p) };

function run(...argv: string[]): CliOptions {
  const r = parseArgs(argv, env);
  if (r.kind !== 'run') throw new Error(`expected run, got ${r.kind}`);
  return r.options;
}

function fails(argv: string[]): UsageError {
  try {
    parseArgs(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(ExitCode.usage);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('has sensible defaults', () => {
    expect(run('cap.pcap')).toEqual({
      inputs: ['cap.pcap'], truststores: [], logs: [], name: null, format: 'table', markdownFile: null, output: null, color: 'auto',
      width: null, quiet: false, timeline: null, exportCerts: null, exportMissing: null, redact: false, redactIps: false,
      logTz: null, windowMs: null, securityLevel: null, strict: false, failOnUntrusted: false,
    });
  });
  it('collects repeatable options, values and flags in any order', () => {
    const o = run('--truststore', 'a.pem', 'cap.pcap', '--truststore=b.pem', '--log', 'x.log', '--log=y.log', '--name', 'cucm.lab',
      '--width', '100', '--window=500', '--security-level', '1', '--log-tz', 'Europe/Paris', '--color', 'never', '--quiet', '--strict', '--fail-on-untrusted',
      '-o', 'out.txt', '--export-certs', 'certs', '--export-missing=missing', 'bundle.tar.gz');
    expect(o.inputs).toEqual(['cap.pcap', 'bundle.tar.gz']);
    expect(o.truststores).toEqual(['a.pem', 'b.pem']);
    expect(o.logs).toEqual(['x.log', 'y.log']);
    expect([o.name, o.width, o.windowMs, o.logTz, o.color, o.output, o.exportCerts, o.exportMissing])
      .toEqual(['cucm.lab', 100, 500, 'Europe/Paris', 'never', 'out.txt', 'certs', 'missing']);
    expect([o.quiet, o.strict, o.failOnUntrusted]).toEqual([true, true, true]);
    expect(o.securityLevel).toBe(1);
  });
  it('--json and --format select the format', () => {
    expect(run('--json', 'cap.pcap').format).toBe('json');
    expect(run('--format', 'markdown', 'cap.pcap').format).toBe('markdown');
    expect(run('--format=json', '--json', 'cap.pcap').format).toBe('json');
  });
  it('--markdown takes an optional FILE', () => {
    expect(run('--markdown', 'cap.pcap')).toMatchObject({ format: 'markdown', markdownFile: null, inputs: ['cap.pcap'] });
    expect(run('--markdown', 'case.md', 'cap.pcap')).toMatchObject({ format: 'table', markdownFile: 'case.md' });
    expect(run('--markdown', 'old.md', 'cap.pcap')).toMatchObject({ markdownFile: 'old.md', inputs: ['cap.pcap'] });
    expect(run('--markdown', 'report', 'cap.pcap')).toMatchObject({ markdownFile: 'report' });
    expect(run('--markdown=cap.pcap', 'bundle.tar.gz')).toMatchObject({ markdownFile: 'cap.pcap', inputs: ['bundle.tar.gz'] });
    expect(run('cap.pcap', '--markdown')).toMatchObject({ format: 'markdown' });
  });
  it('--timeline takes an optional SERVER', () => {
    expect(run('--timeline', 'cap.pcap').timeline).toEqual({ server: null });
    expect(run('--timeline', '10.48.36.215:6972', 'cap.pcap')).toMatchObject({ timeline: { server: '10.48.36.215:6972' }, inputs: ['cap.pcap'] });
    expect(run('--timeline=cucm.lab', 'cap.pcap').timeline).toEqual({ server: 'cucm.lab' });
    expect(run('--timeline', '--quiet', 'cap.pcap').timeline).toEqual({ server: null });
  });
  it('--redact-ips implies --redact', () => {
    expect(run('--redact-ips', 'cap.pcap')).toMatchObject({ redact: true, redactIps: true });
    expect(run('--redact', 'cap.pcap')).toMatchObject({ redact: true, redactIps: false });
  });
  it('-- ends the options; a lone - is an input', () => {
    expect(run('--', '--json', '-').inputs).toEqual(['--json', '-']);
  });
  it('--help and --version win, even over mistakes', () => {
    expect(parseArgs(['--help'], env)).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'], env)).toEqual({ kind: 'help' });
    expect(parseArgs(['--bogus', 'cap.pcap', '--help'], env)).toEqual({ kind: 'help' });
    expect(parseArgs(['--version'], env)).toEqual({ kind: 'version' });
    expect(parseArgs(['-V'], env)).toEqual({ kind: 'version' });
    expect(parseArgs(['--', '--help'], env)).toMatchObject({ kind: 'run' });
  });
});

describe('parseArgs errors (exit 2, one clear line)', () => {
  const cases: [string[], string][] = [
    [['--bogus', 'cap.pcap'], "unknown option '--bogus'"],
    [['--trustore', 'a.pem', 'cap.pcap'], "unknown option '--trustore' (did you mean --truststore?)"],
    [['-x', 'cap.pcap'], "unknown option '-x'"],
    [['cap.pcap', '--truststore'], 'option --truststore needs a value (FILE)'],
    [['--log', '--json', 'cap.pcap'], 'option --log needs a value (FILE)'],
    [['--name=', 'cap.pcap'], 'option --name needs a non-empty value (NAME)'],
    [['--format', 'yaml', 'cap.pcap'], "option --format must be table, json or markdown, got 'yaml'"],
    [['--color', 'yes', 'cap.pcap'], "option --color must be auto, always or never, got 'yes'"],
    [['--width', 'wide', 'cap.pcap'], "option --width needs a whole number, got 'wide'"],
    [['--width', '10', 'cap.pcap'], 'option --width must be between 20 and 10000, got 10'],
    [['--window', '-5', 'cap.pcap'], 'option --window needs a value (MS)'],
    [['--window', '99999999', 'cap.pcap'], 'option --window must be between 0 and 3600000, got 99999999'],
    [['--security-level', '6', 'cap.pcap'], 'option --security-level must be between 0 and 5, got 6'],
    [['--log-tz', 'Mars/Olympus', 'cap.pcap'], "option --log-tz: unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Paris, or an offset such as +02:00)"],
    [['--json=yes', 'cap.pcap'], 'option --json does not take a value'],
    [['--timeline=', 'cap.pcap'], "option --timeline= needs a value after '='"],
    [['--json', '--format', 'markdown', 'cap.pcap'], 'conflicting output formats: markdown and json (choose one of --json, --markdown, --format)'],
    [['--json', '--markdown', 'cap.pcap'], 'conflicting output formats: json and markdown (choose one of --json, --markdown, --format)'],
    [['--timeline', '--json', 'cap.pcap'], '--timeline prints text; it cannot be combined with json output (use --markdown FILE to also write Markdown)'],
    [[], 'no input given: name a capture (pcap, pcapng, .gz), a diagnostic bundle or a folder'],
    [['--quiet'], 'no input given: name a capture (pcap, pcapng, .gz), a diagnostic bundle or a folder'],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ') || '(nothing)'} → ${message}`, () => {
      expect(fails(argv).message).toBe(message);
    });
  }
});

describe('isValidTimeZone', () => {
  it('accepts UTC, offsets and IANA names; rejects the rest', () => {
    for (const tz of ['UTC', 'Z', '+02:00', '-0530', 'Europe/Paris', 'America/New_York']) expect(isValidTimeZone(tz), tz).toBe(true);
    for (const tz of ['+25:00', '+02:75', 'Mars/Olympus', '123', '']) expect(isValidTimeZone(tz), tz).toBe(false);
  });
});
