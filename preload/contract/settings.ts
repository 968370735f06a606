import { z } from 'zod';

/**
 * Hotkey defaults chosen to rarely clash with agent desktops and browsers, and with typing: no Ctrl+Alt+letter, which
 * Windows reads as AltGr+letter on many keyboard layouts (Ctrl+Alt+S types "ś" in Polish).
 */
export const DEFAULT_HOTKEYS = {
  stopPlayback: 'CommandOrControl+Shift+F9',
  recordFollowMe: 'CommandOrControl+Shift+F10',
} as const;

const accelerator = z.string().trim().min(1, 'A hotkey cannot be empty.').max(100, 'That hotkey is too long.');

export const fingerprint256Schema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase().replace(/[^0-9A-F]/g, ''))
  .refine((hex) => hex.length === 64, 'A SHA-256 fingerprint has 64 hexadecimal digits.')
  .transform((hex) => hex.match(/../g)!.join(':'));

export const certificatePinSchema = z.object({
  /** `host:port` of the CIC server the pin applies to. */
  host: z.string().min(1).max(300),
  fingerprint256: fingerprint256Schema,
  addedAt: z.string().min(1).max(64),
});
export type CertificatePin = z.infer<typeof certificatePinSchema>;

const hotkeysSchema = z.object({
  stopPlayback: accelerator.nullable().default(DEFAULT_HOTKEYS.stopPlayback),
  recordFollowMe: accelerator.nullable().default(DEFAULT_HOTKEYS.recordFollowMe),
});

const notificationsSchema = z.object({
  /** Station connected, changed or dropped. */
  station: z.boolean().default(true),
  /** Session lost and restored. */
  session: z.boolean().default(true),
  /** A new voicemail arrived. */
  voicemail: z.boolean().default(true),
  /** An action started from the tray or a hotkey failed (the window may be hidden). */
  actionFailures: z.boolean().default(true),
});

const bridgeSchema = z.object({
  /** The local WebSocket bridge lets other tools on this computer automate the companion. */
  enabled: z.boolean().default(false),
  port: z.number().int().min(0).max(65535).default(0),
});

const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(10000),
  height: z.number().int().min(200).max(10000),
});

/** A station logon as the agent last made it (the same fields as `station.logIn`), offered at the next logon. */
const lastStationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workstation'), workstation: z.string().min(1).max(128) }),
  z.object({ kind: z.literal('remoteWorkstation'), workstation: z.string().min(1).max(128), remoteNumber: z.string().max(64).optional() }),
  z.object({ kind: z.literal('remoteNumber'), remoteNumber: z.string().min(1).max(64), persistent: z.boolean().optional() }),
]);
export type LastStation = z.infer<typeof lastStationSchema>;

/** At most this many users' last stations are kept; the oldest goes first. */
export const LAST_STATIONS_KEPT = 20;

/** The key of `lastStations`: one entry per user on each server. */
export function lastStationKey(userId: string, server: string): string {
  return `${userId.toLowerCase()}@${server}`;
}

/** Everything the companion persists. No secret ever goes here: the password lives in the OS keychain. */
export const settingsSchema = z.object({
  /** Base URL of the CIC server (`https://cic1:8019`, or a web-proxy base such as `https://host/api/cic1`). */
  server: z.string().max(2048).nullable().default(null),
  userId: z.string().max(256).nullable().default(null),
  rememberPassword: z.boolean().default(false),
  hotkeys: hotkeysSchema.default(hotkeysSchema.parse({})),
  notifications: notificationsSchema.default(notificationsSchema.parse({})),
  startAtLogin: z.boolean().default(false),
  startHidden: z.boolean().default(false),
  certificatePins: z.array(certificatePinSchema).max(100).default([]),
  bridge: bridgeSchema.default(bridgeSchema.parse({})),
  window: windowBoundsSchema.nullable().default(null),
  /**
   * The last station of each user on each server (`lastStationKey`). Not worth losing the other settings over: an
   * unreadable list is dropped on its own.
   */
  lastStations: z
    .record(z.string().max(2400), lastStationSchema)
    .refine((entries) => Object.keys(entries).length <= LAST_STATIONS_KEPT)
    .catch({})
    .default({}),
});
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** What `settings.update` may change. Server and user change by signing in; pins by the pin commands; the window by itself. */
export const settingsPatchSchema = z.strictObject({
  hotkeys: z.strictObject({ stopPlayback: accelerator.nullable(), recordFollowMe: accelerator.nullable() }).partial().optional(),
  notifications: z
    .strictObject({ station: z.boolean(), session: z.boolean(), voicemail: z.boolean(), actionFailures: z.boolean() })
    .partial()
    .optional(),
  startAtLogin: z.boolean().optional(),
  startHidden: z.boolean().optional(),
  bridge: z.strictObject({ enabled: z.boolean(), port: z.number().int().min(0).max(65535) }).partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...settings,
    ...patch,
    hotkeys: { ...settings.hotkeys, ...patch.hotkeys },
    notifications: { ...settings.notifications, ...patch.notifications },
    bridge: { ...settings.bridge, ...patch.bridge },
  });
}
