// OpenSSL's error queue as Node passes it on reads "405DB1E4:error:0A000098:SSL routines:read_state_machine:excessive
// message size:../deps/openssl/openssl/ssl/statem/statem.c:635:": the reason, and where in OpenSSL's source it
// was raised. Users get the library, routine and reason, still separated by colons as Node's own messages are.
const OPENSSL_ERROR = /[0-9A-F]+:error:[0-9A-F]+:([^:\n]+):([^:\n]*):([^:\n]+):[^\s:]*\.c:\d+:?\s*/g;

/** `message` with each OpenSSL error entry written as "library: routine: reason", without the hex codes and source path. */
export function readableOpenSslError(message: string): string {
  return message
    .replace(OPENSSL_ERROR, (_, lib: string, routine: string, reason: string) => `${lib}: ${routine ? `${routine}: ` : ''}${reason}: `)
    .replace(/:\s*$/, '')
    .trim();
}
