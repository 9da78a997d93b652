// Purchasing's calls and query keys; the shapes are the server's contracts (src/shared/contracts/purchasing.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BuyingCompany,
  PurchaseOrderEvent,
  PlannedItem,
  PurchaseOrder,
  PurchaseOrderAnswer,
  PurchaseOrderStatus,
  Receipt,
  ShipTo,
} from '../../../shared/contracts/purchasing';
import { PURCHASE_ORDER_STATUSES } from '../../../shared/contracts/enums';
import { get, type Page, post } from '../../lib/api';
import { getAll } from '../../lib/lists';
import type { Vendor } from '../../../shared/contracts/inventory';

export type { BuyingCompany, PurchaseOrderEvent, PlannedItem, PurchaseOrder, PurchaseOrderStatus, Receipt, ShipTo };
export const STATUSES = PURCHASE_ORDER_STATUSES;

export const plannedKey = ['planned-items'] as const;
export const ordersKey = ['purchase-orders'] as const;
export const orderKey = (id: string) => ['purchase-order', id] as const;
export const buyingCompaniesKey = ['buying-companies'] as const;
export const shipToKey = ['ship-to'] as const;

export function useBuyingCompanies() {
  return useQuery({ queryKey: buyingCompaniesKey, queryFn: () => get<Page<BuyingCompany>>('/api/v1/buying-companies', { limit: 200 }) });
}

/** Every vendor by name, for the plan's pickers (readable with purchasing.manage alone). */
export function useVendorChoices() {
  return useQuery({ queryKey: ['purchasing-vendors'], queryFn: ({ signal }) => getAll<Vendor>('/api/v1/purchasing/vendors', {}, signal) });
}

export function useShipTos() {
  return useQuery({ queryKey: shipToKey, queryFn: () => get<Page<ShipTo>>('/api/v1/ship-to', { limit: 200 }) });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: orderKey(id),
    queryFn: async () => (await get<PurchaseOrderAnswer>(`/api/v1/purchase-orders/${id}`)).purchaseOrder,
  });
}

export function useOrderHistory(id: string) {
  return useQuery({
    queryKey: [...orderKey(id), 'history'],
    queryFn: () => get<{ items: PurchaseOrderEvent[]; receipts: Receipt[] }>(`/api/v1/purchase-orders/${id}/history`),
  });
}

/** A POST on a PO that answers with it: refreshes the PO, its history and the lists. */
export function useOrderAction<B = unknown>(id: string, action: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body?: B) => post<PurchaseOrderAnswer>(`/api/v1/purchase-orders/${id}/${action}`, body ?? {}),
    onSuccess: (answer) => {
      queryClient.setQueryData(orderKey(id), answer.purchaseOrder);
      void queryClient.invalidateQueries({ queryKey: orderKey(id) });
      void queryClient.invalidateQueries({ queryKey: ordersKey });
    },
  });
}

export const money = (n: number, currency: string) =>
  `${currency} ${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
