// Devices and their meters: add a device (its MQTT credentials are shown once, with copy buttons),
// rotate or delete it, add meters to it; each meter links to its chart.
import { Anchor, Badge, Button, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { SecretValue } from '../../components/SecretValue';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import {
  type Device,
  type DeviceWithCredentials,
  devicesKey,
  type Meter,
  metersKey,
  useCreateDevice,
  useCreateMeter,
  useDeleteDevice,
  useRotateDevice,
} from './api';

function Credentials({ made, onClose }: { made: DeviceWithCredentials | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={!!made} onClose={onClose} title={t('meters.credentials.title')} size="lg">
      {made ? (
        <Stack gap="sm">
          <Text size="sm">{t('meters.credentials.once')}</Text>
          <Text size="sm" fw={600}>
            {t('meters.credentials.url')}
          </Text>
          <SecretValue value={made.mqtt.url} testId="mqtt-url" />
          <Text size="sm" fw={600}>
            {t('meters.credentials.username')}
          </Text>
          <SecretValue value={made.mqtt.username} testId="mqtt-username" />
          <Text size="sm" fw={600}>
            {t('meters.credentials.password')}
          </Text>
          <SecretValue value={made.mqtt.password} testId="mqtt-password" />
          <Text size="sm" fw={600}>
            {t('meters.credentials.example')}
          </Text>
          <SecretValue
            value={`mosquitto_pub -L '${made.mqtt.url.replace('mqtt://', `mqtt://${made.mqtt.username}:${made.mqtt.password}@`)}/steward/${made.mqtt.username}/<meter key>' -q 1 -m '{"v": 21.5}'`}
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

function NewDevice({ opened, onClose, onMade }: { opened: boolean; onClose: () => void; onMade: (m: DeviceWithCredentials) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [offline, setOffline] = useState<number | string>(300);
  const create = useCreateDevice();
  return (
    <Modal opened={opened} onClose={onClose} title={t('meters.devices.new')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name, offlineAfterSeconds: Number(offline) || 300 },
            {
              onSuccess: (made) => {
                setName('');
                onMade(made);
              },
            },
          );
        }}
      >
        <Stack>
          {create.error ? <ErrorAlert error={create.error} /> : null}
          <TextInput
            label={t('meters.fields.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            data-testid="device-name"
          />
          <NumberInput label={t('meters.fields.offlineAfter')} value={offline} onChange={setOffline} min={10} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} data-testid="device-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function NewMeter({ device, onClose }: { device: Device | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ key: '', name: '', unit: '' });
  const create = useCreateMeter();
  return (
    <Modal opened={!!device} onClose={onClose} title={t('meters.meters.new')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!device) return;
          create.mutate(
            { deviceId: device.id, ...form },
            {
              onSuccess: () => {
                setForm({ key: '', name: '', unit: '' });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          {create.error ? <ErrorAlert error={create.error} /> : null}
          <TextInput
            label={t('meters.fields.key')}
            description={t('meters.fields.keyHelp')}
            value={form.key}
            onChange={(e) => setForm({ ...form, key: e.currentTarget.value })}
            required
            data-testid="meter-key"
          />
          <TextInput
            label={t('meters.fields.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            required
            data-testid="meter-name"
          />
          <TextInput
            label={t('meters.fields.unit')}
            value={form.unit}
            onChange={(e) => setForm({ ...form, unit: e.currentTarget.value })}
            data-testid="meter-unit"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} data-testid="meter-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DevicesPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const devices = useKeysetList<Device>(devicesKey, '/api/v1/devices', { limit: 50 });
  const meters = useKeysetList<Meter>(metersKey, '/api/v1/meters', { limit: 200 });
  const [adding, setAdding] = useState(false);
  const [made, setMade] = useState<DeviceWithCredentials | null>(null);
  const [meterFor, setMeterFor] = useState<Device | null>(null);
  const rotate = useRotateDevice();
  const remove = useDeleteDevice();
  const metersOf = (id: string) => meters.items.filter((m) => m.deviceId === id);
  return (
    <>
      <PageHeader
        title={t('meters.devices.title')}
        description={t('meters.devices.description')}
        actions={
          <Button onClick={() => setAdding(true)} data-testid="device-new">
            {t('meters.devices.new')}
          </Button>
        }
      />
      {devices.isPending ? (
        <PageLoader />
      ) : devices.isError ? (
        <ErrorAlert error={devices.error} onRetry={() => devices.refetch()} />
      ) : devices.items.length === 0 ? (
        <EmptyState message={t('meters.devices.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped data-testid="devices-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('meters.fields.device')}</Table.Th>
                <Table.Th>{t('meters.fields.meters')}</Table.Th>
                <Table.Th>{t('meters.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.items.map((d) => (
                <Table.Tr key={d.id} data-testid={`device-${d.id}`}>
                  <Table.Td>
                    <Text fw={600}>{d.name}</Text>
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {d.deviceKey}
                    </Text>
                    <Badge color={d.online ? 'green' : 'gray'} variant="light" mt={4}>
                      {d.online ? t('meters.online') : t('meters.offline')}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t('meters.fields.lastSeen')}: {fmt(d.lastSeenAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {metersOf(d.id).map((m) => (
                        <Anchor key={m.id} component={Link} to={`/meters/${m.id}`} data-testid={`meter-link-${m.key}`}>
                          {m.name}: {m.lastValue ?? '—'} {m.unit}
                        </Anchor>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button size="xs" variant="light" onClick={() => setMeterFor(d)} data-testid="meter-new">
                        {t('meters.meters.new')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        loading={rotate.isPending}
                        onClick={() => rotate.mutate(d.id, { onSuccess: setMade })}
                      >
                        {t('meters.devices.rotate')}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          if (window.confirm(t('meters.devices.confirmDelete'))) remove.mutate(d.id);
                        }}
                      >
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={!!devices.hasNextPage} isFetchingNextPage={devices.isFetchingNextPage} fetchNextPage={devices.fetchNextPage} />
      <NewDevice
        opened={adding}
        onClose={() => setAdding(false)}
        onMade={(m) => {
          setAdding(false);
          setMade(m);
        }}
      />
      <Credentials made={made} onClose={() => setMade(null)} />
      <NewMeter device={meterFor} onClose={() => setMeterFor(null)} />
    </>
  );
}
