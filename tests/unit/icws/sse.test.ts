import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../../main/icws/sse';

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
