import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { defaultSettings, settingsSchema, type Settings } from '../../../preload/contract';
import type { Logger } from '../../common/log';

export const SETTINGS_FILE = 'settings.json';

/**
 * Settings persisted as JSON in the user data folder. Writes are atomic (temporary file, then rename) so a crash never
 * leaves half a file; a file that fails validation is kept aside, never deleted, and defaults are used with a warning.
 */
export class SettingsStore {
  private current: Settings = defaultSettings();
  private writing: Promise<void> = Promise.resolve();
  /** Set when the file could not be used; shown to the agent in the public state's warnings. */
  warning: string | null = null;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  static inFolder(folder: string, log: Logger): SettingsStore {
    return new SettingsStore(join(folder, SETTINGS_FILE), log);
  }

  get path(): string {
    return this.file;
  }

  get value(): Settings {
    return this.current;
  }

  async load(): Promise<Settings> {
    await this.removeStaleTemporaries();
    let text: string;
    try {
      // Windows Notepad saves UTF-8 with a byte-order mark: it is not part of the JSON.
      text = (await readFile(this.file, 'utf8')).replace(/^\uFEFF/, '');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.current = defaultSettings());
      this.warning = `Your settings could not be read (${(error as Error).message}); defaults are in use.`;
      this.log.warn('settings unreadable', { file: this.file, error });
      return (this.current = defaultSettings());
    }
    const parsed = safeJson(text);
    const checked = parsed.ok ? settingsSchema.safeParse(parsed.value) : null;
    if (checked?.success) return (this.current = checked.data);

    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.file, aside);
    } catch (error) {
      this.log.warn('could not move the corrupt settings file aside', { error });
    }
    const why = parsed.ok ? 'some values were not valid' : 'it is not valid JSON';
    this.warning = `Your settings file could not be used (${why}); it was kept as ${aside} and defaults are in use.`;
    this.log.warn('settings file corrupt, defaults in use', { file: this.file, keptAs: aside });
    return (this.current = defaultSettings());
  }

  /** Validates, then persists; concurrent saves are serialised so the last one wins on disk as in memory. */
  async save(next: Settings): Promise<Settings> {
    const valid = settingsSchema.parse(next);
    this.current = valid;
    const write = async () => {
      // The folder holds the agent's settings and logs: readable by the agent only, as the files are.
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.file);
    };
    this.writing = this.writing.then(write, write);
    await this.writing;
    return valid;
  }

  update(change: (settings: Settings) => Settings): Promise<Settings> {
    return this.save(change(this.current));
  }

  /** A write cut short by a crash leaves `settings.json.<pid>.tmp` behind; a process that is gone will not finish it. */
  private async removeStaleTemporaries(): Promise<void> {
    const prefix = `${basename(this.file)}.`;
    let names: string[];
    try {
      names = await readdir(dirname(this.file));
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const pid = Number(name.slice(prefix.length, -'.tmp'.length));
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
      await rm(join(dirname(this.file), name), { force: true }).catch((error: unknown) => this.log.warn('could not remove a stale settings file', { name, error }));
    }
  }
}

function safeJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
