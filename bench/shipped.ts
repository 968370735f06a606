/**
 * The host as it ships: `node out/host/cli.js` in its own process, with the Node flags `npm run host` gives it (the UI
 * served, the keychain module loaded), reached
 * through its bridge like any local tool, and an ICWS simulator that writes one event per socket write, as CIC does.
 * Its CPU time and memory are read from /proc, so they are the host's alone.
 *
 * `BENCH_HOST_ROOT=DIR` runs the host built in another checkout (a "before" measurement of older code);
 * `BENCH_HOST_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR"` passes flags to its Node (to profile it);
 * `BENCH_SAMPLES=N` takes N samples per latency figure instead of the mode's count (an old host can be that slow).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Simulator } from '../sim/index';
import { BridgeClient } from './bridgeClient';
import { benchScenario, bigMailbox, PASSWORD, ready, ROOT, sleep, userId, workstationId } from './harness';

export const HOST_ROOT = process.env.BENCH_HOST_ROOT ?? ROOT;

/** The Node flags `npm run host` gives the host (its script in package.json): the host is measured as it runs. */
export function shippedNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(HOST_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = scripts.host?.split('&&').pop()?.trim().split(/\s+/) ?? [];
  return command[0] === 'node' ? command.slice(1).filter((word) => word.startsWith('--')) : [];
}

export function sampleCount(fallback: number): number {
  const given = Number(process.env.BENCH_SAMPLES);
  return Number.isInteger(given) && given > 0 ? given : fallback;
}

/** Builds out/ when a source is newer (the launcher's own check), as `npm run host` does; a no-op when current. */
export function ensureHostBuilt(): void {
  if (HOST_ROOT !== ROOT) return;
  // `--help` makes the host print its usage and exit (code 2) once the launcher has built what was stale.
  const result = spawnSync(process.execPath, [join(ROOT, 'main', 'host', 'launch.mjs'), '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 2) throw new Error(`building the host failed: ${result.stderr}`);
}

/** A simulator writing one SSE event per write, with `users` agents; agent1's mailbox holds `mailbox` voicemails. */
export async function startEventSim(options: { users?: number; mailbox?: number; messaging?: 1 | 2 } = {}): Promise<Simulator> {
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    writes: 'perEvent',
    scenario: benchScenario(options.users ?? 1),
    features: { messaging: options.messaging ?? 2 },
  });
  const mailbox = options.mailbox ?? 3;
  if (mailbox > 3) for (let i = 0; i < (options.users ?? 1); i++) sim.control.setMailbox({ userId: userId(i), messages: bigMailbox(userId(i), mailbox) });
  return sim;
}

export interface ProcUsage {
  /** user + system CPU time of the host process, ms (10 ms resolution). */
  cpuMs: number;
  rssMiB: number;
  /** Peak RSS since start or since `resetPeak()`. */
  peakMiB: number;
}

export class ShippedHost {
  readonly clients: BridgeClient[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    readonly uiUrl: string,
    readonly bridgeUrl: string,
  ) {}

  static async start(): Promise<ShippedHost> {
    const dataDir = mkdtempSync(join(tmpdir(), 'companion-shipped-'));
    const flags = [...shippedNodeFlags(), ...(process.env.BENCH_HOST_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
    const child = spawn(process.execPath, [...flags, join(HOST_ROOT, 'out', 'host', 'cli.js'), '--port', '0', '--data-dir', dataDir], {
      cwd: HOST_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = createInterface({ input: child.stdout! });
    const [ui, bridge] = await new Promise<[string, string]>((resolve, reject) => {
      const seen: string[] = [];
      lines.on('line', (line) => {
        seen.push(line);
        if (seen.length === 2) resolve([seen[0]!.slice('ui: '.length), seen[1]!.slice('bridge: '.length)]);
      });
      child.once('exit', (code) => reject(new Error(`the host exited with code ${String(code)} before it was ready`)));
    });
    const host = new ShippedHost(child, dataDir, ui, bridge);
    await host.connect();
    return host;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get client(): BridgeClient {
    return this.clients[0]!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async connect(): Promise<BridgeClient> {
    const client = await BridgeClient.connect(this.bridgeUrl);
    await client.refresh();
    this.clients.push(client);
    return client;
  }

  /** Signs in as `agentN`, logs in to its workstation, and waits for the mailbox of `mailboxSize` on the first client. */
  async signIn(sim: Simulator, index: number, mailboxSize: number): Promise<void> {
    const client = this.client;
    await client.call('session.signIn', { server: sim.url, userId: userId(index), password: PASSWORD, remember: false });
    await client.waitForState((state) => state.connection.status === 'connected', 20_000, 'signed in');
    await client.call('station.logIn', { kind: 'workstation', workstation: workstationId(index) });
    await client.waitForState(ready(mailboxSize), 30_000, 'station and mailbox');
  }

  usage(): ProcUsage {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { cpuMs: ticks * 10, rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  }

  /** Starts a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM). */
  resetPeak(): void {
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close().catch(() => undefined)));
    if (this.alive) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (this.alive) this.child.kill('SIGKILL');
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
