import type {
  AppInfo,
  CompanionApi,
  CompanionError,
  PublicState,
  Settings,
  StateChange,
} from '../../../preload/contract';
import type { Link, LinkStatus } from '../transport/link';
import { initialState } from '../../../preload/contract/state';
import { StateMirror } from '../../../preload/contract/stateChange';
import { Announcer } from './announcer.svelte';
import { describeChange } from './describe';

/** The state before the companion has answered: signed out, nothing known. */
export const emptyState = initialState;

/**
 * The companion as this window knows it: the public state kept current by `state.changed` (the slices that changed),
 * the settings pushed by `settings.changed`; both re-read in full on start, every time the link to the companion comes
 * back, and whenever a change shows that one was missed (a gap in revisions).
 */
export class CompanionStore {
  /** Replaced whole on every event (never mutated), so it is raw state: a 10,000-message mailbox is not deep-proxied. */
  state = $state.raw<PublicState>(emptyState());
  settings = $state.raw<Settings | null>(null);
  info = $state.raw<AppInfo | null>(null);
  link = $state.raw<LinkStatus>({ state: 'connecting', attempt: 0 });
  /** True once a full snapshot has arrived. */
  ready = $state(false);
  /** Why the last snapshot could not be read. */
  loadError = $state.raw<CompanionError | null>(null);
  readonly announcer: Announcer;
  private readonly unsubscribe: (() => void)[] = [];
  private syncing = 0;
  private readonly mirror = new StateMirror(emptyState());
  /** A snapshot asked for after a gap, not answered yet: later changes wait for it instead of asking again. */
  private catchingUp = false;

  constructor(
    readonly api: CompanionApi,
    private readonly source: Link,
    announcer?: Announcer,
  ) {
    this.announcer = announcer ?? new Announcer();
    this.link = source.status;
  }

  start(): void {
    this.unsubscribe.push(
      this.api.on('state.changed', (change) => this.receive(change)),
      this.api.on('settings.changed', (settings) => (this.settings = settings)),
      this.source.onStatus((status) => {
        const wasOpen = this.link.state === 'open';
        this.link = status;
        if (status.state === 'open' && !wasOpen) {
          if (this.ready) this.announcer.announce('Back in touch with the companion.');
          void this.resync();
        } else if (wasOpen && status.state !== 'open') {
          this.announcer.announce('Lost touch with the companion. Reconnecting…');
        }
      }),
    );
    if (this.source.status.state === 'open') void this.resync();
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Read the whole state, settings and app info again. */
  async resync(): Promise<void> {
    const run = ++this.syncing;
    const [state, settings, info] = await Promise.all([this.api.state.get(), this.api.settings.get(), this.api.app.info()]);
    if (run !== this.syncing) return;
    if (state.ok) {
      this.mirror.reset(state.value);
      this.apply(this.mirror.state, !this.ready);
    }
    if (settings.ok) this.settings = settings.value;
    if (info.ok) this.info = info.value;
    const failed = [state, settings, info].find((result) => !result.ok);
    this.loadError = failed && !failed.ok ? failed.error : null;
    if (state.ok && settings.ok && info.ok) this.ready = true;
  }

  private receive(change: StateChange): void {
    const received = this.mirror.receive(change);
    if (received === 'applied') this.apply(this.mirror.state, change.snapshot === true && !this.ready);
    else if (received === 'gap' && !this.catchingUp) void this.catchUp();
  }

  /** A change was missed: read the whole state (its answer includes every change up to it). */
  private async catchUp(): Promise<void> {
    this.catchingUp = true;
    try {
      const state = await this.api.state.get();
      if (!state.ok) return;
      this.mirror.reset(state.value);
      this.apply(this.mirror.state);
    } finally {
      this.catchingUp = false;
    }
  }

  private apply(next: PublicState, quiet = false): void {
    const previous = this.state;
    this.state = next;
    if (quiet) return;
    for (const sentence of describeChange(previous, next)) this.announcer.announce(sentence);
  }
}
