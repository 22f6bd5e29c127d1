/**
 * A process that starts the MCP test server with the CLI's exit cleanup installed, prints the
 * server's pid, and waits to be signalled (test/mcp/mcp-servers.test.ts sends SIGTERM).
 */
import { McpServers } from '../../src/mcp/mcp-servers.ts';
import { installSandboxExitCleanup } from '../../src/sandbox/cleanup.ts';
import { testServer } from './support.ts';

installSandboxExitCleanup({ signals: ['SIGTERM'] });
const hub = await McpServers.start({ demo: testServer() }, { cwd: process.cwd(), reservedNames: [] });
process.stdout.write(`${hub.servers[0].pid}\n`);
setInterval(() => {}, 60_000);
