import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rules are enforced by lint: prove that each zone rejects what it must not import, and accepts what it may. */
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((message) => message.message);
}

/** What the folder allow-lists (`layers/may-import`, the README's "may import" table) say of the same code. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'layers/may-import').map((message) => message.message);
}

describe('layer rules', () => {
  it.each([
    ['main/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/icws/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/bridge/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['sim/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['preload/contract/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['renderer/src/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s may not import electron', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([expect.stringContaining('may import electron')]);
  });

  it.each([
    ['main/shell/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/index.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['preload/index.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n"],
  ])('%s may import electron', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([]);
  });

  it('keeps the protocol client free of the core and the shell', async () => {
    const errors = await layerErrors('main/icws/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n");
    expect(errors).toEqual([expect.stringContaining('speaks ICWS only')]);
  });

  it('keeps the core free of the shell', async () => {
    const errors = await layerErrors('main/core/probe.ts', "import { tray } from '../shell/tray';\nexport const x = tray;\n");
    expect(errors).toEqual([expect.stringContaining('Electron-free')]);
  });

  it('lets the renderer import only the contract types', async () => {
    const runtime = await importErrors('renderer/src/probe.ts', "import { commands } from '../../preload/contract';\nexport const x = commands;\n");
    expect(runtime).toEqual([expect.stringContaining('only types')]);
    const types = await importErrors(
      'renderer/src/probe.ts',
      "import type { PublicState } from '../../preload/contract';\nexport type X = PublicState;\n",
    );
    expect(types).toEqual([]);
    const pureState = await importErrors(
      'renderer/src/probe.ts',
      "import { initialState } from '../../preload/contract/state';\nexport const x = initialState;\n",
    );
    expect(pureState).toEqual([]);
    const zod = await importErrors('renderer/src/probe.ts', "import { z } from 'zod';\nexport const x = z;\n");
    expect(zod).toEqual([expect.stringContaining('validation happens on the main side')]);
  });

  it('keeps the simulator stand-alone', async () => {
    const errors = await layerErrors('sim/probe.ts', "import { Companion } from '../main/core/companion';\nexport const x = Companion;\n");
    expect(errors).toEqual([expect.stringContaining('stand-alone')]);
  });

  it.each([
    ['main/icws/probe.ts', "import { initialState } from '../../preload/contract';\nexport const x = initialState;\n", 'speaks ICWS only'],
    ['main/icws/probe.ts', "import { log } from '../common/log';\nexport const x = log;\n", 'speaks ICWS only'],
    ['main/core/probe.ts', "import { createDispatcher } from '../transports/dispatcher';\nexport const x = createDispatcher;\n", 'knows no transport'],
    ['main/core/station/probe.ts', "import { startLocalServer } from '../../bridge/localServer';\nexport const x = startLocalServer;\n", 'knows no transport'],
    ['main/core/probe.ts', "import WebSocket from 'ws';\nexport const x = WebSocket;\n", 'knows no transport'],
    ['main/transports/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n", 'not the core'],
    ['main/bridge/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n", 'only through the dispatcher'],
    ['main/common/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n", 'depend on none of them'],
    ['main/host/probe.ts', "import { TrayService } from '../shell/tray';\nexport const x = TrayService;\n", 'everything but the Electron shell'],
    ['preload/contract/probe.ts', "import { log } from '../../main/common/log';\nexport const x = log;\n", 'nothing but zod'],
    ['renderer/src/probe.ts', "import { Companion } from '../../main/core/companion';\nexport const x = Companion;\n", 'browser page'],
  ])('%s: the folder allow-list refuses %s', async (file, code, reason) => {
    expect(await layerErrors(file, code)).toEqual([expect.stringContaining(reason)]);
  });

  it.each([
    ['main/icws/probe.ts', "import { isObject } from '../../preload/contract/guards';\nimport { request } from 'node:https';\nexport const x = [isObject, request];\n"],
    ['main/core/station/probe.ts', "import { FEATURES } from '../../icws/api';\nimport { log } from '../../common/log';\nimport { ok } from '../../../preload/contract';\nexport const x = [FEATURES, log, ok];\n"],
    ['main/bridge/probe.ts', "import { WebSocketServer } from 'ws';\nimport { createDispatcher } from '../transports/dispatcher';\nexport const x = [WebSocketServer, createDispatcher];\n"],
    ['main/shell/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n"],
    ['renderer/src/probe.ts', "import { ACTION_NAMES } from '../../preload/contract/actions';\nexport const x = ACTION_NAMES;\n"],
  ])('%s: the folder allow-list lets through what its row allows', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});

describe('the README\u2019s table and the lint rule', () => {
  it('have the same rows: every folder the README lists (but bench/ and tests/) has its allow-list, and no other', async () => {
    // A plain JS module beside eslint.config.js (no types): loaded by path.
    const layersModule = '../../eslint-layers.js';
    const { LAYERS } = (await import(layersModule)) as { LAYERS: Record<string, unknown> };
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## How it is built'), readme.indexOf('The core, one folder per capability'));
    const folders = [...table.matchAll(/^\| ((?:`[^`]+`(?:, )?)+) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([^`]+)`/g)].map((name) => name[1]!));
    expect(folders.filter((folder) => folder !== 'bench/' && folder !== 'tests/').sort()).toEqual(Object.keys(LAYERS).sort());
  });
});
