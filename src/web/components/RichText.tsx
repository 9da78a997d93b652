// HTML that the server rendered from Markdown and sanitised (descriptionHtml, bodyHtml). Links
// inside the app navigate without a page load; links elsewhere open apart (the server set target).
import { Typography } from '@mantine/core';
import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';

export function RichText({ html, testId }: { html: string; testId?: string }) {
  const navigate = useNavigate();
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (!a || !href?.startsWith('/') || href.startsWith('//') || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <Typography fz="sm" style={{ overflowWrap: 'anywhere' }} data-testid={testId} onClick={onClick}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised on the server (src/server/platform/markdown.ts) */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
