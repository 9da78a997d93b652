// Live meter readings over /api/v1/live: components ask for meter ids; the page's socket watches the
// union of them (ref-counted: a meter is unsubscribed when the last component lets it go) and
// subscribes again after every reconnect.
import { useEffect, useRef } from 'react';
import { live, type LiveData } from '../../lib/live';

type Item = { ts: string; v: number };
const wanted = new Map<string, number>();
let statusHooked = false;

function hookStatus() {
  if (statusHooked) return;
  statusHooked = true;
  live.onStatus((connected) => {
    if (connected && wanted.size > 0) live.send({ type: 'subscribe', meters: [...wanted.keys()] });
  });
}

function want(ids: string[]) {
  hookStatus();
  const fresh = ids.filter((id) => {
    const n = wanted.get(id) ?? 0;
    wanted.set(id, n + 1);
    return n === 0;
  });
  if (fresh.length) live.send({ type: 'subscribe', meters: fresh });
}

function release(ids: string[]) {
  const gone = ids.filter((id) => {
    const n = (wanted.get(id) ?? 1) - 1;
    if (n <= 0) wanted.delete(id);
    else wanted.set(id, n);
    return n <= 0;
  });
  if (gone.length) live.send({ type: 'unsubscribe', meters: gone });
}

/** Calls onReadings with each pushed batch of these meters while mounted. */
export function useLiveMeters(ids: string[], onReadings: (meterId: string, items: Item[]) => void): void {
  const ref = useRef(onReadings);
  ref.current = onReadings;
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const list = key ? key.split(',') : [];
    const mine = new Set(list);
    const stop = live.subscribe('meter.readings', (data) => {
      const d = data as LiveData['meter.readings'];
      if (mine.has(d.meterId)) ref.current(d.meterId, d.items);
    });
    want(list);
    return () => {
      stop();
      release(list);
    };
  }, [key]);
}
