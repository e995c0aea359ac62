/**
 * dynalite in its own process, so the DynamoDB API and the code under test
 * do not share one event loop (on two cores that is the fair set-up, and it
 * is what a Lambda talking to DynamoDB over a network looks like). Started by
 * dynalite-process.ts: `node dynalite-server.js [port] [path]`; prints
 * {"port": n} once listening, closes (flushing LevelDB) on SIGTERM.
 * Plain CommonJS so it starts without a TypeScript loader.
 */
'use strict';
const dynalite = require('dynalite');

const port = Number(process.argv[2] || 0);
const path = process.argv[3] || undefined;
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
server.on('error', (error) => {
  process.stderr.write(`dynalite: ${error.message}\n`);
  process.exit(1);
});
const stop = () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  // Never outlive the parent's patience.
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent went away: do not linger.
process.on('disconnect', stop);
