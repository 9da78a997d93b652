import { z } from 'zod';
import { ctxOf, currencyCode, email, idParam, listQuery, localeTag, type ModulePlugin, name, password, publicAddress, slug, timezone, toId, username } from '../http.js';
import { companyDto, companyRef } from './companies.dto.js';
import * as service from './companies.service.js';

const userRef = z.object({ id: z.string(), name: z.string(), email: z.string(), username: z.string().nullable() });

export const companiesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/setup', {
    config: { access: 'public' },
    schema: { tags: ['setup'], summary: 'Whether the first-start setup is still needed', response: { 200: z.object({ needed: z.boolean() }) } },
    handler: async () => ({ needed: await service.setupNeeded(deps) }),
  });

  app.post('/api/v1/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['setup'],
      summary: 'Create the first company and its administrator (once)',
      body: z.object({
        company: z.object({
          name,
          slug,
          timezone: timezone.optional(),
          locale: localeTag.optional(),
          currency: currencyCode.optional(),
          publicUrl: publicAddress.optional().describe('The address QR codes carry; the screen proposes the one the browser used'),
        }),
        admin: z.object({ name, email, password }),
        demoData: z.boolean().default(false),
      }),
      response: { 201: z.object({ company: companyRef, user: userRef }) },
    },
    handler: async (req, reply) => reply.code(201).send(await service.setup(ctxOf(deps, req), req.body)),
  });

  app.post('/api/v1/signup', {
    config: { access: 'public' },
    schema: {
      tags: ['companies'],
      summary: "A company's first administrator signs up with the key from the operator",
      body: z.object({ email, key: z.string().min(8).max(200), name, username, password }),
      response: { 201: z.object({ company: companyRef, user: userRef }) },
    },
    handler: async (req, reply) => reply.code(201).send(await service.signup(ctxOf(deps, req), req.body)),
  });

  const companyInput = z.object({ name, slug, contactEmail: email, seats: z.number().int().min(1).max(1_000_000) });

  app.get('/api/v1/admin/companies', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'All companies of this instance',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(companyDto), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => service.listCompanies(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/admin/companies', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'Create a company; the signup key is shown once',
      body: companyInput,
      response: { 201: z.object({ company: companyDto, signupKey: z.string() }) },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createCompanyWithKey(deps, ctxOf(deps, req), req.body)),
  });

  app.patch('/api/v1/admin/companies/:id', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'Edit, suspend or unsuspend a company',
      params: idParam,
      body: companyInput.omit({ slug: true }).partial().extend({ suspended: z.boolean().optional() }),
      response: { 200: z.object({ company: companyDto }) },
    },
    handler: async (req) => ({ company: await service.updateCompany(ctxOf(deps, req), toId(req.params.id), req.body) }),
  });

  app.post('/api/v1/admin/companies/:id/signup-key', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'A new signup key (the old one stops working)',
      params: idParam,
      response: { 200: z.object({ signupKey: z.string() }) },
    },
    handler: (req) => service.regenerateSignupKey(ctxOf(deps, req), toId(req.params.id)),
  });
};
