// A scheduled job that failed twice in a row: the alert webhook, every admin's email and their bell.
import { appUrl, deliver, escapeHtml, type DeliveryRequest } from "./deliver";
import { notifyUsers } from "./in-app";

export async function alertRepeatedFailure(env: Env, job: string, error: string): Promise<void> {
  const link = `${appUrl(env)}/admin/jobs`;
  const subject = `Scheduled job ${job} failed twice in a row`;
  const text = `${subject}.\nLast error: ${error}\nSee the runs at ${link}\n`;
  const admins = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' AND active = 1").all<{
    email: string;
  }>();
  const requests: DeliveryRequest[] = admins.results.map(({ email }) => ({
    channel: "email",
    source: `job:${job}`,
    to: email,
    subject,
    text,
    html: `<p>${escapeHtml(subject)}.</p><p>Last error: <code>${escapeHtml(error)}</code></p><p><a href="${link}">See the runs</a></p>`,
  }));
  requests.push({
    channel: "webhook",
    source: `job:${job}`,
    subject,
    text: `[critical] ${subject}\n${error}`,
  });
  await deliver(env, requests);
  await notifyUsers(env, [
    { kind: "scheduler", title: subject, body: error, link: "/admin/jobs", siteId: null },
  ]);
}
