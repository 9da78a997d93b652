// Which theme is shown: the user's profile choice once known, before login the browser's memory.
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { ThemeName } from '../../shared/contracts/enums';
import { type ConcreteTheme, THEME_NAMES } from './themes';

const STORAGE_KEY = 'steward.theme';

interface ThemeChoiceValue {
  choice: ThemeName;
  effective: ConcreteTheme;
  setChoice: (theme: ThemeName) => void;
}

const ThemeChoiceContext = createContext<ThemeChoiceValue | null>(null);

function readStored(): ThemeName {
  try {
    const stored = localStorage.getItem(STORAGE_KEY) as ThemeName | null;
    return stored && THEME_NAMES.includes(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

function useSystemDark(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const onChange = () => setDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return dark;
}

export function ThemeChoiceProvider({ children }: { children: ReactNode }) {
  const [choice, setChoiceState] = useState<ThemeName>(readStored);
  const systemDark = useSystemDark();
  const effective: ConcreteTheme = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;

  const value = useMemo<ThemeChoiceValue>(
    () => ({
      choice,
      effective,
      setChoice: (theme) => {
        if (!THEME_NAMES.includes(theme)) return;
        setChoiceState(theme);
        try {
          localStorage.setItem(STORAGE_KEY, theme);
        } catch {
          /* private mode: the choice lasts for this page only */
        }
      },
    }),
    [choice, effective],
  );

  useEffect(() => {
    document.documentElement.dataset.stewardTheme = effective;
  }, [effective]);

  return <ThemeChoiceContext.Provider value={value}>{children}</ThemeChoiceContext.Provider>;
}

export function useThemeChoice(): ThemeChoiceValue {
  const value = useContext(ThemeChoiceContext);
  if (!value) throw new Error('useThemeChoice outside ThemeChoiceProvider');
  return value;
}
