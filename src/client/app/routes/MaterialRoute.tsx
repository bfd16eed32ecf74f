/**
 * A material's own screen as the app routes to it: after a participant
 * shares the file, the follow-up log offers to record the sharing. The two
 * features meet here so neither imports the other.
 */
import MaterialScreen from '../../features/materials/MaterialScreen';
import { ShareLogOffer } from '../../features/followup/ShareMaterials';

export default function MaterialRoute({ id }: { id: string }) {
  return <MaterialScreen id={id} shareOffer={ShareLogOffer} />;
}
