/**
 * Command-line parsing for `tls-extract [options] <capture|bundle|folder>...` (hand-written: two
 * options take an optional value, which node:util parseArgs cannot express). Errors are UsageError
 * with exit code 2; main.ts prints them as one line plus "Try 'tls-extract --help'".
 *
 * Optional values: `--markdown[=FILE]` and `--timeline[=SERVER]`. The `=` form is unambiguous. Without
 * `=`, the next argument is taken as the value when it does not start with `-` and
 * - for --markdown: it ends in .md/.markdown, or it is not an existing path (outputs usually do not
 *   exist yet, inputs must);
 * - for --timeline: it is not an existing path.
 */
import { ExitCode, UsageError } from '../errors.js';

export type OutputFormat = 'table' | 'json' | 'markdown';
export type ColorMode = 'auto' | 'always' | 'never';

export interface CliOptions {
  inputs: string[];
  truststores: string[];
  logs: string[];
  name: string | null;
  format: OutputFormat;
  /** --markdown FILE: Markdown written to FILE in addition to the main output */
  markdownFile: string | null;
  output: string | null;
  color: ColorMode;
  width: number | null;
  quiet: boolean;
  /** --timeline [SERVER]: the timeline view replaces the table; server = filter or null */
  timeline: { server: string | null } | null;
  exportCerts: string | null;
  exportMissing: string | null;
  redact: boolean;
  redactIps: boolean;
  logTz: string | null;
  windowMs: number | null;
  /** --security-level N: OpenSSL security level of the verification (null: the default, 2) */
  securityLevel: number | null;
  strict: boolean;
  failOnUntrusted: boolean;
}

export type ParseResult = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };

export interface ParseEnv {
  /** does this path exist? (decides optional values, see above) */
  exists: (path: string) => boolean;
}

const VALUE_OPTIONS = ['truststore', 'log', 'name', 'format', 'output', 'color', 'width', 'export-certs', 'export-missing', 'log-tz', 'window',
  'security-level'] as const;
const OPTIONAL_VALUE = ['markdown', 'timeline'] as const;
const FLAGS = ['json', 'quiet', 'redact', 'redact-ips', 'strict', 'fail-on-untrusted', 'help', 'version'] as const;
const ALL = [...VALUE_OPTIONS, ...OPTIONAL_VALUE, ...FLAGS];
const METAVAR: Readonly<Record<string, string>> = {
  truststore: 'FILE', log: 'FILE', name: 'NAME', format: 'table|json|markdown', output: 'FILE', color: 'auto|always|never',
  width: 'N', 'export-certs': 'DIR', 'export-missing': 'DIR', 'log-tz': 'TZ', window: 'MS',
  'security-level': '0-5',
};
const SHORT: Readonly<Record<string, string>> = { '-h': 'help', '-V': 'version', '-o': 'output' };

const usage = (msg: string): UsageError => new UsageError(msg, ExitCode.usage);

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function unknownOption(arg: string): UsageError {
  const name = arg.replace(/^-+/, '').split('=')[0];
  const best = ALL.map((o) => ({ o, d: editDistance(name, o) })).sort((x, y) => x.d - y.d)[0];
  const hint = best && best.d <= 2 && name.length > 1 ? ` (did you mean --${best.o}?)` : '';
  return usage(`unknown option '${arg.split('=')[0]}'${hint}`);
}

function intValue(opt: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw usage(`option --${opt} needs a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw usage(`option --${opt} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** `UTC`, `Z`, `±HH:MM`, `±HHMM` or an IANA time zone name known to this Node (Intl). */
export function isValidTimeZone(tz: string): boolean {
  if (/^(?:UTC|GMT|Z)$/i.test(tz)) return true;
  const off = /^[+-](\d\d):?(\d\d)$/.exec(tz);
  if (off) return Number(off[1]) <= 14 && Number(off[2]) < 60;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /[A-Za-z]/.test(tz);
  } catch {
    return false;
  }
}

function defaults(): CliOptions {
  return {
    inputs: [], truststores: [], logs: [], name: null, format: 'table', markdownFile: null, output: null, color: 'auto',
    width: null, quiet: false, timeline: null, exportCerts: null, exportMissing: null, redact: false, redactIps: false,
    logTz: null, windowMs: null, securityLevel: null, strict: false, failOnUntrusted: false,
  };
}

export function parseArgs(argv: string[], env: ParseEnv): ParseResult {
  // --help / --version win over everything else before `--`, even over mistakes
  for (const a of argv) {
    if (a === '--') break;
    if (a === '--help' || a === '-h') return { kind: 'help' };
    if (a === '--version' || a === '-V') return { kind: 'version' };
  }
  const o = defaults();
  let explicitFormat: OutputFormat | null = null;
  let json = false;
  let markdownStdout = false;
  let onlyInputs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyInputs || arg === '-' || !arg.startsWith('-')) { o.inputs.push(arg); continue; }
    if (arg === '--') { onlyInputs = true; continue; }
    const long = SHORT[arg] ?? (arg.startsWith('--') ? arg.slice(2) : null);
    if (long === null) throw unknownOption(arg);
    const eq = long.indexOf('=');
    const name = eq >= 0 ? long.slice(0, eq) : long;
    const inline = eq >= 0 ? long.slice(eq + 1) : null;
    if ((FLAGS as readonly string[]).includes(name)) {
      if (inline !== null) throw usage(`option --${name} does not take a value`);
      if (name === 'help') return { kind: 'help' };
      if (name === 'version') return { kind: 'version' };
      if (name === 'json') json = true;
      else if (name === 'quiet') o.quiet = true;
      else if (name === 'redact') o.redact = true;
      else if (name === 'redact-ips') { o.redactIps = true; o.redact = true; }
      else if (name === 'strict') o.strict = true;
      else if (name === 'fail-on-untrusted') o.failOnUntrusted = true;
      continue;
    }
    if ((OPTIONAL_VALUE as readonly string[]).includes(name)) {
      let value = inline;
      const next = argv[i + 1];
      if (value === null && next !== undefined && !next.startsWith('-')) {
        const take = name === 'markdown' ? /\.(md|markdown)$/i.test(next) || !env.exists(next) : !env.exists(next);
        if (take) { value = next; i++; }
      }
      if (value === '') throw usage(`option --${name}= needs a value after '='`);
      if (name === 'markdown') { if (value === null) markdownStdout = true; else o.markdownFile = value; }
      else o.timeline = { server: value };
      continue;
    }
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) throw unknownOption(arg);
    let value = inline;
    if (value === null) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw usage(`option --${name} needs a value (${METAVAR[name]})`);
      value = next;
      i++;
    }
    if (value === '') throw usage(`option --${name} needs a non-empty value (${METAVAR[name]})`);
    switch (name) {
      case 'truststore': o.truststores.push(value); break;
      case 'log': o.logs.push(value); break;
      case 'name': o.name = value; break;
      case 'output': o.output = value; break;
      case 'export-certs': o.exportCerts = value; break;
      case 'export-missing': o.exportMissing = value; break;
      case 'format':
        if (value !== 'table' && value !== 'json' && value !== 'markdown') throw usage(`option --format must be table, json or markdown, got '${value}'`);
        explicitFormat = value;
        break;
      case 'color':
        if (value !== 'auto' && value !== 'always' && value !== 'never') throw usage(`option --color must be auto, always or never, got '${value}'`);
        o.color = value;
        break;
      case 'width': o.width = intValue('width', value, 20, 10000); break;
      case 'window': o.windowMs = intValue('window', value, 0, 3_600_000); break;
      case 'security-level': o.securityLevel = intValue('security-level', value, 0, 5); break;
      case 'log-tz':
        if (!isValidTimeZone(value)) throw usage(`option --log-tz: unknown time zone '${value}' (use an IANA name such as Europe/Paris, or an offset such as +02:00)`);
        o.logTz = value;
        break;
    }
  }
  const wanted = new Set<OutputFormat>();
  if (explicitFormat) wanted.add(explicitFormat);
  if (json) wanted.add('json');
  if (markdownStdout) wanted.add('markdown');
  if (wanted.size > 1) throw usage(`conflicting output formats: ${[...wanted].join(' and ')} (choose one of --json, --markdown, --format)`);
  o.format = [...wanted][0] ?? 'table';
  if (o.timeline !== null && o.format !== 'table') throw usage(`--timeline prints text; it cannot be combined with ${o.format} output (use --markdown FILE to also write Markdown)`);
  if (o.inputs.length === 0) throw usage('no input given: name a capture (pcap, pcapng, .gz), a diagnostic bundle or a folder');
  return { kind: 'run', options: o };
}
