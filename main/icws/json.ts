/**
 * JSON from a server, parsed only when it is nested no deeper than CIC ever nests: `JSON.parse` of a million nested
 * arrays costs hundreds of megabytes before it returns. The depth is checked by one linear pass over the text first.
 */
export const MAX_JSON_DEPTH = 64;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: 'invalid' | 'tooDeep' };

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  if (nestsDeeperThan(text, maxDepth)) return { ok: false, reason: 'tooDeep' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

/** True when brackets outside strings nest past `maxDepth`. Malformed text is left to JSON.parse to refuse. */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
