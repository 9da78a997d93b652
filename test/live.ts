// A WebSocket client of /api/v1/live over @fastify/websocket's injectWS, keeping every message.
import type { Harness } from './harness.js';

export interface LiveClient {
  messages: Array<{ type: string; data: unknown }>;
  send(message: unknown): void;
  close(): Promise<void>;
  /** The close code once the server closed the socket, else null. */
  closeCode(): number | null;
}

export async function openLive(h: Harness, cookie: string): Promise<LiveClient> {
  const messages: LiveClient['messages'] = [];
  const ws: any = await (h.app as any).injectWS(
    '/api/v1/live',
    { headers: { cookie } },
    {
      onInit: (socket: any) => socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()))),
    },
  );
  let code: number | null = null;
  ws.once('close', (c: number) => {
    code = c;
  });
  return {
    messages,
    closeCode: () => code,
    send: (message) => ws.send(JSON.stringify(message)),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.terminate();
      }),
  };
}
