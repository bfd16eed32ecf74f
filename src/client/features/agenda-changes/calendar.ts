/**
 * A workshop's agenda, or one session of it, as an iCalendar (.ics) file for
 * the phone's calendar. Sessions are written in UTC, computed from the
 * workshop's own wall clock and IANA zone, so "09:30 in Suva" lands at the
 * right moment whatever zone the phone is in. Each session keeps a stable
 * UID and its server version as SEQUENCE, so importing the file again after
 * a change moves or cancels the event instead of adding a duplicate. An
 * online session carries its join link as the event's URL (and, when there
 * is no room to go to, as its LOCATION), so the calendar's reminder opens
 * the meeting. Built on the device, offline. The file passes RFC 5545
 * strictly: the calendar name is escaped as TEXT and every line is refolded
 * at 75 octets (the package folds at 75 characters, which Tongan or Persian
 * text overruns), see shared/domain/icalendar.
 */
import { createEvents, type EventAttributes } from 'ics';
import { escapeIcsText, foldIcs } from '../../../shared/domain/icalendar';
import { zonedInstant } from '../../../shared/domain/time-zones';
import type { Stored } from '../../../device/db/database';
import { joinLinkOf } from '../../content/session-links';

export interface CalendarText {
  /** "Speakers: A, B" for the event description. */
  speakers: (names: string[]) => string;
}

type CalendarWorkshop = Pick<Stored<'workshops'>, 'id' | 'title' | 'timeZone' | 'venue' | 'mode'>;
type CalendarSession = Pick<
  Stored<'agendaSessions'>,
  'id' | 'date' | 'start' | 'end' | 'title' | 'description' | 'speakers' | 'room' | 'status' | 'joinUrl' | '_version'
>;

export function agendaCalendar(
  workshop: CalendarWorkshop,
  sessions: readonly CalendarSession[],
  text: CalendarText,
): string {
  const place = workshop.venue
    ? [workshop.venue.name, workshop.venue.city, workshop.venue.country].filter((p) => p && p.length > 0).join(', ')
    : '';
  const events: EventAttributes[] = sessions.map((s) => {
    const joinUrl = joinLinkOf(workshop, s);
    const description = [s.description, s.speakers.length > 0 ? text.speakers(s.speakers) : '', joinUrl ?? '']
      .filter((part) => part.length > 0)
      .join('\n\n');
    // An online workshop's "room" is the video call, so the link is the place; a hybrid session keeps its room.
    const location =
      workshop.mode === 'online' && joinUrl ? joinUrl : [s.room, place].filter((p) => p.length > 0).join(', ');
    return {
      uid: `${s.id}@vaka`,
      sequence: s._version,
      title: s.title,
      start: zonedInstant(s.date, s.start, workshop.timeZone).getTime(),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: zonedInstant(s.date, s.end, workshop.timeZone).getTime(),
      endInputType: 'utc',
      endOutputType: 'utc',
      status: s.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      ...(description ? { description } : {}),
      ...(location ? { location } : {}),
      ...(joinUrl ? { url: joinUrl } : {}),
    };
  });
  // The library escapes event text but writes the calendar name as given, so it is escaped here.
  const calName = escapeIcsText(workshop.title);
  const { error, value } = createEvents(events, { productId: '-//Vaka//Workshop agenda//EN', calName });
  if (error || value === null) throw error ?? new Error('Could not build the calendar file');
  return foldIcs(value);
}

/** One session on its own, for "add this session to my calendar". Same UID as in the whole agenda's file. */
export function sessionCalendar(workshop: CalendarWorkshop, session: CalendarSession, text: CalendarText): string {
  return agendaCalendar(workshop, [session], text);
}

/** A file name the participant recognises, safe on every platform: "<title>-agenda.ics" or "<title>-session.ics". */
export function calendarFileName(title: string, kind: 'agenda' | 'session' = 'agenda'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `${slug || (kind === 'agenda' ? 'workshop' : 'vaka')}-${kind}.ics`;
}
