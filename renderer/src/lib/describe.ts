import type {
  ConnectionState,
  MediaType,
  PublicState,
  StationKind,
  VoicemailMessage,
} from '../../../preload/contract';

/** Sentences for the `aria-live` region: what changed between two states, in the agent's words. */
export function describeChange(before: PublicState, after: PublicState): string[] {
  const out: string[] = [];
  if (before.connection.status !== after.connection.status) out.push(connectionSentence(after.connection));
  if (before.station?.id !== after.station?.id || before.station?.extension !== after.station?.extension) {
    out.push(after.station ? `Logged in to station ${after.station.extension}.` : 'No station: you are not logged in to a phone.');
  }
  if (before.followMe.status !== after.followMe.status) out.push(followMeSentence(after.followMe.status));
  if (before.voicemail.playing !== after.voicemail.playing) {
    const playing = after.voicemail.messages.find((m) => m.id === after.voicemail.playing);
    out.push(playing ? `Playing the voicemail from ${playing.from} on the phone.` : 'Voicemail playback stopped.');
  }
  if (after.voicemail.waiting !== null && after.voicemail.waiting > (before.voicemail.waiting ?? 0)) {
    out.push(`${after.voicemail.waiting} voicemail${after.voicemail.waiting === 1 ? '' : 's'} waiting.`);
  }
  if (before.dialer.call?.callId !== after.dialer.call?.callId) {
    const call = after.dialer.call;
    out.push(call ? `Dialer call with ${call.remoteName ?? call.remoteAddress ?? 'a contact'}.` : 'The Dialer call ended.');
  }
  return out;
}

function connectionSentence(connection: ConnectionState): string {
  switch (connection.status) {
    case 'signedOut':
      return 'Signed out.';
    case 'connecting':
      return 'Signing in…';
    case 'connected':
      return `Connected to CIC as ${connection.displayName ?? connection.userId ?? 'you'}.`;
    case 'reconnecting':
      return 'Connection to CIC interrupted. Reconnecting on its own…';
    case 'failed':
      return connection.error?.message ?? 'The connection to CIC failed.';
  }
}

function followMeSentence(status: PublicState['followMe']['status']): string {
  switch (status) {
    case 'idle':
      return 'Follow-me recording cancelled. Your previous prompt stays.';
    case 'recording':
      return 'Your phone is ringing: answer it and record your follow-me prompt.';
    case 'previewing':
      return 'Your phone plays the new recording back.';
    case 'committed':
      return 'New follow-me prompt saved.';
  }
}

const kindLabels: Record<StationKind, string> = {
  none: 'No station',
  workstation: 'Workstation',
  remoteWorkstation: 'Remote workstation',
  remoteNumber: 'Remote number',
};
export function stationKindLabel(kind: StationKind): string {
  return kindLabels[kind];
}

const mediaLabels: Record<MediaType, string> = {
  none: 'None',
  call: 'Calls',
  chat: 'Chats',
  email: 'Emails',
  generic: 'Generic objects',
  callback: 'Callbacks',
  smsMessage: 'SMS',
  workItem: 'Work items',
  directMessage: 'Direct messages',
  socialConversation: 'Social conversations',
};
export function mediaLabel(type: MediaType): string {
  return mediaLabels[type];
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatReceived(message: VoicemailMessage): string {
  const date = new Date(message.received);
  return Number.isNaN(date.getTime()) ? message.received : dateFormat.format(date);
}

/** The contract's phone-number rule, checked here too so the agent learns of a typo before anything is sent. */
export const PHONE_NUMBER = /^(\+?[0-9][0-9 ().\-/]*|sip:[^\s]+)$/i;
export const PHONE_NUMBER_HINT = 'Enter a phone number using digits (a leading + is fine), or a sip: address.';
