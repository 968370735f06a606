// Mailboxes: the voicemail-messages and messages-waiting-indicator subscriptions, mark read, delete, and playback
// (to the current station or a number), which stops on its own after the message's duration.
import { invalidProperty, malformed, missingProperty, noStation } from '../errors';
import type { MailboxEntry, MailboxEntryInput } from '../scenario';
import { MailboxEntrySchema } from '../scenario';
import type { Session } from '../sessions';
import type { World } from '../state';

export const VOICEMAIL_MESSAGES_TYPE = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';
export const PLAY_STATUS_TYPE = 'urn:inin.com:unifiedMessaging:voicemailPlayStatusMessage';
export const MWI_TYPE = 'urn:inin.com:unifiedMessaging:mwiMessage';

const PLAYING = 0;
const STOPPED = 1;

export function compactIsoNow(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function voicemailsOf(world: World, userId: string): MailboxEntry[] {
  return world.mailbox(userId).filter((entry) => entry.kind === 'voicemail');
}

function wireAdded(entry: MailboxEntry): object {
  return {
    unifiedMessageId: entry.unifiedMessageId,
    state: entry.state,
    dateReceived: entry.dateReceived,
    from: entry.from,
    subject: entry.subject,
    attachments: [
      {
        fileUri: `/icws/unified-messaging/attachments/${encodeURIComponent(entry.unifiedMessageId)}.wav`,
        fileName: `${entry.unifiedMessageId}.wav`,
        mimeType: 'audio/wav',
      },
    ],
  };
}

export function messagesWaiting(world: World, userId: string): number {
  return voicemailsOf(world, userId).filter((entry) => entry.state === 0).length;
}

function publishVoicemail(world: World, userId: string, message: object): void {
  world.publish(world.subscribers(userId, 'voicemail'), { __type: VOICEMAIL_MESSAGES_TYPE, isDelta: true, ...message });
}

/** Runs a change and sends an mwi delta if the unread count moved. */
function withMwi(world: World, userId: string, change: () => void): void {
  const before = messagesWaiting(world, userId);
  change();
  const after = messagesWaiting(world, userId);
  if (after !== before) world.publish(world.subscribers(userId, 'mwi'), { __type: MWI_TYPE, isDelta: true, messagesWaiting: after });
}

export function subscribeVoicemail(world: World, session: Session): void {
  session.subscriptions.voicemail = true;
  world.publish([session], {
    __type: VOICEMAIL_MESSAGES_TYPE,
    isDelta: false,
    voicemailMessagesAdded: voicemailsOf(world, session.userId).map(wireAdded),
  });
}

export function subscribeMwi(world: World, session: Session): void {
  session.subscriptions.mwi = true;
  world.publish([session], { __type: MWI_TYPE, isDelta: false, messagesWaiting: messagesWaiting(world, session.userId) });
}

/** The voicemail a request names, or the 400s the play/stop page documents. */
function voicemailEntry(world: World, userId: string, unifiedMessageId: string): MailboxEntry {
  if (unifiedMessageId.trim() === '') throw missingProperty('unifiedMessageId', 'A required parameter was not present: unifiedMessageId.');
  const entry = world.mailbox(userId).find((candidate) => candidate.unifiedMessageId === unifiedMessageId);
  if (!entry || entry.kind !== 'voicemail') {
    throw invalidProperty('unifiedMessageId', 'The operation is not allowed on a unified-message of this type.');
  }
  return entry;
}

export function deliverVoicemail(world: World, userId: string, input: Partial<MailboxEntryInput>): MailboxEntry {
  const entry = MailboxEntrySchema.parse({
    unifiedMessageId: world.newVoicemailId(userId),
    dateReceived: compactIsoNow(),
    from: 'Unknown caller',
    subject: 'Voice Mail',
    ...Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
  });
  if (world.mailbox(userId).some((existing) => existing.unifiedMessageId === entry.unifiedMessageId)) {
    throw new Error(`message ${entry.unifiedMessageId} already exists`);
  }
  withMwi(world, userId, () => {
    world.mailbox(userId).unshift(entry);
    if (entry.kind === 'voicemail') publishVoicemail(world, userId, { voicemailMessagesAdded: [wireAdded(entry)] });
  });
  return entry;
}

/** Replaces a whole mailbox: subscribers see every old message removed, then the new ones added. */
export function setMailbox(world: World, userId: string, inputs: MailboxEntryInput[]): void {
  const entries = inputs.map((input) => MailboxEntrySchema.parse(input));
  withMwi(world, userId, () => {
    const removed = voicemailsOf(world, userId).map((entry) => entry.unifiedMessageId);
    finishPlayback(world, userId);
    world.mailboxes.set(userId, entries);
    if (removed.length > 0) publishVoicemail(world, userId, { voicemailMessagesRemoved: removed });
    const added = entries.filter((entry) => entry.kind === 'voicemail').map(wireAdded);
    if (added.length > 0) publishVoicemail(world, userId, { voicemailMessagesAdded: added });
  });
}

export function setMessageState(world: World, userId: string, unifiedMessageId: string, state: 0 | 1): void {
  const entry = voicemailEntry(world, userId, unifiedMessageId);
  if (entry.state === state) return;
  withMwi(world, userId, () => {
    entry.state = state;
    publishVoicemail(world, userId, { voicemailMessagesChanged: [{ unifiedMessageId, state }] });
  });
}

export function deleteMessage(world: World, userId: string, unifiedMessageId: string): void {
  voicemailEntry(world, userId, unifiedMessageId);
  if (world.playStatus.get(userId)?.unifiedMessageId === unifiedMessageId) finishPlayback(world, userId);
  withMwi(world, userId, () => {
    const mailbox = world.mailbox(userId);
    world.mailboxes.set(userId, mailbox.filter((entry) => entry.unifiedMessageId !== unifiedMessageId));
    publishVoicemail(world, userId, { voicemailMessagesRemoved: [unifiedMessageId] });
  });
}

function publishPlayStatus(world: World, userId: string, unifiedMessageId: string, playStatus: 0 | 1): void {
  world.publish(world.subscribers(userId, 'voicemail'), { __type: PLAY_STATUS_TYPE, isDelta: true, unifiedMessageId, playStatus });
}

function isPlaying(world: World, userId: string, unifiedMessageId?: string): boolean {
  const status = world.playStatus.get(userId);
  return status?.playStatus === PLAYING && (unifiedMessageId === undefined || status.unifiedMessageId === unifiedMessageId);
}

/** Ends whatever the user is playing (natural end, station gone, message removed): a stopped status, nothing else. */
function finishPlayback(world: World, userId: string): void {
  const timer = world.playbackTimers.get(userId);
  if (timer) clearTimeout(timer);
  world.playbackTimers.delete(userId);
  const status = world.playStatus.get(userId);
  if (!status || status.playStatus !== PLAYING) return;
  world.playStatus.set(userId, { ...status, playStatus: STOPPED, changedAt: new Date().toISOString() });
  publishPlayStatus(world, userId, status.unifiedMessageId, STOPPED);
}

/** Starts playing (stopping any other playback of the user) and arms the natural end. */
export function beginPlayback(world: World, userId: string, entry: MailboxEntry, target: string): void {
  if (isPlaying(world, userId)) finishPlayback(world, userId);
  world.playStatus.set(userId, { unifiedMessageId: entry.unifiedMessageId, playStatus: PLAYING, target, changedAt: new Date().toISOString() });
  publishPlayStatus(world, userId, entry.unifiedMessageId, PLAYING);
  const seconds = entry.durationSeconds ?? world.scenario.playbackSeconds;
  const timer = setTimeout(() => finishPlayback(world, userId), seconds * 1000);
  timer.unref();
  world.playbackTimers.set(userId, timer);
}

export type PlayTarget = { kind: 'currentStation' } | { kind: 'number'; target: string };

export function startPlayback(world: World, session: Session, unifiedMessageId: string, state: 0 | 1, target: PlayTarget): void {
  const entry = voicemailEntry(world, session.userId, unifiedMessageId);
  if (target.kind === 'currentStation' && !world.stationOfSession(session.id)) throw noStation();
  beginPlayback(world, session.userId, entry, target.kind === 'currentStation' ? 'station' : target.target);
  setMessageState(world, session.userId, unifiedMessageId, state);
}

/** The seed: stop answers 204 and produces a new message on the voicemail-messages subscription. */
export function stopPlayback(world: World, session: Session, unifiedMessageId: string): void {
  const entry = voicemailEntry(world, session.userId, unifiedMessageId);
  if (!isPlaying(world, session.userId, unifiedMessageId)) {
    throw malformed('The stop operation is not allowed: this unified-message is not playing.');
  }
  finishPlayback(world, session.userId);
  publishVoicemail(world, session.userId, { voicemailMessagesChanged: [{ unifiedMessageId, state: entry.state }] });
}

/** Control API: force a play status without a client request. */
export function forcePlayStatus(world: World, userId: string, unifiedMessageId: string, playStatus: 0 | 1): void {
  const entry = voicemailEntry(world, userId, unifiedMessageId);
  if (playStatus === PLAYING) beginPlayback(world, userId, entry, 'station');
  else if (isPlaying(world, userId, unifiedMessageId)) finishPlayback(world, userId);
  else {
    world.playStatus.set(userId, { unifiedMessageId, playStatus: STOPPED, target: 'station', changedAt: new Date().toISOString() });
    publishPlayStatus(world, userId, unifiedMessageId, STOPPED);
  }
}

export function stopPlaybackOnStation(world: World, userId: string): void {
  if (isPlaying(world, userId) && world.playStatus.get(userId)?.target === 'station') finishPlayback(world, userId);
}

/**
 * Benchmark burst: `count` voicemailMessagesChanged deltas, each flipping the read state of the next message round
 * robin. The world ends in exactly the state the last delta for each message says; one mwi delta follows.
 */
export function burstVoicemailChanges(world: World, userId: string, count: number): number {
  const voicemails = voicemailsOf(world, userId);
  if (voicemails.length === 0) throw new Error(`user ${userId} has no voicemail to change`);
  const subscribers = world.subscribers(userId, 'voicemail');
  withMwi(world, userId, () => {
    for (let i = 0; i < count; i++) {
      const entry = voicemails[i % voicemails.length] as MailboxEntry;
      entry.state = entry.state === 0 ? 1 : 0;
      world.publish(subscribers, {
        __type: VOICEMAIL_MESSAGES_TYPE,
        isDelta: true,
        voicemailMessagesChanged: [{ unifiedMessageId: entry.unifiedMessageId, state: entry.state }],
      });
    }
  });
  return count;
}

/**
 * Benchmark flood: `count` new voicemails, each announced in a delta of its own (voicemailMessagesAdded), newest first in
 * the mailbox; one mwi delta follows.
 */
export function burstVoicemailAdded(world: World, userId: string, count: number): number {
  const subscribers = world.subscribers(userId, 'voicemail');
  const received = compactIsoNow();
  withMwi(world, userId, () => {
    const added: MailboxEntry[] = [];
    for (let i = 0; i < count; i++) {
      const entry = MailboxEntrySchema.parse({
        unifiedMessageId: world.floodVoicemailId(userId),
        dateReceived: received,
        from: `Flood caller ${i}`,
        subject: 'Voice Mail',
      });
      added.push(entry);
      world.publish(subscribers, { __type: VOICEMAIL_MESSAGES_TYPE, isDelta: true, voicemailMessagesAdded: [wireAdded(entry)] });
    }
    world.mailboxes.set(userId, [...added.reverse(), ...world.mailbox(userId)]);
  });
  return count;
}
