import { useMutation } from '@tanstack/react-query';
import { patch } from '../../lib/api';
import type { MeUser, UpdateMeInput } from '../../../shared/contracts/me';
import { useSetMe } from '../../lib/useMe';

export type MePatch = UpdateMeInput;

export function useUpdateMe() {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: (body: MePatch) => patch<{ user: MeUser }>('/api/v1/me', body),
    onSuccess: (answer) => {
      if (answer?.user) setMe((me) => ({ ...me, user: { ...me.user, ...answer.user } }));
    },
  });
}
