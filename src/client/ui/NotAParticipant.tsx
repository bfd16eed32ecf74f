/**
 * What the follow-up, survey and evaluation screens show someone who did not
 * attend the workshop (or has not enrolled this phone yet): only a workshop's
 * participants keep its follow-up, and enrolling is the way in.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

export function NotAParticipant() {
  const { t } = useTranslation('form');
  return (
    <div className="notice">
      <p>{t('common.notParticipant')}</p>
      <p>
        <Link href="/enrol">{t('common.enrolLink')}</Link>
      </p>
    </div>
  );
}
