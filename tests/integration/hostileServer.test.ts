// The ICWS client against a deliberately broken server (tests/fixtures/hostileServer.ts): every bound holds, nothing
// grows without limit, nothing spins, and the agent gets a sentence that says what happened.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, SecretRegistry, type LogRecord } from '../../main/common/log';
import { IcwsHttpError, IcwsProtocolError } from '../../main/icws/errors';
import { MessagePump, type MessagePumpOptions } from '../../main/icws/messages';
import { createNodeHttpTransport } from '../../main/icws/nodeTransport';
import { IcwsSession } from '../../main/icws/session';
import { startHostileServer, type HostileRoutes, type HostileServer } from '../fixtures/hostileServer';
import { cleanUp, createTestCompanion, expectError, waitFor } from './helpers';

const servers: HostileServer[] = [];
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const server of servers.splice(0)) await server.close();
  await cleanUp();
});

async function hostile(routes: HostileRoutes): Promise<HostileServer> {
  const server = await startHostileServer(routes);
  servers.push(server);
  return server;
}

/** A signed-in session on the hostile server, with its log. */
async function session() {
  const logs: LogRecord[] = [];
  const secrets = new SecretRegistry();
  const log = createLogger({ level: 'debug', secrets, sink: (record) => logs.push(record) });
  const transport = createNodeHttpTransport();
  const icws = new IcwsSession({
    transport,
    log,
    secrets,
    locale: () => 'en-US',
    requestTimeoutMs: 10_000,
    hooks: { password: async () => 'secret-password', renewed: async () => {} },
  });
  stops.push(async () => {
    icws.reset();
    transport.closeIdle();
  });
  return { icws, logs, log };
}

async function pump(server: HostileServer, options: Partial<MessagePumpOptions> = {}) {
  const { icws, logs, log } = await session();
  await icws.connect({ base: server.base, userId: 'agent1', password: 'secret-password' });
  const failures: unknown[] = [];
  const messages: unknown[] = [];
  const messagePump = new MessagePump({
    call: (call) => icws.call(call),
    mode: 'sse',
    log,
    onMessages: (batch) => messages.push(...batch),
    onFailure: (error) => failures.push(error),
    pollIntervalMs: 20,
    maxReopenDelayMs: 200,
    ...options,
  });
  messagePump.start();
  stops.push(() => messagePump.stop());
  return { messagePump, logs, failures, messages };
}

describe('an SSE stream that breaks its bounds', () => {
  it('a line that never ends is dropped with a logged reason, and the stream is reopened after a pause', async () => {
    const server = await hostile({ messages: { kind: 'endlessLine', chunkBytes: 16 * 1024 } });
    const { logs, failures } = await pump(server, { sseLimits: { maxLineChars: 256 * 1024, maxEventChars: 256 * 1024 } });
    await waitFor(() => logs.filter((r) => r.message.includes('message stream dropped')).length >= 2, 'two dropped streams');
    expect(logs.find((r) => r.message.includes('message stream dropped'))?.message).toContain('line grew past 262144 characters');
    expect(server.counts.messages).toBeGreaterThanOrEqual(2);
    expect(failures).toEqual([]);
  });

  it('an event that never ends (data lines without the blank line) is dropped the same way', async () => {
    const server = await hostile({ messages: { kind: 'endlessEvent', chunkBytes: 16 * 1024 } });
    const { logs } = await pump(server, { sseLimits: { maxLineChars: 256 * 1024, maxEventChars: 256 * 1024 } });
    await waitFor(() => logs.find((r) => r.message.includes('message stream dropped')), 'a dropped stream');
    expect(logs.find((r) => r.message.includes('message stream dropped'))?.message).toContain('event grew past 262144 characters');
  });

  it('bytes that never end a line (a drip) do not keep a silent stream open', async () => {
    const server = await hostile({ messages: { kind: 'drip', everyMs: 20 } });
    const { logs } = await pump(server, { silenceMs: 300 });
    await waitFor(() => logs.find((r) => r.message.includes('silent too long')), 'the drip counted as silence', 5000);
    await waitFor(() => server.counts.messages >= 2, 'the stream reopened');
  });
});

describe('a server or proxy that ends every stream at once', () => {
  it('is not hammered: short streams count as failures, each waits longer, then polling takes over', async () => {
    const server = await hostile({ messages: { kind: 'shortStream', body: ':ping\n\ndata: {"__type":"urn:x"}\n\n' } });
    const { logs, messages } = await pump(server, { pollIntervalMs: 50, maxReopenDelayMs: 400, minStreamMs: 5000 });
    await waitFor(() => logs.find((r) => r.message.includes('keeps ending early; switching to polling')), 'the switch to polling');
    // Five streams, then polls (at most three: these answers are not a poll's JSON, so the pump gives up on them).
    expect(server.counts.messages).toBeLessThanOrEqual(8);
    const pauses = logs.filter((r) => r.message.includes('ended early')).map((r) => r.fields?.delayMs as number);
    // The first cut stream is reopened at once (a blip); the next three wait.
    expect(pauses).toHaveLength(3);
    expect(pauses.every((ms) => ms >= 50 && ms <= 400)).toBe(true);
    expect(messages.length).toBeGreaterThanOrEqual(5);
  });

  it('through the companion, with its default timing, a second costs at most a couple of requests', async () => {
    const server = await hostile({ messages: { kind: 'shortStream' } });
    const { companion } = await createTestCompanion({ timing: { requestTimeoutMs: 5000 } });
    const signedIn = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    expect(signedIn.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(server.counts.messages).toBeLessThanOrEqual(4);
  });
});

describe('answers too large or too deep to be CIC', () => {
  it('a 200 MB sign-in answer that says its length is refused before its body is read', async () => {
    const server = await hostile({ signIn: { kind: 'hugeBody', bytes: 200 * 1024 * 1024, declareLength: true } });
    const { icws } = await session();
    const error = await icws.connect({ base: server.base, userId: 'agent1', password: 'secret-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IcwsProtocolError);
    expect((error as IcwsProtocolError).problem).toEqual({ kind: 'tooLarge', limitBytes: 1024 * 1024 });
    expect(server.bytesSent).toBeLessThan(32 * 1024 * 1024);
  });

  it('a chunked answer is cut off once it passes the bound, and the agent is told why in a sentence', async () => {
    const server = await hostile({ signIn: { kind: 'hugeBody', bytes: 200 * 1024 * 1024 } });
    const { companion } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    const error = expectError(result);
    expect(error.kind).toBe('server');
    expect(error.message).toContain('sent an answer larger than 1 MB');
    expect(server.bytesSent).toBeLessThan(32 * 1024 * 1024);
  });

  it('a poll answer to the stream request is bounded too', async () => {
    const server = await hostile({ messages: { kind: 'hugeBody', bytes: 200 * 1024 * 1024 } });
    const { failures } = await pump(server);
    const failure = await waitFor(() => failures[0], 'the pump to give up on the answer');
    expect((failure as IcwsProtocolError).problem).toEqual({ kind: 'tooLarge', limitBytes: 16 * 1024 * 1024 });
    expect(server.bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('JSON nested a hundred thousand levels deep is refused without being parsed', async () => {
    const server = await hostile({ signIn: { kind: 'deepJson', depth: 100_000 } });
    const { icws } = await session();
    const error = await icws.connect({ base: server.base, userId: 'agent1', password: 'secret-password' }).catch((e: unknown) => e);
    expect((error as IcwsProtocolError).problem).toEqual({ kind: 'tooDeep', maxDepth: 64 });
  });

  it('an error page is read only as far as its first 64 KB', async () => {
    const server = await hostile({ signIn: { kind: 'hugeBody', bytes: 50 * 1024 * 1024, status: 502, contentType: 'text/html' } });
    const { icws } = await session();
    const error = await icws.connect({ base: server.base, userId: 'agent1', password: 'secret-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IcwsHttpError);
    expect(server.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('HTML error pages built to be slow', () => {
  it('3 MB of unclosed <script> tags gives its sentence at once (the page is read linearly, and only its start)', async () => {
    const server = await hostile({ signIn: { kind: 'html', status: 500, html: `<html><body>${'<script>'.repeat(400_000)}</body></html>` } });
    const { companion } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    expect(expectError(result).message).toMatch(/^The CIC server had a problem and could not sign in\./);
  });

  it('a title is still found, and its markup and entities are not shown', async () => {
    const server = await hostile({
      signIn: { kind: 'html', status: 502, html: '<!DOCTYPE html><html><head><TITLE>Bad &amp; <b>broken</b> gateway</TITLE><script>var x = "<title>no</title>";</script></head></html>' },
    });
    const { companion } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    expect(expectError(result).message).toContain('CIC said: "Bad & broken gateway"');
  });
});

describe('a CSRF token that cannot be a header value', () => {
  it('is refused at sign-in with a sentence that says so, not as an unreachable server', async () => {
    const server = await hostile({
      signIn: { kind: 'wrongType', status: 201, contentType: 'application/json', body: JSON.stringify({ sessionId: 's1', csrfToken: 'bad\ntoken\u00e9', userID: 'agent1' }) },
    });
    const { companion } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    const error = expectError(result);
    expect(error.message).toContain('security (CSRF) token');
    expect(error.message).not.toContain('Could not reach');
  });
});

describe('a proxy that quotes the sign-in body back', () => {
  it('never shows the password in any encoding, to the agent or on the bridge', async () => {
    const password = 'Pa"ss\\wörd<&>%1';
    const server = await hostile({ signIn: { kind: 'echo', status: 400 } });
    const { companion, logs } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password, remember: false });
    const error = expectError(result);
    expect(error.message).toContain('Refused by the proxy');
    const forms = [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password), Buffer.from(password).toString('base64')];
    const seen = JSON.stringify({ result, state: await companion.handlers['state.get'](undefined), logs });
    for (const form of forms) expect(seen).not.toContain(form);
    expect(error.message).toContain('[redacted]');
  });
});

describe('answers of the wrong kind', () => {
  it('a sign-in redirected elsewhere (a proxy login page) reads as a wrong address', async () => {
    const server = await hostile({ signIn: { kind: 'redirect', status: 302, location: 'https://login.example/sso' } });
    const { companion } = await createTestCompanion();
    const result = await companion.handlers['session.signIn']({ server: server.base, userId: 'agent1', password: 'secret-password', remember: false });
    expect(expectError(result).message).toContain('did not answer like a CIC server (HTTP 302)');
  });

  it('a stream request answered with an HTML page as 200 is not taken for messages', async () => {
    const server = await hostile({ messages: { kind: 'wrongType', status: 200, contentType: 'text/html', body: '<html><title>Sign in</title></html>' } });
    const { failures, messages } = await pump(server);
    const failure = await waitFor(() => failures[0], 'the pump to give up on the page');
    expect(failure).toBeInstanceOf(IcwsProtocolError);
    expect(messages).toEqual([]);
  });

  it('a stream request answered with the poll array (a server without SSE) delivers its messages and polls on', async () => {
    const server = await hostile({ messages: { kind: 'wrongType', status: 200, contentType: 'application/json', body: '[{"__type":"urn:x","isDelta":false}]' } });
    const { messages, messagePump } = await pump(server);
    await waitFor(() => messages.length >= 2, 'two polls delivered');
    expect(messagePump.mode).toBe('poll');
  });
});
