// A ticket reported by someone without an account through an asset's public QR code page: say so,
// with who reported it and how to reach them.
import { Alert, Text } from '@mantine/core';
import { IconQrcode } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../shared/contracts/tickets';

export function QrOrigin({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const contact = ticket.contact;
  return (
    <Alert color="blue" variant="light" mb="md" icon={<IconQrcode size={18} aria-hidden />} title={t('ticketLinks.fromQr')} data-testid="ticket-origin-qr">
      {contact ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {contact.name}
          {contact.email ? ` · ${t('ticketLinks.fromQrContact', { email: contact.email })}` : ''}
        </Text>
      ) : null}
    </Alert>
  );
}
