/**
 * One declaration (src/config/schema.ts) gives the type, the defaults, the validator and the docs.
 * The README's "Configure" table is the generated one: to accept a change, regenerate it with
 * ASSIST_UPDATE_SNAPSHOTS=1 and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docMarkers, renderConfigDoc } from '../../src/config/doc.ts';
import type { McpServersSetting } from '../../src/config/mcp-servers.ts';
import { defaults, settings, topLevelSettings, type ApprovalMode, type Config, type ModelBackend, type SandboxBackend } from '../../src/config/schema.ts';
import { checkLayer } from '../../src/config/validate.ts';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

test("the README's config table is the one generated from the declaration", () => {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(docMarkers.start);
  const end = text.indexOf(docMarkers.end);
  assert.ok(start >= 0 && end > start, `README.md has the markers ${docMarkers.start} ... ${docMarkers.end}`);
  const current = text.slice(start + docMarkers.start.length + 1, end);
  if (process.env.ASSIST_UPDATE_SNAPSHOTS === '1')
    writeFileSync(readme, text.slice(0, start + docMarkers.start.length + 1) + renderConfigDoc() + text.slice(end));
  else assert.equal(current, renderConfigDoc(), 'regenerate with ASSIST_UPDATE_SNAPSHOTS=1 npm test -- config/declaration');
  for (const [section, keys] of Object.entries(settings))
    for (const key of Object.keys(keys)) assert.ok(current.includes(`\`${section}.${key}\``), `${section}.${key} is documented`);
  for (const name of Object.keys(topLevelSettings)) assert.ok(current.includes(`| \`${name}\` |`), `${name} is documented`);
});

test('the defaults are the declared defaults, and every default passes its own check', () => {
  for (const [section, keys] of Object.entries(settings)) {
    for (const [key, setting] of Object.entries(keys)) {
      const value = (defaults as unknown as Record<string, Record<string, unknown>>)[section][key];
      assert.deepEqual(value, setting.default, `${section}.${key}`);
      assert.ok(setting.accepts(value), `${section}.${key}: the default is allowed`);
    }
    checkLayer({ [section]: (defaults as unknown as Record<string, unknown>)[section] }, 'defaults');
  }
  for (const [name, setting] of Object.entries(topLevelSettings)) {
    const value = (defaults as unknown as Record<string, unknown>)[name];
    assert.deepEqual(value, setting.default, name);
    assert.ok(setting.accepts(value), `${name}: the default is allowed`);
    checkLayer({ [name]: value }, 'defaults');
  }
});

test('the derived Config type keeps its public shape', () => {
  // Compile-time: these assignments fail `tsc` if a derived type drifts.
  const shape: {
    model: {
      backend: ModelBackend;
      name: string | null;
      modelsDir: string | null;
      contextSize: number;
      threads: number;
      gpu: 'auto' | false;
      temperature: number;
      maxTokens: number;
      timeoutMs: number;
    };
    openai: {
      baseUrl: string;
      model: string;
      apiKeyEnv: string;
      constraint: 'auto' | 'grammar' | 'json_schema' | 'json_object';
      timeoutMs: number;
      retries: number;
      maxResponseBytes: number;
    };
    agent: {
      approvalMode: ApprovalMode;
      maxSteps: number;
      maxAttempts: number;
      actionFormat: 'text' | 'json';
      autoTest: 'auto' | 'on' | 'off';
      infillRepair: boolean;
      wholeFileLines: number;
      lint: 'auto' | 'on' | 'off';
    };
    sandbox: { backend: SandboxBackend; image: string; timeoutMs: number; memoryMb: number; cpus: number; pids: number; outputLimitBytes: number };
    index: { enabled: boolean; maxFileBytes: number; mapTokens: number };
    tests: { command: string | null };
    lint: Record<'python' | 'javascript' | 'typescript' | 'go' | 'c' | 'cpp' | 'ruby' | 'bash', string | null | false>;
    git: { autoCommit: boolean };
    secrets: { patterns: string[] };
    mcpServers: McpServersSetting;
  } = defaults;
  const back: Config = shape;
  assert.equal(back, defaults);
});
