/** A ScriptedModel from a JSON file of actions (or `{ steps, contextSize, name }`), for the scripted CLI of the tests. */
import { readFileSync } from 'node:fs';
import type { Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';

export function scriptedModelFromFile(file: string): ScriptedModel {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Action[] | { steps: Action[]; contextSize?: number; name?: string };
  const script = Array.isArray(value) ? { steps: value } : value;
  if (!Array.isArray(script.steps)) throw new Error(`${file}: expected an array of actions or { "steps": [...] }.`);
  return new ScriptedModel(script.steps, { ...(script.contextSize ? { contextSize: script.contextSize } : {}), name: script.name ?? 'scripted (test)' });
}
