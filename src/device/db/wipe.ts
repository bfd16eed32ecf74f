/**
 * Removing a participant's data from the device: when a coordinator revokes
 * the device (lost or handed on) and when another participant enrols on it,
 * so one person's records never show, or get sent, under another's name.
 * Published content stays: it is public and costly to download again.
 */
import type { CollectionName } from '../../shared/schemas/collections';
import { readSyncState, writeSyncState, type VakaDatabase } from './database';

/** Tables that hold one participant's own records (the p:<participantId> scope). */
export const PERSONAL_COLLECTIONS = [
  'participants',
  'followUpActions',
  'surveyResponses',
  'evaluations',
] as const satisfies readonly CollectionName[];

/** Without the scopes that belong to the enrolled participant (own records, participants-only materials). */
function publicScopes<T>(byScope: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(byScope).filter(([scope]) => !scope.startsWith('p:') && !scope.startsWith('wp:')),
  );
}

/**
 * Deletes the participant's records, outbox, conflict and rejection logs, waiting evidence files,
 * participants-only materials and the device identity. Unsynced entries are
 * lost by design: a revoked device must not keep or send them.
 */
export async function wipeParticipantData(
  db: VakaDatabase,
  reason: 'revoked' | 'switched',
  /** Wipe only if this is still the stored token: a new enrolment made meanwhile must survive an old 401. */
  onlyIfToken?: string,
): Promise<void> {
  const personal = PERSONAL_COLLECTIONS.map((c) => db.table(c));
  await db.transaction(
    'rw',
    [...personal, db.outbox, db.conflicts, db.rejections, db.serverCopies, db.pendingUploads, db.materials, db.meta],
    async () => {
      if (onlyIfToken !== undefined) {
        const identity = await db.meta.get('device');
        if (identity?.key !== 'device' || identity.deviceToken !== onlyIfToken) return;
      }
      for (const table of personal) await table.clear();
      await db.outbox.clear();
      await db.conflicts.clear();
      await db.rejections.clear();
      await db.serverCopies.clear();
      await db.pendingUploads.clear();
      await db.materials.filter((m) => m.audience === 'participants').delete();
      await db.meta.delete('device');
      const state = await readSyncState(db);
      await writeSyncState(db, {
        ...state,
        cursors: publicScopes(state.cursors),
        scopeIds: publicScopes(state.scopeIds ?? {}),
        // A new enrolment is a new device on the server, whose mids start at 1.
        nextMid: 1,
        authProblem: reason === 'revoked' ? 'revoked' : null,
        ...(reason === 'revoked' ? { lastError: 'sync.error.revoked', lastErrorAt: new Date().toISOString() } : {}),
      });
    },
  );
}

/**
 * The server no longer knows the token (e.g. its database was restored to a
 * time before this enrolment). Unlike a revocation this says nothing about
 * who holds the phone, so every record and queued edit stays until the
 * participant enrols again and they can be sent.
 */
export async function markUnauthorized(db: VakaDatabase): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const state = await readSyncState(db);
    await writeSyncState(db, {
      ...state,
      authProblem: 'unauthorized',
      lastError: 'sync.error.unauthorized',
      lastErrorAt: new Date().toISOString(),
    });
  });
}
