import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

/** The fuses electron-builder.yml sets (the security checklist), by @electron/fuses' names. */
export const EXPECTED_FUSES: Readonly<Record<keyof typeof FuseV1Options, boolean>> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);

/**
 * The fuse wire read back from a built binary (an executable, or a macOS .app whose framework holds the wire): each
 * fuse of V1 as on, off, or the byte found when it is neither (removed, or left to Electron's default).
 */
export async function readFuses(executable: string): Promise<Record<keyof typeof FuseV1Options, boolean | number>> {
  const wire = (await getCurrentFuseWire(executable)) as unknown as Record<number, number> & { version: string };
  if (wire.version !== '1') throw new Error(`unexpected fuse wire version ${wire.version}`);
  const names = Object.keys(EXPECTED_FUSES) as (keyof typeof FuseV1Options)[];
  return Object.fromEntries(
    names.map((name) => {
      const state = wire[FuseV1Options[name]];
      return [name, state === ENABLED ? true : state === DISABLED ? false : (state ?? -1)];
    }),
  ) as Record<keyof typeof FuseV1Options, boolean | number>;
}
