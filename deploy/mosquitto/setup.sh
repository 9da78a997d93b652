#!/bin/sh
# One-time setup of Mosquitto's Dynamic Security for Steward (run by compose's mqtt-setup service,
# idempotent): the admin account Steward logs in with may subscribe to every device's readings.
# Steward creates, rotates and deletes the device accounts itself.
set -u
HOST="${MQTT_HOST:-mosquitto}"
for _ in $(seq 1 30); do
  mosquitto_ctrl -h "$HOST" -p "${MQTT_PORT:-1883}" -u admin -P "$MQTT_ADMIN_PASSWORD" dynsec listRoles >/dev/null 2>&1 && break
  sleep 1
done
ctrl() { mosquitto_ctrl -h "$HOST" -p "${MQTT_PORT:-1883}" -u admin -P "$MQTT_ADMIN_PASSWORD" dynsec "$@"; }
ctrl createRole steward-ingest 2>/dev/null || true
ctrl addRoleACL steward-ingest subscribePattern 'steward/#' allow 2>/dev/null || true
ctrl addClientRole admin steward-ingest 2>/dev/null || true
echo "mqtt-setup: the admin account may read steward/#"
