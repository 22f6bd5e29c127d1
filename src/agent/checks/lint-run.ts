/**
 * Runs the checks of lint-checks.ts on the files a change wrote, in the session's sandbox and
 * through the same approval as any run, and turns what they found into a few lines for the model
 * (`file:line: message`, the changed files' first). A checker that is missing, cannot run, or
 * times out is told to the person once per session, never to the model; a missing one is not
 * tried again. Nothing here is an attempt: the agent counts runs of tests and code, not checks.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/schema.ts';
import type { ToolContext } from '../../../tools/tool.ts';
import { lintChecks, lintLanguageOf, shellQuote, type LintLanguage, type LintProject } from '../../sandbox/lint-checks.ts';
import { anyDiagnostics, type LintDiagnostic } from '../../languages/lint-output.ts';
import { languageRow } from '../../languages/languages.ts';
import { approvedRun } from '../../../tools/run-flow.ts';

/** Diagnostics shown to the model after one change, over all its languages. */
export const maxShownDiagnostics = 6;

/** What checking one change found. */
export interface LintOutcome {
  /** Lines for the model after the change's own text; '' when no check ran. */
  text: string;
  /** For the person: a checker missing, failing or timing out (each said once per session). */
  notices: string[];
  /** Everything found (project-relative files), the changed files' first. */
  diagnostics: LintDiagnostic[];
}

/** Printed by the probe when the checker is not installed (with exit status 127). */
const missingMarker = 'assist-lint: checker not installed';

/** The checks of one session: remembers what it already told the person and which checkers are missing. */
export class ChangeChecker {
  private readonly told = new Set<string>();
  private readonly missing = new Set<LintLanguage>();

  constructor(private readonly settings: Config['lint']) {}

  /** Checks `files` (project-relative, as written by an applied change) in `ctx`'s sandbox. */
  async check(files: readonly string[], ctx: ToolContext): Promise<LintOutcome> {
    const groups = new Map<LintLanguage, string[]>();
    for (const file of files) {
      const language = lintLanguageOf(file);
      if (!language || this.settings[language] === false || this.missing.has(language)) continue;
      groups.set(language, [...(groups.get(language) ?? []), file]);
    }
    const notices: string[] = [];
    const lines: string[] = [];
    const all: LintDiagnostic[] = [];
    let shown = 0;
    for (const [language, group] of groups) {
      if (ctx.signal.aborted) break;
      const found = await this.checkLanguage(language, group, ctx, notices);
      if (!found) continue;
      const ordered = orderDiagnostics(found.diagnostics, files);
      all.push(...ordered);
      if (!ordered.length) {
        lines.push(`Checked with ${found.tool}: no problems.`);
        continue;
      }
      const room = Math.max(1, maxShownDiagnostics - shown);
      const listed = ordered.slice(0, room);
      shown += listed.length;
      const more = ordered.length - listed.length;
      lines.push(
        `Checked with ${found.tool}: ${ordered.length} problem${ordered.length === 1 ? '' : 's'}:`,
        ...listed.map(formatDiagnostic),
        ...(more ? [`(and ${more} more)`] : []),
      );
    }
    return { text: lines.join('\n'), notices, diagnostics: all };
  }

  /** Runs one language's check; undefined when it did not run or its output cannot be read (a notice says why). */
  private async checkLanguage(
    language: LintLanguage,
    files: string[],
    ctx: ToolContext,
    notices: string[],
  ): Promise<{ tool: string; diagnostics: LintDiagnostic[] } | undefined> {
    const check = lintChecks[language];
    const own = this.settings[language];
    const custom = typeof own === 'string' ? own : undefined;
    const command = custom !== undefined ? custom.replaceAll('{files}', files.map(shellQuote).join(' ')) : check.command(files, projectOf(ctx));
    const tool = custom !== undefined ? custom.trim().split(/\s+/)[0] : check.tool;
    const what = `The ${languageRow(language).label} check after edits (${tool})`;
    const wrapped =
      custom !== undefined
        ? `{ ${command}\n} 2>&1`
        : `if ! { ${check.probe}; } >/dev/null 2>&1; then echo '${missingMarker}' >&2; exit 127; fi\n{ ${command}\n} 2>&1`;
    const tell = (key: string, message: string) => {
      if (this.told.has(key)) return;
      this.told.add(key);
      notices.push(message);
    };

    const outcome = await approvedRun(ctx, { command: wrapped }, command);
    if ('error' in outcome) {
      const error = outcome.error.error!;
      if (error.code === 'unavailable' || error.code === 'failed') tell('sandbox', `Edits are not checked: ${error.message}.`);
      return undefined;
    }
    const r = outcome.result;
    const output = [r.stdout, r.stderr].filter(Boolean).join('\n');
    if (r.timedOut) {
      tell(`timeout:${language}`, `${what} timed out; its result is not shown to the model.`);
      return undefined;
    }
    if (r.exitCode === 127 && (r.stderr.includes(missingMarker) || (custom !== undefined && /not found/.test(output)))) {
      this.missing.add(language);
      const fix = custom !== undefined ? `fix "lint.${language}" in your settings` : 'rebuild the sandbox image (`assist sandbox build`)';
      tell(
        `missing:${language}`,
        `${what} is not installed in the sandbox, so ${languageRow(language).label} edits are not checked: ${fix}, or set "lint": {"${language}": false}.`,
      );
      return undefined;
    }
    const diagnostics = (custom !== undefined ? anyDiagnostics(output) : check.parse(output)).map((d) => ({ ...d, file: projectPath(d.file, files) }));
    if (r.exitCode !== 0 && diagnostics.length === 0) {
      const first =
        output
          .split('\n')
          .find((l) => l.trim())
          ?.trim()
          .slice(0, 200) ?? `exit code ${r.exitCode}`;
      tell(`failed:${language}`, `${what} failed without a problem it could point at (${first}); its output is not shown to the model.`);
      return undefined;
    }
    return { tool, diagnostics };
  }
}

/** The project as the sandbox sees it: disk plus pending changes. */
function projectOf(ctx: ToolContext): LintProject {
  const snapshot = ctx.workspace.snapshot();
  return {
    has: (file) => (snapshot.overlay.has(file) ? snapshot.overlay.get(file) !== null : existsSync(path.join(snapshot.root, file))),
  };
}

/** A checker's path as a project-relative one: `./a.py` → `a.py`; `/work/src/a.js` → `src/a.js` when that is a checked file. */
export function projectPath(file: string, checked: readonly string[]): string {
  if (file.startsWith('./')) return path.posix.normalize(file);
  if (!file.startsWith('/')) return file;
  const match = checked.filter((f) => file.endsWith(`/${f}`)).sort((a, b) => b.length - a.length)[0];
  return match ?? file;
}

/** The changed files' diagnostics first (in the order of `changed`), then the others', each by line. */
function orderDiagnostics(diagnostics: LintDiagnostic[], changed: readonly string[]): LintDiagnostic[] {
  const rank = (file: string) => {
    const i = changed.indexOf(file);
    return i < 0 ? changed.length : i;
  };
  return [...diagnostics].sort(
    (a, b) => rank(a.file) - rank(b.file) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** `file:line: message`, one line, cut at 300 characters. */
export function formatDiagnostic(d: LintDiagnostic): string {
  const message = d.message.replace(/\s+/g, ' ');
  return `${d.file}:${d.line}: ${message.length > 300 ? `${message.slice(0, 297)}...` : message}`;
}
