/**
 * What the companion knows of the active Dialer call beyond the queue: its contact's columns (read from CIC once per
 * call, kept current with what the agent sends), whether the agent marked it for finishing, and whether CIC refused
 * Dialer requests to this agent altogether (no licence or right). Owns no timer and no subscription: the companion
 * calls `follow` with the active call after every change, and reads `view` back.
 */
import type { ContactData, DialerCall, DialerState } from '../../../preload/contract';

export interface DialerDetailsDeps {
  /** `dialer/request-contact-data` for the call; throws what the ICWS client throws. */
  readContact: (callId: string, campaignId: string) => Promise<Record<string, string>>;
  /** The sentence for a refusal that means "no Dialer for this agent", or null (see `dialerUnavailableSentence`). */
  unavailableSentence: (error: unknown) => string | null;
  /** The reason shown when CIC answered with something else than the contact; the error is the client's. */
  describe: (error: unknown) => string;
  /** Called when a read finished and the view changed. */
  changed: () => void;
}

/** The Dialer's own prefix of contact columns on interaction attributes, and the attributes that are not columns. */
const ATTRIBUTE_PREFIX = 'is_attr_';
const NOT_COLUMNS = new Set(['is_attr_campaignid', 'is_attr_callid', 'is_attr_campaignname']);

export class DialerDetails {
  private callId: string | null = null;
  private contact: ContactData | null = null;
  private marked = false;
  private unavailable: string | null = null;
  /** Each followed call gets a new number; a read that finishes for an older one is dropped. */
  private generation = 0;

  constructor(private readonly deps: DialerDetailsDeps) {}

  /** The call `follow` last saw: the same one again changes nothing. */
  get followedCallId(): string | null {
    return this.callId;
  }

  /**
   * Starts reading the contact when a new call becomes the active one. `cannotRead` is why this server cannot be
   * asked at all (too old a Dialer API): the call's own attributes are all there is then.
   */
  follow(call: DialerCall | null, attributes: Record<string, string> = {}, cannotRead: string | null = null): void {
    const id = call?.callId ?? null;
    if (id === this.callId) return;
    this.callId = id;
    this.marked = false;
    this.contact = null;
    const generation = ++this.generation;
    if (!call || this.unavailable) return;
    if (cannotRead) {
      this.contact = { status: 'unavailable', columns: columnsOf(attributes), reason: cannotRead };
      return;
    }
    this.contact = { status: 'loading', columns: {} };
    void this.read(call, attributes, generation);
  }

  /** Reads the active call's contact again (the agent asked); resolves with what is known afterwards. */
  async refresh(call: DialerCall, attributes: Record<string, string> = {}): Promise<ContactData> {
    this.callId = call.callId;
    const generation = ++this.generation;
    this.contact = { status: 'loading', columns: this.contact?.columns ?? {} };
    this.deps.changed();
    await this.read(call, attributes, generation, true);
    return this.contact ?? { status: 'loading', columns: {} };
  }

  private async read(call: DialerCall, attributes: Record<string, string>, generation: number, rethrow = false): Promise<void> {
    try {
      const columns = await this.deps.readContact(call.callId, call.campaignId);
      if (generation !== this.generation) return;
      this.contact = { status: 'loaded', columns };
    } catch (error) {
      if (generation !== this.generation) return;
      const sentence = this.deps.unavailableSentence(error);
      if (sentence) {
        this.unavailable = sentence;
        this.contact = null;
      } else {
        // CIC would not give this session the contact: what the call's own IS_ATTR_ attributes carry is the next best.
        this.contact = { status: 'unavailable', columns: columnsOf(attributes), reason: this.deps.describe(error) };
      }
      if (rethrow) {
        this.deps.changed();
        throw error;
      }
    }
    this.deps.changed();
  }

  /** The agent's update reached CIC: the contact now holds these values. */
  updated(callId: string, callAttributes: Record<string, string>): void {
    if (callId !== this.callId || !this.contact) return;
    this.contact = { ...this.contact, columns: { ...this.contact.columns, ...callAttributes } };
  }

  markedForFinishing(callId: string): boolean {
    return callId === this.callId && this.marked;
  }

  setMarked(callId: string): void {
    if (callId === this.callId) this.marked = true;
  }

  /** A Dialer action came back refused: when the refusal means "no Dialer for you", the view says so from now on. */
  refused(error: unknown): void {
    const sentence = this.deps.unavailableSentence(error);
    if (sentence) {
      this.unavailable = sentence;
      this.contact = null;
    }
  }

  view(call: DialerCall | null): DialerState {
    const unavailable = this.unavailable ? { unavailable: this.unavailable } : {};
    if (!call) return { call: null, ...unavailable };
    const detailed: DialerCall = { ...call };
    if (call.callId === this.callId) {
      if (this.marked) detailed.markedForFinishing = true;
      if (this.contact) detailed.contactData = this.contact;
    }
    return { call: detailed, ...unavailable };
  }

  /** Signed out or the session failed: a next sign-in (maybe another agent) starts from nothing. */
  clear(): void {
    this.callId = null;
    this.contact = null;
    this.marked = false;
    this.unavailable = null;
    this.generation++;
  }
}

/** `IS_ATTR_ADDRESS` → column `ADDRESS`, for the attributes that are contact columns. */
export function columnsOf(attributes: Record<string, string>): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(ATTRIBUTE_PREFIX) && !NOT_COLUMNS.has(lower) && lower.length > ATTRIBUTE_PREFIX.length) {
      columns[name.slice(ATTRIBUTE_PREFIX.length)] = value;
    }
  }
  return columns;
}
