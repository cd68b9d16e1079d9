// Reads --ca-file within the probe's time limit and a size limit. A regular file is read at once; a pipe or FIFO
// (`--ca-file <(kubectl get ...)`, `/dev/stdin`) is read without blocking the process, so a FIFO nobody writes
// to ends in an error when the time is up instead of hanging.
import { constants, openSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';

/** A CA bundle is a few hundred KiB at most (the Mozilla bundle is about 220 KiB). */
export const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;

export class CaFileError extends Error {
  override name = 'CaFileError';
}

export async function readCaFile(path: string, timeoutMs: number): Promise<string> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CaFileError(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
  }
  if (st.isDirectory()) throw new CaFileError('it is a directory');
  if (st.isFile()) {
    if (st.size > MAX_CA_FILE_BYTES) throw new CaFileError(`it is larger than ${MAX_CA_FILE_BYTES >> 20} MiB, which no CA bundle is`);
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CaFileError(code === 'EACCES' ? 'permission denied' : (e as Error).message);
    }
  }
  if (!st.isFIFO()) throw new CaFileError(`it is ${st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a terminal or character device' : 'not a file'}; give a PEM file (or a pipe)`);
  return readPipe(path, timeoutMs);
}

function readPipe(path: string, timeoutMs: number): Promise<string> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return Promise.reject(new CaFileError(code === 'EACCES' ? 'permission denied' : (e as Error).message));
  }
  return new Promise((resolve, reject) => {
    const socket = new net.Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new CaFileError(size === 0 ? `nothing arrived within ${seconds(timeoutMs)} (--timeout): a pipe or FIFO nobody writes to?` : `the pipe did not end within ${seconds(timeoutMs)} (--timeout)`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_CA_FILE_BYTES) {
        clearTimeout(timer);
        socket.destroy();
        reject(new CaFileError(`more than ${MAX_CA_FILE_BYTES >> 20} MiB arrived, which no CA bundle is`));
      } else chunks.push(d);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(new CaFileError(e.message));
    });
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
