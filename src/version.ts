// Replaced at bundle time by scripts/build.mjs (esbuild `define`); the fallback serves tests run from source.
declare const __GWTLS_VERSION__: string | undefined;

export const VERSION: string = typeof __GWTLS_VERSION__ === 'string' ? __GWTLS_VERSION__ : '0.0.0-dev';
