/**
 * Two clearly marked sample workshops dated from the moment the demo is
 * first loaded, so a newcomer sees the agenda's now/next and the survey
 * clock without editing data: one in progress (yesterday to tomorrow in
 * Bangkok, sessions across each day) and one that ended six months ago,
 * whose follow-up survey is open. The pack's workshops keep their real
 * dates; these two are made here because their dates depend on "now".
 */
import { AgendaSession, Workshop } from '../../shared/schemas/workshop';
import { addDays, addMonths, dateInZone } from '../../shared/domain/time-zones';

export const DEMO_IN_PROGRESS_ID = '5a3c1e0f-6d2b-4c1e-9f7a-0d3e5b7c9a11';
export const DEMO_SURVEY_OPEN_ID = '5a3c1e0f-6d2b-4c1e-9f7a-0d3e5b7c9a12';

const ZONE = 'Asia/Bangkok';
const MARK =
  'A sample made for the demo: its dates were set when this server first loaded the demo content, so the ' +
  'agenda and the follow-up survey can be tried at once. It is not a real workshop.';

/** Each day's programme, early morning to evening, so most hours of the day show a session on now or next. */
const DAY: readonly [start: string, end: string, title: string][] = [
  ['07:30', '08:30', 'Registration and coffee'],
  ['08:30', '10:00', 'Opening and round of introductions'],
  ['10:30', '12:00', 'Risk management in practice: a case study'],
  ['13:00', '14:30', 'Group exercise: building a risk profile'],
  ['15:00', '16:30', 'Reporting back and discussion'],
  ['17:00', '18:30', 'Follow-up actions: what each administration will do'],
  ['19:00', '21:00', 'Evening session: questions to the experts'],
];

/** Session ids derived from the workshop's so reloading the demo rewrites the same records. */
const sessionId = (day: number, slot: number) =>
  `${DEMO_IN_PROGRESS_ID.slice(0, -4)}${String(day * 10 + slot).padStart(2, '0')}00`;

export function demoWorkshopsNow(now: Date): { workshops: Workshop[]; sessions: AgendaSession[] } {
  const today = dateInZone(now, ZONE);
  const inProgress = Workshop.parse({
    id: DEMO_IN_PROGRESS_ID,
    title: 'Sample workshop in progress (demo): Risk management for Pacific Customs',
    kind: 'regional',
    topic: 'Risk management',
    summary: MARK,
    startDate: addDays(today, -1),
    endDate: addDays(today, 1),
    timeZone: ZONE,
    mode: 'in-person',
    venue: { name: 'ROCB A/P training room (sample)', city: 'Bangkok', country: 'Thailand' },
    organisers: ['ROCB A/P'],
    administrations: ['FJ', 'TO', 'WS'],
  });
  const surveyOpen = Workshop.parse({
    id: DEMO_SURVEY_OPEN_ID,
    title: 'Sample workshop with its survey open (demo): Post-clearance audit',
    kind: 'sub-regional',
    topic: 'Post-clearance audit',
    summary: MARK,
    // The survey opens 6 months after the last day: three days ago, so it is open and not yet due soon.
    startDate: addDays(addMonths(today, -6), -5),
    endDate: addDays(addMonths(today, -6), -3),
    timeZone: ZONE,
    mode: 'online',
    venue: null,
    organisers: ['ROCB A/P'],
    administrations: ['TO'],
  });
  const sessions = [-1, 0, 1].flatMap((offset, day) =>
    DAY.map(([start, end, title], slot) =>
      AgendaSession.parse({
        id: sessionId(day, slot),
        workshopId: DEMO_IN_PROGRESS_ID,
        date: addDays(today, offset),
        start,
        end,
        title: `Day ${day + 1}: ${title}`,
        room: 'Training room',
        sample: true,
      }),
    ),
  );
  return { workshops: [inProgress, surveyOpen], sessions };
}
