// The simulator's control surface, for tests, demos and benchmarks. The same object backs the HTTP API under /sim/
// and the in-process `control` of startSimulator; every input is validated with the schemas below either way.
import { z } from 'zod';
import { featureList } from './routes/connection';
import type { FailRuleInput, Faults } from './faults';
import { CallExistsError, endCall, placeCall, UnknownCallError, updateCall } from './domain/dialer';
import { dropStation, updateStation } from './domain/stations';
import { burstVoicemailAdded, burstVoicemailChanges, deliverVoicemail, forcePlayStatus, messagesWaiting, setMailbox } from './domain/voicemail';
import { IcwsError } from './errors';
import { MailboxEntrySchema } from './scenario';
import type { MailboxEntryInput } from './scenario';
import type { Session } from './sessions';
import type { World } from './state';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const Target = z.object({ userId: z.string().optional(), sessionId: z.string().optional() });
const CallState = z.enum(['A', 'C', 'H', 'I', 'E']);

export const ControlSchemas = {
  deliverVoicemail: MailboxEntrySchema.partial().extend({ userId: z.string() }),
  setMailbox: z
    .object({
      userId: z.string(),
      messages: z.array(MailboxEntrySchema).optional(),
      /** Instead of messages: generate this many realistic entries (benchmarks). */
      generate: z.number().int().min(0).max(1_000_000).optional(),
    })
    .refine((v) => (v.messages === undefined) !== (v.generate === undefined), { message: 'give exactly one of messages or generate' }),
  setPlayStatus: z.object({ userId: z.string(), unifiedMessageId: z.string(), playStatus: z.union([z.literal(0), z.literal(1)]) }),
  placeCall: z.object({
    userId: z.string().default('agent1'),
    callId: z.string().min(1).optional(),
    campaignId: z.string().optional(),
    remoteName: z.string().optional(),
    remoteAddress: z.string().optional(),
    direction: z.enum(['I', 'O']).optional(),
    state: CallState.optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  updateCall: z.object({
    callId: z.string(),
    state: CallState.optional(),
    remoteName: z.string().optional(),
    remoteAddress: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  endCall: z.object({ callId: z.string() }),
  dropStation: z.object({ userId: z.string(), reason: z.string().optional() }),
  updateStation: z.object({
    userId: z.string(),
    changes: z
      .object({
        extension: z.string(),
        canBeDialed: z.boolean(),
        ringAlways: z.boolean(),
        sipAddress: z.string(),
        sipUser: z.string(),
        sipPassword: z.string(),
        remoteNumber: z.string(),
        allowedMediaTypes: z.array(z.number().int().min(0).max(9)),
        managedIPPhone: z.string(),
        emergencyResponderLocationID: z.string(),
      })
      .partial(),
  }),
  expireSessions: Target,
  stopAccepting: z.object({ alternateHostList: z.array(z.string()).optional() }),
  failNext: z
    .object({
      count: z.number().int().positive().default(1),
      status: z.number().int().min(100).max(599),
      pathPrefix: z.string().optional(),
      pattern: z.string().optional(),
      method: z.string().optional(),
      body: z.unknown().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .refine((v) => v.pattern === undefined || isValidRegExp(v.pattern), { message: 'pattern is not a valid regular expression', path: ['pattern'] }),
  setLatency: z.object({ ms: z.number().int().min(0).max(600_000), pathPrefix: z.string().optional() }),
  cutStreams: Target,
  sendMalformed: Target.extend({ kind: z.enum(['invalidJson', 'missingType', 'unknownType', 'connectionStateWithoutState']) }),
  sendConnectionState: Target.extend({
    reason: z.string().default('The server is shutting down.'),
    shouldReconnect: z.boolean().default(true),
    previousConnectionState: z.number().int().min(0).max(2).default(1),
    newConnectionState: z.number().int().min(0).max(2).default(2),
    /** Also end the session after the message is delivered (its next call gets 401). */
    endSession: z.boolean().default(false),
  }),
  burst: z.object({
    userId: z.string(),
    count: z.number().int().min(1).max(1_000_000),
    /** voicemailChanged: read flags flipped round robin; voicemailAdded: new voicemails, one delta each (a flood). */
    kind: z.enum(['voicemailChanged', 'voicemailAdded']).default('voicemailChanged'),
  }),
};

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

type In<K extends keyof typeof ControlSchemas> = z.input<(typeof ControlSchemas)[K]>;

const MALFORMED: Record<z.output<typeof ControlSchemas.sendMalformed>['kind'], string> = {
  invalidJson: '{"__type":"urn:inin.com:unifiedMessaging:mwiMessage","isDelta":true,"messagesWaiting":',
  missingType: '{"isDelta":true,"messagesWaiting":3}',
  unknownType: '{"__type":"urn:inin.com:simulator:unknownMessage","isDelta":true,"payload":"a client must ignore this"}',
  connectionStateWithoutState: '{"__type":"urn:inin.com:connection:connectionStateChangeMessage","isDelta":false,"reason":""}',
};

function parse<K extends keyof typeof ControlSchemas>(name: K, input: unknown): z.output<(typeof ControlSchemas)[K]> {
  const result = ControlSchemas[name].safeParse(input ?? {});
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
    throw new ControlError(400, `invalid ${name} request: ${details}`);
  }
  return result.data as z.output<(typeof ControlSchemas)[K]>;
}

function generatedMailbox(userId: string, count: number): MailboxEntryInput[] {
  const start = Date.UTC(2026, 10, 20, 9, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const when = new Date(start - i * 60_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const caller = `+1 317 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`;
    return {
      unifiedMessageId: `vm-${userId}-bulk-${String(i + 1).padStart(7, '0')}`,
      state: i % 3 === 0 ? 0 : 1,
      dateReceived: when,
      from: caller,
      subject: `Voice Mail from ${caller}`,
    };
  });
}

export class SimulatorControl {
  constructor(
    private readonly world: World,
    private readonly faults: Faults,
  ) {}

  /** The whole world, secrets of the sessions (tokens, cookies) left out. */
  state() {
    const { world } = this;
    return {
      accepting: world.accepting,
      notAcceptingHosts: world.notAcceptingHosts,
      alternateHostList: world.scenario.server.alternateHostList,
      features: featureList(world),
      stationMessageShape: world.scenario.stationMessageShape,
      sessions: world.sessions.all().map((s) => ({
        sessionId: s.id,
        userId: s.userId,
        applicationName: s.applicationName,
        languageId: s.languageId,
        createdAt: s.createdAt,
        streaming: s.queue.streaming,
        pendingMessages: s.queue.pendingCount,
        stationId: world.stationOfSession(s.id)?.info.id ?? null,
        subscriptions: {
          station: s.subscriptions.station,
          voicemail: s.subscriptions.voicemail,
          mwi: s.subscriptions.mwi,
          queues: [...s.subscriptions.queues].map(([subscriptionId, sub]) => ({ subscriptionId, ...sub })),
        },
      })),
      stations: [...world.stations.values()].map((record) => ({ ...record, info: { ...record.info } })),
      prompts: Object.fromEntries(
        [...world.prompts].map(([userId, byType]) => [userId, Object.fromEntries([...byType].map(([type, s]) => [type, { ...s }]))]),
      ),
      mailboxes: Object.fromEntries([...world.mailboxes].map(([userId, entries]) => [userId, entries.map((e) => ({ ...e }))])),
      messagesWaiting: Object.fromEntries([...world.mailboxes.keys()].map((userId) => [userId, messagesWaiting(world, userId)])),
      calls: [...world.calls.values()].map((call) => structuredClone(call)),
      playStatus: Object.fromEntries([...world.playStatus].map(([userId, status]) => [userId, { ...status }])),
      faults: this.faults.snapshot(),
    };
  }

  reset(): void {
    this.faults.clear();
    this.world.reset();
  }

  deliverVoicemail(input: In<'deliverVoicemail'>): { unifiedMessageId: string } {
    const { userId, ...message } = parse('deliverVoicemail', input);
    this.requireUser(userId);
    const entry = this.guard(() => deliverVoicemail(this.world, userId, message));
    return { unifiedMessageId: entry.unifiedMessageId };
  }

  setMailbox(input: In<'setMailbox'>): { count: number } {
    const request = parse('setMailbox', input);
    this.requireUser(request.userId);
    const entries = request.messages ?? generatedMailbox(request.userId, request.generate ?? 0);
    setMailbox(this.world, request.userId, entries);
    return { count: entries.length };
  }

  setPlayStatus(input: In<'setPlayStatus'>): void {
    const request = parse('setPlayStatus', input);
    this.requireUser(request.userId);
    this.guard(() => forcePlayStatus(this.world, request.userId, request.unifiedMessageId, request.playStatus));
  }

  placeCall(input: In<'placeCall'> = {}): { callId: string } {
    const request = parse('placeCall', input);
    this.requireUser(request.userId);
    const campaignId = request.campaignId ?? this.world.scenario.campaigns[0]?.id;
    if (!campaignId) throw new ControlError(400, 'the scenario has no campaign; give campaignId');
    const callId = request.callId ?? this.newCallId();
    const call = this.guard(() =>
      placeCall(this.world, {
        callId,
        userId: request.userId,
        campaignId,
        remoteName: request.remoteName ?? 'Jordan Lee',
        remoteAddress: request.remoteAddress ?? '+13175550188',
        ...(request.direction ? { direction: request.direction } : {}),
        ...(request.state ? { state: request.state } : {}),
        ...(request.attributes ? { attributes: request.attributes } : {}),
      }),
    );
    return { callId: call.callId };
  }

  updateCall(input: In<'updateCall'>): void {
    const { callId, ...change } = parse('updateCall', input);
    this.guard(() => updateCall(this.world, callId, change));
  }

  endCall(input: In<'endCall'>): void {
    const { callId } = parse('endCall', input);
    this.guard(() => endCall(this.world, callId));
  }

  dropStation(input: In<'dropStation'>): { dropped: boolean } {
    const request = parse('dropStation', input);
    this.requireUser(request.userId);
    const record = this.world.stationOfUser(request.userId);
    return { dropped: record ? dropStation(this.world, record.sessionId, request.reason) : false };
  }

  updateStation(input: In<'updateStation'>): void {
    const request = parse('updateStation', input);
    this.requireUser(request.userId);
    if (!updateStation(this.world, request.userId, request.changes)) {
      throw new ControlError(409, `user ${request.userId} has no station`);
    }
  }

  expireSessions(input: In<'expireSessions'> = {}): { expired: number } {
    const sessions = this.targets(parse('expireSessions', input));
    for (const session of sessions) this.endSession(session);
    return { expired: sessions.length };
  }

  stopAccepting(input: In<'stopAccepting'> = {}): void {
    const request = parse('stopAccepting', input);
    this.world.accepting = false;
    this.world.notAcceptingHosts = request.alternateHostList ?? this.world.scenario.server.alternateHostList;
  }

  resumeAccepting(): void {
    this.world.accepting = true;
    this.world.notAcceptingHosts = [];
  }

  failNext(input: In<'failNext'>): void {
    const request = parse('failNext', input);
    const rule: FailRuleInput = { count: request.count, status: request.status };
    if (request.pathPrefix !== undefined) rule.pathPrefix = request.pathPrefix;
    if (request.pattern !== undefined) rule.pattern = request.pattern;
    if (request.method !== undefined) rule.method = request.method;
    if (request.body !== undefined) rule.body = request.body;
    if (request.headers !== undefined) rule.headers = request.headers;
    this.faults.failNext(rule);
  }

  setLatency(input: In<'setLatency'>): void {
    const request = parse('setLatency', input);
    this.faults.setLatency(request.pathPrefix !== undefined ? { ms: request.ms, pathPrefix: request.pathPrefix } : { ms: request.ms });
  }

  clearFaults(): void {
    this.faults.clear();
    this.resumeAccepting();
  }

  cutStreams(input: In<'cutStreams'> = {}): { cut: number } {
    const sessions = this.targets(parse('cutStreams', input));
    return { cut: sessions.filter((session) => session.queue.cut()).length };
  }

  sendMalformed(input: In<'sendMalformed'>): { sent: number } {
    const request = parse('sendMalformed', input);
    const sessions = this.targets(request);
    for (const session of sessions) session.queue.push(MALFORMED[request.kind]);
    return { sent: sessions.length };
  }

  sendConnectionState(input: In<'sendConnectionState'> = {}): { sent: number } {
    const request = parse('sendConnectionState', input);
    const sessions = this.targets(request);
    this.world.publish(sessions, {
      __type: 'urn:inin.com:connection:connectionStateChangeMessage',
      isDelta: false,
      previousConnectionState: request.previousConnectionState,
      newConnectionState: request.newConnectionState,
      reason: request.reason,
      shouldReconnect: request.shouldReconnect,
    });
    if (request.endSession) for (const session of sessions) this.endSession(session);
    return { sent: sessions.length };
  }

  burst(input: In<'burst'>): { sent: number } {
    const request = parse('burst', input);
    this.requireUser(request.userId);
    const burst = request.kind === 'voicemailAdded' ? burstVoicemailAdded : burstVoicemailChanges;
    return { sent: this.guard(() => burst(this.world, request.userId, request.count)) };
  }

  /** The session's messages still queued are flushed to an open stream first; its station goes silently. */
  private endSession(session: Session): void {
    const subscribed = session.subscriptions.station;
    session.subscriptions.station = false;
    dropStation(this.world, session.id);
    session.subscriptions.station = subscribed;
    this.world.sessions.delete(session.id);
  }

  private targets(target: { userId?: string | undefined; sessionId?: string | undefined }): Session[] {
    return this.world.sessions
      .all()
      .filter((s) => (target.userId === undefined || s.userId === target.userId) && (target.sessionId === undefined || s.id === target.sessionId));
  }

  private requireUser(userId: string): void {
    if (!this.world.user(userId)) throw new ControlError(404, `unknown user '${userId}'`);
  }

  private newCallId(): string {
    let n = 2001000100;
    while (this.world.calls.has(String(n))) n++;
    return String(n);
  }

  /** Domain failures become control errors with a status that says whose fault it is. */
  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof ControlError) throw error;
      if (error instanceof UnknownCallError) throw new ControlError(404, error.message);
      if (error instanceof CallExistsError) throw new ControlError(409, error.message);
      if (error instanceof IcwsError) throw new ControlError(error.status === 400 ? 404 : error.status, error.message);
      if (error instanceof z.ZodError) throw new ControlError(400, error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      if (error instanceof Error) throw new ControlError(409, error.message);
      throw error;
    }
  }
}
