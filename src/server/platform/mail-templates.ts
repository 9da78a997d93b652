// The messages Steward sends. Text first (the outbox page shows it); HTML escapes every value.
import type { MailMessage } from './mail.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function build(template: string, to: string, subject: string, lines: string[], link: { url: string; label: string }): MailMessage {
  const text = `${lines.join('\n\n')}\n\n${link.label}: ${link.url}\n`;
  const html = `${lines.map((l) => `<p>${esc(l)}</p>`).join('')}<p><a href="${esc(link.url)}">${esc(link.label)}</a></p>`;
  return { template, to, subject, text, html };
}

export function invitationMail(p: { to: string; name: string; companyName: string; inviter: string; url: string; days: number }): MailMessage {
  return build('invitation', p.to, `You are invited to ${p.companyName} on Steward`, [
    `Hello ${p.name},`,
    `${p.inviter} invited you to ${p.companyName} on Steward. Choose a password to activate your account.`,
    `This link works once and expires in ${p.days} days.`,
  ], { url: p.url, label: 'Accept the invitation' });
}

export function passwordResetMail(p: { to: string; name: string; url: string; hours: number }): MailMessage {
  return build('password_reset', p.to, 'Reset your Steward password', [
    `Hello ${p.name},`,
    'Someone (hopefully you) asked to reset your Steward password. If it was not you, ignore this message.',
    `This link works once and expires in ${p.hours} hours.`,
  ], { url: p.url, label: 'Choose a new password' });
}
