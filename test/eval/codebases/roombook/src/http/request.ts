/**
 * Reading requests: the JSON body (with a size limit) and the query string.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './responses.ts';

/**
 * Reads and parses a JSON request body.
 *
 * @param limitBytes Largest body accepted; a larger one is refused without reading it all.
 * @throws {HttpError} 415 when the content type is not JSON, 413 when the body is too large, 400
 *   when it is empty or not valid JSON.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'the request body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The path and query string of a request URL. */
export function parseRequestUrl(req: IncomingMessage): { pathname: string; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://roombook.invalid');
  return { pathname: url.pathname, query: url.searchParams };
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, 'body_too_large', `the request body is larger than ${limitBytes} bytes`);
}
