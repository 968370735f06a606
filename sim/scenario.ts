// What the simulated CIC server knows at start: users, stations, mailboxes, campaigns, feature versions. The default
// is the demo world documented in docs/SIMULATOR.md; a scenario (object or JSON file) overrides any top-level part.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const MessageState = z.union([z.literal(0), z.literal(1)]);
const CallState = z.enum(['A', 'C', 'H', 'I', 'E']);

const UserSchema = z.object({
  userId: z.string().min(1),
  password: z.string(),
  displayName: z.string(),
  logonStationsRight: z.boolean().default(true),
  logonCampaignRight: z.boolean().default(false),
  dialerLicence: z.boolean().default(false),
});

const WorkstationSchema = z.object({
  id: z.string().min(1),
  extension: z.string().optional(),
  canBeDialed: z.boolean().default(true),
  ringAlways: z.boolean().default(false),
  sipAddress: z.string().optional(),
  sipUser: z.string().optional(),
  sipPassword: z.string().optional(),
  allowedMediaTypes: z.array(z.number().int().min(0).max(9)).default([1, 2, 3, 4, 5, 6, 7, 8, 9]),
  managedIPPhone: z.string().default(''),
  emergencyResponderLocationID: z.string().default(''),
});

export const MailboxEntrySchema = z.object({
  unifiedMessageId: z.string().min(1),
  /** Faxes share the mailbox but never appear on the voicemail subscription (and cannot be played). */
  kind: z.enum(['voicemail', 'fax']).default('voicemail'),
  state: MessageState.default(0),
  dateReceived: z.string().min(1),
  from: z.string(),
  subject: z.string(),
  /** How long a playback lasts before it stops on its own; defaults to the scenario's playbackSeconds. */
  durationSeconds: z.number().positive().optional(),
});

export const DialerCallSchema = z.object({
  callId: z.string().min(1),
  userId: z.string().min(1),
  campaignId: z.string().min(1),
  remoteName: z.string().default(''),
  remoteAddress: z.string().default(''),
  direction: z.enum(['I', 'O']).default('O'),
  state: CallState.default('C'),
  /** Further interaction attributes (e.g. is_attr_AccountNumber). */
  attributes: z.record(z.string(), z.string()).default({}),
});

const VersionSchema = z.object({
  majorVersion: z.string(),
  minorVersion: z.string(),
  su: z.string(),
  build: z.string(),
  productId: z.string(),
  codebaseId: z.string(),
  productReleaseDisplayString: z.string(),
});

const ServerSchema = z.object({
  icServer: z.string().min(1),
  /** Bare host names, sent in every connection response and by default in the 503 when not accepting. */
  alternateHostList: z.array(z.string()),
  version: VersionSchema,
});

const ScenarioObject = z.object({
  server: ServerSchema,
  /** featureId → version; a version of 0 or below removes the feature. */
  features: z.record(z.string(), z.number().int()),
  users: z.array(UserSchema).min(1),
  workstations: z.array(WorkstationSchema),
  campaigns: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  mailboxes: z.record(z.string(), z.array(MailboxEntrySchema)),
  /** Calls put on their user's queue whenever that user gains a station, removed when the user has none. */
  dialerCalls: z.array(DialerCallSchema),
  playbackSeconds: z.number().positive(),
  stationMessageShape: z.enum(['nested', 'flat']),
  pingIntervalMs: z.number().int().positive(),
});

export const ScenarioSchema = ScenarioObject.superRefine((scenario, ctx) => {
  const users = new Set<string>();
  for (const [index, user] of scenario.users.entries()) {
    if (users.has(user.userId)) ctx.addIssue({ code: 'custom', path: ['users', index, 'userId'], message: `duplicate user '${user.userId}'` });
    users.add(user.userId);
  }
  for (const userId of Object.keys(scenario.mailboxes)) {
    if (!users.has(userId)) ctx.addIssue({ code: 'custom', path: ['mailboxes', userId], message: `unknown user '${userId}'` });
  }
  const campaigns = new Set(scenario.campaigns.map((c) => c.id.toLowerCase()));
  for (const [index, call] of scenario.dialerCalls.entries()) {
    if (!users.has(call.userId)) ctx.addIssue({ code: 'custom', path: ['dialerCalls', index, 'userId'], message: `unknown user '${call.userId}'` });
    if (!campaigns.has(call.campaignId.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['dialerCalls', index, 'campaignId'], message: `unknown campaign '${call.campaignId}'` });
    }
  }
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioUser = Scenario['users'][number];
export type ScenarioWorkstation = Scenario['workstations'][number];
export type MailboxEntryInput = z.input<typeof MailboxEntrySchema>;
export type MailboxEntry = z.output<typeof MailboxEntrySchema>;
export type DialerCallInput = z.input<typeof DialerCallSchema>;

/** Any top-level part of a scenario; `server` and `features` merge key by key into the default. */
export type ScenarioOverrides = Partial<Omit<ScenarioInput, 'server'>> & { server?: Partial<ScenarioInput['server']> };

const OverridesSchema = ScenarioObject.partial()
  .extend({ server: ServerSchema.partial().optional() });

export const RENEWALS_CAMPAIGN_ID = '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC';

export const DEFAULT_SCENARIO: ScenarioInput = {
  server: {
    icServer: 'CICSIM01',
    alternateHostList: [],
    version: {
      majorVersion: '18',
      minorVersion: '4',
      su: '0',
      build: '18.4.0.62',
      productId: 'ININ.CIC',
      codebaseId: '18.4.0.62',
      productReleaseDisplayString: '2018 R4',
    },
  },
  features: {
    connection: 15,
    messaging: 2,
    'voice-prompts': 2,
    'unified-messaging': 2,
    dialer: 7,
    queues: 2,
  },
  users: [
    { userId: 'agent1', password: '1234', displayName: 'Agent One', logonStationsRight: true, logonCampaignRight: true, dialerLicence: true },
    { userId: 'agent2', password: '1234', displayName: 'Agent Two', logonStationsRight: true, logonCampaignRight: false, dialerLicence: false },
  ],
  workstations: [
    { id: '7001', extension: '7001', sipAddress: 'sip:7001@cicsim.example.com', sipUser: '7001', sipPassword: 'Sip!7001-k3q9' },
    { id: '7002', extension: '7002', sipAddress: 'sip:7002@cicsim.example.com', sipUser: '7002', sipPassword: 'Sip!7002-x8w2' },
  ],
  campaigns: [{ id: RENEWALS_CAMPAIGN_ID, name: 'Renewals' }],
  mailboxes: {
    agent1: [
      {
        unifiedMessageId: 'vm-agent1-0003',
        state: 0,
        dateReceived: '20261120T091500Z',
        from: 'Dana Whitfield (3175550142)',
        subject: 'Voice Mail from Dana Whitfield (3175550142)',
        durationSeconds: 34,
      },
      {
        unifiedMessageId: 'vm-agent1-0002',
        state: 1,
        dateReceived: '20261119T163042Z',
        from: 'Renewals Team (7100)',
        subject: 'Voice Mail from Renewals Team (7100)',
        durationSeconds: 12,
      },
      {
        unifiedMessageId: 'vm-agent1-0001',
        state: 1,
        dateReceived: '20261118T081205Z',
        from: '+1 317 555 0199',
        subject: 'Voice Mail from +1 317 555 0199',
        durationSeconds: 48,
      },
    ],
    agent2: [],
  },
  dialerCalls: [
    {
      callId: '2001000001',
      userId: 'agent1',
      campaignId: RENEWALS_CAMPAIGN_ID,
      remoteName: 'Morgan Ellis',
      remoteAddress: '+13175550123',
      direction: 'O',
      state: 'C',
      attributes: {
        is_attr_AccountNumber: 'RN-48213',
        is_attr_PolicyType: 'Home',
        is_attr_RenewalDate: '2026-12-15',
        is_attr_Premium: '384.00',
        is_attr_Notes: '',
      },
    },
  ],
  playbackSeconds: 20,
  stationMessageShape: 'nested',
  pingIntervalMs: 15_000,
};

export class ScenarioError extends Error {}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('\n');
}

/** Reads and checks a scenario file; the result still needs resolveScenario. */
export function loadScenarioFile(path: string): ScenarioOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`scenario file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = OverridesSchema.safeParse(json);
  if (!parsed.success) throw new ScenarioError(`scenario file ${path} is invalid:\n${describeIssues(parsed.error)}`);
  return json as ScenarioOverrides;
}

/** Default scenario, then the overrides, then explicit feature versions; validated as a whole. */
export function resolveScenario(overrides: ScenarioOverrides = {}, features: Record<string, number> = {}): Scenario {
  const merged = {
    ...DEFAULT_SCENARIO,
    ...overrides,
    server: { ...DEFAULT_SCENARIO.server, ...overrides.server },
    features: { ...DEFAULT_SCENARIO.features, ...overrides.features, ...features },
  };
  const parsed = ScenarioSchema.safeParse(merged);
  if (!parsed.success) throw new ScenarioError(`invalid scenario:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}
