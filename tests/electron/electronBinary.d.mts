/** See electronBinary.mjs. */
export function findElectronBinary(root: string, env?: Record<string, string | undefined>): { ok: true; path: string } | { ok: false; reason: string };
