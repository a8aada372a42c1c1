import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { api, errorMessage } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { useToast } from '../../components/ui/toast';
import { oidcSignedIn, oidcSignOut } from './oidc-session';

/** Switch, add and sign out identities; every change starts the tab from a clean cache. */
export function useIdentityActions() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const toast = useToast();

  const switchIdentity = useMutation({
    mutationFn: (identityId: string) => api.switchIdentity(identityId),
    onSuccess: async (me, _identityId) => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, me);
      await navigate('/');
      toast.show({ title: `Now acting as ${me.identity.name}` });
    },
    onError: (error) => toast.show({ tone: 'error', title: 'Could not switch identity', description: errorMessage(error) }),
  });

  const signOut = useMutation({
    mutationFn: (identityId?: string) => (oidcSignedIn() ? oidcSignOut() : api.signOut(identityId)),
    onSuccess: async () => {
      queryClient.clear();
      await navigate('/sign-in', { replace: true });
    },
    onError: (error) => toast.show({ tone: 'error', title: 'Could not sign out', description: errorMessage(error) }),
  });

  // The new person lands back on this page (it may be a workspace they were just invited to).
  const addIdentity = () => navigate('/sign-in?add=1', { state: { from: location.pathname } });

  return { switchIdentity, signOut, addIdentity };
}
