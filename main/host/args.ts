/** Command line of `npm run host`: the companion's main side in plain Node, with the UI and the bridge on loopback. */
interface HostArgs {
  demo: boolean;
  server: string | null;
  port: number;
  dataDir: string | null;
  caFile: string | null;
  /** A machine-wide policy file to honour (the desktop app reads the OS's own place instead). */
  policy: string | null;
  verbose: boolean;
}

const HOST_USAGE = `Usage: npm run host -- [--demo] [--server URL] [--port N] [--data-dir DIR] [--ca-file FILE] [--policy FILE] [--verbose]
  --demo          sign in to the built-in ICWS simulator as agent1
  --server URL    the CIC server to sign in to (base URL, e.g. https://cic1:8019)
  --port N        loopback port for the UI and the bridge (default: a free one)
  --data-dir DIR  where settings are kept (default: the desktop app's folder)
  --ca-file FILE  an extra certificate authority (PEM) to trust for the CIC server
  --policy FILE   a machine-wide policy (docs/DEPLOYMENT.md) to honour as the desktop app honours the OS's
  --verbose       log debug lines`;

export type ParsedArgs = { ok: true; args: HostArgs } | { ok: false; message: string };

export function parseHostArgs(argv: readonly string[]): ParsedArgs {
  const args: HostArgs = { demo: false, server: null, port: 0, dataDir: null, caFile: null, policy: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value.`);
      return next;
    };
    try {
      switch (flag) {
        case '--demo':
          args.demo = true;
          break;
        case '--verbose':
          args.verbose = true;
          break;
        case '--server':
          args.server = value();
          break;
        case '--data-dir':
          args.dataDir = value();
          break;
        case '--ca-file':
          args.caFile = value();
          break;
        case '--policy':
          args.policy = value();
          break;
        case '--port': {
          const raw = value();
          const port = Number(raw);
          if (!/^\d+$/.test(raw) || port > 65535) return { ok: false, message: `--port must be a number from 0 to 65535, not "${raw}".` };
          args.port = port;
          break;
        }
        case '--help':
        case '-h':
          return { ok: false, message: HOST_USAGE };
        default:
          return { ok: false, message: `Unknown option "${flag}".\n${HOST_USAGE}` };
      }
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }
  if (args.demo && args.server) return { ok: false, message: 'Use either --demo or --server, not both.' };
  return { ok: true, args };
}
