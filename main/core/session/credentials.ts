/**
 * Where "remember me" keeps the password: the OS keychain, and nowhere else. A keychain that is missing (no libsecret, no
 * Secret Service), locked or refusing never blocks sign-in: the caller keeps the password for this run only and tells
 * the agent why it was not saved. Each call is bounded in time because a locked keyring may wait on an unlock prompt
 * nobody answers.
 */
import { createRequire } from 'node:module';

const KEYCHAIN_SERVICE = 'ICWS Companion';

/** The keychain said no, or is not there; `message` is a sentence for the agent. */
class CredentialStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialStoreError';
  }
}

export interface CredentialStore {
  get(account: string): Promise<string | null>;
  set(account: string, password: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain entry of a user on a server: `userId@server`, the server as its normalised base URL. */
export function credentialAccount(userId: string, server: string): string {
  return `${userId}@${server}`;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * The OS keychain through @github/keytar, loaded on first use so that a missing native library (libsecret on Linux)
 * becomes a clear "keychain unavailable" reason instead of a crash at start-up.
 */
export function keytarCredentialStore(options: { service?: string; timeoutMs?: number } = {}): CredentialStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let loaded: Keytar | null = null;
  let loadError: string | null = null;

  const keytar = (): Keytar => {
    if (loaded) return loaded;
    if (loadError) throw new CredentialStoreError(loadError);
    try {
      const require = createRequire(import.meta.url);
      loaded = require('@github/keytar') as Keytar;
      return loaded;
    } catch (error) {
      loadError = `The system keychain is not available on this computer (${firstLine(error)}).`;
      throw new CredentialStoreError(loadError);
    }
  };

  const guarded = async <T>(what: string, run: (k: Keytar) => Promise<T>): Promise<T> => {
    const k = keytar();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        run(k),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CredentialStoreError('The system keychain did not answer (it may be locked).')), timeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof CredentialStoreError) throw error;
      throw new CredentialStoreError(`The system keychain refused to ${what} (${firstLine(error)}).`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  return {
    get: (account) => guarded('read the password', (k) => k.getPassword(service, account)),
    set: (account, password) => guarded('save the password', (k) => k.setPassword(service, account, password)),
    delete: (account) => guarded('delete the password', (k) => k.deletePassword(service, account)),
  };
}

/** For tests and for runtimes without a keychain; `failure` makes every call refuse with that reason. */
export class MemoryCredentialStore implements CredentialStore {
  readonly entries = new Map<string, string>();
  constructor(public failure: string | null = null) {}
  async get(account: string): Promise<string | null> {
    if (this.failure) throw new CredentialStoreError(this.failure);
    return this.entries.get(account) ?? null;
  }
  async set(account: string, password: string): Promise<void> {
    if (this.failure) throw new CredentialStoreError(this.failure);
    this.entries.set(account, password);
  }
  async delete(account: string): Promise<boolean> {
    if (this.failure) throw new CredentialStoreError(this.failure);
    return this.entries.delete(account);
  }
}

export function reasonOf(error: unknown): string {
  return error instanceof CredentialStoreError ? error.message : `The system keychain failed (${firstLine(error)}).`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
