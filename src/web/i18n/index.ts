// i18next set-up. English only for now; add a language by adding `<lang>.json` and listing it here.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';

export const resources = { en: { translation: en } } as const;
export const languages = Object.keys(resources);

function initialLanguage(): string {
  const wanted = navigator.languages ?? [navigator.language];
  for (const tag of wanted) {
    const base = tag?.split('-')[0];
    if (base && base in resources) return base;
  }
  return 'en';
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;

export default i18n;
