import { redirect } from 'next/navigation';

/** /profile/clients is a short address for the client management tab of the profile page. */
export default function ProfileClientsPage(): never {
  redirect('/profile?tab=clients');
}
