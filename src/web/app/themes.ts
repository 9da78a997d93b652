// The four Steward themes. Each maps to a Mantine colour scheme (light or dark) plus its own palette.
// Colours were picked for WCAG AA contrast (checked with axe): primary shades carry white text at ≥ 4.5:1.
import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  type MantineColorsTuple,
  type MantineThemeOverride,
} from '@mantine/core';
import type { ThemeName } from '../../shared/contracts/enums';

export type ConcreteTheme = Exclude<ThemeName, 'system'>;
export const THEME_NAMES: ThemeName[] = ['system', 'light', 'dark', 'ocean', 'fallout'];

const ocean: MantineColorsTuple = [
  '#e3f6fb', '#c4eaf4', '#9bd9ea', '#6cc5df', '#44b2d4',
  '#2a9fc6', '#1b88ad', '#0f6f8f', '#0a5a75', '#06435a',
];

const terminal: MantineColorsTuple = [
  '#e6ffed', '#b8ffcc', '#8affab', '#5cff8a', '#33ff66',
  '#1fe052', '#17b341', '#118a32', '#0b6123', '#063815',
];

// Fallout's "dark" palette is green on black: Mantine uses dark-0 for text, dark-2 for dimmed
// text, dark-4 for borders, dark-6 for inputs and dark-7 for the page.
const phosphor: MantineColorsTuple = [
  '#4dff7c', '#3fe06c', '#35c35d', '#2a9c4a', '#1d6b34',
  '#154d26', '#0e3019', '#030d06', '#020803', '#000000',
];

const monospace =
  'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", "Liberation Mono", Menlo, Consolas, monospace';

const shared: MantineThemeOverride = {
  autoContrast: true,
  luminanceThreshold: 0.35,
  defaultRadius: 'md',
  cursorType: 'pointer',
  primaryShade: { light: 8, dark: 8 },
};

export const themes: Record<ConcreteTheme, MantineThemeOverride> = {
  light: createTheme({ ...shared, primaryColor: 'blue' }),
  dark: createTheme({ ...shared, primaryColor: 'blue' }),
  ocean: createTheme({
    ...shared,
    primaryColor: 'ocean',
    primaryShade: { light: 7, dark: 7 },
    colors: { ocean },
    white: '#f6fbfd',
    black: '#0b2533',
    other: { navbarBg: '#e6f3f8' },
  }),
  fallout: createTheme({
    ...shared,
    primaryColor: 'terminal',
    // Same shade in both schemes so autoContrast sees a light colour and picks black text.
    primaryShade: { light: 4, dark: 4 },
    colors: { terminal, dark: phosphor },
    fontFamily: monospace,
    fontFamilyMonospace: monospace,
    headings: { fontFamily: monospace },
    defaultRadius: 0,
    other: { navbarBg: '#020803' },
  }),
};

export function schemeOf(theme: ConcreteTheme): 'light' | 'dark' {
  return theme === 'dark' || theme === 'fallout' ? 'dark' : 'light';
}

/** Darker "dimmed" and "error" text than Mantine's defaults, which fall below 4.5:1 on white. */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    // Text of "light" variants (badges, active nav links, alerts) on their pale backgrounds.
    ...Object.fromEntries(
      Object.keys(theme.colors).map((c) => [
        `--mantine-color-${c}-light-color`,
        darken(theme.colors[c][9], c === 'yellow' || c === 'orange' ? 0.45 : 0.15),
      ]),
    ),
    '--mantine-primary-color-light-color': darken(theme.colors[theme.primaryColor][9], 0.15),
    // Themes whose primary shade is lighter than 8 (ocean) would also fill red, orange, … badges with
    // shade 7, too light under white text: other colours take shade 9 for their filled variant (ocean's off-white text needs it).
    ...(typeof theme.primaryShade === 'object' && theme.primaryShade.light < 8
      ? Object.fromEntries(
          Object.keys(theme.colors)
            .filter((c) => c !== theme.primaryColor)
            .flatMap((c) => [
              [`--mantine-color-${c}-filled`, theme.colors[c][9]],
              [`--mantine-color-${c}-filled-hover`, darken(theme.colors[c][9], 0.1)],
            ]),
        )
      : {}),
    '--mantine-color-dimmed': theme.primaryColor === 'ocean' ? '#3d5a66' : 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--steward-navbar-bg': (theme.other.navbarBg as string) ?? 'var(--mantine-color-body)',
  },
  dark: {
    '--mantine-color-dimmed':
      theme.primaryColor === 'terminal' ? 'var(--mantine-color-dark-2)' : 'var(--mantine-color-dark-1)',
    '--steward-navbar-bg': (theme.other.navbarBg as string) ?? 'var(--mantine-color-body)',
  },
});
