// POST voice-prompts/{type}/{verb}: 204, or noStation without a station (see domain/prompts.ts).
import type { Route } from '../http';
import { noContent } from '../http';
import type { PromptVerb } from '../domain/prompts';
import { ALL_PROMPTS_VERBS, PROMPT_TYPES, PROMPT_VERBS, promptAction } from '../domain/prompts';

const VOICE_PROMPTS = ['voice-prompts', 2] as const;

function promptRoute(promptType: string, verb: PromptVerb): Route {
  return {
    method: 'POST',
    path: `/icws/{sessionId}/voice-prompts/${promptType}/${verb}`,
    auth: 'session',
    feature: VOICE_PROMPTS,
    handle: ({ world, session }) => {
      promptAction(world, session, promptType, verb);
      return noContent();
    },
  };
}

export const voicePromptRoutes: Route[] = [
  ...PROMPT_TYPES.flatMap((type) => PROMPT_VERBS.map((verb) => promptRoute(type, verb))),
  ...ALL_PROMPTS_VERBS.map((verb) => promptRoute('all', verb)),
];
