/**
 * The changes benchmark 1 injects at the simulator, alternating: a station change (the extension CIC reports for the
 * agent's station) and a voicemail play status (playing / stopped). Each knows how to inject itself, how to recognise
 * itself in the companion's public state, and what the UI shows once it arrived.
 */
import type { PublicState } from '../preload/contract';
import type { Simulator } from '../sim/index';
import { userId, workstationId } from './harness';

export type ChangeKind = 'station' | 'playStatus';

export interface Change {
  kind: ChangeKind;
  /** Station: the extension now shown. Play status: the playing voicemail id, or null once stopped. */
  expected: string | null;
  inject(): void;
  inState(state: PublicState): boolean;
}

/** Per user: the next change alternates kinds and toggles each kind's value. */
export class ChangeSequence {
  private count = 0;
  private extensionFlipped = false;
  private playing = false;

  constructor(
    private readonly sim: Simulator,
    private readonly index: number,
  ) {}

  next(): Change {
    const kind: ChangeKind = this.count++ % 2 === 0 ? 'station' : 'playStatus';
    const user = userId(this.index);
    if (kind === 'station') {
      this.extensionFlipped = !this.extensionFlipped;
      const extension = this.extensionFlipped ? `${workstationId(this.index)}9` : workstationId(this.index);
      return {
        kind,
        expected: extension,
        inject: () => this.sim.control.updateStation({ userId: user, changes: { extension } }),
        inState: (state) => state.station?.extension === extension,
      };
    }
    this.playing = !this.playing;
    const id = `vm-${user}-0002`;
    const playStatus = this.playing ? 0 : 1;
    const expected = this.playing ? id : null;
    return {
      kind,
      expected,
      inject: () => this.sim.control.setPlayStatus({ userId: user, unifiedMessageId: id, playStatus }),
      inState: (state) => state.voicemail.playing === expected,
    };
  }

  /** The state's values match what the simulator was last told (the final-state check). */
  settled(state: PublicState): boolean {
    const extension = this.extensionFlipped ? `${workstationId(this.index)}9` : workstationId(this.index);
    const playing = this.playing ? `vm-${userId(this.index)}-0002` : null;
    return state.station?.extension === extension && state.voicemail.playing === playing;
  }
}
