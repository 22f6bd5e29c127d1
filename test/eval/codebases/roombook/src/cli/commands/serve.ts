/**
 * `roombook serve`: runs the HTTP API until interrupted.
 */
import { once } from 'node:events';
import { startServer } from '../../http/server.ts';
import type { Command } from '../command.ts';

/** `serve [--port N] [--host H]`. */
export const serve: Command = {
  name: 'serve',
  summary: 'run the HTTP API',
  usage: '[--port N] [--host HOST]',
  options: {
    port: { type: 'integer', short: 'p', description: 'port to listen on (overrides the config)', valueName: 'N' },
    host: { type: 'string', description: 'interface to listen on (overrides the config)', valueName: 'HOST' },
  },
  async run({ io, context }) {
    const ctx = context();
    const server = await startServer(ctx);
    io.stdout(`roombook listening on ${server.url} (database ${ctx.config.database.path})\n`);
    if (io.signal && !io.signal.aborted) await once(io.signal, 'abort');
    await server.close();
    io.stdout('roombook stopped\n');
    return 0;
  },
};
