// .github/workflows/desktop.yml cannot run here: it is validated against GitHub's workflow schema (@action-validator/core,
// WebAssembly, no download) and held to what the desktop app needs from it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '@action-validator/core';

const root = join(import.meta.dirname, '../..');
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { 'runs-on': string; env: Record<string, string>; strategy: { matrix: { include: { os: string; packaged: string; chromium: string }[] } }; steps: Step[] }>;
}

const source = () => readFile(join(root, '.github/workflows/desktop.yml'), 'utf8');

describe('the desktop workflow', () => {
  it('is a valid GitHub Actions workflow (and the validator does catch a broken one)', async () => {
    const text = await source();
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(validateWorkflow(text.replace('runs-on:', 'run-on:')).errors.length).toBeGreaterThan(0);
  });

  it('runs on Ubuntu 24.04, Windows and macOS on Apple silicon, with the Electron suite required', async () => {
    const workflow = yaml.load(await source()) as Workflow;
    const job = workflow.jobs.desktop!;
    expect(job.strategy.matrix.include.map((entry) => entry.os)).toEqual(['ubuntu-24.04', 'windows-latest', 'macos-14']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.env.REQUIRE_ELECTRON).toBe('1');
    const runs = job.steps.map((step) => step.run ?? step.uses ?? '');
    // npm ci downloads the binary: nothing sets ELECTRON_SKIP_BINARY_DOWNLOAD.
    expect(JSON.stringify(workflow)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(runs).toContain('npm ci');
    expect(runs.filter((run) => /\bnpm test$/.test(run))).toEqual(['xvfb-run -a --server-args="-screen 0 1280x800x24" npm test', 'npm test']);
    expect(runs).toContain('npm run package:dir');
    expect(runs.filter((run) => run.endsWith('npx vitest run --project electron-packaged'))).toHaveLength(2);
  });

  it('gives Linux a display, a D-Bus session with a keyring, and user namespaces for Chromium\'s sandbox', async () => {
    const workflow = yaml.load(await source()) as Workflow;
    const linux = workflow.jobs.desktop!.steps.find((step) => step.if === "runner.os == 'Linux'" && step.run?.includes('apt-get install'))!;
    for (const need of ['xvfb', 'dbus', 'gnome-keyring', 'libsecret-1-0', 'kernel.apparmor_restrict_unprivileged_userns=0']) expect(linux.run).toContain(need);
    expect(linux.run).not.toContain('--no-sandbox');
  });

  it('checks the packaged executable of each system, where npm run package:dir puts it', async () => {
    const workflow = yaml.load(await source()) as Workflow;
    const config = yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as { productName: string; directories: { output: string }; linux: { executableName: string } };
    const packaged = Object.fromEntries(workflow.jobs.desktop!.strategy.matrix.include.map((entry) => [entry.os, entry.packaged]));
    expect(packaged).toEqual({
      'ubuntu-24.04': `${config.directories.output}/linux-unpacked/${config.linux.executableName}`,
      'windows-latest': `${config.directories.output}/win-unpacked/${config.productName}.exe`,
      'macos-14': `${config.directories.output}/mac-arm64/${config.productName}.app/Contents/MacOS/${config.productName}`,
    });
    for (const step of workflow.jobs.desktop!.steps.filter((s) => s.run?.includes('electron-packaged'))) {
      expect(step.env?.COMPANION_PACKAGED_APP).toBe('${{ github.workspace }}/${{ matrix.packaged }}');
    }
  });

  it('uploads the screenshots and the app\'s logs whatever the outcome', async () => {
    const workflow = yaml.load(await source()) as Workflow;
    const upload = workflow.jobs.desktop!.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with!.path).toContain('tests/artifacts/');
  });
});
