// The public, phone-first report page behind an asset's QR code: no login, no app shell. Shows the
// asset's name and location and takes a description, a name, an optional e-mail and up to 5 photos.
import { Alert, Box, Button, Center, CloseButton, Container, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconCamera, IconCircleCheck, IconMapPin } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageLoader } from '../../components/PageLoader';
import { ApiError, get, upload } from '../../lib/api';
import { EMAIL_RE } from '../../lib/forms';
import type { PublicAsset } from '../../../shared/contracts/public-report';

export const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const OK_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];


function Frame({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box component="main" mih="100vh" py="md" bg="var(--mantine-color-body)">
      <Container size={520} px="sm">
        <Text size="sm" fw={700} c="dimmed" mb="sm">
          {t('app.name')}
        </Text>
        {children}
      </Container>
    </Box>
  );
}

export function PublicReportPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const photoInputId = useId();
  const [photos, setPhotos] = useState<File[]>([]);
  const [photoErrors, setPhotoErrors] = useState<Record<number, string>>({});
  const asset = useQuery({
    queryKey: ['public-asset', token],
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    queryFn: () => get<PublicAsset>(`/api/v1/public/assets/${encodeURIComponent(token)}`),
  });
  const form = useForm({
    initialValues: { description: '', name: '', email: '', website: '' },
    validate: {
      description: (v) => (v.trim().length >= 3 ? null : t('publicReport.descriptionRequired')),
      name: (v) => (v.trim() ? null : t('publicReport.nameRequired')),
      email: (v) => (!v.trim() || EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
    },
  });
  const send = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = new FormData();
      body.append('description', v.description.trim());
      body.append('name', v.name.trim());
      if (v.email.trim()) body.append('email', v.email.trim());
      body.append('website', v.website);
      for (const p of photos) body.append('photos', p, p.name);
      return upload<{ ticketNumber: number }>(`/api/v1/public/assets/${encodeURIComponent(token)}/reports`, body);
    },
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 413 || error.status === 415)) {
        // The server names no photo: point at the ones that break its stated limit or the image types.
        const d = error.details ?? {};
        const limit = Number(d.limitBytes);
        const tooMany = error.status === 413 && d.maxPhotos !== undefined;
        const msg = error.status === 413 ? t('publicReport.photoTooLarge') : t('publicReport.photoType');
        const bad = photos
          .map((p, i) => ({ p, i }))
          .filter(({ p }) => (error.status === 413 ? Number.isFinite(limit) && p.size > limit : !OK_TYPES.includes(p.type)));
        if (tooMany) setPhotoErrors({ [photos.length - 1]: t('publicReport.tooManyPhotos', { max: MAX_PHOTOS }) });
        else setPhotoErrors(Object.fromEntries((bad.length ? bad : photos.map((p, i) => ({ p, i }))).map(({ i }) => [i, msg])));
      }
    },
  });

  const addPhotos = (list: FileList | null) => {
    if (!list) return;
    const next = [...photos, ...Array.from(list)].slice(0, MAX_PHOTOS);
    setPhotos(next);
    setPhotoErrors(checkPhotos(next));
  };
  const checkPhotos = (list: File[]) => {
    const errs: Record<number, string> = {};
    list.forEach((p, i) => {
      if (p.type && !p.type.startsWith('image/')) errs[i] = t('publicReport.photoType');
      else if (p.size > MAX_PHOTO_BYTES) errs[i] = t('publicReport.photoTooLarge');
    });
    return errs;
  };
  const removePhoto = (i: number) => {
    const next = photos.filter((_, j) => j !== i);
    setPhotos(next);
    setPhotoErrors(checkPhotos(next));
  };

  if (asset.isPending) return <PageLoader />;
  if (asset.isError) {
    const notFound = asset.error instanceof ApiError && asset.error.status === 404;
    return (
      <Frame>
        <Alert
          color="red"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          title={notFound ? t('publicReport.invalidLink') : t('common.error')}
          role="alert"
          data-testid="public-error"
        >
          {notFound ? t('publicReport.invalidLinkHelp') : t('publicReport.tryLater')}
        </Alert>
      </Frame>
    );
  }
  const { name } = asset.data.asset;
  const where = asset.data.asset.location;

  if (send.data) {
    return (
      <Frame>
        <Paper withBorder p="lg" data-testid="report-success">
          <Stack align="center" gap="sm" ta="center">
            <IconCircleCheck size={48} color="var(--mantine-color-green-7)" aria-hidden />
            <Title order={1} size="h3">
              {t('publicReport.thanks')}
            </Title>
            <Text>{t('publicReport.yourNumber')}</Text>
            <Text fz={32} fw={700} data-testid="report-ticket-number">
              #{send.data.ticketNumber}
            </Text>
            <Text size="sm" c="dimmed">
              {form.values.email.trim() ? t('publicReport.updatesByEmail') : t('publicReport.keepNumber')}
            </Text>
          </Stack>
        </Paper>
      </Frame>
    );
  }

  const err = send.error;
  const status = err instanceof ApiError ? err.status : 0;
  const fieldErrors = err instanceof ApiError ? err.fieldErrors : null;
  return (
    <Frame>
      <Title order={1} size="h3" data-testid="public-asset-name" style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Title>
      {where ? (
        <Group gap={4} mt={4} wrap="nowrap">
          <IconMapPin size={16} aria-hidden />
          <Text size="sm" data-testid="public-asset-location">
            {where}
          </Text>
        </Group>
      ) : null}
      <Text size="sm" mt="sm" mb="md">
        {t('publicReport.intro')}
      </Text>
      <form
        onSubmit={form.onSubmit((v) => {
          if (Object.keys(photoErrors).length) return;
          send.mutate(v);
        })}
        noValidate
        data-testid="public-report-form"
      >
        <Stack gap="md">
          {err && status !== 413 && status !== 415 ? (
            <Alert color="red" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />} data-testid="report-error">
              {status === 404
                ? t('publicReport.invalidLink')
                : status === 429
                  ? t('publicReport.tooMany')
                  : fieldErrors
                    ? t('publicReport.checkFields')
                    : t('publicReport.tryLater')}
            </Alert>
          ) : null}
          <Textarea
            label={t('publicReport.description')}
            description={t('publicReport.descriptionHint')}
            required
            autosize
            minRows={4}
            {...form.getInputProps('description')}
            error={form.errors.description ?? fieldErrors?.description}
            data-testid="report-description"
          />
          <TextInput
            label={t('publicReport.name')}
            required
            autoComplete="name"
            {...form.getInputProps('name')}
            error={form.errors.name ?? fieldErrors?.name}
            data-testid="report-name"
          />
          <TextInput
            label={t('publicReport.email')}
            description={t('publicReport.emailHint')}
            type="email"
            autoComplete="email"
            inputMode="email"
            {...form.getInputProps('email')}
            error={form.errors.email ?? fieldErrors?.email}
            data-testid="report-email"
          />
          {/* A trap for bots: people (and screen readers) never see it, so it stays empty. */}
          <div aria-hidden="true" style={{ position: 'absolute', left: '-10000px', top: 'auto', width: 1, height: 1, overflow: 'hidden' }}>
            <label htmlFor="report-website">Website</label>
            <input
              id="report-website"
              name="website"
              type="text"
              tabIndex={-1}
              autoComplete="off"
              {...form.getInputProps('website')}
              data-testid="report-website"
            />
          </div>
          <Stack gap={6}>
            <Text component="label" htmlFor={photoInputId} size="sm" fw={500}>
              {t('publicReport.photos', { max: MAX_PHOTOS })}
            </Text>
            <input
              id={photoInputId}
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              hidden
              onChange={(e) => {
                addPhotos(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
              data-testid="report-photos"
            />
            <Button
              variant="default"
              leftSection={<IconCamera size={18} aria-hidden />}
              onClick={() => document.getElementById(photoInputId)?.click()}
              disabled={photos.length >= MAX_PHOTOS}
              fullWidth
              data-testid="add-photos"
            >
              {photos.length ? t('publicReport.addMorePhotos', { count: photos.length, max: MAX_PHOTOS }) : t('publicReport.addPhotos')}
            </Button>
            {photos.map((p, i) => (
              <Paper key={`${p.name}-${i}`} withBorder p="xs" data-testid="report-photo">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" truncate>
                      {p.name}
                    </Text>
                    {photoErrors[i] ? (
                      <Text size="xs" c="red.8" role="alert" data-testid="photo-error">
                        {photoErrors[i]}
                      </Text>
                    ) : null}
                  </Stack>
                  <CloseButton aria-label={t('publicReport.removePhoto', { name: p.name })} onClick={() => removePhoto(i)} />
                </Group>
              </Paper>
            ))}
          </Stack>
          <Button type="submit" size="md" loading={send.isPending} fullWidth data-testid="report-submit">
            {t('publicReport.submit')}
          </Button>
        </Stack>
      </form>
    </Frame>
  );
}

export function PublicFallback() {
  return (
    <Center mih="60vh">
      <PageLoader />
    </Center>
  );
}
