// "New password" + "repeat" pair with the shared rules, used by reset, invitation and signup.
import { PasswordInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD } from '../../lib/forms';

export function passwordRules(t: TFunction) {
  return {
    password: (v: string) =>
      v.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD }),
    confirm: (v: string, values: { password: string }) =>
      v === values.password ? null : t('validation.passwordMismatch'),
  };
}

export function NewPasswordFields({
  getInputProps,
}: {
  getInputProps: (path: 'password' | 'confirm') => GetInputPropsReturnType;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput
        label={t('fields.newPassword')}
        description={t('validation.passwordLength', { count: MIN_PASSWORD })}
        required
        autoComplete="new-password"
        {...getInputProps('password')}
      />
      <PasswordInput
        label={t('fields.confirmPassword')}
        required
        autoComplete="new-password"
        {...getInputProps('confirm')}
      />
    </>
  );
}
