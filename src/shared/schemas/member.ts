/**
 * Member administrations of the WCO Asia/Pacific region and the sub-regions
 * the ROCB A/P's programme managers cover (annual report, "Contact points").
 */
import * as z from 'zod';

export const SubRegion = z.enum(['ECWA', 'PI', 'SA', 'SEA']);
export type SubRegion = z.infer<typeof SubRegion>;

/** ISO 3166-1 alpha-2 code; the report writes Papua New Guinea as both PG and PNG, we use PG. */
export const MemberCode = z.string().regex(/^[A-Z]{2}$/, { error: 'Must be a two-letter member code such as FJ.' });
export type MemberCode = z.infer<typeof MemberCode>;

export const Member = z.object({
  code: MemberCode,
  name: z.string().min(1),
  subRegion: SubRegion,
});
export type Member = z.infer<typeof Member>;
