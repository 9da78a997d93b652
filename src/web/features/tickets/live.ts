// Live ticket changes pushed over the socket: refresh lists everywhere; open ticket pages decide
// for themselves (see TicketPage) so that nobody's unsaved input is overwritten.
import { useQueryClient } from '@tanstack/react-query';
import { type LiveData, useLive } from '../../lib/live';

export type TicketUpdated = LiveData['ticket.updated'];

/** Mounted once in the Shell. */
export function useTicketListLiveRefresh(): void {
  const queryClient = useQueryClient();
  useLive('ticket.updated', () => {
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
    void queryClient.invalidateQueries({ queryKey: ['projects'] });
  });
}
