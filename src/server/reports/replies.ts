/**
 * Who replied to a workshop's follow-up survey: submitted, started on a
 * device, or not started, with rates by administration and sub-region
 * (shared/domain/replies.ts), computed live from the roster, the responses
 * and the devices' last contact.
 */
import { Workshop } from '../../shared/schemas/workshop';
import { SurveyResponse } from '../../shared/schemas/followup';
import { replySummary } from '../../shared/domain/replies';
import type { Db } from '../sync/store';
import { live } from '../db/live-records';
import { rosterParticipantIds } from '../people/roster';
import { participantsByIds } from '../people/participants';
import { deviceContacts } from '../people/devices';

/** The replies of a live workshop's roster; null when there is no such workshop. */
export async function workshopReplies(db: Db, workshopId: string) {
  const [workshop] = await live(db, 'workshops', Workshop, { ids: [workshopId] });
  if (!workshop) return null;
  const rosterIds = await rosterParticipantIds(db, workshopId);
  const participants = await participantsByIds(db, rosterIds);
  const responses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds: [workshopId] });
  const lastContact = new Map<string, string>();
  for (const [participantId, contact] of await deviceContacts(db, rosterIds))
    if (contact.lastContact !== null) lastContact.set(participantId, contact.lastContact);
  return { workshop, ...replySummary(workshopId, participants, responses, lastContact) };
}
