// Which API versions a cluster serves for a kind. The snapshot records the version each kind was read at; the
// reader picks the newest version it understands, so every newer version is known not to be served. When the
// source also records every served version (`source.served`, from discovery), that list decides.
import { KINDS, type KindName } from '../../cluster/kinds.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import type { SourceInfo } from '../../report/types.ts';

type WithServed = SourceInfo & { served?: Record<string, string[]> };

/** true/false when known; null when the source does not tell (files mode, or an older version next to the one read). */
export function versionServed(snapshot: Snapshot, kind: KindName, version: string): boolean | null {
  if (snapshot.source.type !== 'cluster') return null;
  if (snapshot.state(kind).state === 'not-served') return false;
  const all = (snapshot.source as WithServed).served?.[kind];
  if (all) return all.includes(version);
  const read = snapshot.source.kinds?.[kind];
  if (!read) return null;
  if (read === version) return true;
  const order = KINDS[kind].versions;
  const readAt = order.indexOf(read);
  const at = order.indexOf(version);
  if (readAt < 0 || at < 0) return null;
  return at < readAt ? false : null;
}
