/**
 * The mailbox: its two subscriptions (messages and the waiting indicator), the three message types, the voicemail
 * slice with which messages changed, and `voicemail.play` / `stop` / `markRead`.
 */
import { initialState, type PublicState } from '../../../preload/contract';
import * as icws from '../../icws/api';
import { FEATURES, MESSAGE_TYPES, SUBSCRIPTIONS } from '../../icws/api';
import type { IcwsMessage } from '../../icws/messages';
import { refuse, type CoreContext, type Feature, type HandlersOf } from '../feature';
import { VoicemailWatch } from './voicemailWatch';

export class VoicemailFeature implements Feature {
  readonly name = 'voicemail';
  readonly subscriptions = [SUBSCRIPTIONS.voicemail, SUBSCRIPTIONS.mwi];
  private readonly watch = new VoicemailWatch();

  constructor(private readonly ctx: CoreContext) {}

  readonly messages = {
    [MESSAGE_TYPES.voicemailMessages]: { keyed: true, apply: (message: IcwsMessage) => this.watch.applyMessages(message) },
    [MESSAGE_TYPES.voicemailPlayStatus]: { keyed: false, apply: (message: IcwsMessage) => this.watch.applyPlayStatus(message) },
    [MESSAGE_TYPES.mwi]: { keyed: false, apply: (message: IcwsMessage) => this.watch.applyMwi(message) },
  };

  /** The state left the store: the mailbox list must be copied before it is edited again. */
  handedOut(): void {
    this.watch.handedOut();
  }

  /** The mailbox is read once per turn, however many deliveries changed it. */
  settled(): void {
    this.publish();
  }

  /** The voicemail slice, with which messages changed (so the change carries them, not the mailbox). */
  private publish(): void {
    this.ctx.store.update({ voicemail: this.watch.state }, this.watch.takeChange());
  }

  reset(): Partial<PublicState> {
    this.watch.clear();
    return { voicemail: initialState().voicemail };
  }

  readonly handlers: HandlersOf<'voicemail'> = {
    'voicemail.play': ({ id, target }) =>
      this.ctx.act('voicemail.play', FEATURES.voicemailPlayback, async () => {
        await icws.playVoicemail(this.ctx.call, id, target);
        // Playing marks the message read (state 1); the play status message confirms it shortly.
        this.ctx.store.batch(() => {
          this.watch.setPlaying(id);
          if (this.watch.has(id)) this.watch.setRead(id, true);
          this.publish();
        });
        return null;
      }),
    'voicemail.stop': (params) =>
      this.ctx.act('voicemail.stop', FEATURES.voicemailPlayback, async () => {
        const id = params?.id ?? this.watch.playingId;
        if (!id) throw refuse('notPlaying', 'No voicemail is playing.');
        await icws.stopVoicemail(this.ctx.call, id);
        if (this.watch.playingId === id) {
          this.watch.setPlaying(null);
          this.publish();
        }
        return null;
      }),
    'voicemail.markRead': ({ id, read }) =>
      this.ctx.act('voicemail.markRead', FEATURES.voicemailMarkRead, async () => {
        await icws.setVoicemailState(this.ctx.call, id, read);
        if (this.watch.has(id)) {
          this.watch.setRead(id, read);
          this.publish();
        }
        return null;
      }),
  };
}
