/**
 * /enrol as the app routes to it: the enrolment form, or, when the page was
 * opened from an invitation e-mail's sign-in link (#signin=…), the sign-in
 * that enrols this phone and opens the survey. Two features composed here
 * so neither imports the other.
 */
import { useState } from 'react';
import EnrolScreen from '../../features/enrol/EnrolScreen';
import SignInLink, { signInTokenInAddress } from '../../features/notifications/SignInLink';

export default function EnrolRoute() {
  const [signingIn, setSigningIn] = useState(() => signInTokenInAddress() !== null);
  return signingIn ? <SignInLink onUseCode={() => setSigningIn(false)} /> : <EnrolScreen />;
}
