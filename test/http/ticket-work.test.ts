// Tasks (checklists), processes (reusable checklists) and time entries on tickets, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually } from '../helpers.js';
import { openLive } from '../live.js';

describe('ticket work: tasks, processes, time', () => {
  let h: Harness;
  let acme: TestCompany;
  let requester: TestUser;
  let tech: TestUser;
  let tech2: TestUser;
  let manager: TestUser;
  let n: number;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    requester = await createUser(h, acme, { role: 'Requester' });
    tech = await createUser(h, acme, { role: 'Technician' });
    tech2 = await createUser(h, acme, { role: 'Technician' });
    manager = await createUser(h, acme, { role: 'Manager' });
    const t = await requester.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Service the boiler', description: '' });
    n = t.body.ticket.number;
    expect((await manager.client.post(`/api/v1/tickets/${n}/assign`, { assigneeId: String(tech.id) })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('a technician keeps a checklist: add, tick off, rename, reorder, remove; history and live push follow', async () => {
    const live = await openLive(h, requester.client.cookie!);
    try {
      const a = await tech.client.post(`/api/v1/tickets/${n}/tasks`, { title: 'Shut off gas' });
      expect(a.status).toBe(201);
      expect(a.body.task).toMatchObject({ title: 'Shut off gas', done: false, position: 0 });
      const b = await tech.client.post(`/api/v1/tickets/${n}/tasks`, { title: 'Clean burner' });
      expect(b.body.task.position).toBe(1);
      const done = await tech.client.patch(`/api/v1/tasks/${a.body.task.id}`, { done: true });
      expect(done.status).toBe(200);
      expect(done.body.task).toMatchObject({ done: true, doneBy: { id: String(tech.id) } });
      expect(done.body.task.doneAt).toBeTruthy();
      expect((await tech.client.patch(`/api/v1/tasks/${b.body.task.id}`, { title: 'Clean the burner', position: 0 })).status).toBe(200);
      expect((await tech.client.patch(`/api/v1/tasks/${a.body.task.id}`, { position: 5 })).status).toBe(200);

      const list = await requester.client.get(`/api/v1/tickets/${n}/tasks`);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ done: 1, total: 2 });
      expect(list.body.items.map((t: { title: string }) => t.title)).toEqual(['Clean the burner', 'Shut off gas']);

      expect((await tech.client.patch(`/api/v1/tasks/${a.body.task.id}`, { done: false })).body.task).toMatchObject({ done: false, doneBy: null, doneAt: null });
      expect((await tech.client.delete(`/api/v1/tasks/${b.body.task.id}`)).status).toBe(204);
      expect((await tech.client.get(`/api/v1/tickets/${n}/tasks`)).body.total).toBe(1);

      const events = (await requester.client.get(`/api/v1/tickets/${n}/history`)).body.items.map((x: { event: string }) => x.event);
      for (const e of ['task_added', 'task_done', 'task_updated', 'task_removed']) expect(events).toContain(e);
      expect(await eventually(async () => live.messages.some((m) => m.type === 'ticket.updated' && (m.data as { what: string }).what === 'tasks'))).toBe(true);
    } finally {
      await live.close();
    }
  });

  it('a requester reads the checklist but cannot change it; someone who cannot see the ticket gets 404', async () => {
    const add = await requester.client.post(`/api/v1/tickets/${n}/tasks`, { title: 'mine' });
    expect(add.status).toBe(403);
    expect(add.body.error.details.permission).toBe('tickets.update');
    const [task] = (await tech.client.get(`/api/v1/tickets/${n}/tasks`)).body.items;
    expect((await requester.client.patch(`/api/v1/tasks/${task.id}`, { done: true })).status).toBe(403);
    // tech2 may update tickets but does not see this one.
    expect((await tech2.client.get(`/api/v1/tickets/${n}/tasks`)).status).toBe(404);
    expect((await tech2.client.post(`/api/v1/tickets/${n}/tasks`, { title: 'x' })).status).toBe(404);
    expect((await tech2.client.patch(`/api/v1/tasks/${task.id}`, { done: true })).status).toBe(404);
    expect((await tech2.client.delete(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await tech.client.post(`/api/v1/tickets/${n}/tasks`, { title: '  ' })).status).toBe(400);
  });

  it('processes are managed with categories.manage and applied to tickets after the tasks they have', async () => {
    const p = await manager.client.post('/api/v1/processes', { name: 'Boiler service', tasks: ['Check pressure', 'Test flue', 'Log readings'] });
    expect(p.status).toBe(201);
    expect(p.body.process).toMatchObject({ name: 'Boiler service', tasks: ['Check pressure', 'Test flue', 'Log readings'] });
    const id = p.body.process.id;
    expect((await manager.client.post('/api/v1/processes', { name: 'boiler SERVICE', tasks: [] })).status).toBe(409);
    expect((await tech.client.post('/api/v1/processes', { name: 'Mine', tasks: [] })).status).toBe(403);
    expect((await tech.client.get('/api/v1/processes')).body.items.map((x: { id: string }) => x.id)).toContain(id);
    const renamed = await manager.client.patch(`/api/v1/processes/${id}`, { tasks: ['Check pressure', 'Test flue', 'Log readings', 'Sign off'] });
    expect(renamed.body.process.tasks).toHaveLength(4);

    const before = (await tech.client.get(`/api/v1/tickets/${n}/tasks`)).body.items;
    const applied = await tech.client.post(`/api/v1/tickets/${n}/processes/${id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.total).toBe(before.length + 4);
    expect(applied.body.items.map((t: { title: string }) => t.title)).toEqual([...before.map((t: { title: string }) => t.title), 'Check pressure', 'Test flue', 'Log readings', 'Sign off']);
    const positions = applied.body.items.map((t: { position: number }) => t.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const history = (await tech.client.get(`/api/v1/tickets/${n}/history`)).body.items;
    expect(history.find((x: { event: string }) => x.event === 'process_applied')).toMatchObject({ after: { id, name: 'Boiler service' } });

    expect((await requester.client.post(`/api/v1/tickets/${n}/processes/${id}/apply`)).status).toBe(403);
    expect((await tech.client.post(`/api/v1/tickets/${n}/processes/999999/apply`)).status).toBe(404);
    expect((await manager.client.delete(`/api/v1/processes/${id}`)).status).toBe(204);
    // The ticket keeps the tasks the process gave it.
    expect((await tech.client.get(`/api/v1/tickets/${n}/tasks`)).body.total).toBe(before.length + 4);
    expect((await manager.client.delete(`/api/v1/processes/${id}`)).status).toBe(404);
  });

  it('time entries: validation, totals (minutes, billable minutes, billable amount), own-or-editor deletion', async () => {
    const first = await tech.client.post(`/api/v1/tickets/${n}/time-entries`, { minutes: 90, billable: true, rate: '60', note: 'Diagnosis', spentOn: '2025-03-01' });
    expect(first.status).toBe(201);
    expect(first.body.entry).toMatchObject({ minutes: 90, billable: true, rate: '60.00', note: 'Diagnosis', user: { id: String(tech.id) } });
    expect(first.body.entry.spentOn.startsWith('2025-03-01')).toBe(true);
    expect(first.body.totals).toEqual({ minutes: 90, billableMinutes: 90, billableAmount: '90.00' });
    const second = await manager.client.post(`/api/v1/tickets/${n}/time-entries`, { minutes: 20, billable: false, rate: 100 });
    expect(second.body.totals).toEqual({ minutes: 110, billableMinutes: 90, billableAmount: '90.00' });
    const third = await manager.client.post(`/api/v1/tickets/${n}/time-entries`, { minutes: 25, billable: true, rate: 45.5 });
    // 25 min at 45.50/h = 18.958… → 18.96; 90 + 18.96 = 108.96.
    expect(third.body.totals).toEqual({ minutes: 135, billableMinutes: 115, billableAmount: '108.96' });

    for (const bad of [{ minutes: 0 }, { minutes: 1441 }, { minutes: 1.5 }, { minutes: 10, rate: -1 }, { minutes: 10, spentOn: 'yesterday' }]) {
      expect((await tech.client.post(`/api/v1/tickets/${n}/time-entries`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await requester.client.post(`/api/v1/tickets/${n}/time-entries`, { minutes: 5 })).status).toBe(403);
    expect((await requester.client.get(`/api/v1/tickets/${n}/time-entries`)).status).toBe(403);
    expect((await tech2.client.get(`/api/v1/tickets/${n}/time-entries`)).status).toBe(404);

    const list = await tech.client.get(`/api/v1/tickets/${n}/time-entries`);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.totals.billableAmount).toBe('108.96');

    // tech2 cannot see the ticket: 404; the technician deletes their own; the manager (tickets.update) any.
    expect((await tech2.client.delete(`/api/v1/time-entries/${first.body.entry.id}`)).status).toBe(404);
    expect((await tech.client.delete(`/api/v1/time-entries/${first.body.entry.id}`)).status).toBe(204);
    expect((await manager.client.delete(`/api/v1/time-entries/${third.body.entry.id}`)).status).toBe(204);
    const after = await manager.client.get(`/api/v1/tickets/${n}/time-entries`);
    expect(after.body.totals).toEqual({ minutes: 20, billableMinutes: 0, billableAmount: '0.00' });
    const history = (await manager.client.get(`/api/v1/tickets/${n}/history`)).body.items.map((x: { event: string }) => x.event);
    expect(history.filter((e: string) => e === 'time_logged')).toHaveLength(3);
    expect(history.filter((e: string) => e === 'time_removed')).toHaveLength(2);
    // Costs are internal: the requester's history does not show them.
    const theirs = (await requester.client.get(`/api/v1/tickets/${n}/history`)).body.items.map((x: { event: string }) => x.event);
    expect(theirs).not.toContain('time_logged');
  });

  it("another company's tasks, processes and time entries are 404s", async () => {
    const other = await createCompany(h);
    const [task] = (await tech.client.get(`/api/v1/tickets/${n}/tasks`)).body.items;
    const entry = (await manager.client.get(`/api/v1/tickets/${n}/time-entries`)).body.items[0];
    const p = await manager.client.post('/api/v1/processes', { name: 'Acme only', tasks: ['a'] });
    const o = other.admin.client;
    expect((await o.patch(`/api/v1/tasks/${task.id}`, { done: true })).status).toBe(404);
    expect((await o.delete(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await o.delete(`/api/v1/time-entries/${entry.id}`)).status).toBe(404);
    expect((await o.patch(`/api/v1/processes/${p.body.process.id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await o.delete(`/api/v1/processes/${p.body.process.id}`)).status).toBe(404);
    expect((await o.get('/api/v1/processes')).body.items).toEqual([]);
    // Their own ticket with the same number cannot get Acme's process.
    const theirs = await o.post('/api/v1/tickets', { kind: 'incident', title: 'x', description: '' });
    expect((await o.post(`/api/v1/tickets/${theirs.body.ticket.number}/processes/${p.body.process.id}/apply`)).status).toBe(404);
  });
});
