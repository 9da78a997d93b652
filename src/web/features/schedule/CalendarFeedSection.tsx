// Profile: the private iCalendar feed to subscribe to from a phone, with copy and rotate.
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { SecretValue } from '../../components/SecretValue';
import { useCalendarFeed, useRotateFeed } from './api';

export function CalendarFeedSection() {
  const { t } = useTranslation();
  const feed = useCalendarFeed();
  const rotate = useRotateFeed();
  return (
    <Paper withBorder p="md" data-testid="calendar-feed">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('schedule.feed.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('schedule.feed.help')}
        </Text>
        {feed.data ? <SecretValue value={feed.data.url} testId="calendar-feed-url" /> : null}
        <div>
          <ConfirmButton
            variant="default"
            title={t('schedule.feed.rotate')}
            message={t('schedule.feed.rotateConfirm')}
            confirmLabel={t('schedule.feed.rotate')}
            onConfirm={() => rotate.mutate()}
            loading={rotate.isPending}
          >
            {t('schedule.feed.rotate')}
          </ConfirmButton>
        </div>
      </Stack>
    </Paper>
  );
}
