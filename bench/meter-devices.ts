// Shared pieces of the MQTT meter benchmarks (bench/meters.ts, bench/meters-burst.ts): the devices'
// Mosquitto accounts as Steward creates them, their connections, and a process's CPU time.
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';

/** The password every bench device has (its secret_hash is sha256 of it). */
export const DEVICE_PASSWORD = 'bench-secret';

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
