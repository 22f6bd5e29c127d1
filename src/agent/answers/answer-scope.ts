/**
 * Answers to a question that miss the code it asks for, sent back once (the ledger sees to once).
 * An answer that names code outside the folder the question asks about. "Which function in the
 * data layer (src/db) ends up changing that booking?" was answered `cancelBooking` (the service in
 * src/services that calls the one asked for) with the whole chain read in front of the model. The
 * index says where each name the answer gives is defined; when none of them is in a folder the
 * question names, the answer goes back once with what the named function calls in that folder.
 * And an answer that names no function of the project's, or no environment variable, where the
 * question asks for one.
 */
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { calledNames } from '../../../tools/callees-note.ts';
import { foldersNamedIn } from './call-trace.ts';
import { identifiersIn } from '../project-context.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

/** Callees listed at most. */
const maxListed = 4;

const inFolder = (file: string, folders: readonly string[]) => folders.some((f) => file.startsWith(`${f}/`));

/** Functions and methods the index defines for `name`, outside the tests. */
function functionsNamed(index: RepoIndex, name: string): SymbolDef[] {
  try {
    return index.symbols(name, { maxRefs: 0 }).defs.filter((d) => (d.kind === 'function' || d.kind === 'method') && !isTestPath(d.path));
  } catch {
    return [];
  }
}

/**
 * The note that sends `answer` back, or undefined: when `question` names folders of the project,
 * the answer names functions the index knows, and none of them is defined in those folders.
 * `textOf` gives a file's text (to list what the named function calls there).
 */
export async function answerOutsideFolders(
  question: string,
  answer: string,
  index: RepoIndex | undefined,
  textOf: (path: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (!index) return undefined;
  let files: string[] = [];
  try {
    files = index.files();
  } catch {
    return undefined;
  }
  const folders = foldersNamedIn(question, files);
  if (folders.length === 0) return undefined;
  const named = identifiersIn(answer).flatMap((name) => functionsNamed(index, name));
  if (named.length === 0 || named.some((d) => inFolder(d.path, folders))) return undefined;
  const first = named[0];
  const where = folders.join(' or ');
  const body = ((await textOf(first.path)) ?? '')
    .split('\n')
    .slice(first.line - 1, first.endLine)
    .join('\n');
  const callees = calledNames(body)
    .flatMap((name) => functionsNamed(index, name).filter((d) => inFolder(d.path, folders)))
    .slice(0, maxListed)
    .map((d) => `${d.name} (${d.path}:${d.line})`);
  const next = callees.length
    ? `In ${where}, ${first.name} calls ${callees.join(', ')}: answer with the one that does what the question asks.`
    : `Follow what ${first.name} calls down to ${where}, and answer with the function there.`;
  return `[Not yet: \`${first.name}\` is defined in ${first.path}, outside ${where}, which the question asks about. ${next}]`;
}

/** What a question asks for, how it says so, and whether an answer gives one. */
interface AskedPart {
  what: string;
  asked: RegExp;
  given(answer: string, index: RepoIndex): boolean;
}

const wordsIn = (answer: string) => new Set(answer.match(/[A-Za-z_$][\w$]*/g) ?? []);

/**
 * Whether `answer` names a function of the project: as code (`page_params`, parsePageQuery,
 * `index`, checkout()), a plain word said to be one ("the checkout function") or named with its file
 * ("add in calc.py"), or the whole answer ("add."). A plain word among others is not:
 * pyapp-question-page-size's "The maximum number of entries … is determined by the `max_page_size`
 * setting" passed for naming one because the CLI has a command `entries`.
 */
function namesFunction(answer: string, index: RepoIndex): boolean {
  const isFunction = (w: string) => w.length >= 3 && functionsNamed(index, w).length > 0;
  if (identifiersIn(answer).some(isFunction)) return true;
  // (an answer that is the name and nothing else)
  if (isFunction(answer.trim().replace(/^[`'"]+|[`'".!()]+$/g, ''))) return true;
  const saidToBe = (w: string) => {
    const n = escapeRegex(w);
    return new RegExp(String.raw`\b(?:function|method)\s+${n}\b|\b${n}\s+(?:function|method)\b|\b${n}\s+(?:in|of|at|from)\s+[\w./-]+\.\w+`, 'i');
  };
  return [...wordsIn(answer)].some((w) => isFunction(w) && saidToBe(w).test(answer));
}

/**
 * Arithmetic left undone: `4 * KB`, `60*60`, `(1 + TAX_RATE)`; not a path (`src/db`) or a range (`10-20`).
 * c-question-bufsize ("What is the numeric value of the macro BUF_SIZE?") was answered `4 * KB` with
 * `#define KB 1024` shown.
 */
const expression = /[\w.)]\s+[*/+]\s+[\w.(]|\d\s*[*+]\s*\d|\d\s*\*\s*[A-Za-z_(]|[A-Za-z_)]\w*\s*\*\s*\d/;
const numeral = /\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/i;

const askedParts: readonly AskedPart[] = [
  {
    what: 'function',
    asked: /\b(?:which|what) (?:\w+ )?(?:function|method)s?\b|\bfunction'?s? names?\b|\bnames? of the (?:function|method)\b/i,
    given: (answer, index) => namesFunction(answer, index),
  },
  {
    what: 'environment variable',
    asked: /\b(?:which|what) (?:\w+ )?environment variables?\b/i,
    given: (answer) => /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/.test(answer),
  },
  {
    what: 'number',
    asked: /\bhow many\b|\b(?:with|just|only) the number\b|\bnumeric(?:al)? value\b|\bwhat number\b/i,
    given: (answer) => numeral.test(answer) && !expression.test(answer),
  },
];

/** The answer quoted for a note, cut short when long. */
const quoted = (answer: string) => JSON.stringify(answer.trim().length > 160 ? `${answer.trim().slice(0, 157)}...` : answer.trim());

/** The parts `question` asks for that `answer` does not give. */
function missingParts(question: string, answer: string, index: RepoIndex): AskedPart[] {
  return askedParts.filter((p) => p.asked.test(question) && !p.given(answer, index));
}

/**
 * The turn's answer with an earlier answer of the turn (sent back) before it, when the earlier one
 * gives a part the question asks for that the last one dropped: sent back for naming no function,
 * pyapp-question-page-size's "The maximum number of entries in a response is 200." came back as
 * "The function `page_params` … is capped at the `max_page_size` setting", without the 200. Unchanged
 * when the answer gives all it is asked for, or no earlier answer gives more.
 */
export function withEarlierParts(question: string, answer: string, earlier: readonly string[], index: RepoIndex | undefined): string {
  if (!index) return answer;
  const missing = missingParts(question, answer, index).length;
  if (missing === 0) return answer;
  for (const before of [...earlier].reverse()) {
    const both = `${before.trim()}\n${answer}`;
    if (before.trim() && missingParts(question, both, index).length < missing) return both;
  }
  return answer;
}

/**
 * The note that sends back an answer to a question that asks for code by name (a function, an
 * environment variable) or for a number, and gives none: pyapp-question-page-size ("which function
 * applies that limit? Answer with the number and the function name") was answered with the number
 * and the setting, `max_page_size`; ts-question-page-size ("how many bookings does one page hold …
 * And which environment variable would change that number?") with the number alone; c-question-bufsize
 * with `4 * KB` for a number. The note quotes the answer and asks to keep what it gives: sent back
 * with "answer again with everything", pyapp-question-page-size's "200" came back as a sentence
 * copied from a docstring, without the 200. Undefined when the answer gives all it is asked for, or
 * without an index.
 */
export function answerMissingParts(question: string, answer: string, index: RepoIndex | undefined): string | undefined {
  if (!index) return undefined;
  const missing = missingParts(question, answer, index).map((p) => p.what);
  if (missing.length === 0) return undefined;
  if (missing.length === 1 && missing[0] === 'number' && numeral.test(answer))
    return `[Not yet: the question asks for a number, and your answer ${quoted(answer)} is arithmetic left undone. Work it out from the values shown above and answer with the number.]`;
  const names = missing.map((what) => `the ${what}`).join(' and ');
  const none = missing.length > 1 ? 'gives neither' : missing[0] === 'number' ? 'gives none' : 'names none as the code writes it';
  return `[Not yet: the question asks for ${names}, and your answer ${quoted(answer)} ${none}. Answer again with what your answer gives and ${names} too.]`;
}

/**
 * The answer a question's step gave, with its thought when the thought ran into its length bound
 * and the answer reads on from it: ts-question-cancel-path's thought traced the calls down to
 * "The `markBookingCancelled` function in src/db/bookings-repo.ts is responsible for this update …
 * The changes are not" (600 characters), and its answer was "not written to the file yet.", twice.
 * An answer that opens in lower case after a thought cut at `maxThought` characters is that
 * thought's end, not an answer of its own.
 */
export function answerRunOn(thought: string, answer: string, maxThought: number): string {
  // (the bound counts the thought as written, escapes and all; its text may be a little shorter)
  const cut = thought.length >= maxThought - 10;
  return cut && /^\s*[a-z]/.test(answer) ? `${thought.trim()} ${answer.trim()}` : answer;
}
