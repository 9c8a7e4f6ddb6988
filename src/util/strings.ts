/**
 * `s` without the run of `ch` at its end: what `s.replace(/ch+$/, '')` does, in linear time (that
 * expression retries at every position of an inner run, quadratic on hostile text).
 */
export function trimEndOf(s: string, ch: string): string {
  let e = s.length;
  while (e > 0 && s[e - 1] === ch) e--;
  return e === s.length ? s : s.slice(0, e);
}
