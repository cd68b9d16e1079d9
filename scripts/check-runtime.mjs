// Fails early, with a plain message, when npm scripts do not run on the project's pinned Node runtime.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`kubectl-gwtls needs Node >= 22 for development; npm scripts are running Node ${process.versions.node}.`);
  console.error('Run `npm ci` first: it installs the pinned Node 24 runtime into node_modules/.bin, which npm scripts use.');
  process.exit(2);
}
