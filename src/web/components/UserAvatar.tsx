// A person's initials on their chosen colour, with black or white text, whichever reads better.
import { Avatar, type AvatarProps } from '@mantine/core';

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, by the larger WCAG contrast ratio against the background. */
export function readableOn(hex: string): string {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

export function UserAvatar({
  name,
  color,
  ...props
}: Omit<AvatarProps, 'color'> & {
  name: string;
  color?: string | null;
  'aria-label'?: string;
  role?: string;
}) {
  const hex = color && /^#[0-9a-f]{6}$/i.test(color) ? color : null;
  return (
    <Avatar
      radius="xl"
      variant="filled"
      color={hex ? undefined : (color ?? 'blue')}
      autoContrast
      styles={hex ? { placeholder: { backgroundColor: hex, color: readableOn(hex) } } : undefined}
      {...props}
    >
      {initials(name)}
    </Avatar>
  );
}
