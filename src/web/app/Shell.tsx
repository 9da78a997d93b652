// The signed-in frame: header with burger and user menu, a permission-filtered navbar, the page.
import {
  AppShell,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconApi,
  IconBell,
  IconBriefcase,
  IconBuildingSkyscraper,
  IconCategory,
  IconChevronDown,
  IconDeviceDesktop,
  IconDeviceLaptop,
  IconList,
  IconMapPin,
  IconPackage,
  IconShoppingCart,
  IconTruck,
  IconClipboardList,
  IconFileInvoice,
  IconBuildingWarehouse,
  IconHome,
  IconListDetails,
  IconLogout,
  IconMail,
  IconShieldLock,
  IconSitemap,
  IconSquarePlus,
  IconTicket,
  IconUser,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { PageLoader } from '../components/PageLoader';
import { UserAvatar } from '../components/UserAvatar';
import { get, post, setCsrfToken } from '../lib/api';
import { live } from '../lib/live';
import { THEMES, type ThemeName } from '../../shared/contracts/enums';
import type { Me } from '../../shared/contracts/me';
import type { Permission } from '../../shared/permissions/catalogue';
import { meKey, useMe } from '../lib/useMe';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useTicketListLiveRefresh } from '../features/tickets/live';
import { useThemeChoice } from './ThemeChoice';

interface NavItem {
  name: string;
  to: string;
  icon: ReactNode;
  external?: boolean;
}

function navItems(me: Me): NavItem[] {
  const has = (...p: Permission[]) => p.some((x) => me.permissions.includes(x));
  const items: NavItem[] = [{ name: 'dashboard', to: '/', icon: <IconHome size={18} aria-hidden /> }];
  if (me.company && me.can.viewTickets)
    items.push({ name: 'tickets', to: '/tickets', icon: <IconTicket size={18} aria-hidden /> });
  if (me.company && has('tickets.create'))
    items.push({ name: 'newTicket', to: '/tickets/new', icon: <IconSquarePlus size={18} aria-hidden /> });
  if (me.company)
    items.push({ name: 'notifications', to: '/notifications', icon: <IconBell size={18} aria-hidden /> });
  if (me.company && me.can.viewProjects)
    items.push({ name: 'projects', to: '/projects', icon: <IconBriefcase size={18} aria-hidden /> });
  if (me.company && has('assets.view', 'assets.manage'))
    items.push(
      { name: 'assets', to: '/assets', icon: <IconDeviceLaptop size={18} aria-hidden /> },
      { name: 'locations', to: '/locations', icon: <IconMapPin size={18} aria-hidden /> },
    );
  if (me.company && has('inventory.view', 'inventory.manage'))
    items.push(
      { name: 'parts', to: '/parts', icon: <IconPackage size={18} aria-hidden /> },
      { name: 'vendors', to: '/vendors', icon: <IconTruck size={18} aria-hidden /> },
    );
  if (me.company && has('purchasing.manage'))
    items.push(
      { name: 'plannedItems', to: '/planned-items', icon: <IconClipboardList size={18} aria-hidden /> },
      { name: 'purchaseOrders', to: '/purchase-orders', icon: <IconFileInvoice size={18} aria-hidden /> },
      { name: 'purchasingSetup', to: '/purchasing/setup', icon: <IconBuildingWarehouse size={18} aria-hidden /> },
    );
  if (me.company && has('tickets.create') && has('inventory.view', 'inventory.manage'))
    items.push({ name: 'supplyRequest', to: '/supply/new', icon: <IconShoppingCart size={18} aria-hidden /> });
  if (me.company && has('assets.manage'))
    items.push({ name: 'picklists', to: '/settings/picklists', icon: <IconList size={18} aria-hidden /> });
  if (me.company && has('categories.manage'))
    items.push(
      { name: 'categories', to: '/categories', icon: <IconCategory size={18} aria-hidden /> },
      { name: 'teams', to: '/teams', icon: <IconUsersGroup size={18} aria-hidden /> },
    );
  if (has('users.view', 'users.manage'))
    items.push({ name: 'users', to: '/users', icon: <IconUsers size={18} aria-hidden /> });
  if (has('roles.manage'))
    items.push({ name: 'roles', to: '/roles', icon: <IconShieldLock size={18} aria-hidden /> });
  if (has('departments.manage'))
    items.push({ name: 'departments', to: '/departments', icon: <IconSitemap size={18} aria-hidden /> });
  if (has('settings.manage'))
    items.push({ name: 'outbox', to: '/outbox', icon: <IconMail size={18} aria-hidden /> });
  if (has('audit.view'))
    items.push({ name: 'audit', to: '/audit', icon: <IconListDetails size={18} aria-hidden /> });
  if (me.superAdmin)
    items.push({
      name: 'companies',
      to: '/companies',
      icon: <IconBuildingSkyscraper size={18} aria-hidden />,
    });
  items.push(
    { name: 'profile', to: '/profile', icon: <IconUser size={18} aria-hidden /> },
    { name: 'sessions', to: '/sessions', icon: <IconDeviceDesktop size={18} aria-hidden /> },
    { name: 'apiDocs', to: '/api/docs', icon: <IconApi size={18} aria-hidden />, external: true },
  );
  return items;
}

function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await post('/api/v1/auth/logout');
    } catch {
      /* the session may already be gone; forget it locally either way */
    }
    setCsrfToken(null);
    live.stop();
    queryClient.clear();
    queryClient.setQueryData(meKey, null);
    navigate('/login', { replace: true });
  };
}

function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="user-menu" aria-label={t('shell.userMenu')}>
          <Group gap={8} wrap="nowrap">
            <UserAvatar size={32} name={me.user.name} color={me.user.color} />
            <Text size="sm" fw={500} visibleFrom="xs" truncate maw={180}>
              {me.user.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.user.email}</Menu.Label>
        <Menu.Item component={Link} to="/profile" leftSection={<IconUser size={16} aria-hidden />}>
          {t('nav.profile')}
        </Menu.Item>
        <Menu.Item
          component={Link}
          to="/sessions"
          leftSection={<IconDeviceDesktop size={16} aria-hidden />}
        >
          {t('nav.sessions')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={logout}
          data-testid="logout"
        >
          {t('shell.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function Version() {
  const { t } = useTranslation();
  const system = useQuery({
    queryKey: ['system'],
    queryFn: () => get<{ version: string; database: string }>('/api/v1/system'),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  if (!system.data) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="app-version">
      {t('shell.version', { version: system.data.version, database: system.data.database })}
    </Text>
  );
}

/** Keeps the theme in line with the profile once the user is known. */
function useProfileTheme(me: Me) {
  const { setChoice } = useThemeChoice();
  const theme = me.user.theme;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the profile value changes
  useEffect(() => {
    if ((THEMES as readonly string[]).includes(theme)) setChoice(theme as ThemeName);
  }, [theme]);
}

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the breakpoint a closed navbar is only moved off screen: keep its links out of the Tab order.
  const phone = useMediaQuery('(max-width: 48em)');
  const navHidden = Boolean(phone) && !opened;
  useProfileTheme(me);
  useTicketListLiveRefresh();

  useEffect(() => {
    live.start();
    return () => live.stop();
  }, []);

  // Close the mobile navbar after choosing a page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation
  useEffect(() => close(), [location.pathname]);

  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : to === '/tickets'
        ? location.pathname.startsWith(to) && location.pathname !== '/tickets/new'
        : to === '/assets'
          ? location.pathname.startsWith(to)
          : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('shell.closeNav') : t('shell.openNav')}
            />
            <Title order={2} size="h4" style={{ whiteSpace: 'nowrap' }}>
              <Link to="/" style={{ color: 'inherit', textDecoration: 'none' }}>
                {t('app.name')}
              </Link>
            </Title>
            {me.company ? (
              <Text size="sm" c="dimmed" truncate visibleFrom="xs">
                {me.company.name}
              </Text>
            ) : null}
          </Group>
          <Group gap="xs" wrap="nowrap">
            {me.company ? <NotificationBell /> : null}
            <UserMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        p="xs"
        className="steward-navbar"
        aria-label={t('shell.navigation')}
        inert={navHidden || undefined}
        aria-hidden={navHidden || undefined}
      >
        <AppShell.Section grow component={ScrollArea}>
          {navItems(me).map((item) =>
            item.external ? (
              <NavLink
                key={item.name}
                href={item.to}
                target="_blank"
                rel="noopener"
                label={t(`nav.${item.name}`)}
                leftSection={item.icon}
                data-testid={`nav-${item.name}`}
              />
            ) : (
              <NavLink
                key={item.name}
                component={Link}
                to={item.to}
                label={t(`nav.${item.name}`)}
                leftSection={item.icon}
                active={isActive(item.to)}
                aria-current={isActive(item.to) ? 'page' : undefined}
                data-testid={`nav-${item.name}`}
              />
            ),
          )}
        </AppShell.Section>
        <AppShell.Section px="sm" pt="xs">
          <Version />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
