// Voice prompts (follow-me and its siblings). Record and preview call the station; a recording only becomes the
// saved prompt on commit; cancel drops the pending recording; clear removes the saved prompt. No message reports
// completion, so the only trace is this state, which the control API shows.
import { noStation } from '../errors';
import type { Session } from '../sessions';
import type { World } from '../state';

export const PROMPT_TYPES = ['followme', 'forward', 'greeting', 'name', 'noanswer', 'outofoffice'] as const;
export const PROMPT_VERBS = ['record', 'preview', 'commit', 'clear', 'cancel'] as const;
/** `all` applies a verb to every prompt type; it has no record or preview. */
export const ALL_PROMPTS_VERBS = ['commit', 'clear', 'cancel'] as const;

export type PromptVerb = (typeof PROMPT_VERBS)[number];

function apply(world: World, userId: string, promptType: string, verb: PromptVerb): void {
  const state = world.prompt(userId, promptType);
  switch (verb) {
    case 'record':
      state.pending = 'recorded';
      break;
    case 'preview':
      break;
    case 'commit':
      // Committing with nothing recorded is accepted and changes nothing (no documented error for it).
      if (state.pending) state.saved = { committedAt: new Date().toISOString() };
      state.pending = null;
      break;
    case 'cancel':
      state.pending = null;
      break;
    case 'clear':
      state.saved = null;
      state.pending = null;
      break;
  }
  state.lastAction = verb;
}

export function promptAction(world: World, session: Session, promptType: string, verb: PromptVerb): void {
  if (!world.stationOfSession(session.id)) throw noStation();
  // `all` touches only the prompts this user has used, so untouched types stay out of the state.
  const types = promptType === 'all' ? [...(world.prompts.get(session.userId)?.keys() ?? [])] : [promptType];
  for (const type of types) apply(world, session.userId, type, verb);
}
