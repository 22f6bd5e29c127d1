/** Shared by the tools that answer from the repository index (find_symbol, outline). */
import type { ToolContext } from './tool.ts';

/** Brings the index up to date with files changed since (cheap: a stat pass); a failure keeps the last state. */
export async function refreshIndex(ctx: ToolContext): Promise<void> {
  await ctx.index?.update(undefined, ctx.signal).catch(() => undefined);
}
