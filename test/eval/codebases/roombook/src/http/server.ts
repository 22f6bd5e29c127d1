/**
 * Puts the API on a TCP port with Node's `http` module.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../services/context.ts';
import { createApp } from './app.ts';

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  /** Stops accepting connections and resolves once open requests are done. */
  close(): Promise<void>;
}

/**
 * Starts the API on `ctx.config.server.host` and `.port` (port 0 picks a free port; read it from
 * the result).
 *
 * @throws {Error} when the port cannot be bound (e.g. `EADDRINUSE`).
 */
export async function startServer(ctx: AppContext): Promise<RunningServer> {
  const { host, port, requestTimeoutMs } = ctx.config.server;
  const server = http.createServer(createApp(ctx));
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(requestTimeoutMs, 60_000);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.logger.info('listening', { url: `http://${shownHost}:${address.port}` });
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
