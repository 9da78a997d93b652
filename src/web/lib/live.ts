// WebSocket client for /api/v1/live: one connection, reconnect with backoff, handlers by message type.
import { useEffect, useRef } from 'react';
import type { LiveData, LiveMessage, LiveType } from '../../shared/contracts/live';

export type { LiveData, LiveMessage, LiveType };

type Handler = (data: unknown, message: LiveMessage) => void;
type StatusListener = (connected: boolean) => void;

class LiveClient {
  private socket: WebSocket | null = null;
  private handlers = new Map<string, Set<Handler>>();
  private statusListeners = new Set<StatusListener>();
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  connected = false;

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.open();
  }

  stop(): void {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000);
    this.socket = null;
    this.setConnected(false);
  }

  /** Reconnect now, e.g. after login or logout changed the session cookie. */
  restart(): void {
    this.stop();
    this.start();
  }

  subscribe(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler);
    return () => set?.delete(handler);
  }

  /** Sends a message to the server; false when not connected (resend on the next onStatus(true)). */
  send(message: unknown): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private open(): void {
    if (!this.wanted || typeof WebSocket === 'undefined') return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setConnected(true);
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!message || typeof message.type !== 'string') return;
      for (const handler of this.handlers.get(message.type) ?? []) handler(message.data, message);
      for (const handler of this.handlers.get('*') ?? []) handler(message.data, message);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      this.setConnected(false);
      this.scheduleReconnect();
    };
    socket.onerror = () => socket.close();
  }

  private scheduleReconnect(): void {
    if (!this.wanted || this.timer) return;
    // Exponential backoff with jitter: 1 s, 2 s, 4 s ... capped at 30 s.
    const base = Math.min(30_000, 1000 * 2 ** this.attempts);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.statusListeners) listener(connected);
  }
}

export const live = new LiveClient();

/** Calls handler for every pushed message of this type while the component is mounted. */
export function useLive<K extends LiveType>(type: K, handler: (data: LiveData[K]) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => live.subscribe(type, (data) => ref.current(data as LiveData[K])), [type]);
}
