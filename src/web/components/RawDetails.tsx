// The stored record behind a sentence of a history or log, one click away for whoever needs it.
import { Anchor, Code } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function RawDetails({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Anchor component="button" type="button" size="xs" c="dimmed" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="raw-details-toggle">
        {open ? t('history.hideDetails') : t('history.showDetails')}
      </Anchor>
      {open ? (
        <Code block data-testid="raw-details" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxWidth: '100%' }}>
          {JSON.stringify(value, null, 2)}
        </Code>
      ) : null}
    </>
  );
}
