/**
 * The follow-me prompt: `followMe.record`, `preview`, `commit` and `cancel`, and the followMe slice. CIC sends no
 * message about it, so the status is what the last accepted request made it.
 */
import { initialState, type FollowMeStatus, type PublicState } from '../../../preload/contract';
import * as icws from '../../icws/api';
import { FEATURES } from '../../icws/api';
import { refuse, type CoreContext, type Feature, type HandlersOf } from '../feature';

const NEXT: Record<icws.FollowMeVerb, FollowMeStatus> = { record: 'recording', preview: 'previewing', commit: 'committed', cancel: 'idle' };

export class FollowMeFeature implements Feature {
  readonly name = 'followMe';
  private status: FollowMeStatus = 'idle';

  constructor(private readonly ctx: CoreContext) {}

  reset(): Partial<PublicState> {
    this.status = 'idle';
    return { followMe: initialState().followMe };
  }

  private run(verb: icws.FollowMeVerb) {
    return this.ctx.act('followMe', FEATURES.followMe, async (): Promise<PublicState['followMe']> => {
      const pending = this.status === 'recording' || this.status === 'previewing';
      if ((verb === 'preview' || verb === 'commit') && !pending) {
        throw refuse('refused', `Record the follow-me prompt first: there is no new recording to ${verb === 'preview' ? 'play back' : 'keep'}.`);
      }
      await icws.followMe(this.ctx.call, verb);
      this.status = NEXT[verb];
      const followMe = { status: this.status };
      this.ctx.store.update({ followMe });
      return followMe;
    });
  }

  readonly handlers: HandlersOf<'followMe'> = {
    'followMe.record': () => this.run('record'),
    'followMe.preview': () => this.run('preview'),
    'followMe.commit': () => this.run('commit'),
    'followMe.cancel': () => this.run('cancel'),
  };
}
