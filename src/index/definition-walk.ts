/**
 * The matches of a language's definition query, found without visiting every node. A native
 * query cursor visits every node of the tree (~0.2 µs each; in Python most nodes are inside
 * expressions, which can hold no definition). This walk moves a tree cursor only into nodes
 * whose type can, per the grammar's node-types.json, contain a node where a pattern starts. Such
 * a start counts only if its direct children include the types its pattern needs, and the query
 * then runs once on the start's parent, limited to patterns starting there or one level down.
 * Both filters only rule out nodes where no pattern can match, so the matches are those of the
 * query over the whole tree (a test checks this for every language's fixtures). Used where
 * languages.ts sets `walkDefinitions`; elsewhere the one native query is cheaper.
 */
import { readFileSync } from 'node:fs';
import type Parser from 'tree-sitter';
import type { LoadedLanguage } from './languages.ts';
import { patternShapes, type StepTypes } from './query-shapes.ts';

/** The matches of `language.definitions` over `tree`, by the walk where the language uses it. */
export function definitionMatches(language: LoadedLanguage, tree: Parser.Tree): Parser.QueryMatch[] {
  return (language.walkDefinitions ? walkDefinitionMatches(language, tree) : null) ?? language.definitions.matches(tree.rootNode);
}

/** Bits of `WalkPlan.actions`. */
const resolved = 1;
const descend = 2;
const root = 4;
/** Node type ids are 16-bit (the error node is 0xFFFF). */
const typeIdCount = 0x10000;

interface WalkPlan {
  /** Per node type id: what the walk does at such a node (bits above); 0 until first seen. */
  actions: Uint8Array;
  /** Per node type id: the bits of the child steps (of any pattern) that a child of this type fills. */
  childBits: Int32Array;
  /** Per node type id of a pattern start: for each pattern starting there, the child bits it needs. */
  needs: Array<number[] | undefined>;
  /** Looks up a node type the first time the walk meets it; returns its actions. */
  resolve(id: number, type: string, named: boolean): number;
}

const plans = new Map<LoadedLanguage, WalkPlan | null>();

/** The walk's matches, or null when the query or the grammar cannot be planned for (the caller then runs the query). */
export function walkDefinitionMatches(language: LoadedLanguage, tree: Parser.Tree): Parser.QueryMatch[] | null {
  let plan = plans.get(language);
  if (plan === undefined) {
    plan = planWalk(language);
    plans.set(language, plan);
  }
  if (!plan) return null;
  const { actions, childBits, needs } = plan;
  const query = language.definitions;
  const matches: Parser.QueryMatch[] = [];
  const cursor = tree.walk();
  // one query per node whose children include pattern starts: it covers the node (depth 0) and
  // its children (depth 1), so class bodies and modules cost one call, not one per definition
  const collect = (maxStartDepth: number): void => {
    for (const match of query.matches(cursor.currentNode, { maxStartDepth })) matches.push(match);
  };
  // the nodes the cursor is inside: type id, child bits of the children passed so far, and how
  // many of those children are pattern starts left for this node's query
  const openIds: number[] = [];
  const openBits: number[] = [];
  const openStarts: number[] = [];
  let depth = 0;
  for (;;) {
    const id = cursor.nodeTypeId;
    const action = actions[id] || plan.resolve(id, cursor.nodeType, cursor.nodeIsNamed);
    if (action & descend && cursor.gotoFirstChild()) {
      if (depth > 0) openBits[depth - 1] |= childBits[id];
      openIds[depth] = id;
      openBits[depth] = 0;
      openStarts[depth] = 0;
      depth++;
      continue;
    }
    if (depth === 0) {
      // a tree that is one node
      if (action & root) collect(0);
      return matches;
    }
    openBits[depth - 1] |= childBits[id];
    // a pattern start whose children were not looked at: the query decides
    if (action & root) openStarts[depth - 1]++;
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      depth--;
      const parent = openIds[depth];
      const mayStart = (actions[parent] & root) !== 0 && needsMet(needs[parent], openBits[depth]);
      if (openStarts[depth] > 0) collect(1);
      else if (mayStart && depth === 0) collect(0);
      else if (mayStart) openStarts[depth - 1]++;
      if (depth === 0) return matches;
    }
  }
}

function needsMet(needs: number[] | undefined, seen: number): boolean {
  if (!needs) return true;
  for (const need of needs) if ((seen & need) === need) return true;
  return false;
}

interface NodeTypeEntry {
  type: string;
  named: boolean;
  fields?: Record<string, { types: Array<{ type: string; named: boolean }> }>;
  children?: { types: Array<{ type: string; named: boolean }> };
  subtypes?: Array<{ type: string; named: boolean }>;
}

/** Named and anonymous node types share names ("class" the keyword, `class` the node). */
const key = (type: string, named: boolean): string => (named ? type : `"${type}"`);

/** Child bits are an int32 mask; steps beyond these many are not checked (the query decides). */
const maxSteps = 30;

function planWalk(language: LoadedLanguage): WalkPlan | null {
  const shapes = patternShapes(language.definitionsSource);
  let entries: NodeTypeEntry[];
  try {
    entries = JSON.parse(readFileSync(language.nodeTypesFile, 'utf8')) as NodeTypeEntry[];
  } catch {
    return null;
  }
  if (!shapes || !Array.isArray(entries)) return null;

  // what each node type can have as a child (a supertype: its subtypes)
  const contents = new Map<string, string[]>();
  for (const entry of entries) {
    const inner = [...(entry.subtypes ?? []), ...(entry.children?.types ?? []), ...Object.values(entry.fields ?? {}).flatMap((f) => f.types)];
    const k = key(entry.type, entry.named);
    contents.set(k, [...(contents.get(k) ?? []), ...inner.map((t) => key(t.type, t.named))]);
  }
  // a type named in a pattern may be a supertype: it stands for every type below it
  const concrete = (k: string, seen = new Set<string>()): string[] => {
    if (seen.has(k)) return [];
    seen.add(k);
    const entry = entries.find((e) => key(e.type, e.named) === k);
    return entry?.subtypes ? entry.subtypes.flatMap((t) => concrete(key(t.type, t.named), seen)) : [k];
  };

  const starts = new Set(shapes.flatMap((s) => s.roots.flatMap((r) => concrete(key(r, true)))));
  // types whose subtree can hold a pattern start (the starts themselves included)
  const holds = new Set(starts);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [k, inner] of contents) {
      if (!holds.has(k) && inner.some((c) => holds.has(c))) {
        holds.add(k);
        grew = true;
      }
    }
  }

  // one bit per distinct child step; the types that fill each
  const stepBits = new Map<string, number>();
  const fills = new Map<string, number>();
  const bitOf = (step: StepTypes): number => {
    const types = [...step.named.flatMap((t) => concrete(key(t, true))), ...step.anonymous.map((t) => key(t, false))].sort();
    const id = types.join('\u0000');
    let bit = stepBits.get(id);
    if (bit === undefined) {
      if (stepBits.size >= maxSteps) return 0;
      bit = 1 << stepBits.size;
      stepBits.set(id, bit);
      for (const t of types) fills.set(t, (fills.get(t) ?? 0) | bit);
    }
    return bit;
  };
  const needsByStart = new Map<string, number[]>();
  for (const shape of shapes) {
    let need = 0;
    for (const step of shape.children) need |= bitOf(step);
    for (const start of shape.roots.flatMap((r) => concrete(key(r, true)))) needsByStart.set(start, [...(needsByStart.get(start) ?? []), need]);
  }

  const plan: WalkPlan = {
    actions: new Uint8Array(typeIdCount),
    childBits: new Int32Array(typeIdCount),
    needs: [],
    resolve(id, type, named) {
      const k = key(type, named);
      const inner = contents.get(k);
      // a type the grammar does not list (the error node among them) can hold anything
      let action = resolved;
      if (!inner || inner.some((c) => holds.has(c))) action |= descend;
      if (starts.has(k)) {
        action |= root;
        plan.needs[id] = needsByStart.get(k);
      }
      plan.childBits[id] = fills.get(k) ?? 0;
      plan.actions[id] = action;
      return action;
    },
  };
  return plan;
}
