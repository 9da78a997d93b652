// Human labels for the steps of a category's approval chain.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../lib/api';
import type { Role } from '../../../shared/contracts/roles';
import type { User } from '../../../shared/contracts/users';
import { useCanAny } from '../../lib/useCan';
import type { ApprovalStep } from '../../../shared/contracts/categories';

export function useRoleList(enabled = true) {
  const may = useCanAny('users.view', 'users.manage');
  return useQuery({
    queryKey: ['roles'],
    enabled: enabled && may,
    queryFn: () => get<Page<Role>>('/api/v1/roles'),
  });
}

export function useAllUsers(enabled = true) {
  const may = useCanAny('users.view', 'users.manage');
  return useQuery({
    queryKey: ['users', 'options', 'all'],
    enabled: enabled && may,
    staleTime: 60_000,
    queryFn: () => get<Page<User>>('/api/v1/users', { status: 'active', limit: 200 }),
  });
}

/** step → "Department head", "Role Manager", "Maria Lopez". */
export function useStepLabel() {
  const { t } = useTranslation();
  const roles = useRoleList();
  const users = useAllUsers();
  return (step: ApprovalStep): string => {
    if (step.type === 'department_head') return t('categories.steps.department_head');
    if (step.type === 'role') {
      const role = roles.data?.items.find((r) => r.id === step.roleId);
      return role ? t('categories.steps.roleNamed', { name: role.name }) : t('categories.steps.role');
    }
    const user = users.data?.items.find((u) => u.id === step.userId);
    return user ? user.name : t('categories.steps.user');
  };
}
