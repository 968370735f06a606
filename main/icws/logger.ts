/** The logging and secret-registration the ICWS layer needs; the core's Logger and SecretRegistry satisfy them. */
export interface IcwsLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where every secret value the client handles is registered, so that no log line can ever contain it. */
export interface SecretSink {
  add(value: string | undefined | null): void;
  /** A secret of a session that has ended: still redacted for a while, then forgotten, so reconnects do not pile up. */
  retire(value: string | undefined | null): void;
}
