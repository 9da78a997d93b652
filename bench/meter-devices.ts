// Shared pieces of the MQTT meter benchmarks (bench/meters.ts, bench/meters-burst.ts): the devices'
// Mosquitto accounts as Steward creates them, their connections, and a process's CPU time.
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { sha256 } from '../src/server/platform/crypto.js';

/** The password every bench device has (its secret_hash is sha256 of it). */
export const DEVICE_PASSWORD = 'bench-secret';

type Q = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** `count` devices of the company (keys `<prefix>1` …), one meter `m` each; answers them in id order. */
export async function seedDevices(
  q: Q,
  tenantId: number,
  count: number,
  prefix: string,
): Promise<Array<{ id: string; device_key: string }>> {
  await q(
    `insert into devices (tenant_id, name, device_key, secret_hash)
     select $1, 'Device ' || g, $4 || g, $2 from generate_series(1, $3::int) g`,
    [tenantId, sha256(DEVICE_PASSWORD), count, prefix],
  );
  await q(`insert into meters (tenant_id, device_id, key, name) select tenant_id, id, 'm', 'Meter' from devices where tenant_id = $1`, [
    tenantId,
  ]);
  return (await q('select id, device_key from devices where tenant_id = $1 order by id', [tenantId])).rows as Array<{
    id: string;
    device_key: string;
  }>;
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux; 0 when unreadable). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** The devices' Mosquitto clients and publish ACLs, as Steward creates them (one dynsec request per 100). */
export async function provisionDevices(admin: MqttClient, deviceKeys: string[]): Promise<void> {
  for (let i = 0; i < deviceKeys.length; i += 100) {
    const commands = deviceKeys.slice(i, i + 100).flatMap((key) => [
      { command: 'createRole', rolename: `steward-${key}` },
      { command: 'addRoleACL', rolename: `steward-${key}`, acltype: 'publishClientSend', topic: `steward/${key}/#`, allow: true },
      { command: 'createClient', username: key, password: DEVICE_PASSWORD, roles: [{ rolename: `steward-${key}` }] },
    ]);
    await admin.publishAsync('$CONTROL/dynamic-security/v1', JSON.stringify({ commands }), { qos: 1 });
  }
  // Answered after every earlier request: the accounts exist once the answer is back.
  await admin.subscribeAsync('$CONTROL/dynamic-security/v1/response');
  await admin.publishAsync('$CONTROL/dynamic-security/v1', JSON.stringify({ commands: [{ command: 'listClients' }] }), { qos: 1 });
  await new Promise((r) => setTimeout(r, 500));
}

/** One MQTT.js connection per device, 50 connecting at a time. */
export async function connectDevices(url: string, deviceKeys: string[]): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let i = 0; i < deviceKeys.length; i += 50) {
    const batch = deviceKeys.slice(i, i + 50);
    clients.push(
      ...(await Promise.all(batch.map((key) => mqtt.connectAsync(url, { username: key, password: DEVICE_PASSWORD, reconnectPeriod: 0 })))),
    );
  }
  return clients;
}
