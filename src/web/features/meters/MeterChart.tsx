// A uPlot line chart of one series (seconds since the epoch → values), sized to its container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function MeterChart({ ts, values, unit, label }: { ts: number[]; values: number[]; unit: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: 280,
      series: [{}, { label, stroke: '#228be6', width: 2, value: (_u, v) => (v === null ? '—' : `${v} ${unit}`) }],
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
    };
    plot.current = new uPlot(opts, [ts, values], el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 280 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [ts, values, unit, label]);
  return <div ref={box} data-testid="meter-chart" style={{ width: '100%' }} />;
}
