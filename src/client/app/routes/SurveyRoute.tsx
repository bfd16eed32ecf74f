/**
 * The survey screen as the app routes to it, with "Add to my calendar" for
 * the survey window: two features composed here so neither imports the other.
 */
import SurveyScreen from '../../features/survey/SurveyScreen';
import SurveyCalendarButton from '../../features/notifications/SurveyCalendarButton';

export default function SurveyRoute({ workshopId }: { workshopId: string }) {
  return <SurveyScreen workshopId={workshopId} calendar={<SurveyCalendarButton workshopId={workshopId} />} />;
}
