/**
 * read_file for files too large or too minified to show as numbered lines: they are read in
 * bounded slices, never whole. A huge file is read from disk only as far as the requested lines
 * (a scan with a fixed-size buffer); a minified file (lines of thousands of characters) is shown
 * in windows of `windowChars`, which `startLine`/`endLine` then count. Each result ends with a note
 * saying how to read on.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { formatBytes, kindOfHead, headBytes } from '../src/index/file-kind.ts';
import { toolError, type ToolResult } from './tool.ts';

/** Files up to this size are read whole (as numbered lines); larger ones in slices. */
export const readWholeMaxBytes = 2 * 1024 * 1024;
/** One window of a minified file. */
export const windowChars = 4000;

/** What read_file asks for: 1-based, inclusive; `null` for the defaults. */
export interface SliceRequest {
  rel: string;
  startLine: number | null;
  endLine: number | null;
  /** Most lines in one page, and most characters in one result. */
  pageLines: number;
  pageChars: number;
  maxLineChars: number;
}

/** A text to cut windows from: the decoded text of a file, or a huge file on disk. */
interface WindowSource {
  /** Length in the window unit (characters, or bytes on disk). */
  length: number;
  unit: 'characters' | 'bytes';
  read(start: number, length: number): string;
}

/**
 * A huge file (over `readWholeMaxBytes`): refused when binary, windows when minified, else the
 * requested lines found by scanning from the start with a bounded buffer.
 */
export function readHugeFile(abs: string, size: number, request: SliceRequest): ToolResult {
  const fd = openSync(abs, 'r');
  try {
    const head = Buffer.alloc(Math.min(headBytes, size));
    const got = readSync(fd, head, 0, head.length, 0);
    const kind = kindOfHead(head.subarray(0, got));
    const what = `${request.rel} is ${formatBytes(size)}, too large to read whole`;
    switch (kind) {
      case 'binary':
        return toolError('binary', `${request.rel} is a binary file (it contains NUL bytes); it cannot be read or edited as text.`);
      case 'minified':
        return readWindows(fileWindows(fd, size), request, `${what}, and minified (very long lines)`);
      case 'text':
        return readHugeLines(fd, size, request, what);
      default:
        return kind satisfies never;
    }
  } finally {
    closeSync(fd);
  }
}

/** A minified text already in memory (a file under `readWholeMaxBytes` whose lines are too long to number). */
export function readMinifiedText(text: string, request: SliceRequest): ToolResult {
  const source: WindowSource = { length: text.length, unit: 'characters', read: (start, length) => text.slice(start, start + length) };
  const lines = text.split('\n').length;
  return readWindows(source, request, `${request.rel} is minified (${lines} line${lines === 1 ? '' : 's'} of up to thousands of characters)`);
}

function fileWindows(fd: number, size: number): WindowSource {
  return {
    length: size,
    unit: 'bytes',
    read(start, length) {
      // a little more on both sides, to start and end on whole UTF-8 characters
      const from = Math.max(0, start - 3);
      const buffer = Buffer.alloc(Math.min(length + 6, size - from));
      const got = readSync(fd, buffer, 0, buffer.length, from);
      let begin = start - from;
      while (begin < got && (buffer[begin] & 0xc0) === 0x80) begin++;
      let end = Math.min(got, start - from + length);
      while (end < got && (buffer[end] & 0xc0) === 0x80) end++;
      return buffer.toString('utf8', begin, end);
    },
  };
}

/** Windows `startLine`..`endLine` of a source, at most `pageChars` characters. */
function readWindows(source: WindowSource, request: SliceRequest, what: string): ToolResult {
  const total = Math.max(1, Math.ceil(source.length / windowChars));
  const start = request.startLine ?? 1;
  if (!Number.isInteger(start) || start < 1) return toolError('invalid_args', `startLine must be 1 or more (got ${start}).`);
  if (start > total)
    return toolError('invalid_args', `${request.rel} is shown in ${total} windows of ${windowChars} ${source.unit}; startLine ${start} is past the end.`);
  const most = Math.max(1, Math.floor(request.pageChars / windowChars));
  let end = request.endLine !== null && Number.isInteger(request.endLine) && request.endLine >= start ? request.endLine : start + most - 1;
  end = Math.min(end, total, start + most - 1);
  const from = (start - 1) * windowChars;
  const to = Math.min(source.length, end * windowChars);
  const text = source.read(from, to - from);
  const header =
    `${what}: shown in windows of ${windowChars} ${source.unit}, which startLine/endLine count here. Windows ${start}-${end} of ${total} ` +
    `(${source.unit} ${from}-${to - 1}):`;
  const notes = [
    end < total
      ? `[Windows ${end + 1}-${total} follow. Call read_file with startLine ${end + 1} to read on, or search_code to find a text in it.]`
      : '[End of file.]',
  ];
  return { forModel: [header, text, ...notes].join('\n'), forUser: `${request.rel}: windows ${start}-${end} of ${total} (${what})` };
}

/**
 * Lines `startLine`.. of a huge text file, scanning from the start with a fixed buffer and keeping
 * only the requested lines (each cut at `maxLineChars`): memory stays bounded whatever the size.
 */
function readHugeLines(fd: number, size: number, request: SliceRequest, what: string): ToolResult {
  const start = request.startLine ?? 1;
  if (!Number.isInteger(start) || start < 1) return toolError('invalid_args', `startLine must be 1 or more (got ${start}).`);
  let end = request.endLine !== null && Number.isInteger(request.endLine) && request.endLine >= start ? request.endLine : start + request.pageLines - 1;
  end = Math.min(end, start + request.pageLines - 1);
  const decoder = new TextDecoder();
  const buffer = Buffer.alloc(256 * 1024);
  const out: string[] = [];
  let chars = 0;
  let lineNo = 1;
  let current = '';
  let cut = false;
  let position = 0;
  let done = false;
  const keep = (line: string, wasCut: boolean): boolean => {
    if (lineNo >= start) {
      const text = wasCut ? `${line.slice(0, request.maxLineChars)} [... line cut at ${request.maxLineChars} characters]` : line.replace(/\r$/, '');
      const rendered = `${lineNo}| ${text}`;
      if (chars + rendered.length > request.pageChars && out.length > 0) return false;
      out.push(rendered);
      chars += rendered.length + 1;
    }
    lineNo++;
    return lineNo <= end;
  };
  while (!done) {
    const got = readSync(fd, buffer, 0, buffer.length, position);
    if (got === 0) break;
    position += got;
    const piece = decoder.decode(buffer.subarray(0, got), { stream: position < size });
    let from = 0;
    for (;;) {
      const nl = piece.indexOf('\n', from);
      if (lineNo >= start && !cut) {
        current += piece.slice(from, nl < 0 ? piece.length : nl);
        if (current.length > request.maxLineChars) {
          current = current.slice(0, request.maxLineChars + 1);
          cut = true;
        }
      }
      if (nl < 0) break;
      if (!keep(current, cut)) {
        done = true;
        break;
      }
      current = '';
      cut = false;
      from = nl + 1;
    }
  }
  const atEnd = !done && position >= size;
  if (atEnd && (current !== '' || cut)) keep(current, cut);
  const last = start + out.length - 1;
  if (out.length === 0) return toolError('invalid_args', `${request.rel} has only ${lineNo - 1} lines; startLine ${start} is past the end.`);
  const moreFollow = !atEnd || last < lineNo - 1;
  const header = `${request.rel} (lines ${start}-${last}; ${what}, so it is read in slices${moreFollow ? '' : `; ${lineNo - 1} lines in all`})`;
  const note = moreFollow ? `[More lines follow. Call read_file with startLine ${last + 1} to read on, or search_code to find a line.]` : '[End of file.]';
  return { forModel: [header, ...out, note].join('\n'), forUser: header };
}
