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
      <Notifications position="top-right" />
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
