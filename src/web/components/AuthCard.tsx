// The centred card used by the pages shown before login (setup, login, reset, invitation, signup).
import { Anchor, Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function AuthCard({
  title,
  subtitle,
  children,
  footer,
  width = 420,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <Box component="main" px="sm" py="xl">
      <Center>
        <Stack w="100%" maw={width} gap="md">
          <Text fw={800} size="xl" ta="center" aria-hidden>
            {t('app.name')}
          </Text>
          <Paper withBorder shadow="sm" p={{ base: 'md', xs: 'xl' }} radius="md">
            <Title order={1} size="h3" mb={subtitle ? 4 : 'md'}>
              {title}
            </Title>
            {subtitle ? (
              <Text size="sm" c="dimmed" mb="md">
                {subtitle}
              </Text>
            ) : null}
            {children}
          </Paper>
          {footer ? (
            <Group justify="center" gap="md">
              {footer}
            </Group>
          ) : null}
          <Text size="xs" c="dimmed" ta="center">
            <Anchor href="/api/docs" size="xs" c="dimmed" underline="always">
              {t('nav.apiDocs')}
            </Anchor>
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
