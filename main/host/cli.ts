import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../bridge/localServer';
import { existsSync } from 'node:fs';
import { createLogger, stderrSink } from '../common/log';
import { noPolicyLoaded, readPolicyFile } from '../core/settings/policy';
import { createDispatcher } from '../transports/dispatcher';
import { parseHostArgs } from './args';
import { createHostCompanion } from './createHostCompanion';
import { defaultDataDir } from './dataDir';

/**
 * `npm run host`: the companion's main side in plain Node (no Electron). Serves the built renderer and the bridge on one
 * loopback port; this is how the UI runs in a plain browser, and how other local tools automate the companion.
 */
async function main(): Promise<number> {
  const parsed = parseHostArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  const { args } = parsed;
  // Asked for by name, a policy that is not there is a mistake on the command line, not "no policy".
  if (args.policy !== null && !existsSync(args.policy)) {
    console.error(`The policy file ${args.policy} does not exist.`);
    return 2;
  }
  const policy = args.policy === null ? noPolicyLoaded() : readPolicyFile(args.policy, process.platform);
  // The administrator's log level wins over --verbose, as it does in the desktop app.
  const log = createLogger({ level: policy.policy.logLevel ?? (args.verbose ? 'debug' : 'info'), scope: 'host', sink: stderrSink });
  const companion = await createHostCompanion({
    dataDir: args.dataDir ?? defaultDataDir(),
    log,
    demo: args.demo,
    policy,
    ...(args.caFile ? { caFile: args.caFile } : {}),
    ...(args.server ? { server: args.server } : {}),
  });
  const dispatch = createDispatcher(companion.handlers, log.child('dispatch'));
  const local = await startLocalServer({
    port: args.port,
    rendererDir: fileURLToPath(new URL('../../out/renderer', import.meta.url)),
    dispatch,
    events: companion.events,
    log,
  });
  // These two lines are an interface: tests and tools read them. Logs go to standard error.
  console.log(`ui: ${local.uiUrl}`);
  console.log(`bridge: ${local.bridgeUrl}`);

  // With a server and a user whose password the keychain holds, sign in straight away; otherwise the UI asks.
  const { server, userId } = companion.settings;
  if (args.server && server && userId) {
    const signedIn = await dispatch('session.signIn', { server, userId });
    if (!signedIn.ok) log.warn(`Could not sign in to ${server} as ${userId}: ${signedIn.error.message} Open the UI to sign in.`);
  } else if (args.server) {
    log.info(`Open the UI to sign in to ${server}.`);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await companion.stop();
    await local.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`The companion could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
