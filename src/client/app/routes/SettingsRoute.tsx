/**
 * The settings screen as the app routes to it: settings with the way to the
 * storage panel and the follow-up messages section, features composed here
 * so none imports another.
 */
import SettingsScreen from '../../features/settings/SettingsScreen';
import { StorageLink } from '../../features/storage/StorageLink';
import NotificationSettings from '../../features/notifications/NotificationSettings';

export default function SettingsRoute() {
  return <SettingsScreen storageLink={<StorageLink />} notifications={<NotificationSettings />} />;
}
