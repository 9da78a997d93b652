// Plain mail text with its URLs turned into links. The mail's HTML is never injected.
import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';

const URL_RE = /https?:\/\/[^\s<>"']+/g;

export function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0];
    // Leave sentence punctuation outside the link.
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? '';
    if (trailing) url = url.slice(0, -trailing.length);
    const start = match.index ?? 0;
    parts.push(text.slice(last, start));
    parts.push(
      <Anchor key={start} href={url} rel="noopener noreferrer" underline="always">
        {url}
      </Anchor>,
    );
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
