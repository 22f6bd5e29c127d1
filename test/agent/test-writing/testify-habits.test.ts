/**
 * testify's assertions in a Go module without testify are written with the standard library: the
 * text is checked here, and the whole way through the agent loop on a scripted model (only the loop
 * is under test) in a real Go module whose tests run in the real sandbox, with the test file code
 * completion sampled in go-add-test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { splitArguments, testifyFix } from '../../../src/agent/test-writing/testify-habits.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: `I use ${tool}.`, tool, args });

const missing =
  'FAIL\texample.com/clamp [setup failed]\nFAIL\n\n# example.com/clamp\nclamp_test.go:9:2: no required module provides package github.com/stretchr/testify/assert; to add it:\n\tgo get github.com/stretchr/testify/assert\n';

/** The file code completion wrote in go-add-test (sample 1): testify, `fmt` not imported, the external test package. */
const sampled =
  'package clamp_test\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n)\n\nfunc TestClamp(t *testing.T) {\n\ttestCases := []struct {\n\t\tv    int\n\t\tlo   int\n\t\thi   int\n\t\twant int\n\t}{\n\t\t{v: -10, lo: 0, hi: 10, want: 0},\n\t\t{v: 5, lo: 0, hi: 10, want: 5},\n\t\t{v: 15, lo: 0, hi: 10, want: 10},\n\t}\n\n\tfor _, tc := range testCases {\n\t\tt.Run(fmt.Sprintf("v=%d, lo=%d, hi=%d", tc.v, tc.lo, tc.hi), func(t *testing.T) {\n\t\t\tgot := Clamp(tc.v, tc.lo, tc.hi)\n\t\t\tassert.Equal(t, tc.want, got, "Clamp(%d, %d, %d) = %d, want %d", tc.v, tc.lo, tc.hi, got, tc.want)\n\t\t})\n\t}\n}\n';

test("a call's arguments split at its top-level commas only", () => {
  assert.deepEqual(splitArguments('t, f(a, b), "x, y", \'"\', []int{1, 2}, `raw, "`'), ['t', 'f(a, b)', '"x, y"', "'\"'", '[]int{1, 2}', '`raw, "`']);
  assert.equal(splitArguments('t, f(a'), undefined);
  assert.equal(splitArguments('t, "open'), undefined);
});

test('testify assertions become standard-library checks: the failing condition, t.Errorf or t.Fatalf, its own message kept', () => {
  const fixed = testifyFix(sampled, missing, 'module example.com/clamp\n\ngo 1.21\n');
  assert.ok(fixed);
  assert.match(fixed.what, /1 testify assertion with the standard library/);
  assert.equal(
    fixed.text,
    sampled
      .replace('import (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n)', 'import (\n\t"reflect"\n\t"testing"\n\n)')
      .replace(
        '\t\t\tassert.Equal(t, tc.want, got, "Clamp(%d, %d, %d) = %d, want %d", tc.v, tc.lo, tc.hi, got, tc.want)',
        '\t\t\tif !reflect.DeepEqual(tc.want, got) {\n\t\t\t\tt.Errorf("Clamp(%d, %d, %d) = %d, want %d", tc.v, tc.lo, tc.hi, got, tc.want)\n\t\t\t}',
      ),
  );
  const many =
    'package calc\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n\t"github.com/stretchr/testify/require"\n)\n\nfunc TestDiv(t *testing.T) {\n\tq, err := Div(6, 3)\n\trequire.NoError(t, err)\n\tassert.True(t, q%2 == 0)\n\tassert.Len(t, []int{q}, 1)\n\t_, err = Div(1, 0)\n\tassert.Error(t, err)\n}\n';
  const both = testifyFix(many, missing.replace('testify/assert;', 'testify/require;'), undefined);
  assert.equal(
    both?.text,
    'package calc\n\nimport (\n\t"testing"\n\n)\n\nfunc TestDiv(t *testing.T) {\n\tq, err := Div(6, 3)\n\tif err != nil {\n\t\tt.Fatalf("unexpected error: %v", err)\n\t}\n\tif !(q%2 == 0) {\n\t\tt.Errorf("q%%2 == 0 is false")\n\t}\n\tif len([]int{q}) != 1 {\n\t\tt.Errorf("got length %d, want %d", len([]int{q}), 1)\n\t}\n\t_, err = Div(1, 0)\n\tif err == nil {\n\t\tt.Errorf("expected an error, got none")\n\t}\n}\n',
  );

  // a file that imports testify and uses none of it loses the import
  const unused = testifyFix(sampled.replace(/\t\t\tassert\.Equal\(.*\n/, ''), missing, undefined);
  assert.match(unused?.what ?? '', /removed its import of testify/);
  assert.doesNotMatch(unused?.text ?? '', /testify|reflect/);
  // a module that has testify, another failure, an assertion not in the table or over several lines: the model's
  assert.equal(testifyFix(sampled, missing, 'module m\n\nrequire github.com/stretchr/testify v1.9.0\n'), undefined);
  assert.equal(testifyFix(sampled, './clamp_test.go:6:12: undefined: Clamp\n', undefined), undefined);
  assert.equal(testifyFix(sampled.replace('assert.Equal(', 'assert.InDelta('), missing, undefined), undefined);
  assert.equal(testifyFix(sampled.replace('got, "Clamp', 'got,\n\t\t\t\t"Clamp'), missing, undefined), undefined);
});

test("a test file the model writes with testify, in a module without it, passes after the loop's certain fixes", async (t) => {
  const clamp =
    'package clamp\n\n// Clamp limits v to the range [lo, hi].\nfunc Clamp(v, lo, hi int) int {\n\tif v < lo {\n\t\treturn lo\n\t}\n\tif v > hi {\n\t\treturn hi\n\t}\n\treturn v\n}\n';
  const repo = await makeRepo({ 'go.mod': 'module example.com/clamp\n\ngo 1.21\n', 'clamp.go': clamp });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'clamp_test.go', content: sampled }), act('answer', { text: 'Added a test.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Add a Go test file clamp_test.go with tests for `Clamp` in clamp.go.');
  assert.equal(result.status, 'answered', result.text);
  const written = await fs.readFile(path.join(repo.root, 'clamp_test.go'), 'utf8');
  assert.doesNotMatch(written, /testify/);
  assert.match(written, /^package clamp\n/);
  assert.match(written, /"fmt"/);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /testify assertion with the standard library/, seen);
  assert.match(seen, /tests PASSED/, seen);
});
