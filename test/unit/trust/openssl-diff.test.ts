/**
 * OpenSSL differential suite: every case in test/fixtures/chains/ holds the verdict `openssl verify`
 * gave when the fixtures were generated (meta.json). Our validateChain must reach the same error
 * codes and depths (X509_V_ERR numbers mapped to our codes), except for the deliberate differences
 * listed below. When `openssl` is on PATH the recorded verdicts are re-checked live, so the
 * comparison is with OpenSSL itself, not only with a recording.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValidationOut } from '../../../src/report/model.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { X509_ERROR_TEXT } from '../../../src/trust/verify-errors.js';
import { caseNames, loadCase, type ChainCase, type OpensslVerdict } from './chain-fixtures.js';

/** apps/verify.c callback: errors after which `openssl verify` carries on (it stops after any other). */
const CLI_CONTINUES = new Set([10, 18, 24, 25, 26, 34, 37, 43, 79, 94]);

/** Cases where we deliberately do not follow OpenSSL (see the top of src/trust/validate-chain.ts). */
const DELIBERATE: Record<string, (c: ChainCase, ours: ValidationOut, named: ValidationOut | null) => void> = {
  // Traffic Server never consults IP SANs; OpenSSL -verify_ip accepts them
  ip_only_san: (_c, _o, named) => {
    expect(named!.errors.map((e) => e.code)).toEqual(['name_mismatch']);
    expect(named!.errors[0].detail).toBe(
      'the certificate has an IP-address SAN for 10.48.36.215, but Traffic Server ignores IP SANs (browsers and OpenSSL would accept it)',
    );
    expect(named!.rfc6125_name_match).toBe(true);
  },
  ipv6_san: (_c, _o, named) => {
    expect(named!.errors.map((e) => e.code)).toEqual(['name_mismatch']);
    expect(named!.errors[0].detail).toContain('IP-address SAN for 2001:db8::215');
    expect(named!.rfc6125_name_match).toBe(true);
  },
  // both Traffic Server and openssl -verify_hostname reject; rfc6125_name_match checks an IP literal
  // against IP SANs, as browsers (and openssl -verify_ip) do
  ip_only_san_as_hostname: (c, _o, named) => {
    expect(c.meta.openssl_name!.errors.map((e) => e.num)).toEqual([62]);
    expect(named!.errors.map((e) => e.code)).toEqual(['name_mismatch']);
    expect(named!.rfc6125_name_match).toBe(true);
  },
  // Traffic Server tries wildcards only for names longer than 5 characters
  wildcard_short_name: (_c, _o, named) => {
    expect(named!.errors.map((e) => e.code)).toEqual(['name_mismatch']);
    expect(named!.rfc6125_name_match).toBe(true);
  },
  // Traffic Server checks the first CN even when DNS SANs exist; OpenSSL ignores the CN then
  cn_not_in_san: (_c, _o, named) => {
    expect(named!.status).toBe('trusted');
    expect(named!.errors).toEqual([]);
    expect(named!.rfc6125_name_match).toBe(false);
  },
  // OpenSSL 3 rejects explicit EC parameters (94); the Expressway's OpenSSL 1.1.1 does not
  explicit_curve: (c, ours) => {
    expect(c.meta.openssl.errors.map((e) => e.num)).toEqual([94]);
    expect(ours.status).toBe('trusted');
    expect(ours.errors).toEqual([]);
  },
};

const codeOf = (num: number) => X509_ERROR_TEXT[num]?.code ?? `openssl-${num}`;

function validate(c: ChainCase, atSec: number, name: string | null, nowSec = c.meta.now.attime): ValidationOut {
  return validateChain({
    presented: [c.leaf, ...c.untrusted],
    store: c.store,
    atMs: atSec * 1000,
    nowMs: nowSec * 1000,
    checkedName: name,
    checkedNameSource: name ? 'option' : null,
    visible: true,
  });
}

/** Our errors must start with exactly what openssl printed, and only go on where openssl carries on. */
function expectSameVerdict(ours: ValidationOut, theirs: OpensslVerdict): void {
  const chainErrors = ours.errors.filter((e) => e.code !== 'name_mismatch');
  if (theirs.ok) {
    expect(ours.status).toBe('trusted');
    expect(chainErrors).toEqual([]);
    expect(ours.chain.length).toBe(theirs.chain_length);
    return;
  }
  expect(ours.status).toBe('untrusted');
  const want = theirs.errors.map((e) => `${codeOf(e.num)}@${e.depth}`);
  const got = chainErrors.map((e) => `${e.code}@${e.depth}`);
  expect(got.slice(0, want.length)).toEqual(want);
  const last = theirs.errors[theirs.errors.length - 1];
  if (got.length > want.length) expect(CLI_CONTINUES.has(last.num)).toBe(false);
  else expect(got.length).toBe(want.length);
  theirs.errors.forEach((e, i) => expect(chainErrors[i].message_openssl3 ?? chainErrors[i].message).toBe(e.text));
}

const names = caseNames();

describe('OpenSSL differential chain cases', () => {
  it('has at least 40 cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of names) {
    it(name, () => {
      const c = loadCase(name);
      const ours = validate(c, c.meta.attime, null);
      const named = c.meta.name ? validate(c, c.meta.attime, c.meta.name) : null;
      const deliberate = DELIBERATE[name];
      if (deliberate) {
        deliberate(c, ours, named);
        return;
      }
      expectSameVerdict(ours, c.meta.openssl);
      // the "now" verdict: both the separate run and valid_now of the capture-time run
      expectSameVerdict(validate(c, c.meta.now.attime, null), c.meta.now);
      expect(ours.valid_now).toBe(c.meta.now.ok);
      if (named && c.meta.openssl_name) {
        const mismatch = named.errors.some((e) => e.code === 'name_mismatch');
        const opensslMismatch = c.meta.openssl_name.errors.some((e) => e.num === 62 || e.num === 64);
        expect(mismatch).toBe(opensslMismatch);
        expect(named.rfc6125_name_match).toBeNull();
      }
    });
  }
});

function opensslVersion(): string | null {
  try {
    return /^OpenSSL (\d+\.\d+)/.exec(execFileSync('openssl', ['version'], { encoding: 'utf8' }))?.[1] ?? null;
  } catch {
    return null;
  }
}
const liveVersion = opensslVersion();

/** Re-runs `openssl verify` exactly as the generator did and parses its report. */
function liveVerify(dir: string, v: OpensslVerdict, untrusted: boolean): { ok: boolean; errors: string[]; texts: string[] } {
  const args = ['verify', '-attime', String(v.attime), '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem')];
  if (untrusted) args.push('-untrusted', join(dir, 'untrusted.pem'));
  if (v.args) args.push(...v.args.split(' '));
  args.push('-show_chain', join(dir, 'leaf.pem'));
  let out: string;
  let ok = true;
  try {
    out = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    ok = false;
    const err = e as { stdout?: string; stderr?: string };
    out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  const found = [...out.matchAll(/^error (\d+) at (\d+) depth lookup: (.*)$/gm)];
  return { ok, errors: found.map((m) => `${m[1]}@${m[2]}`), texts: found.map((m) => m[3]) };
}

// error numbers are those of OpenSSL 3 (INVALID_CA is 24 in 1.1.1); texts are compared on the same minor version
describe.skipIf(liveVersion === null || !liveVersion.startsWith('3.'))('recorded verdicts still match the openssl on PATH', () => {
  for (const name of names) {
    it(name, () => {
      const c = loadCase(name);
      const withUntrusted = c.untrusted.length > 0;
      for (const v of [c.meta.openssl, c.meta.now, c.meta.openssl_name]) {
        if (!v) continue;
        const live = liveVerify(c.dir, v, withUntrusted);
        expect(live.ok).toBe(v.ok);
        expect(live.errors).toEqual(v.errors.map((e) => `${e.num}@${e.depth}`));
        if (c.meta.openssl_version === `OpenSSL ${liveVersion}` || c.meta.openssl_version.startsWith(`OpenSSL ${liveVersion}.`)) {
          expect(live.texts).toEqual(v.errors.map((e) => e.text));
        }
      }
    });
  }
});
