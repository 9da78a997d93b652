// Route gates: first-run setup, signed-in pages, and per-permission pages.
import { Button, Center, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert';
import { Forbidden } from '../components/Forbidden';
import { PageLoader } from '../components/PageLoader';
import { get } from '../lib/api';
import type { Me } from '../../shared/contracts/me';
import type { Permission } from '../../shared/permissions/catalogue';
import { useMeQuery } from '../lib/useMe';

export const setupKey = ['setup'] as const;

/** On a fresh install every page leads to /setup; afterwards /setup leads to /login. */
export function SetupGate() {
  const { t } = useTranslation();
  const location = useLocation();
  const setup = useQuery({
    queryKey: setupKey,
    queryFn: () => get<{ needed: boolean }>('/api/v1/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (setup.isPending) return <PageLoader />;
  if (setup.isError) {
    return (
      <Center mih="60vh" p="md">
        <Stack maw={480}>
          <Text fw={700}>{t('app.serverUnreachable')}</Text>
          <ErrorAlert error={setup.error} onRetry={() => setup.refetch()} />
        </Stack>
      </Center>
    );
  }
  // Leaving /setup once it is done is the setup page's own job (it knows the admin's e-mail).
  if (setup.data.needed && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  return (
    <Suspense fallback={<PageLoader />}>
      <Outlet />
    </Suspense>
  );
}

/** Signed-in pages: without a session, go to /login and come back afterwards. */
export function RequireAuth() {
  const location = useLocation();
  const me = useMeQuery();
  if (me.isPending) return <PageLoader />;
  if (me.isError) {
    return (
      <Center p="md">
        <ErrorAlert error={me.error} onRetry={() => me.refetch()} />
      </Center>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}

/**
 * Hides a page from those without any of the permissions, or without the screen in GET /me's `can`
 * (the server refuses them anyway).
 */
export function NeedPermission({
  anyOf,
  screen,
  superAdmin,
  children,
}: {
  anyOf?: Permission[];
  screen?: keyof Me['can'];
  superAdmin?: boolean;
  children: ReactNode;
}) {
  const { data: me } = useMeQuery();
  if (!me) return null;
  const allowed =
    (superAdmin && me.superAdmin) ||
    (screen !== undefined && me.can[screen]) ||
    (anyOf?.some((p) => me.permissions.includes(p)) ?? false);
  return allowed ? <>{children}</> : <Forbidden />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Center mih="50vh" p="md">
      <Stack align="center">
        <Text size="xl" fw={700}>
          {t('app.notFound')}
        </Text>
        <Button component="a" href="/">
          {t('app.backHome')}
        </Button>
      </Stack>
    </Center>
  );
}
