import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { membersQuery } from '../../lib/queries';

/** Names people by their user id (`schedule:…` ids name a schedule); the id itself until the member list loads. */
export function useMemberNames(workspaceId: string): (userId: string) => string {
  const members = useQuery(membersQuery(workspaceId));
  return useCallback(
    (userId: string) => {
      if (userId.startsWith('schedule:')) return 'a schedule';
      return members.data?.items.find((member) => member.userId === userId)?.name ?? userId;
    },
    [members.data],
  );
}
