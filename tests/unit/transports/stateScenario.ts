/**
 * The main side of the state-by-slice format as the companion runs it (a `StateStore` fed by a `VoicemailWatch`, its
 * events on an `EventHub`, `state.get` answering a snapshot), and a client that keeps a `StateMirror` current over any
 * transport. Both transport tests (IPC through the shell's fakes, and the bridge) drive the same steps with it.
 */
import { EventHub } from '../../../main/common/eventHub';
import { silentLogger } from '../../../main/common/log';
import { StateStore } from '../../../main/core/stateStore';
import { VoicemailWatch } from '../../../main/core/voicemail/voicemailWatch';
import { createDispatcher, type Dispatch } from '../../../main/transports/dispatcher';
import { initialState, StateMirror, type CompanionTransport, type StateChange, type StationState } from '../../../preload/contract';
import { echoHandlers } from './fakeHandlers';

const VM = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';
export const station: StationState = { id: '7001', extension: '7001', kind: 'workstation', mediaTypes: ['call'] };

export const mailboxEntry = (i: number) => ({
  unifiedMessageId: `vm-${String(i).padStart(5, '0')}`,
  state: 1,
  dateReceived: `2026${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}T09${String(i % 60).padStart(2, '0')}00Z`,
  from: `Caller ${i}`,
  subject: `Voice Mail ${i}`,
});

export class MainSide {
  readonly events = new EventHub();
  readonly watch = new VoicemailWatch();
  readonly store = new StateStore(
    initialState(),
    (change) => this.events.emit('state.changed', change),
    () => this.watch.handedOut(),
  );
  readonly dispatch: Dispatch = createDispatcher(echoHandlers({ 'state.get': async () => ({ ok: true, value: this.store.snapshot() }) }), silentLogger);

  voicemail(message: Record<string, unknown>): void {
    this.watch.applyMessages({ __type: VM, ...message });
    this.store.update({ voicemail: this.watch.state }, this.watch.takeChange());
  }

  /** The steps both transports are tested with: a mailbox, a station, one read flag, an added and a removed message. */
  run(size: number): void {
    this.voicemail({ isDelta: false, voicemailMessagesAdded: Array.from({ length: size }, (_, i) => mailboxEntry(i)) });
    this.store.update({ station });
    this.voicemail({ isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: mailboxEntry(7).unifiedMessageId, state: 0 }] });
    this.voicemail({ isDelta: true, voicemailMessagesAdded: [mailboxEntry(size)], voicemailMessagesRemoved: [mailboxEntry(3).unifiedMessageId] });
  }
}

/** A client as the renderer is one: applies each change, asks for a snapshot after a gap; records every payload. */
export class MirrorClient {
  readonly mirror = new StateMirror(initialState());
  readonly changes: StateChange[] = [];
  snapshotsAsked = 0;
  private catchingUp: Promise<void> | null = null;

  constructor(private readonly transport: CompanionTransport) {
    transport.on('state.changed', (change) => {
      this.changes.push(change);
      if (this.mirror.receive(change) === 'gap') this.catchingUp ??= this.catchUp();
    });
  }

  async sync(): Promise<void> {
    const snapshot = await this.transport.call('state.get', undefined);
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    this.mirror.reset(snapshot.value);
  }

  /** Resolves once a snapshot asked for after a gap was applied. */
  async settled(): Promise<void> {
    await this.catchingUp;
  }

  private async catchUp(): Promise<void> {
    this.snapshotsAsked++;
    await this.sync();
    this.catchingUp = null;
  }
}

/** Asserts nothing itself: the size of each change's JSON, to show that a delta does not carry the mailbox. */
export const jsonSize = (value: unknown): number => JSON.stringify(value).length;
