import { posix, win32 } from 'node:path';

/**
 * Where IT puts the machine-wide policy (docs/DEPLOYMENT.md): a folder only administrators can write. The desktop app
 * takes no `--policy` option, so an agent cannot start it with a policy of their own.
 */
export function machinePolicyFile(platform: string, env: Record<string, string | undefined>): string {
  if (platform === 'win32') {
    const programData = env.ProgramData && win32.isAbsolute(env.ProgramData) ? env.ProgramData : 'C:\\ProgramData';
    return win32.join(programData, 'ICWS Companion', 'policy.json');
  }
  if (platform === 'darwin') return posix.join('/Library/Application Support', 'ICWS Companion', 'policy.json');
  return posix.join('/etc', 'icws-companion', 'policy.json');
}
