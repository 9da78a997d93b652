// "Download" with CSV and XLSX: the report's file as shown, every row (not a page).
import { Button, Menu } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Query } from '../../lib/api';
import { fileUrl } from './api';

/** "Download" with CSV and XLSX, for the report as shown (every row, not a page). */
export function DownloadMenu({ path, query, testId }: { path: string; query: Query; testId: string }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} data-testid={testId}>
          {t('reports.download')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href={fileUrl(path, query, 'xlsx')} download>
          {t('reports.xlsx')}
        </Menu.Item>
        <Menu.Item component="a" href={fileUrl(path, query, 'csv')} download>
          {t('reports.csv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
