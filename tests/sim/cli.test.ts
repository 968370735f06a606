import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim';
import { ScenarioError } from '../../sim';
import { login, start } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
let children: ChildProcess[] = [];
let sims: Simulator[] = [];

afterEach(async () => {
  for (const child of children) {
    // Node itself with tsx's loader (no npx wrapper): the child is the simulator, on every OS.
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  children = [];
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

function runCli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitForLines(stdout: () => string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (stdout().split('\n').filter((line) => line !== '').length < count) {
    if (Date.now() > deadline) throw new Error(`CLI printed only: ${stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return stdout().split('\n').filter((line) => line !== '');
}

function peerFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('npm run sim', () => {
  it('prints exactly "ICWS simulator: http://HOST:PORT" and serves there', async () => {
    const cli = runCli(['--port', '0']);
    const [line] = await waitForLines(cli.stdout, 1);
    expect(line).toMatch(/^ICWS simulator: http:\/\/127\.0\.0\.1:\d+$/);
    const url = (line ?? '').slice('ICWS simulator: '.length);
    const answer = await fetch(`${url}/icws/connection/version`);
    expect(answer.status).toBe(200);
  });

  it('with --tls prints the certificate fingerprint the server really presents', async () => {
    const cli = runCli(['--port', '0', '--tls']);
    const [urlLine, fingerprintLine] = await waitForLines(cli.stdout, 2);
    expect(urlLine).toMatch(/^ICWS simulator: https:\/\/127\.0\.0\.1:\d+$/);
    expect(fingerprintLine).toMatch(/^certificate SHA-256: ([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const port = Number((urlLine ?? '').split(':').pop());
    expect(await peerFingerprint(port)).toBe((fingerprintLine ?? '').slice('certificate SHA-256: '.length));
  });

  it('exits with 2 and a clear message on bad arguments', async () => {
    const runs = [['--port', 'eighty'], ['--bogus'], ['--station-shape', 'round'], ['--port', '70000']].map(runCli);
    const codes = await Promise.all(runs.map((run) => run.exit));
    expect(codes).toEqual([2, 2, 2, 2]);
    for (const run of runs) {
      expect(run.stderr()).toMatch(/^sim: /m);
      expect(run.stderr()).toContain('usage:');
    }
    expect(runs[0]?.stderr()).toContain('--port needs a whole number');
    expect(runs[1]?.stderr()).toContain("unknown argument '--bogus'");
  });

  it('exits with 2 on an invalid scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ users: [{ userId: 'x' }] }));
    const cli = runCli(['--port', '0', '--scenario', file]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain('users.0.password');
  });
});

describe('in-process TLS and scenarios', () => {
  it('serves HTTPS with a certificate valid for 127.0.0.1 when pinned as the only CA', async () => {
    const s = await start({ tls: true });
    sims.push(s);
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(s.certificatePem).toContain('BEGIN CERTIFICATE');
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${s.url}/icws/connection/version`, { ca: s.certificatePem }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
    expect(await peerFingerprint(s.port)).toBe(s.fingerprint256);
  });

  it('loads a scenario file, and reports what is wrong with a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        users: [{ userId: 'sup1', password: 'pw', displayName: 'Supervisor One' }],
        mailboxes: { sup1: [] },
        dialerCalls: [],
        features: { queues: 3 },
      }),
    );
    const s = await start({ scenario: good });
    sims.push(s);
    await login(s, 'sup1', 'pw');
    expect(s.control.state().features).toContainEqual({ featureId: 'queues', version: 3 });
    expect(s.control.state().features).toContainEqual({ featureId: 'dialer', version: 7 });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ dialerCalls: [{ callId: '1', userId: 'ghost', campaignId: 'nope' }] }));
    await expect(start({ scenario: bad })).rejects.toThrow(ScenarioError);
    await expect(start({ scenario: bad })).rejects.toThrow(/dialerCalls\.0\.userId: unknown user 'ghost'/);
    writeFileSync(bad, '{ not json');
    await expect(start({ scenario: bad })).rejects.toThrow(/not valid JSON/);
    await expect(start({ scenario: join(dir, 'missing.json') })).rejects.toThrow(/cannot read scenario file/);
  });
});
