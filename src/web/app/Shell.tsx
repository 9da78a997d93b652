// The signed-in frame: header with burger and user menu, a permission-filtered navbar, the page.
import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconBeachBag,
  IconCalendarEvent,
  IconApi,
  IconBell,
  IconBriefcase,
  IconFiles,
  IconBuildingSkyscraper,
  IconHeartbeat,
  IconDatabaseExport,
  IconDatabaseImport,
  IconReportMoney,
  IconCalendarTime,
  IconCategory,
  IconClockHour4,
  IconChevronDown,
  IconDeviceDesktop,
  IconDeviceLaptop,
  IconList,
  IconChartLine,
  IconGauge,
  IconAlertTriangle,
  IconTrashX,
  IconWebhook,
  IconMapPin,
  IconPackage,
  IconShoppingCart,
  IconTruck,
  IconChartBar,
  IconClipboardList,
  IconFileInvoice,
  IconRepeat,
  IconCalendarDue,
  IconBuildingWarehouse,
  IconHome,
  IconListDetails,
  IconLogout,
  IconAddressBook,
  IconInbox,
  IconMail,
  IconMailCog,
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
import { ReadOnlyBanner } from '../features/license/ReadOnlyBanner';
import { UserAvatar } from '../components/UserAvatar';
import { get, post, setCsrfToken } from '../lib/api';
import { live } from '../lib/live';
import { THEMES, type ThemeName } from '../../shared/contracts/enums';
import type { Me } from '../../shared/contracts/me';
import type { Permission } from '../../shared/permissions/catalogue';
import { meKey, useMe } from '../lib/useMe';
import { MeterAlertsBadge } from '../features/meters/MeterAlertsBadge';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useTicketListLiveRefresh } from '../features/tickets/live';
import { useThemeChoice } from './ThemeChoice';

interface NavItem {
  name: string;
  to: string;
  icon: ReactNode;
  badge?: ReactNode;
}

interface NavGroup {
  /** i18n key under nav.groups; null for the ungrouped entries at the top. */
  name: string | null;
  items: NavItem[];
}

/** The navigation, grouped the way the work is; each person sees only the entries they may use. */
export function navGroups(me: Me): NavGroup[] {
  const has = (...p: Permission[]) => p.some((x) => me.permissions.includes(x));
  const inCompany = Boolean(me.company);
  const item = (show: boolean, name: string, to: string, icon: ReactNode): NavItem[] => (show ? [{ name, to, icon }] : []);
  const groups: NavGroup[] = [
    {
      name: null,
      items: [
        ...item(true, 'dashboard', '/', <IconHome size={18} aria-hidden />),
        ...item(inCompany, 'notifications', '/notifications', <IconBell size={18} aria-hidden />),
      ],
    },
    {
      name: 'serviceDesk',
      items: [
        ...item(inCompany && me.can.viewTickets, 'tickets', '/tickets', <IconTicket size={18} aria-hidden />),
        ...item(inCompany && has('tickets.create'), 'newTicket', '/tickets/new', <IconSquarePlus size={18} aria-hidden />),
        // Anyone who may open a ticket may ask for supplies (POST /supply-requests needs tickets.create).
        ...item(inCompany && has('tickets.create'), 'supplyRequest', '/supply/new', <IconShoppingCart size={18} aria-hidden />),
      ],
    },
    {
      name: 'assetsInventory',
      items: [
        ...item(inCompany && has('assets.view', 'assets.manage'), 'assets', '/assets', <IconDeviceLaptop size={18} aria-hidden />),
        ...item(inCompany && has('assets.view', 'assets.manage'), 'locations', '/locations', <IconMapPin size={18} aria-hidden />),
        ...item(inCompany && has('meters.manage'), 'devices', '/devices', <IconGauge size={18} aria-hidden />),
        ...item(inCompany && has('meters.manage'), 'meterAlerts', '/meter-alerts', <IconAlertTriangle size={18} aria-hidden />).map((i) => ({ ...i, badge: <MeterAlertsBadge /> })),
        ...item(inCompany && has('meters.manage', 'assets.view'), 'meterAnalytics', '/meters/analytics', <IconChartLine size={18} aria-hidden />),
        ...item(inCompany && has('inventory.view', 'inventory.manage'), 'parts', '/parts', <IconPackage size={18} aria-hidden />),
        ...item(inCompany && has('inventory.view', 'inventory.manage'), 'vendors', '/vendors', <IconTruck size={18} aria-hidden />),
      ],
    },
    {
      name: 'planning',
      items: [
        ...item(inCompany && has('schedule.view', 'schedule.manage'), 'schedule', '/schedule', <IconCalendarEvent size={18} aria-hidden />),
        ...item(inCompany && has('schedule.view', 'schedule.manage'), 'timeOff', '/time-off', <IconBeachBag size={18} aria-hidden />),
        ...item(inCompany && me.can.viewProjects, 'projects', '/projects', <IconBriefcase size={18} aria-hidden />),
        ...item(inCompany && has('documents.view'), 'documents', '/documents', <IconFiles size={18} aria-hidden />),
        ...item(inCompany && has('purchasing.manage'), 'plannedItems', '/planned-items', <IconClipboardList size={18} aria-hidden />),
        ...item(inCompany && has('purchasing.manage'), 'purchaseOrders', '/purchase-orders', <IconFileInvoice size={18} aria-hidden />),
        ...item(inCompany && has('maintenance.manage'), 'recurringTickets', '/recurring-tickets', <IconRepeat size={18} aria-hidden />),
        ...item(inCompany && has('maintenance.manage'), 'maintenancePlans', '/maintenance-plans', <IconCalendarDue size={18} aria-hidden />),
        ...item(inCompany && has('reports.view', 'reports.financial'), 'reports', '/reports', <IconChartBar size={18} aria-hidden />),
      ],
    },
    {
      name: 'administration',
      items: [
        ...item(has('users.view', 'users.manage'), 'users', '/users', <IconUsers size={18} aria-hidden />),
        ...item(has('roles.manage'), 'roles', '/roles', <IconShieldLock size={18} aria-hidden />),
        ...item(has('departments.manage'), 'departments', '/departments', <IconSitemap size={18} aria-hidden />),
        ...item(inCompany && has('categories.manage'), 'categories', '/categories', <IconCategory size={18} aria-hidden />),
        ...item(inCompany && has('categories.manage'), 'teams', '/teams', <IconUsersGroup size={18} aria-hidden />),
        ...item(inCompany && has('settings.manage'), 'businessHours', '/settings/business-hours', <IconCalendarTime size={18} aria-hidden />),
        ...item(inCompany && has('settings.manage'), 'slaPolicies', '/settings/sla-policies', <IconClockHour4 size={18} aria-hidden />),
        ...item(inCompany && has('assets.manage'), 'picklists', '/settings/picklists', <IconList size={18} aria-hidden />),
        ...item(
          inCompany && has('purchasing.manage'),
          'purchasingSetup',
          '/purchasing/setup',
          <IconBuildingWarehouse size={18} aria-hidden />,
        ),
        ...item(inCompany && has('settings.manage'), 'mailboxes', '/mailboxes', <IconInbox size={18} aria-hidden />),
        ...item(inCompany && has('settings.manage'), 'mailSettings', '/settings/mail', <IconMailCog size={18} aria-hidden />),
        ...item(inCompany && has('webhooks.manage'), 'webhooks', '/webhooks', <IconWebhook size={18} aria-hidden />),
        ...item(inCompany && has('settings.manage'), 'retention', '/settings/retention', <IconTrashX size={18} aria-hidden />),
        ...item(inCompany && has('users.view'), 'contacts', '/contacts', <IconAddressBook size={18} aria-hidden />),
        ...item(has('settings.manage'), 'outbox', '/outbox', <IconMail size={18} aria-hidden />),
        ...item(has('audit.view'), 'audit', '/audit', <IconListDetails size={18} aria-hidden />),
        ...item(inCompany && has('settings.manage'), 'backup', '/settings/backup', <IconDatabaseExport size={18} aria-hidden />),
        ...item(me.superAdmin, 'companies', '/companies', <IconBuildingSkyscraper size={18} aria-hidden />),
        ...item(me.superAdmin, 'system', '/system', <IconHeartbeat size={18} aria-hidden />),
        ...item(me.superAdmin, 'restoreCompany', '/companies/restore', <IconDatabaseImport size={18} aria-hidden />),
        ...item(me.superAdmin, 'companyCosts', '/companies/costs', <IconReportMoney size={18} aria-hidden />),
      ],
    },
    {
      name: 'account',
      items: [
        { name: 'profile', to: '/profile', icon: <IconUser size={18} aria-hidden /> },
        { name: 'sessions', to: '/sessions', icon: <IconDeviceDesktop size={18} aria-hidden /> },
      ],
    },
  ];
  return groups.filter((g) => g.items.length > 0);
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
        <Menu.Item component={Link} to="/sessions" leftSection={<IconDeviceDesktop size={16} aria-hidden />}>
          {t('nav.sessions')}
        </Menu.Item>
        <Menu.Item
          component="a"
          href="/api/docs"
          target="_blank"
          rel="noopener"
          leftSection={<IconApi size={16} aria-hidden />}
          data-testid="menu-apiDocs"
        >
          {t('nav.apiDocs')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={logout} data-testid="logout">
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
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <a href="#main" className="steward-skip-link" data-testid="skip-link">
          {t('shell.skipToContent')}
        </a>
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
          {navGroups(me).map((group) => {
            const links = group.items.map((item) => (
              <NavLink
                key={item.name}
                component={Link}
                to={item.to}
                label={t(`nav.${item.name}`)}
                leftSection={item.icon}
                rightSection={item.badge}
                active={isActive(item.to)}
                aria-current={isActive(item.to) ? 'page' : undefined}
                data-testid={`nav-${item.name}`}
              />
            ));
            if (!group.name) return <div key="top">{links}</div>;
            const headingId = `nav-group-${group.name}`;
            return (
              <div key={group.name} data-testid={`navgroup-${group.name}`}>
                <Text id={headingId} component="h2" size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4} m={0}>
                  {t(`nav.groups.${group.name}`)}
                </Text>
                {links}
              </div>
            );
          })}
        </AppShell.Section>
        <AppShell.Section px="sm" pt="xs">
          <Version />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1}>
        <ReadOnlyBanner />
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
