/**
 * The agent's Dialer call: the subscription to the agent's own queue and its message, what is known of the active call
 * beyond the queue (its contact, whether it is marked for finishing, whether CIC refuses Dialer to this agent), the
 * dialer slice, and `dialer.updateCallData` / `requestContactData` / `markForFinishing`.
 */
import { initialState, type PublicState } from '../../../preload/contract';
import * as icws from '../../icws/api';
import { FEATURES, featureGap, MESSAGE_TYPES, SUBSCRIPTIONS } from '../../icws/api';
import type { IcwsMessage } from '../../icws/messages';
import { DialerWatch } from './dialerWatch';
import { DialerDetails } from './dialerDetails';
import { dialerUnavailableSentence } from '../errors';
import { refuse, type CoreContext, type Feature, type HandlersOf } from '../feature';

export class DialerFeature implements Feature {
  readonly name = 'dialer';
  readonly subscriptions = [SUBSCRIPTIONS.dialerQueue];
  private readonly watch = new DialerWatch(icws.DIALER_QUEUE_SUBSCRIPTION_ID);
  private readonly details: DialerDetails;

  constructor(private readonly ctx: CoreContext) {
    this.details = new DialerDetails({
      readContact: (callId, campaignId) => icws.requestContactData(ctx.call, callId, campaignId),
      unavailableSentence: dialerUnavailableSentence,
      describe: (error) => ctx.errorOf(error, 'dialer.requestContactData').message,
      changed: () => this.publish(),
    });
  }

  readonly messages = {
    [MESSAGE_TYPES.queueContents]: { keyed: true, apply: (message: IcwsMessage) => this.watch.apply(message) },
  };

  /** The active Dialer call with what is known beyond the queue; a new call starts the read of its contact. */
  delivered(): void {
    const active = this.watch.active;
    // Most deliveries leave the active call as it was: the sentence and the attributes are worked out only for a new one.
    if ((active?.callId ?? null) !== this.details.followedCallId) {
      const gap = featureGap(this.ctx.features(), FEATURES.requestContactData);
      const cannotRead = gap ? this.ctx.errorOf(gap, 'dialer.requestContactData').message : null;
      this.details.follow(active, active ? this.watch.attributesOf(active.callId) : {}, cannotRead);
    }
    this.publish();
  }

  private publish(): void {
    this.ctx.store.update({ dialer: this.details.view(this.watch.active) });
  }

  reset(): Partial<PublicState> {
    this.watch.clear();
    this.details.clear();
    return { dialer: initialState().dialer };
  }

  /** A Dialer request: refused at once when CIC already said this agent has no Dialer; a refusal saying so is kept. */
  private async request<T>(run: () => Promise<T>): Promise<T> {
    const unavailable = this.ctx.store.value.dialer.unavailable;
    if (unavailable) throw refuse('forbidden', unavailable);
    try {
      return await run();
    } catch (error) {
      this.details.refused(error);
      this.publish();
      throw error;
    }
  }

  /** The call a Dialer action is about: the one given, or the agent's active Dialer call. */
  private target(callId: string | undefined, campaignId: string | undefined): { callId: string; campaignId: string } {
    if (callId && campaignId) return { callId, campaignId };
    if (callId) {
      const known = this.watch.find(callId);
      if (!known?.campaignId) throw refuse('invalidInput', `Give the campaign id too: call ${callId} is not among your Dialer calls.`);
      return { callId: known.callId, campaignId: known.campaignId };
    }
    const active = this.watch.active;
    if (!active) {
      throw refuse('noDialerCall', 'You have no active Dialer call (connected or on hold). Pick up the call first, or give its call id and campaign id.');
    }
    return { callId: active.callId, campaignId: campaignId ?? active.campaignId };
  }

  readonly handlers: HandlersOf<'dialer'> = {
    'dialer.updateCallData': ({ callId, campaignId, callAttributes }) =>
      this.ctx.act('dialer.updateCallData', FEATURES.updateCallData, () =>
        this.request(async () => {
          const target = this.target(callId, campaignId);
          await icws.updateCallData(this.ctx.call, target.callId, target.campaignId, callAttributes);
          this.details.updated(target.callId, callAttributes);
          this.publish();
          return null;
        }),
      ),
    'dialer.requestContactData': () =>
      this.ctx.act('dialer.requestContactData', FEATURES.requestContactData, () =>
        this.request(async () => {
          const active = this.watch.active;
          if (!active) throw refuse('noDialerCall', 'You have no active Dialer call (connected or on hold).');
          return this.details.refresh(active, this.watch.attributesOf(active.callId));
        }),
      ),
    'dialer.markForFinishing': ({ callId, campaignId, callAttributes }) =>
      this.ctx.act('dialer.markForFinishing', FEATURES.markCallForFinishing, () =>
        this.request(async () => {
          const target = this.target(callId, campaignId);
          if (this.details.markedForFinishing(target.callId)) throw refuse('refused', 'This call is already marked for finishing.');
          await icws.markCallForFinishing(this.ctx.call, target.callId, target.campaignId, callAttributes);
          this.details.setMarked(target.callId);
          if (callAttributes) this.details.updated(target.callId, callAttributes);
          this.publish();
          return null;
        }),
      ),
  };
}
