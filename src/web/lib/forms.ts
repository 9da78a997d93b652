// Puts a 400 validation answer onto the form's fields; anything else stays for an Alert.
import { ApiError } from './api';

interface FormLike {
  setErrors: (errors: Record<string, string>) => void;
}

export function applyFieldErrors(form: FormLike, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields = error.fieldErrors;
  if (!fields) return false;
  form.setErrors(fields);
  return true;
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD = 10;
