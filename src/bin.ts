#!/usr/bin/env node
// Entry point. The runtime check comes before loading anything else so that an old Node gets a sentence, not a
// syntax error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`error: kubectl-gwtls needs Node.js >= 22; this is Node ${process.versions.node}\n`);
  process.exit(2);
}
// A reader that goes away (`| head`) is not an error of ours: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
// Ctrl-C: exit 130 (128 + SIGINT), as a shell reports a command that SIGINT ended, whatever is in flight.
process.once('SIGINT', () => process.exit(130));
const { main } = await import('./cli/main.ts');
const { aborted } = await main();
// A command that stopped midway may have left a socket or timer open: it must not keep the process alive. The
// error line gets a moment to drain; the timer itself keeps nothing alive.
if (aborted) setTimeout(() => process.exit(), 200).unref();
