/** Survey revisions: a submitted answer is kept as sent; amending makes a new revision that supersedes it. */
import { afterEach, describe, expect, it } from 'vitest';
import { writeDeviceIdentity, type VakaDatabase } from '../../device/db/database';
import { amendSurveyResponse, createRecord, deleteRecord, updateRecord, WriteError } from '../../device/db/writes';
import { fakeUuid } from '../../device/sync/testing/fake-sync-server';
import { freshDb } from '../../device/sync/testing/fixtures';
import { currentResponse, hasSubmitted, submittedRevisions, surveyState } from './survey-revisions';

const participantId = fakeUuid();
const workshopId = fakeUuid();
const opened: VakaDatabase[] = [];

async function enrolledDb(): Promise<VakaDatabase> {
  const db = freshDb('revisions');
  opened.push(db);
  await writeDeviceIdentity(db, {
    key: 'device',
    deviceId: fakeUuid(),
    deviceToken: 't',
    participantId,
    workshopIds: [workshopId],
    enrolledAt: '2025-01-01T00:00:00.000Z',
  });
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const answered = {
  directEffects: { answer: 'yes' as const, details: 'More undervaluation found' },
  workEfficiency: { answer: 'yes' as const, details: '' },
  newProjects: { answer: 'no' as const, details: '' },
};

const rows = (db: VakaDatabase) => db.surveyResponses.where('workshopId').equals(workshopId).toArray();

describe('survey revisions', () => {
  it('goes from nothing, to a draft, to submitted, to an amendment that becomes revision 2', async () => {
    const db = await enrolledDb();
    expect(surveyState(await rows(db))).toEqual({ kind: 'none' });

    const draft = await createRecord(db, 'surveyResponses', { workshopId, actionsTaken: ['share-materials'] });
    expect(surveyState(await rows(db))).toMatchObject({ kind: 'draft', draft: { id: draft.id, revision: 1 } });
    expect(hasSubmitted(await rows(db))).toBe(false);

    await updateRecord(db, 'surveyResponses', draft.id, {
      ...answered,
      status: 'submitted',
      submittedAt: '2025-01-10T00:00:00.000Z',
    });
    expect(surveyState(await rows(db))).toMatchObject({
      kind: 'submitted',
      submitted: { id: draft.id },
      amending: null,
    });
    // What was sent cannot be edited in place.
    await expect(updateRecord(db, 'surveyResponses', draft.id, { otherActions: 'x' })).rejects.toBeInstanceOf(
      WriteError,
    );

    const amendment = await amendSurveyResponse(db, draft.id);
    expect(amendment).toMatchObject({ revision: 2, supersedes: draft.id, status: 'draft', submittedAt: null });
    expect(amendment.directEffects).toEqual(answered.directEffects);
    const amending = surveyState(await rows(db));
    expect(amending).toMatchObject({ kind: 'submitted', submitted: { id: draft.id }, amending: { id: amendment.id } });

    await updateRecord(db, 'surveyResponses', amendment.id, {
      newProjects: { answer: 'yes', details: 'AEO pilot' },
      status: 'submitted',
      submittedAt: '2025-02-01T00:00:00.000Z',
    });
    const all = await rows(db);
    expect(currentResponse(all)?.id).toBe(amendment.id);
    expect(submittedRevisions(all).map((r) => r.revision)).toEqual([2, 1]);
    // The first revision is unchanged.
    expect((await db.surveyResponses.get(draft.id))?.newProjects).toEqual(answered.newProjects);
  });

  it('discarding an amendment goes back to the submitted revision', async () => {
    const db = await enrolledDb();
    const first = await createRecord(db, 'surveyResponses', {
      workshopId,
      ...answered,
      status: 'submitted',
      submittedAt: '2025-01-10T00:00:00.000Z',
    });
    const amendment = await amendSurveyResponse(db, first.id);
    await deleteRecord(db, 'surveyResponses', amendment.id);
    expect(surveyState(await rows(db))).toMatchObject({
      kind: 'submitted',
      submitted: { id: first.id },
      amending: null,
    });
  });

  it('shows the draft edited last when two phones both started one', () => {
    const base = {
      participantId,
      workshopId,
      revision: 1,
      supersedes: null,
      status: 'draft' as const,
      actionsTaken: [],
      otherActions: '',
      lessonsApplied: { operationalImprovement: '', strategicEmpowerment: '' },
      directEffects: { answer: null, details: '' },
      workEfficiency: { answer: null, details: '' },
      newProjects: { answer: null, details: '' },
      submittedAt: null,
      _version: 1,
      _deleted: false,
    };
    const older = { ...base, id: fakeUuid(), _updatedAt: '2025-01-01T00:00:00.000Z' };
    const newer = { ...base, id: fakeUuid(), _updatedAt: '2025-01-02T00:00:00.000Z' };
    expect(currentResponse([older, newer])?.id).toBe(newer.id);
    expect(currentResponse([{ ...newer, _deleted: true }, older])?.id).toBe(older.id);
  });
});
