import {
  companyAnswer,
  companyBody,
  companyListQuery,
  companyPage,
  companyWithAdmin,
  createdCompany,
  setupBody,
  setupState,
  signupBody,
  signupKeyAnswer,
  updateCompanyBody,
} from '../../../shared/contracts/companies.js';
import { ctxOf, idParam, type ModulePlugin, toId } from '../http.js';
import * as service from './companies.service.js';

export const companiesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/setup', {
    config: { access: 'public' },
    schema: { tags: ['setup'], summary: 'Whether the first-start setup is still needed', response: { 200: setupState } },
    handler: async () => ({ needed: await service.setupNeeded(deps) }),
  });

  app.post('/api/v1/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['setup'],
      summary: 'Create the first company and its administrator (once)',
      body: setupBody,
      response: { 201: companyWithAdmin },
    },
    handler: async (req, reply) => reply.code(201).send(await service.setup(ctxOf(deps, req), req.body)),
  });

  app.post('/api/v1/signup', {
    config: { access: 'public' },
    schema: {
      tags: ['companies'],
      summary: "A company's first administrator signs up with the key from the operator",
      body: signupBody,
      response: { 201: companyWithAdmin },
    },
    handler: async (req, reply) => reply.code(201).send(await service.signup(ctxOf(deps, req), req.body)),
  });

  app.get('/api/v1/admin/companies', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'All companies of this instance',
      querystring: companyListQuery,
      response: { 200: companyPage },
    },
    handler: (req) => service.listCompanies(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/admin/companies', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'Create a company; the signup key is shown once',
      body: companyBody,
      response: { 201: createdCompany },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createCompanyWithKey(deps, ctxOf(deps, req), req.body)),
  });

  app.patch('/api/v1/admin/companies/:id', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'Edit, suspend or unsuspend a company',
      params: idParam,
      body: updateCompanyBody,
      response: { 200: companyAnswer },
    },
    handler: async (req) => ({ company: await service.updateCompany(ctxOf(deps, req), toId(req.params.id), req.body) }),
  });

  app.post('/api/v1/admin/companies/:id/signup-key', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['companies'],
      summary: 'A new signup key (the old one stops working)',
      params: idParam,
      response: { 200: signupKeyAnswer },
    },
    handler: (req) => service.regenerateSignupKey(ctxOf(deps, req), toId(req.params.id)),
  });
};
