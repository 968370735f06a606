// npm run sim -- [--port 8018] [--host 127.0.0.1] [--scenario FILE] [--tls] [--station-shape nested|flat]
//                [--ping-interval MS] [--event-per-write] [--quiet]
// Prints `ICWS simulator: http(s)://HOST:PORT` on its own line once listening (and the certificate fingerprint
// with --tls). Bad arguments exit with code 2.
import { ScenarioError, startSimulator } from './index';
import type { SimulatorOptions } from './index';

const USAGE = `usage: npm run sim -- [--port N] [--host HOST] [--scenario FILE] [--tls]
                       [--station-shape nested|flat] [--ping-interval MS] [--event-per-write] [--quiet]
  --port N              port to listen on (default 8018, 8019 with --tls; 0 = any free port)
  --host HOST           address to listen on (default 127.0.0.1)
  --scenario FILE       JSON scenario overriding the default (see docs/SIMULATOR.md)
  --tls                 serve HTTPS with a self-signed certificate generated at start
  --station-shape S     stationConnectionStateChangeMessage shape: nested (default) or flat
  --ping-interval MS    milliseconds between :ping comments on SSE streams (default 15000)
  --event-per-write     write each SSE message on its own, as CIC does (default: a tick's messages in one write)
  --quiet               no diagnostics on stderr`;

class UsageError extends Error {}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}`);
  return n;
}

function parseArgs(args: string[]): SimulatorOptions {
  const options: SimulatorOptions = {};
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--port':
        port = integer('--port', value(), 0, 65535);
        break;
      case '--host': {
        const host = value();
        if (!host || host.startsWith('--')) throw new UsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--scenario': {
        const file = value();
        if (!file || file.startsWith('--')) throw new UsageError('--scenario needs a file');
        options.scenario = file;
        break;
      }
      case '--tls':
        options.tls = true;
        break;
      case '--station-shape': {
        const shape = value();
        if (shape !== 'nested' && shape !== 'flat') throw new UsageError('--station-shape must be nested or flat');
        options.stationMessageShape = shape;
        break;
      }
      case '--ping-interval':
        options.pingIntervalMs = integer('--ping-interval', value(), 1, 3_600_000);
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--event-per-write':
        options.writes = 'perEvent';
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  options.port = port ?? (options.tls ? 8019 : 8018);
  return options;
}

async function main(): Promise<void> {
  let options: SimulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sim: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    const simulator = await startSimulator(options);
    process.stdout.write(`ICWS simulator: ${simulator.url}\n`);
    if (simulator.fingerprint256) process.stdout.write(`certificate SHA-256: ${simulator.fingerprint256}\n`);
    const stop = (): void => {
      void simulator.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`sim: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`sim: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

void main();
