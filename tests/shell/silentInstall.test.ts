// Packaging for IT (docs/DEPLOYMENT.md), offline: the silent-install and uninstall commands the document gives are the
// ones the installed electron-builder's NSIS templates honour, the artifact and folder names in them are the ones
// electron-builder produces for this configuration, uninstalling keeps the agents' data, and the sample policy is valid.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpretPolicy } from '../../main/core/settings/policy';
import { machinePolicyFile } from '../../main/shell/policyFile';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');
const yaml = require('js-yaml') as { load(text: string): unknown };
const builderLib = dirname(require.resolve('app-builder-lib/package.json'));
const nsis = (file: string) => readFile(join(builderLib, 'templates/nsis', file), 'utf8');

interface Config {
  productName: string;
  nsis: { oneClick: boolean; perMachine: boolean; deleteAppDataOnUninstall: boolean };
  linux: { executableName: string; target: string[] };
}

const config = async () => yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as Config;
const doc = () => readFile(join(root, 'docs/DEPLOYMENT.md'), 'utf8');
const packageJson = async () => JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('silent installs, as docs/DEPLOYMENT.md gives them', () => {
  it('builds with electron-builder 26, whose templates are the ones checked here', async () => {
    const { version } = JSON.parse(await readFile(join(builderLib, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^26\./);
  });

  it('builds an assisted NSIS installer that can install per machine and keeps app data on uninstall', async () => {
    const { nsis: options } = await config();
    // Assisted (not one-click) with perMachine false: per user by default, /allusers for a machine-wide install.
    expect(options).toMatchObject({ oneClick: false, perMachine: false, deleteAppDataOnUninstall: false });
    // electron-builder asks for the per-machine mode (and so honours /allusers) exactly when the installer is assisted,
    // and deletes app data on uninstall only when deleteAppDataOnUninstall is set.
    const target = await readFile(join(builderLib, 'out/targets/nsis/NsisTarget.js'), 'utf8');
    expect(target).toContain('if (!oneClick || options.perMachine === true) {\n            defines.INSTALL_MODE_PER_ALL_USERS_REQUIRED = null;');
    expect(target).toContain('if (options.deleteAppDataOnUninstall) {\n            defines.DELETE_APP_DATA_ON_UNINSTALL = null;');
  });

  it('honours /S, /allusers, /currentuser and /D= when installing', async () => {
    const assisted = await nsis('assistedInstaller.nsh');
    expect(assisted).toContain('${GetOptions} $R0 "/allusers" $R1');
    expect(assisted).toContain('${GetOptions} $R0 "/currentuser" $R1');
    const multiUser = await nsis('multiUser.nsh');
    const perMachine = multiUser.slice(multiUser.indexOf('!macro setInstallModePerAllUsers'));
    expect(perMachine).toContain('StrCpy $installMode all');
    expect(perMachine).toContain('!insertmacro GetDParameter $R0');
    expect(multiUser).toContain('${If} $R5 == "/D="');
    // /S is NSIS's own silent switch; the uninstaller parses it too, and the registry carries the quiet uninstall line.
    expect(await nsis('uninstaller.nsh')).toContain('${GetOptions} $R0 "/S" $R1');
    expect(await nsis('include/installer.nsh')).toContain(`WriteRegStr SHELL_CONTEXT "\${UNINSTALL_REGISTRY_KEY}" QuietUninstallString '"$2" $0 /S'`);
  });

  it('deletes app data on uninstall only when asked with --delete-app-data', async () => {
    const uninstaller = await nsis('uninstaller.nsh');
    const decision = uninstaller.slice(uninstaller.indexOf('StrCpy $isDeleteAppData "0"'), uninstaller.indexOf('${if} $isDeleteAppData == "1"'));
    expect(decision).toContain('${GetOptions} $R0 "--delete-app-data" $R1');
    expect(decision).toContain('!ifdef DELETE_APP_DATA_ON_UNINSTALL');
  });

  it('documents the commands with the names electron-builder gives this app', async () => {
    const [{ productName }, { name, version }, text] = await Promise.all([config(), packageJson(), doc()]);
    expect(await nsis('common.nsh')).toContain('!define UNINSTALL_FILENAME "Uninstall ${PRODUCT_FILENAME}.exe"');
    const target = await readFile(join(builderLib, 'out/targets/nsis/NsisTarget.js'), 'utf8');
    expect(target).toContain('return "${productName} " + setupText + "${version}" + archSuffix + ".${ext}";');
    const installer = `"${productName} Setup ${version}.exe"`;
    const uninstaller = `"C:\\Program Files\\${productName}\\Uninstall ${productName}.exe"`;
    for (const command of [
      `${installer} /S /allusers\``,
      `${installer} /S /allusers /D=D:\\Apps\\${productName}\``,
      `${uninstaller} /S /allusers\``,
      `${uninstaller} /S /allusers --delete-app-data\``,
    ]) {
      expect(text, command).toContain(command);
    }

    const linux = await config().then((c) => c.linux);
    expect(linux.target).toContain('deb');
    const fpm = await readFile(join(builderLib, 'out/targets/FpmTarget.js'), 'utf8');
    expect(fpm).toContain('nameFormat = "${name}_${version}_${arch}.${ext}";');
    expect(await readFile(join(builderLib, 'out/targets/LinuxTargetHelper.js'), 'utf8')).toContain('exports.installPrefix = "/opt";');
    expect(text).toContain(`sudo apt-get install -y ./${name}_${version}_amd64.deb`);
    expect(text).toContain(`sudo apt-get remove -y ${name}`);
    expect(text).toContain(`\`/opt/${productName}\``);
    expect(text).toContain(`\`${linux.executableName}\``);
  });

  it('puts the policy file where the desktop app reads it, and its sample policy is valid', async () => {
    const text = await doc();
    expect(text).toContain(`\`${machinePolicyFile('win32', { ProgramData: 'C:\\ProgramData' })}\``);
    expect(text).toContain(`\`${machinePolicyFile('darwin', {})}\``);
    expect(text).toContain(`\`${machinePolicyFile('linux', {})}\``);
    const sample = /### Sample policy\s+```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    expect(sample).toBeDefined();
    const loaded = interpretPolicy(sample!, '/etc/icws-companion/policy.json', 'linux');
    expect(loaded.details).toEqual([]);
    expect(loaded.policy).toMatchObject({ serverLocked: true, rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false, startAtLogin: true });
  });
});
