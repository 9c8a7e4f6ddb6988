/**
 * Memoised chain validation. Thousands of connections present the same few chains; the verdict
 * depends on the time only through comparisons with the notBefore/notAfter of the presented and
 * trust-store certificates, made in whole seconds (certTimeIssues; a time written with a fraction of a
 * second is refused there whatever the time, but its boundary is still taken down to its second). So
 * the key holds, besides the chain and the name, where the handshake time falls among those
 * boundaries taken down to their second: a certificate is valid from its notBefore second on and
 * expired from its notAfter second on, both "at or after" the boundary.
 */
import type { ValidationOut } from '../report/model.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import type { TrustStore } from './trust-store.js';
import { DEFAULT_SECURITY_LEVEL } from './security-level.js';
import { validateChain, type ValidateInput } from './validate-chain.js';

const MAX_ENTRIES = 50_000;

/** notBefore / notAfter of a certificate in ms, down to the whole second (those that parse), computed once per certificate */
const certBounds = new WeakMap<ParsedCert, number[]>();

function boundsOf(c: ParsedCert): number[] {
  let b = certBounds.get(c);
  if (b === undefined) {
    b = [];
    for (const t of [c.facts.not_before, c.facts.not_after]) {
      if (t === null) continue;
      const ms = Date.parse(t);
      if (Number.isFinite(ms)) b.push(Math.floor(ms / 1000) * 1000);
    }
    certBounds.set(c, b);
  }
  return b;
}

function boundariesOf(certs: readonly ParsedCert[]): number[] {
  const out: number[] = [];
  for (const c of certs) for (const ms of boundsOf(c)) out.push(ms);
  return out.sort((a, b) => a - b);
}

/**
 * Where `t` falls among sorted whole-second boundaries: how many are <= t (binary search). Two times
 * with the same count compare the same way, in whole seconds, with every boundary.
 */
function position(sorted: readonly number[], t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** One presented chain's time boundaries and the verdicts cached for it (shared by arrays of the same certificates). */
interface ChainFacts {
  bounds: number[];
  /** verdicts by "now", by where the checked name came from, by that name, then by flags and time positions */
  results: Map<number, Map<ValidateInput['checkedNameSource'], Map<string | null, Map<number, ValidationOut>>>>;
}

export class ValidationCache {
  private readonly storeBounds: number[];
  /** verdicts by the chain's certificates (SHA-256s), then by the rest of the key */
  private readonly byChain = new Map<string, ChainFacts['results']>();
  /**
   * Per presented array (the pipeline passes one per distinct certificate list): its facts, so the
   * certificates' hashes are joined and their boundaries sorted once, not per connection. Keyed by the
   * array, so a presented array must not change once it has been validated.
   */
  private readonly chains = new WeakMap<readonly ParsedCert[], ChainFacts>();
  private size = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly store: TrustStore | null, private readonly securityLevel = DEFAULT_SECURITY_LEVEL) {
    this.storeBounds = store === null ? [] : boundariesOf(store.certs);
  }

  private chainOf(presented: readonly ParsedCert[]): ChainFacts {
    let f = this.chains.get(presented);
    if (f === undefined) {
      const shas = presented.map((c) => c.sha256).join(',');
      let results = this.byChain.get(shas);
      if (results === undefined) this.byChain.set(shas, (results = new Map()));
      f = { bounds: boundariesOf(presented), results };
      this.chains.set(presented, f);
    }
    return f;
  }

  validate(input: ValidateInput): ValidationOut {
    if (input.store !== this.store || (input.securityLevel ?? DEFAULT_SECURITY_LEVEL) !== this.securityLevel) return validateChain(input);
    const at = input.atMs ?? input.nowMs;
    const chain = this.chainOf(input.presented);
    // the key without building a string per connection: maps by "now", name source and name (nearly
    // always the same few), then one number for the flags and where the time falls among the boundaries
    let bySource = chain.results.get(input.nowMs);
    if (bySource === undefined) chain.results.set(input.nowMs, (bySource = new Map()));
    let byName = bySource.get(input.checkedNameSource);
    if (byName === undefined) bySource.set(input.checkedNameSource, (byName = new Map()));
    let byPosition = byName.get(input.checkedName);
    if (byPosition === undefined) byName.set(input.checkedName, (byPosition = new Map()));
    const storeSpan = this.storeBounds.length + 1, chainSpan = chain.bounds.length + 1;
    const key = (((input.tls13 ? 2 : 0) + (input.visible ? 1 : 0)) * storeSpan + position(this.storeBounds, at)) * chainSpan + position(chain.bounds, at);
    const hit = byPosition.get(key);
    // date errors name the exact handshake time in their detail: those are not shared
    if (hit !== undefined && !hit.errors.some((e) => e.code === 'expired' || e.code === 'not_yet_valid')) {
      this.hits++;
      return hit; // shared: report objects are not mutated after building
    }
    this.misses++;
    const out = validateChain(input);
    if (this.size < MAX_ENTRIES && !byPosition.has(key)) {
      byPosition.set(key, out);
      this.size++;
    }
    return out;
  }
}
