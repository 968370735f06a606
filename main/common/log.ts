/**
 * The companion's logger. Secrets (the password, csrfToken, the session cookie, sipPassword) must never reach a log line,
 * so every line passes through a redactor that knows the secret values of this run and the field names that hold secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogRecord {
  level: LogLevel;
  scope: string;
  message: string;
  fields?: Record<string, unknown>;
  time: string;
}
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

const SECRET_FIELD = /pass(word)?|secret|token|cookie|csrf|authorization/i;
const REDACTED = '[redacted]';
const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Values registered here are replaced wherever they appear in any log line of this process. */
export class SecretRegistry {
  private readonly secrets = new Set<string>();
  /**
   * Secrets of ended sessions (old CSRF tokens and cookies), oldest first. A late log line about an old session is still
   * redacted, but an agent who stays signed in for weeks through thousands of reconnects does not grow this forever.
   */
  private readonly retired: string[] = [];
  /** Each secret's encoded forms, computed once; kept exactly as long as the secret is (live or retired). */
  private readonly forms = new Map<string, readonly string[]>();
  static readonly RETIRED_KEPT = 64;

  add(value: string | undefined | null): void {
    // Very short values would redact innocent text; real secrets here are longer than this.
    if (value && value.length >= 4) this.secrets.add(value);
  }
  retire(value: string | undefined | null): void {
    if (!value || !this.secrets.delete(value)) return;
    this.retired.push(value);
    if (this.retired.length > SecretRegistry.RETIRED_KEPT) {
      const forgotten = this.retired.shift() as string;
      if (!this.secrets.has(forgotten)) this.forms.delete(forgotten);
    }
  }
  get size(): number {
    return this.secrets.size + this.retired.length;
  }

  redactText(text: string): string {
    let out = text;
    for (const secret of [...this.secrets, ...this.retired]) {
      for (const form of this.formsOf(secret)) if (out.includes(form)) out = redactOne(out, form);
    }
    return out;
  }

  private formsOf(secret: string): readonly string[] {
    let forms = this.forms.get(secret);
    if (!forms) {
      this.forms.set(secret, (forms = encodedForms(secret)));
    }
    return forms;
  }
  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return this.redactText(`${value.name}: ${value.message}`);
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_FIELD.test(key) && item !== undefined && item !== null ? REDACTED : this.redact(item, depth + 1);
    }
    return out;
  }
}

/**
 * Long secrets (tokens, cookies, real passwords) are redacted wherever they appear. A short one (a 4-digit PIN such as
 * the demo's "1234") only where it stands alone: redacting it inside "+13175551234" would mangle phone numbers and
 * voicemail senders in every message, and would tell a reader where the secret is anyway.
 */
const SHORT_SECRET = 8;
const standAlone = new Map<string, RegExp>();

function redactOne(text: string, secret: string): string {
  if (secret.length >= SHORT_SECRET) return text.split(secret).join(REDACTED);
  let pattern = standAlone.get(secret);
  if (!pattern) {
    if (standAlone.size > 256) standAlone.clear();
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu');
    standAlone.set(secret, pattern);
  }
  return text.replace(pattern, REDACTED);
}

/**
 * A secret as a server or proxy may quote it back: inside a JSON string (escaped, with or without `\\u` escapes),
 * URL-encoded (a query or a form body), HTML-escaped, or in base64 (a Basic authorization header, at any alignment).
 * Longest first, so a form that contains the raw secret is replaced whole.
 */
function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  // Serialisers differ in what they escape as `\\uXXXX`: nothing, non-ASCII (Python), HTML-unsafe characters (Go), or both
  // (.NET), in either case of hex.
  const escaped = (pattern: RegExp, upper: boolean) =>
    json.replace(pattern, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  const jsonForms = [/[^\x20-\x7e]/g, /[<>&'=]/g, /[^\x20-\x7e]|[<>&'=]/g].flatMap((pattern) => [escaped(pattern, false), escaped(pattern, true)]);
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  const html = secret.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
  const forms = [secret, json, ...jsonForms, uri, uri.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), form, html];
  // Base64 only for secrets long enough that their encoded core cannot match innocent text.
  if (secret.length >= SHORT_SECRET) forms.push(...base64Cores(secret));
  return [...new Set(forms)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** The base64 characters that depend on the secret's bytes alone, for each of the three alignments (and base64url). */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

export const processSecrets = new SecretRegistry();

export function formatLogRecord(record: LogRecord): string {
  const fields = record.fields && Object.keys(record.fields).length > 0 ? ` ${JSON.stringify(record.fields)}` : '';
  return `${record.time} ${record.level.toUpperCase()} [${record.scope}] ${record.message}${fields}`;
}

export function consoleSink(record: LogRecord): void {
  (record.level === 'error' || record.level === 'warn' ? console.error : console.log)(formatLogRecord(record));
}

/** Logs to standard error only, for commands whose standard output is an interface (`npm run host`, `npm run sim`). */
export function stderrSink(record: LogRecord): void {
  process.stderr.write(`${formatLogRecord(record)}\n`);
}

export function createLogger(options: {
  sink?: LogSink;
  level?: LogLevel;
  scope?: string;
  secrets?: SecretRegistry;
} = {}): Logger {
  const sink = options.sink ?? consoleSink;
  const threshold = levels[options.level ?? 'info'];
  const secrets = options.secrets ?? processSecrets;
  const scope = options.scope ?? 'companion';
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < threshold) return;
    const record: LogRecord = { level, scope, message: secrets.redactText(message), time: new Date().toISOString() };
    if (fields) record.fields = secrets.redact(fields) as Record<string, unknown>;
    sink(record);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (child) => createLogger({ ...options, scope: `${scope}.${child}` }),
  };
}

/** A logger for tests and quiet hosts. */
export const silentLogger: Logger = createLogger({ sink: () => {} });
