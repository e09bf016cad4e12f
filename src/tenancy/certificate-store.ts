import { and, asc, eq, lte, ne, sql } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { StoredCertificate } from "./certificates";
import { tenantCertificates, tenants } from "./schema";

/**
 * @module D1 access to `tenant_certificates`. Every query names the tenant:
 * a certificate id of another organization is as unknown as one that never
 * existed.
 */

export type CertificateRow = typeof tenantCertificates.$inferSelect;
export type CertificateStore = ReturnType<typeof buildCertificateStore>;

const stores = new WeakMap<D1Database, CertificateStore>();

/** One store per D1 binding, like the registry: it holds no state of its own. */
export function certificateStore(d1: D1Database): CertificateStore {
  let store = stores.get(d1);
  if (!store) {
    store = buildCertificateStore(d1);
    stores.set(d1, store);
  }
  return store;
}

/** The row a new certificate is written as. */
export function certificateRow(tenantId: string, certificate: StoredCertificate, status: "pending" | "active") {
  return { ...certificate, tenantId, status, verifiedAt: null, createdAt: new Date() };
}

function buildCertificateStore(d1: D1Database) {
  const db: DrizzleD1Database = drizzle(d1);
  const ofTenant = (tenantId: string, id: string) => and(eq(tenantCertificates.tenantId, tenantId), eq(tenantCertificates.id, id));

  return {
    /** The tenant's certificates, the active one first. */
    list: (tenantId: string) =>
      db
        .select()
        .from(tenantCertificates)
        .where(eq(tenantCertificates.tenantId, tenantId))
        .orderBy(asc(tenantCertificates.status), asc(tenantCertificates.createdAt))
        .all(),

    find: (tenantId: string, id: string) => db.select().from(tenantCertificates).where(ofTenant(tenantId, id)).get(),

    active: (tenantId: string) =>
      db
        .select()
        .from(tenantCertificates)
        .where(and(eq(tenantCertificates.tenantId, tenantId), eq(tenantCertificates.status, "active")))
        .get(),

    /** A new pending certificate; the one pending before it (never promoted) is replaced. */
    async addPending(tenantId: string, certificate: StoredCertificate): Promise<CertificateRow> {
      const [, inserted] = await db.batch([
        db.delete(tenantCertificates).where(and(eq(tenantCertificates.tenantId, tenantId), eq(tenantCertificates.status, "pending"))),
        db
          .insert(tenantCertificates)
          .values(certificateRow(tenantId, certificate, "pending"))
          .returning(),
      ]);
      const row = inserted[0];
      if (!row) throw new Error("the certificate row was not written");
      return row;
    },

    async markVerified(tenantId: string, id: string, at: Date): Promise<void> {
      await db.update(tenantCertificates).set({ verifiedAt: at }).where(ofTenant(tenantId, id)).run();
    },

    /**
     * The pending certificate becomes the active one and the tenant signs
     * with it from now on; the previous active certificate is deleted, in
     * one transaction.
     */
    async promote(tenantId: string, id: string): Promise<boolean> {
      // The later statements act only once this certificate is the active one, so a pending
      // certificate replaced in between never leaves the tenant without an active certificate.
      const promotedNow = sql`exists (select 1 from tenant_certificates where id = ${id} and tenant_id = ${tenantId} and status = 'active')`;
      const [promoted] = await db.batch([
        db
          .update(tenantCertificates)
          .set({ status: "active" })
          .where(and(ofTenant(tenantId, id), eq(tenantCertificates.status, "pending")))
          .returning({ id: tenantCertificates.id }),
        db
          .delete(tenantCertificates)
          .where(
            and(
              eq(tenantCertificates.tenantId, tenantId),
              eq(tenantCertificates.status, "active"),
              ne(tenantCertificates.id, id),
              promotedNow,
            ),
          ),
        db
          .update(tenants)
          .set({ credentialKind: "certificate", updatedAt: new Date() })
          .where(and(eq(tenants.id, tenantId), promotedNow)),
      ]);
      return promoted.length > 0;
    },

    /** Active certificates that expire by `before`, with their tenant, for the expiry warnings. */
    expiringActive: (before: Date) =>
      db
        .select({ tenantId: tenantCertificates.tenantId, notAfter: tenantCertificates.notAfter, thumbprint: tenantCertificates.thumbprint })
        .from(tenantCertificates)
        .innerJoin(tenants, eq(tenants.id, tenantCertificates.tenantId))
        .where(
          and(
            eq(tenantCertificates.status, "active"),
            lte(tenantCertificates.notAfter, before),
            eq(tenants.credentialKind, "certificate"),
            ne(tenants.status, "deleting"),
          ),
        )
        .all(),
  };
}
