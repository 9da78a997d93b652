import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { Department } from '../../../shared/contracts/departments';
import type { OnlineUser } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/contracts/roles';

export const usersKey = ['users'] as const;
export const onlineKey = ['users', 'online'] as const;

export interface UserInput {
  name: string;
  email: string;
  username?: string;
  password?: string;
  roleId: string;
  departmentId?: string | null;
}

export function useRoleOptions(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => get<Page<Role>>('/api/v1/roles'),
    enabled,
  });
}

export function useDepartmentOptions(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => get<Page<Department>>('/api/v1/departments'),
    enabled,
  });
}

export function useOnlineUsers() {
  return useQuery({
    queryKey: onlineKey,
    queryFn: () => get<Page<OnlineUser>>('/api/v1/users/online'),
    refetchInterval: 60_000,
  });
}
