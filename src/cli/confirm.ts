import { createInterface } from 'node:readline/promises';
import { UserError } from './errors.ts';

/** Asks on the terminal; never assumes yes when nobody can answer. */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new UserError('refusing to change the cluster without confirmation: run in a terminal to be asked, or pass --yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
