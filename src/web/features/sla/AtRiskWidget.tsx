// Dashboard: open tickets at risk of breaching their SLA, soonest due first (the ticket list's filter).
import { Card, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../lib/useCan';
import { TicketMiniList } from '../tickets/TicketMiniList';

export function AtRiskWidget() {
  const { t } = useTranslation();
  const works = useCan('tickets.update');
  if (!works) return null;
  return (
    <Card withBorder padding="md" mb="lg" data-testid="dash-sla-at-risk" component="section" aria-label={t('sla.atRiskTitle')}>
      <Title order={2} size="h4" mb="sm">
        {t('sla.atRiskTitle')}
      </Title>
      <TicketMiniList query={{ slaAtRisk: 'true', sort: 'slaDue' }} empty={t('sla.atRiskNone')} testId="sla-at-risk-tickets" />
    </Card>
  );
}
