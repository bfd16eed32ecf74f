/**
 * Reading an enrolment code as people type it; the rule itself is the shared
 * one (src/shared/domain/enrolment-code.ts). The server's EnrollRequest
 * schema does the authoritative check.
 */
import {
  ENROLMENT_CODE_LENGTH,
  normalizeEnrolmentCode,
  type NormalizedEnrolmentCode,
} from '../../../shared/domain/enrolment-code';

export const CODE_LENGTH = ENROLMENT_CODE_LENGTH;

export type NormalizedCode = NormalizedEnrolmentCode;

export const normalizeCode = normalizeEnrolmentCode;
