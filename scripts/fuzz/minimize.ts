/**
 * Input minimisation (a simplified ddmin, Zeller & Hildebrandt 2002): cut the tail, then delete
 * chunks of decreasing size, keeping every reduction that still fails the same way. Bounded by
 * attempts and time, so a slow case cannot stall the fuzzer.
 */
export interface MinimizeOptions {
  maxAttempts: number;
  deadlineMs: number;
}

export async function minimize(input: Uint8Array, fails: (b: Uint8Array) => Promise<boolean>, o: MinimizeOptions): Promise<Uint8Array> {
  let cur = input;
  let attempts = 0;
  const end = Date.now() + o.deadlineMs;
  const budget = (): boolean => attempts < o.maxAttempts && Date.now() < end;
  const tryIt = async (b: Uint8Array): Promise<boolean> => {
    attempts++;
    if (await fails(b)) {
      cur = b;
      return true;
    }
    return false;
  };
  // 1. shortest failing prefix (binary search on the length; failures are usually monotone enough)
  let lo = 0;
  let hi = cur.length;
  while (lo < hi && budget()) {
    const mid = Math.floor((lo + hi) / 2);
    if (await tryIt(input.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  // 2. delete chunks, halving the chunk size
  for (let chunk = Math.max(1, Math.floor(cur.length / 4)); chunk >= 1 && budget(); chunk = Math.floor(chunk / 2)) {
    for (let o = 0; o < cur.length && budget(); ) {
      const cand = new Uint8Array(cur.length - Math.min(chunk, cur.length - o));
      cand.set(cur.subarray(0, o));
      cand.set(cur.subarray(o + chunk), o);
      if (!(await tryIt(cand))) o += chunk;
    }
    if (chunk === 1) break;
  }
  return cur;
}
