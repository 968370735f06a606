import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../main/icws/json';
import { SseLimitError, SseParser, type SseEvent } from '../../../main/icws/sse';

function feed(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const parser = new SseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, parser };
}

const stream = 'id: 1\ndata: {"__type":"a","isDelta":false}\n\n:ping\n\nid: 2\ndata: {"__type":"b","isDelta":true}\n\n';

describe('SseParser', () => {
  it('parses events, ids and ignores comments', () => {
    const { events, parser } = feed([stream]);
    expect(events.map((e) => e.data)).toEqual(['{"__type":"a","isDelta":false}', '{"__type":"b","isDelta":true}']);
    expect(events.map((e) => e.lastEventId)).toEqual(['1', '2']);
    expect(events.every((e) => e.type === 'message')).toBe(true);
    expect(parser.comments).toBe(1);
  });

  it('gives the same events however the stream is split, even one character at a time', () => {
    const whole = feed([stream]).events;
    for (let cut = 1; cut < stream.length; cut++) {
      expect(feed([stream.slice(0, cut), stream.slice(cut)]).events).toEqual(whole);
    }
    expect(feed([...stream]).events).toEqual(whole);
  });

  it('accepts CRLF and lone CR line ends, including a CRLF split between chunks', () => {
    const crlf = stream.replace(/\n/g, '\r\n');
    const cr = stream.replace(/\n/g, '\r');
    const expected = feed([stream]).events;
    expect(feed([crlf]).events).toEqual(expected);
    expect(feed([cr]).events).toEqual(expected);
    for (let cut = 1; cut < crlf.length; cut++) expect(feed([crlf.slice(0, cut), crlf.slice(cut)]).events).toEqual(expected);
    expect(feed(['data: x\r', '\n', '\r', '\n']).events.map((e) => e.data)).toEqual(['x']);
  });

  it('joins multi-line data with newlines and strips exactly one leading space', () => {
    const { events } = feed(['data: line one\ndata:line two\ndata:  indented\n\n']);
    expect(events[0]?.data).toBe('line one\nline two\n indented');
  });

  it('reads event names, retry, fields without a colon and a leading BOM', () => {
    const { events, parser } = feed(['\uFEFFevent: custom\nretry: 1500\ndata\n\nretry: soon\ndata: x\n\n']);
    expect(events).toEqual([
      { type: 'custom', data: '', lastEventId: '' },
      { type: 'message', data: 'x', lastEventId: '' },
    ]);
    expect(parser.retry).toBe(1500);
  });

  it('dispatches nothing for a block without data and drops an unfinished event at the end', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\n\n: just a comment\n\ndata: half')).toEqual([]);
    parser.end();
    expect(parser.push('\n\n')).toEqual([]);
  });
});

describe('SseParser bounds', () => {
  const limits = { maxLineChars: 1000, maxEventChars: 3000 };

  it('refuses a line that outgrows the bound, however it is split, and keeps nothing of it', () => {
    const parser = new SseParser(limits);
    expect(parser.push(`data: ${'x'.repeat(500)}`)).toEqual([]);
    expect(() => parser.push('x'.repeat(600))).toThrow(SseLimitError);
    // The parser starts clean: the next event is whole and alone.
    expect(parser.push('\ndata: {"__type":"a"}\n\n').map((e) => e.data)).toEqual(['{"__type":"a"}']);
    expect(() => new SseParser(limits).push(`data: ${'x'.repeat(2000)}\n`)).toThrow(/line grew past 1000 characters/);
  });

  it('refuses an event whose data lines never end it', () => {
    const parser = new SseParser(limits);
    const line = `data: ${'y'.repeat(900)}\n`;
    expect(() => {
      for (let i = 0; i < 10; i++) parser.push(line);
    }).toThrow(/event grew past 3000 characters/);
  });

  it('counts complete lines, so a drip that never ends one can be told from a live stream', () => {
    const parser = new SseParser(limits);
    parser.push(':');
    parser.push(':');
    expect(parser.lines).toBe(0);
    parser.push('ping\n');
    expect(parser.lines).toBe(1);
  });

  it('lets the biggest real event through with the default bounds', () => {
    const mailbox = JSON.stringify({ __type: 'urn:x', voicemailMessages: Array.from({ length: 10_000 }, (_, i) => ({ id: `vm-${i}`, from: 'x'.repeat(300) })) });
    expect(new SseParser().push(`data: ${mailbox}\n\n`).map((e) => e.data.length)).toEqual([mailbox.length]);
  });
});

describe('JSON depth', () => {
  it('refuses nesting deeper than CIC uses without parsing it, and ignores brackets inside strings', () => {
    expect(parseJson(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`)).toEqual({ ok: false, reason: 'tooDeep' });
    expect(parseJson(`{"a":"${'['.repeat(500)}\\"["}`)).toEqual({ ok: true, value: { a: `${'['.repeat(500)}"[` } });
    expect(parseJson(`${'['.repeat(64)}${']'.repeat(64)}`).ok).toBe(true);
    expect(parseJson('{"a":')).toEqual({ ok: false, reason: 'invalid' });
  });
});
