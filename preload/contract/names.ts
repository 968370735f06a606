/**
 * The names of the companion's commands: the list every transport builds its API from. Kept apart from the schemas so
 * the sandboxed preload can build `window.companion` without bundling zod; `commands.ts` is checked against this list
 * by the compiler (no name missing, none extra).
 */
export const commandNames = [
  'app.info',
  'state.get',
  'settings.get',
  'settings.update',
  'session.signIn',
  'session.startDemo',
  'session.signOut',
  'session.forgetPassword',
  'certificates.pin',
  'certificates.unpin',
  'station.logIn',
  'station.logOut',
  'followMe.record',
  'followMe.preview',
  'followMe.commit',
  'followMe.cancel',
  'voicemail.play',
  'voicemail.stop',
  'voicemail.markRead',
  'dialer.updateCallData',
  'dialer.requestContactData',
  'dialer.markForFinishing',
] as const;

export type CommandName = (typeof commandNames)[number];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (commandNames as readonly string[]).includes(name);
}
