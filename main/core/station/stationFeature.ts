/**
 * The agent's station: its subscription and message (cached, with the SIP credentials registered as secrets and never
 * published), the station and stationDropReason slices, `station.logIn` / `station.logOut`, logging the station in
 * again on a new session, and the last station offered at this user's next logon.
 */
import { LAST_STATIONS_KEPT, lastStationKey, type ConnectionState, type PublicState, type StationLogIn, type StationState } from '../../../preload/contract';
import * as icws from '../../icws/api';
import { FEATURES, MESSAGE_TYPES, SUBSCRIPTIONS } from '../../icws/api';
import type { IcwsMessage } from '../../icws/messages';
import type { Account, CoreContext, Feature, HandlersOf, ResetReason } from '../feature';
import type { SettingsStore } from '../settings/settingsStore';
import { stationInfoOf, StationWatch, toStationState } from './stationWatch';
import type { SettingsFeature } from '../settings/settingsFeature';

export class StationFeature implements Feature {
  readonly name = 'station';
  readonly subscriptions = [SUBSCRIPTIONS.station];
  private readonly watch = new StationWatch();
  /** The station this companion logged in to, logged in again when a lost session is replaced. */
  private loggedIn: StationLogIn | null = null;
  /** The reason CIC gave when it dropped the station itself, kept until the agent logs in to a station again. */
  private dropReason: string | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly settings: SettingsFeature,
    /** The agent's own settings file, where the last stations are kept. */
    private readonly store: SettingsStore,
  ) {}

  readonly messages = {
    [MESSAGE_TYPES.stationConnectionStateChange]: { keyed: true, apply: (message: IcwsMessage) => this.apply(message) },
  };

  private apply(message: IcwsMessage): void {
    this.registerSecrets(message);
    const station = this.watch.apply(message);
    // CIC took the station away with a reason (a logon elsewhere): do not take it back after a reconnect.
    if (station === null && typeof message.reason === 'string' && message.reason !== '') {
      this.loggedIn = null;
      this.dropReason = message.reason;
    }
    if (station !== null) this.dropReason = null;
  }

  delivered(): void {
    this.ctx.store.update({ station: this.watch.current, stationDropReason: this.dropReason });
  }

  reset(reason: ResetReason): Partial<PublicState> {
    this.watch.clear();
    if (reason === 'signOut') {
      this.loggedIn = null;
      this.dropReason = null;
    }
    return { station: null };
  }

  private registerSecrets(message: Record<string, unknown>): void {
    for (const info of [message, message.newStationInfo, message.previousStationInfo]) {
      if (info && typeof info === 'object') {
        const value = (info as Record<string, unknown>).sipPassword;
        if (typeof value === 'string') this.ctx.secrets.add(value);
      }
    }
  }

  /** After a fresh session replaced a lost one: the station the agent had is logged in again. */
  async restore(call: icws.Call): Promise<void> {
    if (!this.loggedIn) return;
    this.ctx.log.info('logging the station in again', { kind: this.loggedIn.kind });
    await icws.stationLogOn(call, this.loggedIn, false);
  }

  /** The station this user last logged in to on this server, for the connection slice. */
  lastStationOf(account: { userId: string; base: string }): Pick<ConnectionState, 'lastStation'> {
    const last = this.store.value.lastStations[lastStationKey(account.userId, account.base)];
    return last ? { lastStation: last } : {};
  }

  /** The station is offered at this user's next logon on this server; a settings file that cannot be written only costs that. */
  private async remember(settings: StationLogIn): Promise<void> {
    const account: Account | null = this.ctx.account();
    if (!account || account.demo) return;
    const key = lastStationKey(account.userId, account.base);
    const saved = await this.settings.save((current) => {
      const others = Object.entries(current.lastStations).filter(([other]) => other !== key);
      return { ...current, lastStations: Object.fromEntries([...others.slice(-(LAST_STATIONS_KEPT - 1)), [key, settings]]) };
    });
    if (!saved.ok) this.ctx.log.info('last station not remembered', { kind: saved.error.kind });
    const connection = this.ctx.store.value.connection;
    if (saved.ok && connection.status !== 'signedOut') this.ctx.store.update({ connection: { ...connection, ...this.lastStationOf(account) } });
  }

  private logIn(settings: StationLogIn) {
    return this.ctx.act('station.logIn', FEATURES.station, async (): Promise<StationState> => {
      await icws.stationLogOn(this.ctx.call, settings);
      this.loggedIn = settings;
      this.dropReason = null;
      await this.remember(settings);
      // Read back what CIC made of it; the subscription's message may still be on its way.
      try {
        const { body } = await this.ctx.call({ method: 'GET', path: 'connection/station' });
        if (body && typeof body === 'object') {
          this.registerSecrets(body as Record<string, unknown>);
          const station = toStationState(stationInfoOf({ __type: 'stationInformation', isDelta: false, ...(body as Record<string, unknown>) }) ?? null);
          if (station) return station;
        }
      } catch (error) {
        this.ctx.log.debug('reading the station back failed', { error: String(error) });
      }
      return (
        this.ctx.store.value.station ?? {
          id: settings.kind === 'remoteNumber' ? settings.remoteNumber : settings.workstation,
          extension: settings.kind === 'remoteNumber' ? settings.remoteNumber : settings.workstation,
          kind: settings.kind,
          mediaTypes: [],
        }
      );
    });
  }

  readonly handlers: HandlersOf<'station'> = {
    'station.logIn': (params) => this.logIn(params),
    'station.logOut': () =>
      this.ctx.act('station.logOut', FEATURES.station, async () => {
        await icws.stationLogOff(this.ctx.call);
        this.loggedIn = null;
        return null;
      }),
  };
}
