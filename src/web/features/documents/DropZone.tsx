// A drop target for one file that is also a button (keyboard and touch pick through the file dialog).
import { Button, FileButton, Paper, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function DropZone({ file, onFile }: { file: File | null; onFile: (f: File | null) => void }) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  return (
    <Paper
      withBorder
      p="md"
      data-testid="document-dropzone"
      style={{ borderStyle: 'dashed', background: over ? 'var(--mantine-color-blue-light)' : undefined }}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const dropped = e.dataTransfer.files?.[0];
        if (dropped) onFile(dropped);
      }}
    >
      <Stack gap="xs" align="center">
        <Text size="sm" c="dimmed" ta="center" style={{ overflowWrap: 'anywhere' }}>
          {file ? t('documents.chosen', { name: file.name }) : t('documents.dropHint')}
        </Text>
        <FileButton
          onChange={(f) => onFile(f)}
          inputProps={{ 'data-testid': 'document-file-input', 'aria-label': t('documents.chooseFile') } as never}
        >
          {(props) => (
            <Button {...props} variant="default" size="xs" leftSection={<IconUpload size={14} aria-hidden />}>
              {t('documents.chooseFile')}
            </Button>
          )}
        </FileButton>
      </Stack>
    </Paper>
  );
}
