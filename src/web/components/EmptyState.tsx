import { Center, Stack, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export function EmptyState({ message, action }: { message: ReactNode; action?: ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap="xs">
        <IconInbox size={32} aria-hidden />
        <Text c="dimmed">{message}</Text>
        {action}
      </Stack>
    </Center>
  );
}
