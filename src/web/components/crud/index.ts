// The admin CRUD kit: list (search, table/cards, load more), form modal, row actions. Data hooks
// are in lib/crud.ts.
export { CrudFormModal } from './CrudFormModal';
export { type Column, CrudTable, type ListLike } from './CrudTable';
export { DeleteButton, EditButton, NewButton, SearchInput } from './actions';
