/**
 * Prompt texts live in `prompts/*.txt` so they can be read and tuned without touching code.
 * `{{name}}` placeholders are filled by `renderPrompt`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolForRole, type Tool } from '../../tools/tool.ts';
import type { ActionFormat, ActionProtocol } from '../model/action-protocol.ts';
import { fenceMarker, headerArgNames } from '../model/action-text.ts';

/** Every prompt file the agent uses. */
export const promptNames = [
  'system',
  'format-json',
  'format-text',
  'form-fence',
  'form-search-replace',
  'form-file-changes',
  'code-blocks-header',
  'example',
  'ask',
  'ask-example',
  'run',
  'last-step',
  'tools-header',
  'instructions-header',
  'commit-message',
] as const;
export type PromptName = (typeof promptNames)[number];

const promptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');
const cache = new Map<PromptName, string>();

/** The text of `prompts/<name>.txt`, trailing whitespace trimmed. */
export function loadPrompt(name: PromptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(promptsDir, `${name}.txt`), 'utf8').trimEnd();
    cache.set(name, text);
  }
  return text;
}

/** A prompt with `{{key}}` replaced by `values[key]`; an unknown key is an error (a typo in a prompt file). */
export function renderPrompt(name: PromptName, values: Record<string, string>): string {
  return loadPrompt(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`prompts/${name}.txt uses {{${key}}}, which nobody fills in.`);
    return values[key];
  });
}

/** The system prompt for actions written in `format`. */
export function systemPrompt(format: ActionFormat): string {
  return renderPrompt('system', { format: loadPrompt(`format-${format}`) });
}

/**
 * The worked example shown after the tool list of a read-only session (small models copy
 * examples); empty when the session can write, since a write example there makes a small model
 * overwrite files on questions (see `createHint`).
 */
export function exampleFor(tools: ReadonlyArray<Pick<Tool<any>, 'effect'>>): string {
  return tools.some((t) => t.effect === 'read') && !tools.some((t) => t.effect === 'edit') ? loadPrompt('ask-example') : '';
}

/**
 * The start of an action that writes `file`: the real path, the content left open for the model.
 * A complete worked example made small models copy its path and content verbatim; the thought
 * says the whole plan (write, then run), since a model may copy it into later steps.
 */
export function writeStart(tools: ReadonlyArray<Tool<any>>, file: string, protocol?: ActionProtocol): string {
  const create = toolForRole(tools, 'createFile');
  if (!create) return '';
  const action = { thought: `I write ${file} with the complete code, then run it.`, tool: create.tool.name, args: create.call(file) };
  if (protocol?.format === 'text' && create.tool.text?.form === 'fence') {
    // the header and the opening of the block; the code is left to the model
    return protocol
      .render({ ...action, args: { ...action.args, [create.tool.text.arg]: '' } })
      .slice(0, -fenceMarker.length)
      .trimEnd();
  }
  const json = JSON.stringify(action);
  return json.slice(0, json.length - '"}}'.length);
}

/**
 * The note added to a request that names files which do not exist yet ("Create hello.py ..."):
 * start by writing them, with the start of that first action (see `writeStart`).
 */
export function createHint(tools: ReadonlyArray<Tool<any>>, missingFiles: readonly string[], protocol?: ActionProtocol): string {
  const name = (role: 'createFile' | 'runCommand') => toolForRole(tools, role)?.tool.name ?? '';
  return renderPrompt('example', {
    files: missingFiles.join(', '),
    start: writeStart(tools, missingFiles[0], protocol),
    create: name('createFile'),
    run: name('runCommand'),
  });
}

type DescribedTool = Pick<Tool<any>, 'name' | 'description' | 'schema' | 'text' | 'example' | 'jsonNote'>;

/**
 * One line per tool: `- name: description; args: a (string), b (integer or null)`. In the text
 * protocol the block argument is left out of the args and each form of block gets an example.
 */
export function describeTools(tools: ReadonlyArray<DescribedTool>, protocol?: ActionProtocol): string {
  const text = protocol?.format === 'text';
  const lines = tools.map((tool) => {
    const names = new Set(text ? headerArgNames(tool) : Object.keys(tool.schema.properties ?? {}));
    const props = Object.entries(tool.schema.properties ?? {})
      .filter(([key]) => names.has(key))
      .map(([key, value]) => {
        const note = (value as { description?: unknown }).description;
        return `${key} (${describeType(value)}${typeof note === 'string' && note ? `: ${note.trim().replace(/\.$/, '')}` : ''})`;
      });
    const block = text && tool.text ? ` Then the ${tool.text.arg} as a block (see "Code blocks").` : '';
    const note = !text && tool.jsonNote ? ` ${tool.jsonNote}` : '';
    return `- ${tool.name}: ${tool.description.trim()}${note} Args: ${props.length ? props.join(', ') : 'none'}.${block}`;
  });
  lines.push('- answer: reply to the user and end the turn. Args: text (string).');
  const out = `${loadPrompt('tools-header')}\n${lines.join('\n')}`;
  if (!text) return out;
  const forms = tools
    .filter((t) => t.text && t.example)
    .map((t) =>
      renderPrompt(`form-${t.text!.form}`, {
        tool: t.name,
        arg: t.text!.arg,
        example: protocol!.render({ thought: t.example!.thought, tool: t.name, args: t.example!.args }),
      }),
    );
  return forms.length ? `${out}\n\n${loadPrompt('code-blocks-header')}\n${forms.join('\n')}` : out;
}

function describeType(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return 'any';
  const s = schema as { type?: string | string[]; enum?: unknown[]; const?: unknown; items?: unknown; oneOf?: unknown[]; anyOf?: unknown[] };
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join('|')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return variants.map(describeType).join(' or ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types.map((t) => (t === 'array' ? `array of ${describeType(s.items)}` : t)).join(' or ') || 'any';
}
