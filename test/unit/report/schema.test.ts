import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { renderJson } from '../../../src/report/render-json.js';
import { redactReport } from '../../../src/report/redact.js';
import type { Report } from '../../../src/report/model.js';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/sample-report.js';

const schema = JSON.parse(readFileSync(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

function errors(r: unknown): string[] {
  return validate(r) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function mutate(f: (r: Report) => void): Report {
  const r = sampleReport();
  f(r);
  return r;
}

describe('schema/report.schema.json', () => {
  it('is a valid draft 2020-12 schema under ajv strict mode and accepts the sample report', () => {
    expect(errors(sampleReport())).toEqual([]);
  });
  it('accepts the JSON output as parsed back, redacted output and hostile strings', () => {
    expect(errors(JSON.parse(renderJson(sampleReport())))).toEqual([]);
    const { report, summary } = redactReport(sampleReport(), { users: true, ips: true });
    expect(errors({ ...report, redaction: summary })).toEqual([]);
    expect(errors(hostileReport())).toEqual([]);
  });
  it('allows additional fields (the contract only grows)', () => {
    expect(errors(mutate((r) => Object.assign(r.connections[0], { ja4: 't13d' })))).toEqual([]);
  });
  const bad: [string, (r: Report) => void][] = [
    ['missing tool', (r) => { delete (r as Partial<Report>).tool; }],
    ['wrong schema_version', (r) => { r.schema_version = 2; }],
    ['upper-case sha256', (r) => { r.connections[0].certificates[0].sha256 = r.connections[0].certificates[0].sha256.toUpperCase(); }],
    ['sha256 with colons', (r) => { r.findings[0].certificates[0] = 'aa:bb'; }],
    ['time without milliseconds', (r) => { r.connections[0].start = '2022-07-11T16:55:25Z'; }],
    ['time with offset', (r) => { r.connections[0].handshake_time = '2022-07-11T18:55:25.000+02:00'; }],
    ['unknown verdict', (r) => { (r.findings[0] as { verdict: string }).verdict = 'bad'; }],
    ['unknown validation code', (r) => { (r.connections[1].validation.errors[0] as { code: string }).code = 'oops'; }],
    ['unknown alert sender', (r) => { (r.connections[1].alerts[0] as { from: string }).from = 'proxy'; }],
    ['upper-case cipher id', (r) => { if (r.connections[0].server_hello?.cipher_suite) r.connections[0].server_hello.cipher_suite.id = '0xC030'; }],
    ['missing validation', (r) => { delete (r.connections[0] as Partial<Report['connections'][number]>).validation; }],
    ['port out of range', (r) => { r.connections[0].server.port = 70000; }],
    ['bad IP', (r) => { r.connections[0].server.ip = 'cucm.steven.lab'; }],
    ['upper-case SKI', (r) => { r.connections[0].certificates[0].ski = 'AB'; }],
    ['capture format', (r) => { (r.captures[0] as { format: string }).format = 'erf'; }],
    ['negative count', (r) => { r.captures[0].packets = -1; }],
    ['PEM of something else', (r) => { r.connections[0].certificates[0].pem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'; }],
  ];
  for (const [name, f] of bad) {
    it(`rejects: ${name}`, () => {
      expect(errors(mutate(f)).length).toBeGreaterThan(0);
    });
  }
});

describe('renderJson', () => {
  it('is JSON.stringify(report, null, 2) plus a newline', () => {
    const r = sampleReport();
    expect(renderJson(r)).toBe(`${JSON.stringify(r, null, 2)}\n`);
  });
  it('keeps exact values of hostile strings (escaped by JSON, not sanitised)', () => {
    const text = renderJson(hostileReport());
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(text).toContain('\\u001b[2J\\u001b]0;pwned\\u0007');
    const back = JSON.parse(text) as Report;
    expect(back.connections[1].certificates[0].subject_cn).toBe(HOSTILE.cn);
    expect(back).toEqual(hostileReport());
  });
});
