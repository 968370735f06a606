import { z } from 'zod';
import type { ContactData, PublicState } from './state';
import type { StateSnapshot } from './stateChange';
import type { Settings } from './settings';
import { certificatePinSchema, fingerprint256Schema, settingsPatchSchema } from './settings';
import type { CommandName } from './names';
import type { Result } from './errors';

/**
 * Every command of ICWS Companion, defined once: its name, the schema its parameters must pass on every transport
 * (Electron IPC and the WebSocket bridge), and the type of its result. Results travel as `Result<T>`, never as throws.
 */
export interface CommandDef<P extends z.ZodType, R> {
  params: P;
  summary: string;
  /** Phantom: carries the result type; never set at run time. */
  readonly result?: R;
}

const command =
  <R>() =>
  <P extends z.ZodType>(params: P, summary: string): CommandDef<P, R> => ({ params, summary });

const noParams = z.strictObject({}).optional();

const text = (what: string, max = 256) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .min(1, `${what} cannot be empty.`)
    .max(max, `${what} is too long (at most ${max} characters).`);

/** A phone number as an agent types it: digits with optional +, spaces, dashes, dots, parentheses, or a SIP address. */
const phoneNumber = text('The number', 64).regex(
  /^(\+?[0-9][0-9 ().\-/]*|sip:[^\s]+)$/i,
  'Enter a phone number using digits (a leading + is fine), or a sip: address.',
);

const id = (what: string) => text(what, 200);
/** An id that becomes one segment of a request path: `.` and `..` would climb out of it, even percent-encoded. */
const segmentId = (what: string) => id(what).refine((value) => value !== '.' && value !== '..', `${what} is not a valid id.`);

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A JavaScript object cannot carry these keys as data: the record schema would drop them without a word. */
const withoutReservedKeys = z.custom<Record<string, string>>(
  (value) => !(value !== null && typeof value === 'object' && Object.keys(value).some((key) => RESERVED_KEYS.has(key.trim()))),
  'That call data key is reserved; choose another name.',
);

/** Dialer call data: non-empty string keys and string values, bounded so one update cannot flood the server. */
export const callAttributesSchema = withoutReservedKeys.pipe(
  z
    .record(
      z.string().trim().min(1, 'A call data key cannot be empty.').max(128, 'A call data key is at most 128 characters.'),
      z.string({ error: 'Call data values must be text.' }).max(4000, 'A call data value is at most 4,000 characters.'),
    )
    .refine((attributes) => Object.keys(attributes).length <= 100, 'At most 100 call data entries can be sent at once.'),
);

export const stationLogInSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('workstation'),
      workstation: text('The workstation', 128),
    }),
    z.strictObject({
      kind: z.literal('remoteWorkstation'),
      workstation: text('The workstation', 128),
      remoteNumber: phoneNumber.optional(),
    }),
    z.strictObject({
      kind: z.literal('remoteNumber'),
      remoteNumber: phoneNumber,
      persistent: z.boolean().optional(),
    }),
  ],
  { error: 'Choose a workstation, a remote workstation or a remote number.' },
);
export type StationLogIn = z.infer<typeof stationLogInSchema>;

export interface AppInfo {
  name: string;
  version: string;
  /** `electron` in the desktop app, `node` in host mode (`npm run host`). */
  runtime: 'electron' | 'node';
  platform: string;
  /** Whether the built-in simulator is available for "Try the demo". */
  demoAvailable: boolean;
}

export const commands = {
  'app.info': command<AppInfo>()(noParams, 'Name, version and runtime of the companion.'),
  'state.get': command<StateSnapshot>()(noParams, 'The whole public state and its revision; `state.changed` then carries what changes.'),
  'settings.get': command<Settings>()(noParams, 'The persisted settings (never a secret).'),
  'settings.update': command<Settings>()(settingsPatchSchema, 'Change hotkeys, notifications, start-up and bridge settings.'),

  'session.signIn': command<PublicState['connection']>()(
    z.strictObject({
      server: text('The server address', 2048),
      userId: text('The user name', 256),
      password: z.string().max(1024, 'That password is too long.').optional(),
      remember: z.boolean().optional(),
    }),
    'Sign in to CIC. Without a password, the one saved in the OS keychain is used.',
  ),
  'session.startDemo': command<PublicState['connection']>()(noParams, 'Sign in to the built-in simulator as agent1.'),
  'session.signOut': command<null>()(noParams, 'Sign out: subscriptions and the connection are deleted.'),
  'session.forgetPassword': command<null>()(
    z.strictObject({ server: text('The server address', 2048), userId: text('The user name', 256) }).optional(),
    'Remove the saved password from the OS keychain (default: the current or last user).',
  ),

  'certificates.pin': command<Settings>()(
    z.strictObject({ host: text('The server', 300), fingerprint256: fingerprint256Schema }),
    "Trust this server's certificate by its SHA-256 fingerprint, after the agent compared it.",
  ),
  'certificates.unpin': command<Settings>()(
    certificatePinSchema.pick({ host: true }).strict(),
    'Stop trusting the pinned certificate of a server.',
  ),

  'station.logIn': command<NonNullable<PublicState['station']>>()(stationLogInSchema, 'Log in to a station.'),
  'station.logOut': command<null>()(noParams, 'Log out of the current station.'),

  'followMe.record': command<PublicState['followMe']>()(noParams, 'The phone rings; record the follow-me prompt.'),
  'followMe.preview': command<PublicState['followMe']>()(noParams, 'Play the new recording back on the phone.'),
  'followMe.commit': command<PublicState['followMe']>()(noParams, 'Keep the new recording as the follow-me prompt.'),
  'followMe.cancel': command<PublicState['followMe']>()(noParams, 'Drop the new recording; the old prompt stays.'),

  'voicemail.play': command<null>()(
    z.strictObject({ id: segmentId('The voicemail id'), target: phoneNumber.optional() }),
    'Play a voicemail on the current station, or on a number.',
  ),
  'voicemail.stop': command<null>()(
    z.strictObject({ id: segmentId('The voicemail id').optional() }).optional(),
    'Stop a voicemail playing on the phone (no id: whatever is playing).',
  ),
  'voicemail.markRead': command<null>()(
    z.strictObject({ id: segmentId('The voicemail id'), read: z.boolean({ error: 'Say whether the voicemail is read.' }) }),
    'Mark a voicemail read or unread.',
  ),

  'dialer.updateCallData': command<null>()(
    z.strictObject({
      callId: id('The call id').optional(),
      campaignId: id('The campaign id').optional(),
      callAttributes: callAttributesSchema,
    }),
    "Update the Dialer call's data (default: the agent's active Dialer call).",
  ),
  'dialer.requestContactData': command<ContactData>()(
    z.strictObject({}).optional(),
    "Read the active Dialer call's contact data from CIC again (every column of the contact).",
  ),
  'dialer.markForFinishing': command<null>()(
    z.strictObject({
      callId: id('The call id').optional(),
      campaignId: id('The campaign id').optional(),
      callAttributes: callAttributesSchema.optional(),
    }),
    'Flag the call for a finishing agent (default: the active Dialer call).',
  ),
} as const satisfies Record<CommandName, CommandDef<z.ZodType, unknown>>;

export type Commands = typeof commands;

/** What a caller passes (before defaults and trimming). */
export type ParamsOf<K extends CommandName> = z.input<Commands[K]['params']>;
/** What a handler receives (after validation). */
export type ValidParamsOf<K extends CommandName> = z.output<Commands[K]['params']>;
export type ResultOf<K extends CommandName> = Commands[K] extends CommandDef<z.ZodType, infer R> ? R : never;

/** One handler per command, receiving parameters that already passed the command's schema. */
export type CommandHandlers = {
  [K in CommandName]: (params: ValidParamsOf<K>) => Promise<Result<ResultOf<K>>>;
};
