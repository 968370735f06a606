import type { z } from 'zod';
import {
  buildCommandApi,
  commandNames,
  commands,
  fail,
  isCommandName,
  type CommandApi,
  type CommandHandlers,
  type CommandName,
  type ParamsOf,
  type Result,
  type ResultOf,
} from '../../preload/contract';
import type { Logger } from '../common/log';

export type Dispatch = (name: unknown, params: unknown) => Promise<Result<unknown>>;

/**
 * The single entry of every transport: checks the command name and its parameters against the contract, runs the handler,
 * and turns anything unexpected into an error value. Nothing a caller sends can crash the main side.
 */
export function createDispatcher(handlers: CommandHandlers, log: Logger): Dispatch {
  return async (name, params) => {
    if (!isCommandName(name)) {
      return fail('invalidInput', `The companion has no command named ${describe(name)}.`);
    }
    const parsed = commands[name].params.safeParse(params);
    if (!parsed.success) return fail('invalidInput', describeIssues(parsed.error));
    try {
      const handler = handlers[name] as (params: unknown) => Promise<Result<unknown>>;
      return await handler(parsed.data);
    } catch (error) {
      log.error('command failed unexpectedly', { command: name, error });
      return fail('internal', 'Something went wrong in the companion. The details are in its log.');
    }
  };
}

/** The typed commands over the dispatcher, for the main side's own callers: the tray, the hotkeys, the command line. */
export function dispatcherApi(dispatch: Dispatch): CommandApi {
  // The dispatcher checked the parameters and the handler's type gave the result: the cast only restores that type.
  const call = <K extends CommandName>(name: K, params: ParamsOf<K> | undefined) => dispatch(name, params) as Promise<Result<ResultOf<K>>>;
  return buildCommandApi(commandNames, call);
}

function describe(name: unknown): string {
  return typeof name === 'string' ? `"${name.slice(0, 80)}"` : `of type ${typeof name}`;
}

/** A sentence for the agent: the schema's own message, naming the field when the message alone would be vague. */
function describeIssues(error: z.ZodError): string {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  if (!issue) return 'The request was not valid.';
  // Record keys and values report their own schema's issues nested one level down: that message is the useful one.
  while ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues[0]) issue = issue.issues[0];
  const where = issue.path.length > 0 ? issue.path.join('.') : '';
  const custom = issue.message && !/^(Invalid|Unrecognized|Expected)/.test(issue.message);
  if (custom) return issue.message;
  if (issue.code === 'unrecognized_keys') return `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`;
  return where ? `The field "${where}" is not valid: ${issue.message}.` : `The request is not valid: ${issue.message}.`;
}
