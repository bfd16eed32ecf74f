/** Creating a workshop: the form, then straight on to its agenda. */
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { Screen } from '../../client/ui/screen';
import { newId } from '../ui/form-values';
import { useCoordinatorT } from '../core/i18n';
import { WorkshopForm } from './WorkshopForm';

export default function NewWorkshopScreen() {
  const { t } = useCoordinatorT();
  const [id] = useState(newId);
  const [, navigate] = useLocation();
  return (
    <Screen
      title={t('workshop.newTitle')}
      back={
        <p className="back-link">
          <Link href="/">{t('workshops.back')}</Link>
        </p>
      }
    >
      <WorkshopForm id={id} workshop={null} onSaved={() => navigate(`/workshops/${id}/agenda`)} />
    </Screen>
  );
}
