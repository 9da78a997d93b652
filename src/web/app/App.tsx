// Providers around the router: query cache, theme, Mantine, notifications and modals.
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { queryClient } from './queryClient';
import { router } from './router';
import { ThemeChoiceProvider, useThemeChoice } from './ThemeChoice';
import { cssVariablesResolver, schemeOf, themes } from './themes';

function ThemedApp() {
  const { effective } = useThemeChoice();
  const { t } = useTranslation();
  // Translated defaults for Mantine's built-in labels.
  const theme = useMemo(
    () => ({
      ...themes[effective],
      components: {
        PasswordInput: {
          defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('common.showCharacters') } },
        },
        Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
        Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
        Drawer: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
        Alert: { defaultProps: { closeButtonLabel: t('common.close') } },
        ColorInput: {
          defaultProps: { eyeDropperButtonProps: { 'aria-label': t('common.pickColor') } },
        },
      },
    }),
    [effective, t],
  );
  return (
    <MantineProvider
      theme={theme}
      forceColorScheme={schemeOf(effective)}
      cssVariablesResolver={cssVariablesResolver}
    >
      {/* No fade: half-transparent text would fail contrast checks while it animates. */}
      <Notifications position="bottom-right" transitionDuration={0} />
      <ModalsProvider>
        <RouterProvider router={router} />
      </ModalsProvider>
    </MantineProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeChoiceProvider>
        <ThemedApp />
      </ThemeChoiceProvider>
    </QueryClientProvider>
  );
}
