import { createInterface } from 'node:readline/promises';
import { Interrupted, UserError } from './errors.ts';

/** Asks on the terminal; never assumes yes when nobody can answer. */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new UserError('refusing to change the cluster without confirmation: run in a terminal to be asked, or pass --yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // In a terminal readline reads Ctrl-C itself (raw mode): without this, the question would only pause.
  const interrupted = new Promise<never>((_, reject) => rl.once('SIGINT', () => reject(new Interrupted())));
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), interrupted]);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
