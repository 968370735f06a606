/**
 * Response bodies read with a bound: nothing a server sends is trusted for size. A body past its bound is either cut
 * (an error page: its first bytes are all a sentence needs) or refused without reading further (anything the companion
 * would have to parse whole). Bounds are per kind of request, from what CIC really sends.
 */
export const BODY_LIMITS = {
  /** Sign-in and its feature list: a few kilobytes in CIC. */
  signIn: 1024 * 1024,
  /** A poll answer, or an SSE request answered as one: as big as one stream event may be (a 10,000-voicemail list). */
  messages: 16 * 1024 * 1024,
  /** Any other call (station, voicemail, Dialer): small objects. */
  call: 4 * 1024 * 1024,
  /** An error answer: the ICWS error object, or the first part of a proxy's page. */
  error: 64 * 1024,
} as const;

export type BodyKind = keyof typeof BODY_LIMITS;

/** The answer was bigger than its kind allows; nothing past the limit was read. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The body as text, at most `limitBytes` of it. `cut`: a longer body is cut at the limit; otherwise it is refused with
 * BodyTooLargeError, as soon as its declared length or the bytes read so far pass the limit. The rest is never read:
 * the stream is cancelled, so the connection closes instead of draining a gigabyte.
 */
export async function readBoundedText(response: Response, limitBytes: number, cut: boolean): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const body = response.body;
  if (!body) return '';
  if (!cut && Number.isFinite(declared) && declared > limitBytes) {
    await body.cancel().catch(() => {});
    throw new BodyTooLargeError(limitBytes);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.byteLength > limitBytes) {
        if (!cut) throw new BodyTooLargeError(limitBytes);
        chunks.push(value.subarray(0, limitBytes - total));
        total = limitBytes;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // A cut may split a UTF-8 sequence: the decoder replaces the broken end rather than failing.
  return new TextDecoder().decode(bytes);
}
