/**
 * The 33 member administrations of the Asia/Pacific region, grouped as in the
 * contact table of the ROCB A/P annual report 2021/22. Pure data, no I/O.
 */
import type { Member, MemberCode, SubRegion } from '../schemas/member';

export const MEMBERS: readonly Member[] = [
  { code: 'AF', name: 'Afghanistan', subRegion: 'ECWA' },
  { code: 'CN', name: 'China', subRegion: 'ECWA' },
  { code: 'HK', name: 'Hong Kong, China', subRegion: 'ECWA' },
  { code: 'IR', name: 'Iran', subRegion: 'ECWA' },
  { code: 'JP', name: 'Japan', subRegion: 'ECWA' },
  { code: 'KR', name: 'Korea', subRegion: 'ECWA' },
  { code: 'MO', name: 'Macao, China', subRegion: 'ECWA' },
  { code: 'MN', name: 'Mongolia', subRegion: 'ECWA' },
  { code: 'PK', name: 'Pakistan', subRegion: 'ECWA' },
  { code: 'AU', name: 'Australia', subRegion: 'PI' },
  { code: 'FJ', name: 'Fiji', subRegion: 'PI' },
  { code: 'NZ', name: 'New Zealand', subRegion: 'PI' },
  { code: 'PG', name: 'Papua New Guinea', subRegion: 'PI' },
  { code: 'WS', name: 'Samoa', subRegion: 'PI' },
  { code: 'TL', name: 'Timor-Leste', subRegion: 'PI' },
  { code: 'TO', name: 'Tonga', subRegion: 'PI' },
  { code: 'VU', name: 'Vanuatu', subRegion: 'PI' },
  { code: 'BD', name: 'Bangladesh', subRegion: 'SA' },
  { code: 'BT', name: 'Bhutan', subRegion: 'SA' },
  { code: 'IN', name: 'India', subRegion: 'SA' },
  { code: 'MV', name: 'Maldives', subRegion: 'SA' },
  { code: 'NP', name: 'Nepal', subRegion: 'SA' },
  { code: 'LK', name: 'Sri Lanka', subRegion: 'SA' },
  { code: 'BN', name: 'Brunei Darussalam', subRegion: 'SEA' },
  { code: 'KH', name: 'Cambodia', subRegion: 'SEA' },
  { code: 'ID', name: 'Indonesia', subRegion: 'SEA' },
  { code: 'LA', name: 'Lao PDR', subRegion: 'SEA' },
  { code: 'MY', name: 'Malaysia', subRegion: 'SEA' },
  { code: 'PH', name: 'Philippines', subRegion: 'SEA' },
  { code: 'SG', name: 'Singapore', subRegion: 'SEA' },
  { code: 'TH', name: 'Thailand', subRegion: 'SEA' },
  { code: 'MM', name: 'Myanmar', subRegion: 'SEA' },
  { code: 'VN', name: 'Vietnam', subRegion: 'SEA' },
];

const byCode = new Map(MEMBERS.map((m) => [m.code, m]));

export function memberByCode(code: MemberCode): Member | undefined {
  return byCode.get(code);
}

export function isMemberCode(code: string): boolean {
  return byCode.has(code);
}

export function membersOf(subRegion: SubRegion): Member[] {
  return MEMBERS.filter((m) => m.subRegion === subRegion);
}
