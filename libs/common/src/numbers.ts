/** A value rounded to a number of decimal places as `Math.round` rounds (halves upwards): `roundTo(1.25, 1)` is 1.3. */
export function roundTo(value: number, places: number): number {
  return Math.round(value * 10 ** places) / 10 ** places;
}

/** `items` mapped one at a time, as they are read: nothing is made before it is asked for. */
export function* mapLazily<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}
