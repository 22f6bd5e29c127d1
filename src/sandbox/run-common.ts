/**
 * Pieces every backend shares: turning a RunRequest into a shell command (+ the code file), the
 * errors a run can throw, and the note for a run killed by the memory limit.
 */
import type { RunRequest } from './sandbox.ts';
import { languageRecipe, supportedLanguages } from './languages.ts';
import type { WorkFile } from './snapshot.ts';

/** A sandbox could not run at all (image missing, engine gone, bad request); the message says what to do. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** The error a run rejects with when its AbortSignal fires (name `AbortError`). */
export function abortError(): Error {
  const error = new Error('the run was cancelled');
  error.name = 'AbortError';
  return error;
}

/** True for the error `abortError()` makes (or any AbortError). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The shell command to run and any file to add to the work dir (the code of a code+language run). */
export function resolveRun(request: RunRequest): { command: string; extra: WorkFile[] } {
  if (request.code != null) {
    const language = request.language ?? '';
    const recipe = languageRecipe(language);
    if (!recipe) {
      throw new SandboxError(`unsupported language '${language}': use one of ${supportedLanguages.join(', ')}, or give a shell command instead`);
    }
    const extra: WorkFile[] = [{ path: recipe.file, content: Buffer.from(request.code, 'utf8'), executable: false }];
    // A command given with code replaces the recipe's (e.g. custom flags); the code file is still written.
    const command = request.command?.trim() ? request.command : recipe.command;
    return { command, extra };
  }
  if (!request.command || request.command.trim() === '') throw new SandboxError('nothing to run: give a command, or code and a language');
  return { command: request.command, extra: [] };
}

/** Appended to stderr when a run died from SIGKILL without timing out. */
export function killedNote(memoryMb: number): string {
  return `\n[assist: the run was killed (SIGKILL, exit 137): most likely it went over the memory limit of ${memoryMb} MB]\n`;
}
