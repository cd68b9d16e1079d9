// OpenSSL's error queue, as Node passes it on, shown without hex codes and OpenSSL source paths.
import { describe, expect, it } from 'vitest';
import { readableOpenSslError } from '../../../src/tls/openssl-error.ts';

describe('readableOpenSslError', () => {
  it.each([
    ['405D00F0B07F0000:error:0A000098:SSL routines:read_state_machine:excessive message size:../deps/openssl/openssl/ssl/statem/statem.c:635:\n', 'SSL routines: read_state_machine: excessive message size'],
    ['write EPROTO 40E7D3F1:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n', 'write EPROTO SSL routines: ssl3_get_record: wrong version number'],
    ['C0A7:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 48', 'SSL routines: ssl3_read_bytes: tlsv1 alert unknown ca: SSL alert number 48'],
    ['A1:error:0A000086:SSL routines::certificate verify failed:ssl/statem/statem_clnt.c:2091:\nB2:error:0A000086:SSL routines::unsupported protocol:ssl/statem/statem_lib.c:1993:\n', 'SSL routines: certificate verify failed: SSL routines: unsupported protocol'],
    ['C0A7:error:0A000410:SSL routines:ssl3_read_bytes:ssl/tls alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:916:SSL alert number 40\n', 'SSL routines: ssl3_read_bytes: ssl/tls alert handshake failure: SSL alert number 40'],
    ['socket hang up', 'socket hang up'],
  ])('%j', (input, want) => {
    expect(readableOpenSslError(input)).toBe(want);
  });
});
