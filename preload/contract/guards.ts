/** A plain JSON object (not null, not an array): the one check every layer uses on data it did not build itself. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
