/**
 * The agent's Dialer call, seen through the agent's own user queue (queueType 1, queueName userId) with the Dialer
 * attributes: the companion must not log the agent into Dialer behind their back, so it watches instead. The active
 * call is one that is connected or held and carries a campaign id; attribute names are case-insensitive in CIC.
 */
import type { DialerCall, DialerCallState } from '../../../preload/contract';
import { isObject } from '../../../preload/contract';
import { KeyedCache, type Properties } from '../../icws/cache';
import type { IcwsMessage } from '../../icws/messages';

const STATES: Record<string, DialerCallState> = { A: 'alerting', C: 'connected', H: 'held', I: 'disconnected', E: 'disconnected' };

const idOf = (item: Properties): string | undefined => (typeof item.interactionId === 'string' ? item.interactionId : undefined);

/** Lower-cases attribute names so changes merge whatever case the server uses. */
function normalise(items: unknown): unknown {
  if (!Array.isArray(items)) return items;
  return items.map((item) => {
    if (!isObject(item) || !isObject(item.attributes)) return item;
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item.attributes)) attributes[name.toLowerCase()] = value;
    return { ...item, attributes };
  });
}

export class DialerWatch {
  private readonly interactions = new KeyedCache();
  private order = new Map<string, number>();
  private sequence = 0;

  constructor(private readonly subscriptionId: string) {}

  apply(message: IcwsMessage): void {
    if (typeof message.subscriptionId === 'string' && message.subscriptionId !== this.subscriptionId) return;
    if (message.isDelta !== true) this.order.clear();
    const added = normalise(message.interactionsAdded);
    this.interactions.apply(message.isDelta === true, { added, changed: normalise(message.interactionsChanged), removed: message.interactionsRemoved }, idOf);
    if (Array.isArray(added)) for (const item of added) if (isObject(item) && idOf(item)) this.order.set(idOf(item) as string, this.sequence++);
  }

  /** A call on the queue, by call id or interaction id. */
  find(callId: string): DialerCall | null {
    const found = this.calls().find((call) => call.callId === callId || call.interactionId === callId);
    if (!found) return null;
    const { interactionId: _interactionId, ...call } = found;
    return call;
  }

  /** Connected before held; among equals, the most recently added. */
  get active(): DialerCall | null {
    const candidates = this.calls().filter((call) => call.campaignId !== '' && (call.state === 'connected' || call.state === 'held'));
    candidates.sort((a, b) => rank(b) - rank(a) || (this.order.get(b.callId) ?? 0) - (this.order.get(a.callId) ?? 0));
    const best = candidates[0];
    if (!best) return null;
    const { interactionId: _interactionId, ...call } = best;
    return call;
  }

  private calls(): (DialerCall & { interactionId: string })[] {
    return this.interactions.values().map((item) => {
      const attributes = (isObject(item.attributes) ? item.attributes : {}) as Record<string, unknown>;
      const text = (name: string) => (typeof attributes[name] === 'string' ? (attributes[name] as string) : '');
      const interactionId = String(item.interactionId);
      const call: DialerCall & { interactionId: string } = {
        interactionId,
        callId: text('is_attr_callid') || interactionId,
        campaignId: text('is_attr_campaignid'),
        state: STATES[text('eic_state').toUpperCase()] ?? 'unknown',
      };
      if (text('is_attr_campaignname')) call.campaignName = text('is_attr_campaignname');
      if (text('eic_remotename')) call.remoteName = text('eic_remotename');
      if (text('eic_remoteaddress')) call.remoteAddress = text('eic_remoteaddress');
      return call;
    });
  }

  /** The string attributes of a call on the queue (names lower-cased), by call id or interaction id. */
  attributesOf(callId: string): Record<string, string> {
    for (const item of this.interactions.values()) {
      const attributes = (isObject(item.attributes) ? item.attributes : {}) as Record<string, unknown>;
      if (item.interactionId !== callId && attributes.is_attr_callid !== callId) continue;
      return Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    }
    return {};
  }

  clear(): void {
    this.interactions.clear();
    this.order.clear();
  }
}

function rank(call: DialerCall): number {
  return call.state === 'connected' ? 2 : 1;
}
