/**
 * How a text file is stored on disk (encoding, byte-order mark, line endings) and the conversion
 * between those bytes and the text the model sees (LF line endings, no BOM). Encoding the model's
 * text with the file's own format gives back the same bytes, so an edit keeps CRLF files CRLF and
 * BOM files BOM.
 */

/** The on-disk form of a text file. */
export interface TextFormat {
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  bom: boolean;
  /** `crlf` only when every line break is CRLF; mixed files are kept as they are (`lf`, no conversion). */
  eol: 'lf' | 'crlf';
}

/** The format of a new file. */
export const defaultTextFormat: TextFormat = { encoding: 'utf8', bom: false, eol: 'lf' };

/** Bytes that are text: the model's view plus how to write it back. */
export type DecodedText = { kind: 'text'; text: string; format: TextFormat } | { kind: 'binary'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes file bytes; NUL bytes (as ripgrep judges) or invalid UTF-8 make a file binary. */
export function decodeText(bytes: Uint8Array): DecodedText {
  let encoding: TextFormat['encoding'] = 'utf8';
  let bom = false;
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf16le';
    bom = true;
    text = new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf16be';
    bom = true;
    text = new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2));
  } else {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bom = true;
    const body = bom ? bytes.subarray(3) : bytes;
    if (body.includes(0)) return { kind: 'binary', reason: 'it contains NUL bytes' };
    try {
      text = utf8.decode(body);
    } catch {
      return { kind: 'binary', reason: 'it is not valid UTF-8 text' };
    }
  }
  if (encoding !== 'utf8' && text.includes('\0')) return { kind: 'binary', reason: 'it contains NUL characters' };
  const crlf = countOf(text, '\r\n');
  const lf = countOf(text, '\n');
  const eol = crlf > 0 && crlf === lf ? 'crlf' : 'lf';
  if (eol === 'crlf') text = text.replaceAll('\r\n', '\n');
  return { kind: 'text', text, format: { encoding, bom, eol } };
}

/** Encodes the model's text in a file's format. */
export function encodeText(text: string, format: TextFormat): Buffer {
  let body = format.eol === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text;
  if (format.bom) body = `\uFEFF${body}`;
  switch (format.encoding) {
    case 'utf8':
      return Buffer.from(body, 'utf8');
    case 'utf16le':
      return Buffer.from(body, 'utf16le');
    case 'utf16be':
      return Buffer.from(body, 'utf16le').swap16();
    default:
      return format.encoding satisfies never;
  }
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}
