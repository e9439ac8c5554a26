import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantryError } from "../src/index.js";
import { admin, signedUp } from "./setup.js";

/** A receiver on loopback that answers 204 and keeps the webhook-id and body of each request. */
let receiver: Server;
let receiverUrl = "";
const received: { id: string; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ id: String(request.headers["webhook-id"]), body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (holds(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the admin client's webhook calls against a real Tenantry", () => {
  it("creates, lists, updates, tests, replays, rotates and deletes an endpoint", async () => {
    const { client: owner } = await signedUp("hooks");
    await owner.createWorkspace("TS hooks");
    const institutionId = (await owner.listMyWorkspaces())[0]!.institutionBizId;

    const created = await admin.createWebhook(institutionId, { url: receiverUrl, description: "ts receiver", eventTypes: ["member.added"] });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = [];
    for await (const endpoint of admin.webhooks(institutionId, 1)) {
      listed.push([endpoint.webhookBizId, endpoint.secret ?? null]);
    }
    expect(listed).toEqual([[created.webhookBizId, null]]);
    expect((await admin.getWebhook(institutionId, created.webhookBizId)).description).toBe("ts receiver");
    const updated = await admin.updateWebhook(institutionId, created.webhookBizId, { eventTypes: [] });
    expect([updated.eventTypes, updated.description, updated.url]).toEqual([[], "ts receiver", receiverUrl]);

    const test = await admin.sendWebhookTest(institutionId, created.webhookBizId);
    expect(test.eventType).toBe("webhook.test");
    await until("the test delivery", async () => (await admin.getWebhookDeliveriesPage(institutionId, created.webhookBizId)).items, (d) => d[0]?.status === "DELIVERED");
    expect(received.map((r) => [r.id, JSON.parse(r.body).type])).toEqual([[test.deliveryId, "webhook.test"]]);
    const deliveries = [];
    for await (const d of admin.webhookDeliveries(institutionId, created.webhookBizId, 1)) {
      deliveries.push(d.deliveryId);
    }
    expect(deliveries).toEqual([test.deliveryId]);
    expect((await admin.replayWebhookDelivery(institutionId, created.webhookBizId, test.deliveryId)).status).toBe("PENDING");
    await until("the replay", async () => received.length, (n) => n === 2);
    expect(received[1]?.id).toBe(test.deliveryId);
    expect(await admin.replayFailedWebhookDeliveries(institutionId, created.webhookBizId, new Date(Date.now() - 3_600_000))).toBe(0);

    const rotated = await admin.rotateWebhookSecret(institutionId, created.webhookBizId);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();

    await admin.deleteWebhook(institutionId, created.webhookBizId);
    const gone = (await admin.getWebhook(institutionId, created.webhookBizId).catch((e: unknown) => e)) as TenantryError;
    expect([gone.status, gone.code]).toEqual([404, "4040"]);
    const invalid = (await admin.createWebhook(institutionId, { url: "not a url" }).catch((e: unknown) => e)) as TenantryError;
    expect(invalid).toBeInstanceOf(TenantryError);
    expect(invalid.code).toBe("4000");
    expect(invalid.fields.map((f) => f.field.toLowerCase())).toContain("$.url");
  });
});
