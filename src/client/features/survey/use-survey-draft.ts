/**
 * Where the survey's answers are written: the draft saves itself as the
 * participant types (created on the first change, updated after), the
 * submitted answer replaces it, and an amendment can be discarded. Each
 * write is local first and wakes the sync.
 */
import { useRef } from 'react';
import { getDb } from '../../../device/db/database';
import { createRecord, deleteRecord, updateRecord } from '../../../device/db/writes';
import type { SurveyResponse } from '../../../shared/schemas/followup';
import { notifyLocalWrite } from '../../sync/scheduler';
import type { SurveyAnswers } from './survey-form';
import { useAutosave } from './useAutosave';

type Final = SurveyAnswers & Pick<SurveyResponse, 'status' | 'submittedAt'>;

export function useSurveyDraft(workshopId: string, existingId: string | null) {
  const db = getDb();
  const recordId = useRef<string | null>(existingId);

  const [saver, saveState] = useAutosave<SurveyAnswers>(async (value) => {
    if (recordId.current === null) {
      const created = await createRecord(db, 'surveyResponses', {
        workshopId,
        status: 'draft',
        ...value,
      });
      recordId.current = created.id;
    } else {
      await updateRecord(db, 'surveyResponses', recordId.current, value);
    }
    notifyLocalWrite();
  });

  /** Writes the submitted answer; throws the write layer's ValidationError if the schema refuses it. */
  async function submit(final: Final): Promise<void> {
    if (recordId.current === null) await createRecord(db, 'surveyResponses', { workshopId, ...final });
    else await updateRecord(db, 'surveyResponses', recordId.current, final);
    notifyLocalWrite();
  }

  async function discard(): Promise<void> {
    saver.cancel();
    if (recordId.current) await deleteRecord(db, 'surveyResponses', recordId.current);
    notifyLocalWrite();
  }

  return { saver, saveState, submit, discard };
}
