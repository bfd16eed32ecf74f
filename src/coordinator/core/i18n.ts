/**
 * The workspace's strings: every coordinator screen reads the "coordinator"
 * namespace (locales/<lng>/coordinator.json), which loads with the
 * workspace rather than with the participant app.
 */
import { useTranslation } from 'react-i18next';

export function useCoordinatorT() {
  return useTranslation('coordinator');
}
