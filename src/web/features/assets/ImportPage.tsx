// CSV import wizard: upload → column mapping (suggested, editable) → dry run with per-row errors →
// import → summary.
import { Alert, Anchor, Button, Checkbox, FileInput, Group, Paper, Select, Stack, Stepper, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { upload } from '../../lib/api';
import { assetsKey } from './api';
import type { ImportAnswer } from '../../../shared/contracts/assets';

export const IMPORT_FIELDS = [
  'tag',
  'name',
  'category',
  'manufacturer',
  'model',
  'serial',
  'status',
  'condition',
  'location',
  'department',
  'purchaseDate',
  'purchaseCost',
  'warrantyEnd',
  'warrantyMonths',
  'notes',
] as const;

type ImportResult = ImportAnswer;

/** Splits one CSV line, honouring quotes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const ALIASES: Record<string, string> = {
  assettag: 'tag',
  serialnumber: 'serial',
  sn: 'serial',
  cost: 'purchaseCost',
  price: 'purchaseCost',
  purchased: 'purchaseDate',
  warranty: 'warrantyEnd',
  room: 'location',
  site: 'location',
  vendor: 'manufacturer',
  brand: 'manufacturer',
  type: 'category',
};

export function suggestField(column: string, customKeys: string[] = []): string | null {
  const n = norm(column);
  const direct = IMPORT_FIELDS.find((f) => norm(f) === n);
  if (direct) return direct;
  if (ALIASES[n]) return ALIASES[n];
  const custom = customKeys.find((k) => norm(k) === n);
  if (custom) return `customFields.${custom}`;
  return null;
}

export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [createValues, setCreateValues] = useState(true);
  const [readError, setReadError] = useState<string | null>(null);

  const fieldOptions = [
    { value: '', label: t('assets.import.ignore') },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: t(`assets.importFields.${f}`) })),
    ...[
      ...new Set([
        ...Object.values(mapping).filter((f): f is string => !!f && f.startsWith('customFields.')),
        ...columns
          .filter((c) => !suggestField(c))
          .map(
            (c) =>
              `customFields.${c
                .toLowerCase()
                .replace(/[^a-z0-9]+/g, '_')
                .replace(/^_|_$/g, '')}`,
          ),
      ]),
    ].map((f) => ({
      value: f,
      label: t('assets.import.asCustom', { name: f.slice('customFields.'.length) }),
    })),
  ];

  const pick = async (f: File | null) => {
    setFile(f);
    setReadError(null);
    dry.reset();
    run.reset();
    if (!f) return;
    const text = await f.text();
    const first = text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim());
    if (!first) {
      setReadError(t('assets.import.empty'));
      return;
    }
    const cols = splitCsvLine(first).filter(Boolean);
    setColumns(cols);
    setMapping(Object.fromEntries(cols.map((c) => [c, suggestField(c)])));
    setStep(1);
    // The server knows more header names (and the custom fields): take its suggestions when it has them.
    try {
      const form = new FormData();
      form.append('file', f, f.name);
      const answer = await upload<ImportResult>('/api/v1/assets/import?dryRun=true', form);
      if (answer.columns?.length) setMapping(Object.fromEntries(answer.columns.map((c) => [c.header, c.field])));
    } catch {
      /* keep the local suggestions */
    }
  };

  const send = (dryRun: boolean) => {
    if (!file) throw new Error('no file');
    // The server reads the fields before the file.
    const form = new FormData();
    const m: Record<string, string> = {};
    for (const [c, f] of Object.entries(mapping)) m[c] = f || 'ignore';
    form.append('mapping', JSON.stringify(m));
    form.append('createPicklistValues', String(createValues));
    form.append('file', file, file.name);
    return upload<ImportResult>(`/api/v1/assets/import?dryRun=${dryRun}&createPicklistValues=${createValues}`, form);
  };
  const dry = useMutation({ mutationFn: () => send(true), onSuccess: () => setStep(2) });
  const run = useMutation({
    mutationFn: () => send(false),
    onSuccess: () => {
      setStep(3);
      void queryClient.invalidateQueries({ queryKey: assetsKey });
    },
  });
  const mappedName = Object.values(mapping).includes('name');
  const preview = dry.data?.preview ?? [];
  const previewCols = preview.length ? Object.keys(preview[0]).slice(0, 8) : [];

  return (
    <>
      <PageHeader
        title={t('assets.import.title')}
        actions={
          <Button
            component="a"
            href="/api/v1/assets/import/template.csv"
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            {t('assets.import.template')}
          </Button>
        }
      />
      <Stepper active={step} onStepClick={(s) => s < step && step < 3 && setStep(s)} size="sm" mb="md" allowNextStepsSelect={false}>
        <Stepper.Step label={t('assets.import.steps.upload')}>
          <Paper withBorder p="md" maw={600}>
            <FileInput
              label={t('assets.import.file')}
              description={t('assets.import.fileHint')}
              accept=".csv,text/csv"
              value={file}
              onChange={pick}
              leftSection={<IconFileTypeCsv size={16} aria-hidden />}
              clearable
              data-testid="import-file"
            />
            {readError ? (
              <Text c="red" size="sm" mt="xs" role="alert">
                {readError}
              </Text>
            ) : null}
          </Paper>
        </Stepper.Step>
        <Stepper.Step label={t('assets.import.steps.mapping')}>
          <Paper withBorder p="md">
            <Text size="sm" mb="sm">
              {t('assets.import.mappingHint')}
            </Text>
            <Table data-testid="import-mapping">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('assets.import.column')}</Table.Th>
                  <Table.Th>{t('assets.import.field')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {columns.map((c) => (
                  <Table.Tr key={c}>
                    <Table.Td>{c}</Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('assets.import.fieldFor', { column: c })}
                        data={fieldOptions}
                        value={mapping[c] ?? ''}
                        onChange={(v) => setMapping((m) => ({ ...m, [c]: v || null }))}
                        allowDeselect={false}
                        searchable
                        data-testid={`map-${c}`}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Checkbox
              mt="md"
              label={t('assets.import.createValues')}
              checked={createValues}
              onChange={(e) => setCreateValues(e.currentTarget.checked)}
            />
            {!mappedName ? (
              <Alert color="yellow" mt="md">
                {t('assets.import.needName')}
              </Alert>
            ) : null}
            <ErrorAlert error={dry.error} />
            <Group mt="md">
              <Button variant="default" onClick={() => setStep(0)}>
                {t('assets.import.back')}
              </Button>
              <Button onClick={() => dry.mutate()} loading={dry.isPending} disabled={!mappedName} data-testid="import-dry-run">
                {t('assets.import.dryRun')}
              </Button>
            </Group>
          </Paper>
        </Stepper.Step>
        <Stepper.Step label={t('assets.import.steps.preview')}>
          {dry.data ? (
            <Paper withBorder p="md" data-testid="import-preview">
              <Text size="sm" mb="sm">
                {t('assets.import.wouldCreate', { created: dry.data.created, updated: dry.data.updated, errors: dry.data.errors.length })}
              </Text>
              {dry.data.errors.length ? (
                <Alert color="red" mb="md" title={t('assets.import.rowErrors')} data-testid="import-errors">
                  <Stack gap={2}>
                    {dry.data.errors.slice(0, 200).map((e) => (
                      <Text size="sm" key={`${e.row}-${e.message}`}>
                        {t('assets.import.rowError', { row: e.row, message: e.message })}
                      </Text>
                    ))}
                  </Stack>
                </Alert>
              ) : null}
              {preview.length ? (
                <Table.ScrollContainer minWidth={600}>
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        {previewCols.map((c) => (
                          <Table.Th key={c}>{c}</Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.slice(0, 20).map((row, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no id
                        <Table.Tr key={i}>
                          {previewCols.map((c) => (
                            <Table.Td key={c}>{typeof row[c] === 'object' ? JSON.stringify(row[c]) : String(row[c] ?? '')}</Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              ) : null}
              <ErrorAlert error={run.error} />
              <Group mt="md">
                <Button variant="default" onClick={() => setStep(1)}>
                  {t('assets.import.back')}
                </Button>
                <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="import-run">
                  {dry.data.errors.length ? t('assets.import.runSkipping') : t('assets.import.run')}
                </Button>
              </Group>
            </Paper>
          ) : null}
        </Stepper.Step>
        <Stepper.Completed>
          {run.data ? (
            <Paper withBorder p="md" data-testid="import-result">
              <Text fw={600}>{t('assets.import.done', { created: run.data.created, updated: run.data.updated })}</Text>
              {run.data.errors.length ? (
                <Stack gap={2} mt="sm">
                  <Text size="sm" c="red">
                    {t('assets.import.skipped', { count: run.data.errors.length })}
                  </Text>
                  {run.data.errors.slice(0, 200).map((e) => (
                    <Text size="sm" key={`${e.row}-${e.message}`}>
                      {t('assets.import.rowError', { row: e.row, message: e.message })}
                    </Text>
                  ))}
                </Stack>
              ) : null}
              <Group mt="md">
                <Anchor component={Link} to="/assets">
                  {t('assets.backToList')}
                </Anchor>
              </Group>
            </Paper>
          ) : null}
        </Stepper.Completed>
      </Stepper>
    </>
  );
}
