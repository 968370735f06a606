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
    const errors = await importErrors('main/icws/probe.ts', "import { Companion } from '../core/companion';\nexport const x = Companion;\n");
    expect(errors).toEqual([expect.stringContaining('speaks ICWS only')]);
  });

  it('keeps the core free of the shell', async () => {
    const errors = await importErrors('main/core/probe.ts', "import { tray } from '../shell/tray';\nexport const x = tray;\n");
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
    const errors = await importErrors('sim/probe.ts', "import { Companion } from '../main/core/companion';\nexport const x = Companion;\n");
    expect(errors).toEqual([expect.stringContaining('stand-alone')]);
  });
});
