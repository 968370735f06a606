import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

const WINDOWS_DEFAULT = win32.join('C:\\ProgramData', 'ICWS Companion', 'policy.json');

/**
 * Where IT puts the machine-wide policy (docs/DEPLOYMENT.md): a folder only administrators can write. The desktop app
 * takes no `--policy` option, so an agent cannot start it with a policy of their own. On Windows, `%ProgramData%` is
 * an environment variable an agent can set for themselves: a policy in the usual `C:\ProgramData` wins over it, which
 * is consulted only for a Windows whose ProgramData is elsewhere.
 */
export function machinePolicyFile(platform: string, env: Record<string, string | undefined>, exists: (path: string) => boolean = existsSync): string {
  if (platform === 'win32') {
    const programData = env.ProgramData && win32.isAbsolute(env.ProgramData) ? win32.join(env.ProgramData, 'ICWS Companion', 'policy.json') : null;
    return programData === null || exists(WINDOWS_DEFAULT) ? WINDOWS_DEFAULT : programData;
  }
  if (platform === 'darwin') return posix.join('/Library/Application Support', 'ICWS Companion', 'policy.json');
  return posix.join('/etc', 'icws-companion', 'policy.json');
}
