/**
 * Append `items` to `out` one by one. `out.push(...items)` passes every item as an argument: with the
 * hundreds of thousands of lines a report of many servers or connections has, that overflows the call
 * stack (RangeError). Renderers and finders use this wherever a list can be that long.
 */
export function pushAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const x of items) out.push(x);
  return out;
}
