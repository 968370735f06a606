import { z } from 'zod';
import { fingerprint256Schema } from './settings';

/**
 * The machine-wide policy an IT department installs beside the companion (Windows
 * `%ProgramData%\ICWS Companion\policy.json`, macOS `/Library/Application Support/ICWS Companion/policy.json`, Linux
 * `/etc/icws-companion/policy.json`). What it sets, the agent cannot change: the window shows it locked, and
 * `settings.update`, the pin commands and sign-in refuse it on every transport. Every key is optional; a key left out
 * is the agent's choice. Unknown keys are refused so a misspelt restriction is reported, never silently dropped.
 */
const accelerator = z.string().trim().min(1, 'a hotkey cannot be empty').max(100, 'that hotkey is too long');

const serverPolicySchema = z.strictObject({
  /** The CIC server (one address) or the servers the agent chooses from (several). */
  addresses: z.array(z.string().trim().min(1).max(2048)).min(1, 'give at least one address').max(20, 'at most 20 addresses'),
  /** false (the default): the agent signs in only to one of `addresses`. true: they are suggestions. */
  agentMayChange: z.boolean().default(false),
});

const notificationsPolicySchema = z.union([
  z.boolean(),
  z.strictObject({ station: z.boolean(), session: z.boolean(), voicemail: z.boolean(), actionFailures: z.boolean() }).partial(),
]);

const hotkeysPolicySchema = z.strictObject({
  /** false: every hotkey is fixed (at the key given here, or the default). true (the default): only the keys given are. */
  editable: z.boolean().default(true),
  stopPlayback: accelerator.nullable().optional(),
  recordFollowMe: accelerator.nullable().optional(),
});

const certificatesPolicySchema = z.strictObject({
  /** Certificates IT trusts for its CIC servers, by SHA-256 fingerprint. */
  pins: z.array(z.strictObject({ host: z.string().trim().min(1).max(300), fingerprint256: fingerprint256Schema })).max(100).default([]),
  /** Whether the agent may still trust a certificate themselves after comparing it (default true). */
  agentMayPin: z.boolean().default(true),
});

/** One schema per key: a policy file is read key by key, so one wrong value does not cost the others. */
export const policyKeySchemas = {
  /** A short note shown beside every locked setting, e.g. "Managed by the contact-center IT team, extension 4400." */
  reason: z.string().trim().min(1).max(200),
  server: serverPolicySchema,
  allowRememberPassword: z.boolean(),
  offerDemo: z.boolean(),
  hotkeys: hotkeysPolicySchema,
  notifications: notificationsPolicySchema,
  startAtLogin: z.boolean(),
  /** Forces the local automation bridge on or off (other tools on the computer driving the companion). */
  localBridge: z.boolean(),
  certificates: certificatesPolicySchema,
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
} as const;

export const policySchema = z.strictObject(
  Object.fromEntries(Object.entries(policyKeySchemas).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof policyKeySchemas]: z.ZodOptional<(typeof policyKeySchemas)[K]>;
  },
);
export type Policy = z.output<typeof policySchema>;
export type PolicyKey = keyof typeof policyKeySchemas;

/** The largest policy file read; anything larger is reported as invalid. */
export const POLICY_MAX_BYTES = 64 * 1024;
