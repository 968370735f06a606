import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultSettings, settingsSchema, type Settings } from '../../preload/contract';
import type { Logger } from './log';

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
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
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
      await mkdir(dirname(this.file), { recursive: true });
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
}

function safeJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
