// Last-resort error page for a render error or a chunk that failed to load (e.g. after a deploy).
import { Button, Center, Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" maw={560}>
        <Text size="xl" fw={700}>
          {t('app.crashed')}
        </Text>
        {error instanceof Error ? <Code block>{error.message}</Code> : null}
        <Button onClick={() => window.location.reload()}>{t('app.reload')}</Button>
      </Stack>
    </Center>
  );
}
